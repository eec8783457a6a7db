#include "app/model/schemaimporter.h"

#include <QFileInfo>
#include <QMetaObject>
#include <QUrl>

#include <algorithm>
#include <memory>

using namespace sb;
using namespace sb::model;

// --- SchemaListModel ---

SchemaListModel::SchemaListModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows,
             {{Qt::DisplayRole, nullptr, &Row::key},
              {NameRole, "name", &Row::key},
              {DescriptionRole, "description", &Row::description},
              {PropertyCountRole, "propertyCount", &Row::propertyCount},
              {IsObjectRole, "isObject", &Row::isObject},
              {Qt::CheckStateRole, nullptr,
               [](const Row &r) -> QVariant { return r.checked ? Qt::Checked : Qt::Unchecked; }},
              {CheckedRole, "picked", &Row::checked}});
}

bool SchemaListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || (role != CheckedRole && role != Qt::CheckStateRole))
        return false;
    const bool on = role == CheckedRole ? value.toBool()
                                        : value.toInt() == int(Qt::Checked);
    setChecked(m_rows[index.row()].key, on);
    return true;
}

Qt::ItemFlags SchemaListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    if (m_rows.value(index.row()).isObject)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVector<SchemaListModel::Row> SchemaListModel::visibleRows() const
{
    if (m_filter.trimmed().isEmpty())
        return m_all;
    QVector<Row> out;
    for (const Row &r : m_all)
        if (r.key.contains(m_filter.trimmed(), Qt::CaseInsensitive))
            out << r;
    return out;
}

void SchemaListModel::setAll(const QVector<Row> &all, const QString &filter)
{
    m_all = all;
    m_filter = filter;
    resetRows(m_rows, visibleRows());
    emit checkedChanged();
}

void SchemaListModel::setFilter(const QString &filter)
{
    m_filter = filter;
    syncRows(m_rows, visibleRows());
}

void SchemaListModel::setChecked(const QString &name, bool checked)
{
    bool changed = false;
    for (Row &r : m_all) {
        if (r.key == name && r.isObject && r.checked != checked) {
            r.checked = checked;
            changed = true;
        }
    }
    if (!changed)
        return;
    syncRows(m_rows, visibleRows());
    emit checkedChanged();
}

void SchemaListModel::checkVisible(bool checked)
{
    QSet<QString> visible;
    for (const Row &r : std::as_const(m_rows))
        visible.insert(r.key);
    for (Row &r : m_all)
        if (visible.contains(r.key) && r.isObject)
            r.checked = checked;
    syncRows(m_rows, visibleRows());
    emit checkedChanged();
}

QStringList SchemaListModel::checkedNames() const
{
    QStringList out;
    for (const Row &r : m_all)
        if (r.checked)
            out << r.key;
    return out;
}

int SchemaListModel::checkedCount() const
{
    int n = 0;
    for (const Row &r : m_all)
        n += r.checked ? 1 : 0;
    return n;
}

// --- SchemaImporter ---

SchemaImporter::SchemaImporter(QObject *parent) : QObject(parent)
{
    connect(&m_schemas, &SchemaListModel::checkedChanged, this,
            &SchemaImporter::checkedChanged);
}

SchemaImporter::~SchemaImporter()
{
    if (m_worker) {
        m_worker->disconnect(this);
        m_worker->wait();
        delete m_worker;
    }
}

void SchemaImporter::setDocument(QObject *document)
{
    if (m_document == document)
        return;
    m_document = document;
    m_doc = qobject_cast<Document *>(document);
    emit documentChanged();
}

void SchemaImporter::setSystemId(const QString &id)
{
    if (m_systemId == id)
        return;
    m_systemId = id;
    emit systemIdChanged();
}

void SchemaImporter::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    m_schemas.setFilter(filter);
    emit filterChanged();
}

QString SchemaImporter::fileName() const
{
    return m_source ? m_source->fileName() : QString();
}

QString SchemaImporter::sourceKind() const
{
    return m_source ? runtime::schemaSourceKindName(m_source->kind()) : QString();
}

void SchemaImporter::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    emit errorChanged();
}

void SchemaImporter::setProgress(double progress)
{
    if (m_progress == progress)
        return;
    m_progress = progress;
    emit progressChanged();
}

void SchemaImporter::setStatus(const QString &status)
{
    if (m_status == status)
        return;
    m_status = status;
    emit statusChanged();
}

template <typename Work, typename Done>
void SchemaImporter::runInBackground(Work work, Done done)
{
    using Value = decltype(work());
    auto result = std::make_shared<std::optional<Value>>();
    m_worker = QThread::create([result, work = std::move(work)] { *result = work(); });
    QThread *thread = m_worker;
    // Queued to this (GUI) thread: `finished` is emitted by the worker.
    connect(thread, &QThread::finished, this, [this, thread, result, done = std::move(done)] {
        if (m_worker == thread)
            m_worker = nullptr;
        thread->deleteLater();
        emit busyChanged();
        if (*result)
            done(std::move(**result));
    });
    emit busyChanged();
    thread->start();
}

