#include "app/mappings/mappingeditor.h"
#include "app/mappings/mappingsamples.h"

#include "app/shell/templatesmodel.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>

using namespace sb::model;
using json = nlohmann::ordered_json;
using studio::readRecords;
using studio::recordLabel;

// MappingEditor's live preview: sample records of the source entity from the project's data
// sets, run through the runtime's mapping executor, shown as HTML.

namespace {

constexpr int kMaxSamples = 200;       // records offered in the preview

QString esc(const QString &s) { return s.toHtmlEscaped(); }

// Pretty JSON as HTML with the studio's syntax colours (monospace, two-space indent).
void jsonHtml(const json &v, int indent, QString &out)
{
    const QString pad(indent * 2, QLatin1Char(' '));
    const QString inner((indent + 1) * 2, QLatin1Char(' '));
    if (v.is_object()) {
        if (v.empty()) {
            out += QStringLiteral("{}");
            return;
        }
        out += QStringLiteral("{\n");
        size_t i = 0;
        for (auto it = v.begin(); it != v.end(); ++it, ++i) {
            out += inner + QStringLiteral("<span style=\"color:#7c3aed\">\"")
                   + esc(QString::fromStdString(it.key())) + QStringLiteral("\"</span>: ");
            jsonHtml(it.value(), indent + 1, out);
            out += i + 1 < v.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += pad + QLatin1Char('}');
    } else if (v.is_array()) {
        if (v.empty()) {
            out += QStringLiteral("[]");
            return;
        }
        out += QStringLiteral("[\n");
        for (size_t i = 0; i < v.size(); ++i) {
            out += inner;
            jsonHtml(v[i], indent + 1, out);
            out += i + 1 < v.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += pad + QLatin1Char(']');
    } else if (v.is_string()) {
        out += QStringLiteral("<span style=\"color:#0f7b5f\">")
               + esc(QString::fromStdString(v.dump())) + QStringLiteral("</span>");
    } else if (v.is_number()) {
        out += QStringLiteral("<span style=\"color:#b45309\">")
               + esc(QString::fromStdString(v.dump())) + QStringLiteral("</span>");
    } else {
        out += QStringLiteral("<span style=\"color:#2f6feb\">")
               + esc(QString::fromStdString(v.dump())) + QStringLiteral("</span>");
    }
}

QString toHtml(const json &v)
{
    QString body;
    jsonHtml(v, 0, body);
    return QStringLiteral("<pre style=\"margin:0\">") + body + QStringLiteral("</pre>");
}

// The key field of an entity, for record labels.
QString entityKey(const Project &p, const EntityRef &r)
{
    if (r.isCanonical()) {
        const CanonicalEntity *c = p.canonicalEntity(r.entity);
        return c ? c->key : QString();
    }
    const System *s = p.system(r.system);
    const Entity *e = s ? s->entity(r.entity) : nullptr;
    return e ? e->key : QString();
}

} // namespace

QString MappingEditor::projectDir() const
{
    if (m_document && !m_document->fileName().isEmpty())
        return QFileInfo(m_document->fileName()).absolutePath();
    return QString();
}

QString MappingEditor::datasetFile(const Dataset &d) const
{
    // Beside the project, or (for a template opened as an untitled copy) beside the template
    // it came from.
    const QString dir = projectDir();
    if (QFileInfo(d.file).isAbsolute())
        return d.file;
    if (!dir.isEmpty())
        return QDir(dir).filePath(d.file);
    QDirIterator it(TemplatesModel::templatesDir(), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        const QString candidate = QDir(it.next()).filePath(d.file);
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return QString();
}

void MappingEditor::loadSamples()
{
    const Mapping *m = mapping();
    const QString dir = projectDir();
    QString key;
    if (m && m_document) {
        key = m->source.display() + QLatin1Char('\n') + dir;
        for (const Dataset &d : m_document->project().datasets)
            key += QLatin1Char('\n') + d.system + d.entity + d.file;
        key += QStringLiteral("\ncustom %1").arg(m_customRevision);
    }
    if (key == m_samplesKey)
        return;
    m_samplesKey = key;
    m_samples.clear();
    m_sampleLabels.clear();
    m_sampleSource.clear();
    m_sampleIndex = 0;
    if (!m) {
        emit samplesChanged();
        return;
    }
    const Project &p = m_document->project();
    auto locate = [this](const Dataset &d) { return datasetFile(d); };
    auto keyOf = [&p](const EntityRef &r) { return entityKey(p, r); };
    auto fromDatasets = [&](const EntityRef &ref, QString &label) {
        std::vector<json> out;
        for (const Dataset &d : p.datasets) {
            if (d.system != ref.system || d.entity != ref.entity)
                continue;
            const QString file = locate(d);
            if (file.isEmpty())
                continue;
            std::vector<json> recs = readRecords(file, kMaxSamples - int(out.size()));
            if (recs.empty())
                continue;
            label += (label.isEmpty() ? QString() : QStringLiteral(", "))
                     + (d.name.isEmpty() ? d.id : d.name);
            for (auto &r : recs)
                out.push_back(std::move(r));
        }
        return out;
    };

    QString label;
    std::vector<json> samples = fromDatasets(m->source, label);
    if (samples.empty() && m->source.isCanonical()) {
        // Canonical records come from a system's data set through the mapping that feeds it.
        for (const Mapping &up : p.mappings) {
            if (!(up.target == m->source) || up.source.isCanonical())
                continue;
            QString upLabel;
            const std::vector<json> raw = fromDatasets(up.source, upLabel);
            if (raw.empty())
                continue;
            const sb::runtime::MappingExecutor exec(up, p);
            for (const json &r : raw) {
                const auto outcome = exec.execute(r);
                if (outcome.applied && !outcome.output.empty())
                    samples.push_back(outcome.output);
            }
            label = QStringLiteral("%1 through %2").arg(upLabel, up.name.isEmpty() ? up.id
                                                                                 : up.name);
            break;
        }
    }
    // What the author brought (pasted, loaded, picked) comes first, the data sets after it.
    const auto custom = m_customSamples.constFind(m->source.display());
    int start = -1;
    if (custom != m_customSamples.cend() && !custom->records.empty()) {
        start = custom->start;
        samples.insert(samples.begin(), custom->records.begin(), custom->records.end());
        label = label.isEmpty() ? custom->origin
                                : QStringLiteral("%1, then %2").arg(custom->origin, label);
    }
    const QString key0 = keyOf(m->source);
    for (const json &r : samples)
        m_sampleLabels << recordLabel(r, key0);
    m_samples = std::move(samples);
    m_sampleSource = label;
    if (start >= 0) {
        m_sampleIndex = start;
        emit samplesChanged();
        return;
    }
    // Start on a record the mapping applies to (its condition may skip most of them).
    if (!m->condition.trimmed().isEmpty() && !m_samples.empty()) {
        const sb::runtime::MappingExecutor exec(*m, p);
        sb::jsonata::EvalOptions options;
        options.timeLimitMs = 200;
        for (size_t i = 0; i < m_samples.size(); ++i) {
            if (exec.execute(m_samples[i], {}, options).applied) {
                m_sampleIndex = int(i);
                break;
            }
        }
    }
    emit samplesChanged();
}

void MappingEditor::setSampleIndex(int index)
{
    if (index < 0 || index >= int(m_samples.size()) || index == m_sampleIndex)
        return;
    m_sampleIndex = index;
    updatePreview();
}

QString MappingEditor::sampleLabel() const
{
    return m_sampleIndex < m_sampleLabels.size() ? m_sampleLabels[m_sampleIndex] : QString();
}

QString MappingEditor::sampleHtml() const
{
    return m_sampleIndex < int(m_samples.size()) ? toHtml(m_samples[size_t(m_sampleIndex)])
                                                 : QString();
}

void MappingEditor::updatePreview()
{
    m_previewTimer.stop();
    m_previewHtml.clear();
    m_previewJson.clear();
    m_previewErrors.clear();
    m_previewMissing.clear();
    m_previewApplied = true;
    const Mapping *m = mapping();
    if (m && m_sampleIndex < int(m_samples.size())) {
        const sb::runtime::MappingExecutor exec(*m, m_document->project());
        sb::jsonata::EvalOptions options;
        options.timeLimitMs = 500;  // a runaway expression must not freeze the editor
        const auto outcome = exec.execute(m_samples[size_t(m_sampleIndex)], {}, options);
        m_previewApplied = outcome.applied;
        m_previewJson = QString::fromStdString(outcome.output.dump());
        m_previewHtml = toHtml(outcome.output);
        for (const auto &issue : outcome.errors)
            m_previewErrors << issue.toString();
        m_previewMissing = outcome.unmappedRequired;
    }
    emit previewChanged();
}

// ---- Sample input the author brings: pasted JSON, a file, a record of any data set.

bool MappingEditor::setCustomSamples(std::vector<json> records, const QString &origin,
                                     int start)
{
    const Mapping *m = mapping();
    if (!m || records.empty()) {
        m_sampleError = m ? tr("No record to use") : tr("Open a mapping first");
        emit samplesChanged();
        return false;
    }
    CustomSamples &c = m_customSamples[m->source.display()];
    c.start = std::clamp(start, 0, int(records.size()) - 1);
    c.records = std::move(records);
    c.origin = origin;
    m_sampleError.clear();
    ++m_customRevision;
    loadSamples();
    updatePreview();
    return true;
}

bool MappingEditor::pasteSamples(const QString &text)
{
    QString error;
    std::vector<json> recs = studio::parseRecords(text.toUtf8(), kMaxSamples, &error);
    if (recs.empty()) {
        m_sampleError = error;
        emit samplesChanged();
        return false;
    }
    const int n = int(recs.size());
    return setCustomSamples(std::move(recs), n == 1 ? tr("a pasted record")
                                                    : tr("%1 pasted records").arg(n), 0);
}

bool MappingEditor::loadSampleFile(const QString &pathOrUrl)
{
    const QUrl url(pathOrUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        m_sampleError = tr("Cannot read %1: %2").arg(path, f.errorString());
        emit samplesChanged();
        return false;
    }
    const QString lower = path.toLower();
    std::vector<json> recs;
    QString error;
    if (lower.endsWith(QLatin1String(".csv")) || lower.endsWith(QLatin1String(".jsonl"))
        || lower.endsWith(QLatin1String(".ndjson"))) {
        recs = readRecords(path, kMaxSamples);
        if (recs.empty())
            error = tr("no record in the file");
    } else {
        recs = studio::parseRecords(f.readAll(), kMaxSamples, &error);
    }
    if (recs.empty()) {
        m_sampleError = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), error);
        emit samplesChanged();
        return false;
    }
    return setCustomSamples(std::move(recs), QFileInfo(path).fileName(), 0);
}

void MappingEditor::clearCustomSamples()
{
    const Mapping *m = mapping();
    if (!m || m_customSamples.remove(m->source.display()) == 0)
        return;
    m_sampleError.clear();
    ++m_customRevision;
    loadSamples();
    updatePreview();
}

bool MappingEditor::hasCustomSamples() const
{
    const Mapping *m = mapping();
    return m && m_customSamples.contains(m->source.display());
}

QVariantList MappingEditor::datasetChoices() const
{
    QVariantList out;
    if (!m_document)
        return out;
    for (const Dataset &d : m_document->project().datasets) {
        const QString name = d.name.isEmpty() ? d.id : d.name;
        out.append(QVariantMap{{QStringLiteral("id"), d.id},
                               {QStringLiteral("label"),
                                QStringLiteral("%1 (%2.%3)").arg(name, d.system, d.entity)}});
    }
    return out;
}

std::vector<json> MappingEditor::datasetRecords(const QString &datasetId, QString *origin) const
{
    std::vector<json> out;
    const Mapping *m = mapping();
    const Dataset *d = nullptr;
    if (m_document) {
        for (const Dataset &each : m_document->project().datasets) {
            if (each.id == datasetId)
                d = &each;
        }
    }
    if (!m || !d)
        return out;
    const QString file = datasetFile(*d);
    out = file.isEmpty() ? out : readRecords(file, kMaxSamples);
    const QString name = d->name.isEmpty() ? d->id : d->name;
    *origin = tr("data set %1").arg(name);
    const EntityRef from{d->system, d->entity};
    if (from == m->source)
        return out;
    // Records of another entity reach this source through a mapping that feeds it, if one
    // does; otherwise they are used as they are.
    const Project &p = m_document->project();
    for (const Mapping &up : p.mappings) {
        if (!(up.source == from) || !(up.target == m->source))
            continue;
        const sb::runtime::MappingExecutor exec(up, p);
        std::vector<json> mapped;
        for (const json &r : out) {
            const auto outcome = exec.execute(r);
            mapped.push_back(outcome.applied ? outcome.output : json::object());
        }
        *origin = tr("data set %1 through %2").arg(name, up.name.isEmpty() ? up.id : up.name);
        return mapped;
    }
    return out;
}

QStringList MappingEditor::datasetRecordLabels(const QString &datasetId) const
{
    QStringList out;
    QString origin;
    const std::vector<json> recs = datasetRecords(datasetId, &origin);
    const Mapping *m = mapping();
    const QString key = m ? entityKey(m_document->project(), m->source) : QString();
    for (size_t i = 0; i < recs.size(); ++i) {
        const QString label = recordLabel(recs[i], key);
        out << (label.isEmpty() ? tr("record %1").arg(i + 1)
                                : QStringLiteral("%1 \u00b7 %2").arg(i + 1).arg(label));
    }
    return out;
}

bool MappingEditor::useDatasetRecord(const QString &datasetId, int index)
{
    QString origin;
    std::vector<json> recs = datasetRecords(datasetId, &origin);
    if (index < 0 || index >= int(recs.size())) {
        m_sampleError = tr("No record %1 in that data set").arg(index + 1);
        emit samplesChanged();
        return false;
    }
    return setCustomSamples(std::move(recs), origin, index);
}