void SchemaImporter::load(const QString &pathOrUrl)
{
    if (m_worker)
        return;
    const QString path = pathOrUrl.startsWith(QLatin1String("file:"))
                             ? QUrl(pathOrUrl).toLocalFile()
                             : pathOrUrl;
    setError(QString());
    setStatus(tr("Reading %1\u2026").arg(QFileInfo(path).fileName()));
    runInBackground(
        [path] {
            auto loaded = runtime::SchemaSource::load(path);
            QVector<runtime::SchemaSummary> list;
            if (loaded.ok())
                list = loaded.value().list();
            return std::make_pair(std::move(loaded), list);
        },
        [this](std::pair<Result<runtime::SchemaSource>, QVector<runtime::SchemaSummary>> r) {
            if (!r.first.ok()) {
                m_source.reset();
                m_schemas.setAll({}, m_filter);
                setError(r.first.error().toString());
                setStatus(QString());
                emit sourceChanged();
                return;
            }
            m_source = r.first.takeValue();
            QVector<SchemaListModel::Row> rows;
            // A sample record, a CSV file or a single JSON Schema: preselect it.
            const bool single = r.second.size() == 1;
            for (const runtime::SchemaSummary &s : r.second) {
                SchemaListModel::Row row;
                row.key = s.name;
                row.description = s.description.simplified();
                row.propertyCount = s.propertyCount;
                row.isObject = s.isObject;
                row.checked = single && s.isObject;
                rows << row;
            }
            m_schemas.setAll(rows, m_filter);
            setStatus(rows.size() == 1 ? tr("%1: 1 schema").arg(sourceKind())
                                       : tr("%1: %2 schemas").arg(sourceKind()).arg(rows.size()));
            emit sourceChanged();
        });
}

void SchemaImporter::setChecked(const QString &name, bool checked)
{
    m_schemas.setChecked(name, checked);
}

void SchemaImporter::checkAll(bool checked)
{
    m_schemas.checkVisible(checked);
}

void SchemaImporter::importChecked()
{
    if (m_worker || !m_source)
        return;
    if (!m_doc || !m_doc->project().system(m_systemId)) {
        setError(tr("Select a system to import into."));
        return;
    }
    const QStringList names = m_schemas.checkedNames();
    if (names.isEmpty()) {
        setError(tr("Check at least one schema to import."));
        return;
    }
    setError(QString());
    setStatus(names.size() == 1 ? tr("Importing 1 schema\u2026")
                                : tr("Importing %1 schemas\u2026").arg(names.size()));
    setProgress(0);
    const runtime::SchemaSource source = *m_source;
    // Converted in chunks so the bar moves: each chunk posts its share done to this thread
    // (the destructor waits for the worker, so `self` outlives it).
    SchemaImporter *self = this;
    auto work = [source, names, self]() -> Result<QVector<Entity>> {
        constexpr int kChunk = 8;
        QVector<Entity> all;
        all.reserve(names.size());
        for (int i = 0; i < names.size(); i += kChunk) {
            auto part = source.importSchemas(names.mid(i, kChunk));
            if (!part.ok())
                return part.error();
            all += part.value();
            const double done = double(std::min(i + kChunk, int(names.size()))) / names.size();
            QMetaObject::invokeMethod(
                self, [self, done] { self->setProgress(done); }, Qt::QueuedConnection);
        }
        return all;
    };
    runInBackground(std::move(work), [this](Result<QVector<Entity>> r) {
        setProgress(-1);
        if (!r.ok()) {
            setError(r.error().toString());
            setStatus(QString());
            return;
        }
        const System *current = m_doc ? m_doc->project().system(m_systemId) : nullptr;
        if (!current) {
            setError(tr("The system '%1' no longer exists.").arg(m_systemId));
            return;
        }
        System next = *current;
        const QVector<Entity> &entities = r.value();
        runtime::mergeEntities(next, entities);
        m_doc->endMergeGroup();
        m_doc->updateSystem(next, tr("Import %1 entit%2 into '%3'")
                                      .arg(entities.size())
                                      .arg(entities.size() == 1 ? "y" : "ies")
                                      .arg(current->name));
        m_doc->endMergeGroup();
        setStatus(tr("Imported %1 entit%2.")
                      .arg(entities.size())
                      .arg(entities.size() == 1 ? "y" : "ies"));
        emit imported(int(entities.size()));
    });
}

void SchemaImporter::clear()
{
    if (m_worker)
        return;
    m_source.reset();
    m_schemas.setAll({}, QString());
    m_filter.clear();
    emit filterChanged();
    setError(QString());
    setStatus(QString());
    emit sourceChanged();
}
