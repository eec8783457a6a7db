// The Quote-to-Cash project rebuilt in the real studio (offscreen) from an empty
// project, through the editors only: the landscape editor and its inspector (systems, kinds,
// colours, profiles, data flows and what carries them), the import dialog (each system's
// schemas from a different source format, tests/app/data/q2c, written by make_fixtures.py
// from the template), the schema editor for what a source cannot say (types of a sample
// record or CSV file, maximum lengths, canonical links), the canonical model page, the
// ownership matrix, the mapping editor (mouse drags of a field onto a field, typed
// expressions) and the workflow editor. The result is compared with the template part by
// part (project JSON; only the ids the editors choose themselves are mapped back), validated,
// saved and reloaded, simulated over the template's data set, screenshotted, and undone back
// to empty. Not rebuilt: the template's other three workflows and four mappings, its data
// sets, SLAs and reconciliations (no editor for the last three).

#include "app/landscape/landscapeeditor.h"
#include "app/mappings/mappingeditor.h"
#include "app/ownership/ownershipmatrixmodel.h"
#include "app/model/profilesmodel.h"
#include "app/model/schemaimporter.h"
#include "app/model/schematreemodel.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"
#include "app/model/systeminspector.h"
#include "app/workflows/workfloweditor.h"
#include "model/document.h"
#include "model/projectjson.h"
#include "model/validator.h"
#include "runtime/engine/simulation.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using testsupport::screenshotPath;

using studio::findItem;

using namespace sb::model;

namespace {

const QString kTemplateDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash");
const QString kTemplate = kTemplateDir + QStringLiteral("/quote-to-cash.switchboard");
const QString kData = QStringLiteral(SWITCHBOARD_TEST_DATA "/q2c/");
const QString kWorkflow = QStringLiteral("closed-won-to-cash");
const QString kDragged = QStringLiteral("opportunity-to-erp-sales-order");

// What the schema sources give each system, in the template's entity order.
const QList<QPair<QString, QStringList>> kSources = {
    {QStringLiteral("crm"), {QStringLiteral("crm.openapi.yaml")}},
    {QStringLiteral("erp"), {QStringLiteral("erp.schema.json")}},
    {QStringLiteral("billing"), {QStringLiteral("billing.openapi.json")}},
    {QStringLiteral("support"),
     {QStringLiteral("organization.json"), QStringLiteral("support-entitlement.schema.json"),
      QStringLiteral("ticket.csv")}},
};

// The first item below `root` with a QML method `method` (an unnamed component).
QQuickItem *findWithMethod(QQuickItem *root, const char *method)
{
    if (!root)
        return nullptr;
    if (root->metaObject()->indexOfMethod(method) >= 0)
        return root;
    const auto children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findWithMethod(child, method))
            return found;
    }
    return nullptr;
}

bool notBlank(const QString &file)
{
    const QImage image(file);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    return !image.isNull() && colours.size() >= 16;
}

QJsonObject asJson(const Project &p)
{
    return QJsonDocument::fromJson(serializeProject(p)).object();
}

QJsonObject readTemplateJson()
{
    QFile f(kTemplate);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read the template");
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Removes `keys` from every object inside `v` (recursively).
QJsonValue strip(const QJsonValue &v, const QStringList &keys)
{
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &x : v.toArray())
            out << strip(x, keys);
        return out;
    }
    if (!v.isObject())
        return v;
    QJsonObject out;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!keys.contains(it.key()))
            out.insert(it.key(), strip(it.value(), keys));
    }
    return out;
}

// A readable first difference of two JSON values, for the failure message.
QString firstDiff(const QJsonValue &a, const QJsonValue &b, const QString &at = QString())
{
    if (a == b)
        return QString();
    if (a.isObject() && b.isObject()) {
        const QJsonObject x = a.toObject(), y = b.toObject();
        QStringList keys = x.keys() + y.keys();
        keys.removeDuplicates();
        for (const QString &k : keys) {
            const QString d = firstDiff(x.value(k), y.value(k), at + QLatin1Char('/') + k);
            if (!d.isEmpty())
                return d;
        }
    }
    if (a.isArray() && b.isArray() && a.toArray().size() == b.toArray().size()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        for (int i = 0; i < x.size(); ++i) {
            const QString d = firstDiff(x[i], y[i], at + QLatin1Char('/') + QString::number(i));
            if (!d.isEmpty())
                return d;
        }
    }
    auto text = [](const QJsonValue &v) {
        return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
            .left(300);
    };
    return QStringLiteral("%1: rebuilt %2, template %3").arg(at, text(a), text(b));
}

#define COMPARE_JSON(rebuilt, tmpl)                                                         \
    do {                                                                                    \
        const QJsonValue a_ = (rebuilt), b_ = (tmpl);                                       \
        QVERIFY2(a_ == b_, qPrintable(firstDiff(a_, b_)));                                  \
    } while (false)

// Renames the ids the editors chose (values of the id-carrying `keys`) to the template's.
QJsonValue rename(const QJsonValue &v, const QHash<QString, QString> &names,
                  const QStringList &keys)
{
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &x : v.toArray())
            out << rename(x, names, keys);
        return out;
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QJsonValue x = it.value();
            out.insert(it.key(), keys.contains(it.key()) && x.isString()
                                     ? QJsonValue(names.value(x.toString(), x.toString()))
                                     : rename(x, names, keys));
        }
        return out;
    }
    return v;
}

QJsonArray sortedStrings(const QJsonValue &v)
{
    QStringList l;
    for (const QJsonValue &x : v.toArray())
        l << x.toString();
    l.sort();
    return QJsonArray::fromStringList(l);
}

// Ownership rules keyed by entity[.field], with the role lists as sets (their order carries
// no meaning; the priority list does and stays as is).
QJsonObject ownershipByKey(const QJsonArray &rules)
{
    QJsonObject out;
    for (const QJsonValue &v : rules) {
        QJsonObject r = v.toObject();
        for (const char *k : {"owners", "contributors", "consumers"}) {
            if (r.contains(QLatin1String(k)))
                r.insert(QLatin1String(k), sortedStrings(r.value(QLatin1String(k))));
        }
        const QString key = r.value(QLatin1String("entity")).toString()
                            + (r.contains(QLatin1String("field"))
                                   ? QLatin1Char('.') + r.value(QLatin1String("field")).toString()
                                   : QString());
        out.insert(key, r);
    }
    return out;
}

QJsonArray byId(const QJsonArray &list, const QStringList &ids)
{
    QJsonArray out;
    for (const QString &id : ids) {
        for (const QJsonValue &v : list) {
            if (v.toObject().value(QLatin1String("id")).toString() == id)
                out << v;
        }
    }
    return out;
}

} // namespace

class TestRebuild : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void landscape();
    void importSchemas();
    void canonicalModel();
    void ownership();
    void mappings();
    void workflow();
    void linkFlows();
    void validatesWithoutErrors();
    void equalsTemplate();
    void savesAndReloads();
    void simulatesLikeTemplate();
    void screenshot();
    void editorScreenshots();
    void undoesToEmpty();
    void additionsRejectBadInput();

private:
    Document *doc() const { return m_ctl->document(); }
    QQuickItem *item(const QString &name) const
    {
        return findItem(m_window->contentItem(), name);
    }
    SchemaImporter *openImport(const QString &systemId);
    void fixFields(SchemaTreeModel *schema, int entity, const QString &prefix,
                   const QVector<Field> &want, const QVector<Field> &have);
    void buildFields(SchemaTreeModel *schema, int entity, const QString &parent,
                     const QVector<Field> &want, bool firstExists);
    void dragOnto(QQuickItem *from, QQuickItem *to);

    QQmlApplicationEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    StudioController *m_ctl = nullptr;
    Project m_tmpl;
    QJsonObject m_tmplJson;
    int m_emptyHistory = 0;
    int m_fixups = 0;           // schema editor edits after the imports
    int m_links = 0;            // canonical links typed in the schema editor
    QHash<QString, QString> m_ids;  // template id -> id the editors chose
    QTemporaryDir m_tmp;
    Project m_rebuilt;          // after the whole sequence
};

void TestRebuild::initTestCase()
{
    auto loaded = loadProject(kTemplate);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
    m_tmpl = loaded.takeValue();
    m_tmplJson = readTemplateJson();
    QVERIFY(m_tmp.isValid());

    studio::prepareApplication();
    m_engine = new QQmlApplicationEngine;
    QVERIFY(studio::loadStudio(*m_engine));
    m_window = studio::mainWindow(*m_engine);
    m_ctl = studio::controller(*m_engine);
    QVERIFY(m_window && m_ctl);
    m_window->resize(1440, 900);
    m_ctl->newProject();
    QVERIFY(m_ctl->hasProject());
    QVERIFY(doc()->project().systems.isEmpty());
    QVERIFY(doc()->project().canonical.isEmpty());
    m_ctl->setCurrentView(StudioController::Landscape);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_emptyHistory = doc()->historySize();
}

void TestRebuild::cleanupTestCase()
{
    delete m_engine;
    m_engine = nullptr;
}

void TestRebuild::landscape()
{
    QQuickItem *canvas = item(QStringLiteral("landscapeCanvas"));
    QVERIFY(canvas);
    auto *editor = qvariant_cast<LandscapeEditor *>(canvas->property("editor"));
    QQuickItem *inspectorItem = item(QStringLiteral("systemInspector"));
    QVERIFY(editor && inspectorItem);
    auto *inspector = qvariant_cast<SystemInspector *>(inspectorItem->property("inspector"));
    auto *profiles = qvariant_cast<ProfilesModel *>(inspectorItem->property("profilesModel"));
    QVERIFY(inspector && profiles);
    editor->setSnapToGrid(false);  // the template's positions are not on the grid

    for (const System &s : m_tmpl.systems) {
        const QString id = editor->addSystem(toString(s.kind), s.position.x() + 100,
                                             s.position.y() + 60);
        QCOMPARE(id, s.id);  // ids come from the kind
        editor->renameSystem(id, s.name);  // false when the default name is already right
        QCOMPARE(doc()->project().system(id)->name, s.name);
        m_ctl->select(QStringLiteral("system:") + id);
        QTRY_COMPARE(inspector->systemId(), id);
        inspector->setKind(toString(s.kind));
        QVERIFY(inspector->setColor(s.color));
        QVERIFY(inspector->setDescription(s.description));
        inspector->endEdit();
        editor->beginDrag(id);
        const QPointF at = doc()->project().system(id)->position;
        editor->dragBy(s.position.x() - at.x(), s.position.y() - at.y());
        editor->endDrag();
        // Profiles: a new system has its sandbox; the others are added in the inspector.
        QTRY_COMPARE(profiles->systemId(), id);
        for (int i = 0; i < s.profiles.size(); ++i) {
            const EndpointProfile &p = s.profiles[i];
            int row = i;
            if (row >= profiles->rowCount())
                row = profiles->addProfile(p.sandbox);
            QVERIFY(row >= 0);
            profiles->setValue(row, QStringLiteral("name"), p.name);
            if (!p.sandbox) {
                profiles->setValue(row, QStringLiteral("baseUrl"), p.baseUrl);
                profiles->setValue(row, QStringLiteral("auth"), toString(p.auth));
                profiles->setValue(row, QStringLiteral("secretRef"), p.secretRef);
                profiles->setValue(row, QStringLiteral("rateLimit"), p.rateLimitPerSecond);
                profiles->setValue(row, QStringLiteral("timeoutMs"), p.timeoutMs);
            }
            profiles->endEdit();
        }
    }
    // Data flows: connect, then the flow's entity, mode, label and loop guard.
    for (const DataFlow &f : m_tmpl.flows) {
        const QString id = editor->connectSystems(f.from, f.to);
        QVERIFY2(!id.isEmpty(), qPrintable(f.id));
        m_ids.insert(f.id, id);
        QTRY_COMPARE(inspector->flowId(), id);
        inspector->setFlowValue(QStringLiteral("entity"), f.entity);
        inspector->setFlowValue(QStringLiteral("mode"), toString(f.mode));
        inspector->setFlowValue(QStringLiteral("label"), f.label);
        inspector->setFlowValue(QStringLiteral("loopGuard"), f.loopGuard);
        inspector->endEdit();
    }
    QCOMPARE(doc()->project().systems.size(), 4);
    QCOMPARE(doc()->project().flows.size(), m_tmpl.flows.size());
}

SchemaImporter *TestRebuild::openImport(const QString &systemId)
{
    m_ctl->select(QStringLiteral("system:") + systemId);
    QQuickItem *inspector = item(QStringLiteral("systemInspector"));
    QObject *dialog = qvariant_cast<QObject *>(inspector->property("importDialog"));
    if (!dialog)
        return nullptr;
    QMetaObject::invokeMethod(dialog, "openFor", Q_ARG(QVariant, systemId),
                              Q_ARG(QVariant, systemId));
    if (!QTest::qWaitFor([&] { return dialog->property("opened").toBool(); }))
        return nullptr;
    return qvariant_cast<SchemaImporter *>(dialog->property("importer"));
}

// What the source format could not say, set in the schema editor (index paths, as the
// editor's rows use them).
void TestRebuild::fixFields(SchemaTreeModel *schema, int entity, const QString &prefix,
                            const QVector<Field> &want, const QVector<Field> &have)
{
    QCOMPARE(have.size(), want.size());
    for (int i = 0; i < want.size(); ++i) {
        const Field &w = want[i];
        const Field &h = have[i];
        const QString path = prefix + QString::number(i);
        QCOMPARE(h.name, w.name);
        if (h.type != w.type) {
            QVERIFY(schema->setFieldType(entity, path, toString(w.type)));
            ++m_fixups;
        }
        if (h.required != w.required) {
            QVERIFY(schema->setFieldRequired(entity, path, w.required));
            ++m_fixups;
        }
        if (h.format != w.format) {
            QVERIFY(schema->setFieldFormat(entity, path, w.format));
            ++m_fixups;
        }
        if (h.enumValues != w.enumValues) {
            QVERIFY(schema->setFieldEnumValues(entity, path, w.enumValues.join(u',')));
            ++m_fixups;
        }
        if (h.description != w.description) {
            QVERIFY(schema->setFieldDescription(entity, path, w.description));
            schema->endEdit();
            ++m_fixups;
        }
        if (h.maxLength != w.maxLength) {
            QVERIFY(schema->setFieldMaxLength(entity, path, w.maxLength));
            schema->endEdit();
            ++m_fixups;
        }
        if (h.canonical != w.canonical) {  // no source format carries the canonical link
            QVERIFY(schema->setFieldCanonical(entity, path, w.canonical));
            schema->endEdit();
            ++m_links;
        }
        if (!w.fields.isEmpty())
            fixFields(schema, entity, path + QLatin1Char('.'), w.fields, h.fields);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestRebuild::importSchemas()
{
    QQuickItem *inspectorItem = item(QStringLiteral("systemInspector"));
    auto *schema = qvariant_cast<SchemaTreeModel *>(inspectorItem->property("schemaModel"));
    QVERIFY(schema);
    for (const auto &[systemId, files] : kSources) {
        for (const QString &file : files) {
            SchemaImporter *importer = openImport(systemId);
            QVERIFY(importer);
            QCOMPARE(importer->systemId(), systemId);
            const int history = doc()->historySize();
            importer->load(kData + file);
            QTRY_VERIFY(!importer->isBusy());
            QVERIFY2(importer->isLoaded(), qPrintable(file + ": " + importer->error()));
            importer->checkAll(true);
            QVERIFY(importer->checkedCount() > 0);
            importer->importChecked();
            QTRY_VERIFY(!importer->isBusy());
            QVERIFY2(importer->error().isEmpty(), qPrintable(importer->error()));
            QCOMPARE(doc()->historySize(), history + 1);  // one import, one undo step
        }
        // Entities in the template's order, then the editor for what the source lacked.
        const System *want = m_tmpl.system(systemId);
        const System *have = doc()->project().system(systemId);
        QTRY_COMPARE(schema->systemId(), systemId);
        QCOMPARE(have->entities.size(), want->entities.size());
        for (int e = 0; e < want->entities.size(); ++e) {
            const Entity &we = want->entities[e];
            QCOMPARE(doc()->project().system(systemId)->entities[e].name, we.name);
            fixFields(schema, e, QString(), we.fields,
                      doc()->project().system(systemId)->entities[e].fields);
            if (QTest::currentTestFailed())
                return;
            const Entity &he = doc()->project().system(systemId)->entities[e];
            if (he.key != we.key) {
                QVERIFY(schema->setEntityKey(e, we.key));
                ++m_fixups;
            }
            if (he.description != we.description) {
                QVERIFY(schema->setEntityDescription(e, we.description));
                schema->endEdit();
                ++m_fixups;
            }
        }
    }
    qInfo("schema editor edits after the imports: %d, canonical links: %d", m_fixups, m_links);
    QVERIFY(m_links > 100);
}

// Creates `want` as the fields of `parent` in the canonical model (the first one exists
// already when `firstExists`: a new entity starts with its "id" field).
void TestRebuild::buildFields(SchemaTreeModel *schema, int entity, const QString &parent,
                              const QVector<Field> &want, bool firstExists)
{
    const QString prefix = parent.isEmpty() ? QString() : parent + QLatin1Char('.');
    for (int i = 0; i < want.size(); ++i) {
        const Field &w = want[i];
        const QString path = i == 0 && firstExists ? prefix + QStringLiteral("0")
                                                   : schema->addField(entity, parent);
        QCOMPARE(path, prefix + QString::number(i));
        schema->setFieldName(entity, path, w.name);
        schema->endEdit();
        schema->setFieldType(entity, path, toString(w.type));
        schema->setFieldRequired(entity, path, w.required);
        if (!w.format.isEmpty())
            QVERIFY(schema->setFieldFormat(entity, path, w.format));
        if (!w.enumValues.isEmpty())
            QVERIFY(schema->setFieldEnumValues(entity, path, w.enumValues.join(u',')));
        if (!w.description.isEmpty())
            QVERIFY(schema->setFieldDescription(entity, path, w.description));
        if (w.maxLength > 0)
            QVERIFY(schema->setFieldMaxLength(entity, path, w.maxLength));
        schema->endEdit();
        if (!w.fields.isEmpty())
            buildFields(schema, entity, path, w.fields, false);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestRebuild::canonicalModel()
{
    m_ctl->setCurrentView(StudioController::Model);
    QQuickItem *page = item(QStringLiteral("canonicalModelPage"));
    QVERIFY(page);
    auto *schema = page->findChild<SchemaTreeModel *>(QStringLiteral("canonicalSchemaModel"));
    QVERIFY(schema && schema->isCanonical());
    for (const CanonicalEntity &c : m_tmpl.canonical) {
        const int e = schema->addEntity(c.id);
        QVERIFY(e >= 0);
        QCOMPARE(doc()->project().canonical[e].id, c.id);
        buildFields(schema, e, QString(), c.fields, true);
        if (QTest::currentTestFailed())
            return;
        schema->setEntityKey(e, c.key);
        QVERIFY(schema->setEntityDescription(e, c.description));
        schema->endEdit();
    }
    QCOMPARE(doc()->project().canonical.size(), m_tmpl.canonical.size());
}

void TestRebuild::ownership()
{
    m_ctl->setCurrentView(StudioController::Ownership);
    QQuickItem *page = item(QStringLiteral("ownershipPage"));
    QVERIFY(page);
    auto *matrix = page->findChild<OwnershipMatrixModel *>(QStringLiteral("ownershipMatrix"));
    QVERIFY(matrix);
    matrix->expandAll();
    const QStringList roles = OwnershipMatrixModel::cellRoles();  // none, owner, contrib., cons.
    QCOMPARE(roles.size(), 4);
    int contributingConsumers = 0;
    for (const OwnershipRule &r : m_tmpl.ownership) {
        const int row = matrix->rowOf(r.entity, r.field);
        QVERIFY2(row >= 0, qPrintable(r.id()));
        for (const System &s : m_tmpl.systems) {
            const QString role = r.owners.contains(s.id)         ? roles[1]
                                 : r.contributors.contains(s.id) ? roles[2]
                                 : r.consumers.contains(s.id)    ? roles[3]
                                                                 : roles[0];
            matrix->setRole(row, s.id, role);
            QCOMPARE(matrix->roleAt(row, s.id), role);
            // A contributor the surviving value is written back to ("Also a consumer").
            if (r.contributors.contains(s.id) && r.consumers.contains(s.id)) {
                QVERIFY(matrix->setConsumes(row, s.id, true));
                QVERIFY(matrix->consumesAt(row, s.id));
                ++contributingConsumers;
            }
        }
        if (r.survivorship != Survivorship::OwnerWins)
            QVERIFY(matrix->setSurvivorship(row, toString(r.survivorship)));
        matrix->setSteward(row, r.steward);  // false when the inherited steward is right
        matrix->endEdit();
        matrix->setFreshness(row, toString(r.freshness), r.freshnessMinutes);
        matrix->endEdit();
    }
    QCOMPARE(doc()->project().ownership.size(), m_tmpl.ownership.size());
    QCOMPARE(contributingConsumers, 5);
}

void TestRebuild::dragOnto(QQuickItem *from, QQuickItem *to)
{
    const QPoint a = from->mapToScene(QPointF(from->width() / 2, from->height() / 2)).toPoint();
    const QPoint b = to->mapToScene(QPointF(to->width() / 2, to->height() / 2)).toPoint();
    QTest::mousePress(m_window, Qt::LeftButton, Qt::NoModifier, a);
    const int steps = 12;
    for (int i = 1; i <= steps; ++i)
        QTest::mouseMove(m_window, a + (b - a) * i / steps, 10);
    QTest::mouseRelease(m_window, Qt::LeftButton, Qt::NoModifier, b, 10);
}

void TestRebuild::mappings()
{
    m_ctl->setCurrentView(StudioController::Mappings);
    QQuickItem *page = item(QStringLiteral("mappingsPage"));
    QVERIFY(page);
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    QVERIFY(editor);
    // The mappings the workflow's steps use, in the template's order.
    QSet<QString> used;
    for (const Step &s : m_tmpl.workflow(kWorkflow)->steps) {
        if (!s.mapping.isEmpty())
            used.insert(s.mapping);
    }
    QVERIFY(used.contains(kDragged));
    int dragged = 0;
    int typed = 0;
    for (const Mapping &m : m_tmpl.mappings) {
        if (!used.contains(m.id))
            continue;
        const QString id = editor->addMapping(m.source.system, m.source.entity,
                                              m.target.system, m.target.entity, m.name);
        QVERIFY2(!id.isEmpty(), qPrintable(m.id));
        m_ids.insert(m.id, id);
        QTRY_COMPARE(editor->mappingId(), id);
        if (!m.condition.isEmpty()) {
            QVERIFY(editor->setMappingCondition(m.condition));
            editor->endEdit();
        }
        QSet<QString> valueMaps;
        for (const MappingRule &r : m.rules) {
            const bool plainPath = editor->sourceTree()->indexOf(r.expression) >= 0;
            int rule = -1;
            if (m.id == kDragged && plainPath) {
                // Drag the source field onto the target field, as a user does.
                QQuickItem *from = nullptr;
                QQuickItem *to = nullptr;
                const QString source = QStringLiteral("sourceField_") + r.expression;
                QTRY_VERIFY((from = findItem(page, source)));
                QTRY_VERIFY((to = findItem(page, QStringLiteral("targetField_") + r.target)));
                QTRY_VERIFY(from->isVisible() && to->isVisible());
                const int history = doc()->historySize();
                dragOnto(from, to);
                QTRY_COMPARE(doc()->historySize(), history + 1);
                rule = editor->selectedRule();
                ++dragged;
            } else if (m.id == kDragged) {
                // A computed target: add its rule, then type the expression in the inspector.
                rule = editor->addTargetRule(r.target);
                QVERIFY(rule >= 0);
                QQuickItem *field = nullptr;
                QTRY_VERIFY((field = findItem(page, QStringLiteral("expressionEditor"))));
                QTRY_VERIFY(field->isVisible());
                QMetaObject::invokeMethod(field, "forceActiveFocus");
                QTRY_VERIFY(field->hasActiveFocus());
                QMetaObject::invokeMethod(field, "selectAll");
                const int history = doc()->historySize();
                for (const QChar c : r.expression)
                    QTest::keyClick(m_window, c.toLatin1());
                QTRY_COMPARE(editor->expression(), r.expression);
                QCOMPARE(doc()->historySize(), history + 1);  // the typing is one step
                editor->endEdit();
                ++typed;
            } else if (plainPath) {
                rule = editor->addRule(r.expression, r.target);
            } else {
                rule = editor->addTargetRule(r.target);
                QVERIFY(rule >= 0);
                if (!r.expression.isEmpty())  // a constant given only as the default
                    QVERIFY2(editor->setExpression(rule, r.expression),
                             qPrintable(m.id + QLatin1Char('/') + r.target));
            }
            QVERIFY2(rule >= 0, qPrintable(m.id + QLatin1Char('/') + r.target));
            editor->endEdit();
            if (!r.condition.isEmpty())
                QVERIFY(editor->setCondition(rule, r.condition));
            if (!r.defaultValue.isEmpty())
                QVERIFY(editor->setDefault(rule, r.defaultValue));
            editor->endEdit();
            if (!r.description.isEmpty()) {
                QVERIFY(editor->setRuleDescription(rule, r.description));
                editor->endEdit();
            }
            if (!r.valueMap.isEmpty() && !valueMaps.contains(r.valueMap)) {
                editor->setSelectedRule(rule);
                QCOMPARE(editor->createValueMap(r.valueMap), r.valueMap);
                const ValueMap *vm = nullptr;
                for (const ValueMap &v : m.valueMaps) {
                    if (v.name == r.valueMap)
                        vm = &v;
                }
                QVERIFY(vm);
                for (const auto &[from, to] : vm->entries)
                    QVERIFY(editor->addValueMapEntry(from, to));
                if (vm->hasFallback)
                    QVERIFY(editor->setValueMapFallback(true, vm->fallback));
                editor->endEdit();
                valueMaps.insert(r.valueMap);
            } else if (!r.valueMap.isEmpty()) {
                QVERIFY(editor->setRuleValueMap(rule, r.valueMap));
            }
        }
        QCOMPARE(doc()->project().mapping(id)->rules.size(), m.rules.size());
    }
    QVERIFY2(dragged >= 4, qPrintable(QString::number(dragged)));
    QVERIFY(typed >= 1);
}

void TestRebuild::workflow()
{
    m_ctl->setCurrentView(StudioController::Workflows);
    QQuickItem *page = item(QStringLiteral("workflowsPage"));
    QVERIFY(page);
    auto *editor = page->findChild<WorkflowEditor *>(QStringLiteral("workflowEditor"));
    QVERIFY(editor);
    const Workflow &w = *m_tmpl.workflow(kWorkflow);
    const QString id = editor->addWorkflow(w.name);
    QCOMPARE(id, w.id);
    QTRY_COMPARE(editor->workflowId(), id);
    QVERIFY(editor->setWorkflowValue(QStringLiteral("description"), w.description));
    QVERIFY(editor->setWorkflowValue(QStringLiteral("pattern"), toString(w.pattern)));
    editor->endEdit();

    const Trigger &t = w.trigger;
    QVERIFY(editor->setTriggerValue(QStringLiteral("type"), toString(t.type)));
    QVERIFY(editor->setTriggerValue(QStringLiteral("system"), t.system));
    QVERIFY(editor->setTriggerValue(QStringLiteral("entity"), t.entity));
    const QList<QPair<QString, QString>> triggerText = {
        {QStringLiteral("topic"), t.topic},
        {QStringLiteral("schedule"), t.schedule},
        {QStringLiteral("format"), t.format},
        {QStringLiteral("eventIdPath"), t.eventIdPath},
        {QStringLiteral("correlationPath"), t.correlationPath},
        {QStringLiteral("filter"), t.filter},
        {QStringLiteral("deadLetter"), t.deadLetter},
    };
    for (const auto &[key, value] : triggerText) {
        if (!value.isEmpty()) {
            QVERIFY2(editor->setTriggerValue(key, value), qPrintable(key));
            editor->endEdit();
        }
    }
    if (t.auth.type != WebhookAuthType::Unset) {
        QVERIFY(editor->setTriggerValue(QStringLiteral("authType"), toString(t.auth.type)));
        QVERIFY(editor->setTriggerValue(QStringLiteral("authSecret"), t.auth.secretRef));
        QVERIFY(editor->setTriggerValue(QStringLiteral("authTolerance"),
                                        t.auth.toleranceSeconds));
        editor->endEdit();
    }

    // Steps from the palette, each placed where the template has it; the editor names them.
    for (const Step &s : w.steps) {
        const QString step = editor->addStep(toString(s.type), s.position.x(), s.position.y());
        QVERIFY2(!step.isEmpty(), qPrintable(s.id));
        m_ids.insert(s.id, step);
    }
    for (const Step &s : w.steps) {
        const QString step = m_ids.value(s.id);
        editor->moveStep(step, s.position.x(), s.position.y());
        editor->endEdit();
        auto set = [&](const QString &key, const QVariant &value) {
            QVERIFY2(editor->setStepValue(step, key, value), qPrintable(s.id + "/" + key));
            editor->endEdit();
        };
        // Only what differs from the palette's new step, as a user fills the inspector in.
        const Step made = *doc()->project().workflow(id)->step(step);
        auto text = [&](const QString &key, const QString &want, const QString &have) {
            if (want != have)
                set(key, want);
        };
        text(QStringLiteral("name"), s.name, made.name);
        text(QStringLiteral("system"), s.system, made.system);
        text(QStringLiteral("entity"), s.entity, made.entity);
        text(QStringLiteral("path"), s.path, made.path);
        text(QStringLiteral("mapping"), m_ids.value(s.mapping, s.mapping), made.mapping);
        text(QStringLiteral("idempotencyKey"), s.idempotencyKey, made.idempotencyKey);
        text(QStringLiteral("compensation"), m_ids.value(s.compensation, s.compensation),
             made.compensation);
        text(QStringLiteral("compensates"), m_ids.value(s.compensates, s.compensates),
             made.compensates);
        text(QStringLiteral("output"), s.output, made.output);
        text(QStringLiteral("topic"), s.topic, made.topic);
        text(QStringLiteral("correlation"), s.correlation, made.correlation);
        text(QStringLiteral("matchField"), s.matchField, made.matchField);
        text(QStringLiteral("role"), s.role, made.role);
        text(QStringLiteral("escalateTo"), s.escalateTo, made.escalateTo);
        text(QStringLiteral("method"), s.method, made.method);
        text(QStringLiteral("rules"), s.rules.join(u'\n'), made.rules.join(u'\n'));
        if (s.checkSchema != made.checkSchema)
            set(QStringLiteral("checkSchema"), s.checkSchema);
        if (s.checkOwnership != made.checkOwnership)
            set(QStringLiteral("checkOwnership"), s.checkOwnership);
        auto statuses = [](const QVector<int> &l) {
            QStringList out;
            for (int v : l)
                out << QString::number(v);
            return out.join(QStringLiteral(", "));
        };
        text(QStringLiteral("transientStatuses"), statuses(s.transientStatuses),
             statuses(made.transientStatuses));
        text(QStringLiteral("businessErrorStatuses"), statuses(s.businessErrorStatuses),
             statuses(made.businessErrorStatuses));
        auto number = [&](const QString &key, double want, double have) {
            if (want != have)
                set(key, want);
        };
        number(QStringLiteral("timeoutMs"), s.timeoutMs, made.timeoutMs);
        number(QStringLiteral("waitTimeoutMs"), s.waitTimeoutMs, made.waitTimeoutMs);
        number(QStringLiteral("escalationMs"), s.escalationMs, made.escalationMs);
        number(QStringLiteral("retry.maxAttempts"), s.retry.maxAttempts, made.retry.maxAttempts);
        number(QStringLiteral("retry.initialBackoffMs"), s.retry.initialBackoffMs,
               made.retry.initialBackoffMs);
        number(QStringLiteral("retry.multiplier"), s.retry.multiplier, made.retry.multiplier);
        number(QStringLiteral("retry.maxBackoffMs"), s.retry.maxBackoffMs,
               made.retry.maxBackoffMs);
        if (s.retry.jitter != made.retry.jitter)
            set(QStringLiteral("retry.jitter"), s.retry.jitter);
        if (QTest::currentTestFailed())
            return;
    }
    for (const Edge &e : w.edges) {
        const QString from = e.from == QLatin1String("trigger") ? e.from : m_ids.value(e.from);
        const int edge = editor->connectSteps(from, m_ids.value(e.to));
        QVERIFY2(edge >= 0, qPrintable(e.from + " -> " + e.to));
        if (!e.condition.isEmpty())
            QVERIFY(editor->setEdgeValue(edge, QStringLiteral("condition"), e.condition));
        if (!e.label.isEmpty())
            QVERIFY(editor->setEdgeValue(edge, QStringLiteral("label"), e.label));
        QVERIFY(editor->setEdgeValue(edge, QStringLiteral("kind"), toString(e.kind)));
        editor->endEdit();
    }
    QCOMPARE(doc()->project().workflow(id)->steps.size(), w.steps.size());
    QCOMPARE(doc()->project().workflow(id)->edges.size(), w.edges.size());
}

// Back on the landscape: each data flow names the rebuilt mapping and workflow carrying it.
void TestRebuild::linkFlows()
{
    m_ctl->setCurrentView(StudioController::Landscape);
    QQuickItem *inspectorItem = item(QStringLiteral("systemInspector"));
    auto *inspector = qvariant_cast<SystemInspector *>(inspectorItem->property("inspector"));
    QVERIFY(inspector);
    int linked = 0;
    for (const DataFlow &f : m_tmpl.flows) {
        const QString id = m_ids.value(f.id);
        m_ctl->select(QStringLiteral("flow:") + id);
        QTRY_COMPARE(inspector->flowId(), id);
        if (m_ids.contains(f.mapping)) {
            QVERIFY(inspector->mappingIds().contains(m_ids.value(f.mapping)));
            QVERIFY(inspector->setFlowValue(QStringLiteral("mapping"), m_ids.value(f.mapping)));
            ++linked;
        }
        if (f.workflow == kWorkflow) {
            QVERIFY(inspector->workflowIds().contains(kWorkflow));
            QVERIFY(inspector->setFlowValue(QStringLiteral("workflow"), f.workflow));
        }
        QCOMPARE(inspector->flowMapping(), m_ids.value(f.mapping));
    }
    QCOMPARE(linked, 6);  // flows whose mapping the closed-won workflow uses
    m_ctl->select(QString());
    m_rebuilt = doc()->project();
}

void TestRebuild::validatesWithoutErrors()
{
    const auto findings = validateProject(m_rebuilt);
    QStringList errors;
    for (const Finding &f : findings) {
        if (f.severity == Severity::Error)
            errors << f.location.element + QStringLiteral(": ") + f.message;
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QCOMPARE(countFindings(findings, Severity::Error), 0);
    m_ctl->validateNow();
    QCOMPARE(m_ctl->errorCount(), 0);
}

void TestRebuild::equalsTemplate()
{
    const QJsonObject have = asJson(m_rebuilt);
    const QJsonObject want = asJson(m_tmpl);
    // Systems (with their imported and edited schemas, canonical links, profiles and
    // positions) and the canonical model.
    COMPARE_JSON(have.value("systems"), want.value("systems"));
    COMPARE_JSON(have.value("canonical"), want.value("canonical"));

    COMPARE_JSON(ownershipByKey(have.value("ownership").toArray()),
                 ownershipByKey(want.value("ownership").toArray()));

    QHash<QString, QString> back;  // ids the editors chose -> the template's
    for (auto it = m_ids.begin(); it != m_ids.end(); ++it)
        back.insert(it.value(), it.key());

    // Data flows: ids are the editor's (no editor names a flow); links to the mappings and
    // workflows that were not rebuilt are left out on the template's side.
    QJsonArray wantFlows;
    for (const QJsonValue &v : want.value("flows").toArray()) {
        QJsonObject f = v.toObject();
        if (!m_ids.contains(f.value("mapping").toString()))
            f.remove("mapping");
        if (f.value("workflow").toString() != kWorkflow)
            f.remove("workflow");
        wantFlows << f;
    }
    const QStringList flowId{QStringLiteral("id")};
    COMPARE_JSON(strip(rename(have.value("flows"), back, {QStringLiteral("mapping")}), flowId),
                 strip(wantFlows, flowId));

    // Mappings and the workflow: ids the editors chose, renamed to the template's.
    QStringList mappingIds;
    for (const QJsonValue &m : want.value("mappings").toArray()) {
        if (m_ids.contains(m.toObject().value("id").toString()))
            mappingIds << m.toObject().value("id").toString();
    }
    QCOMPARE(mappingIds.size(), m_rebuilt.mappings.size());
    const QStringList idKeys{QStringLiteral("id"), QStringLiteral("mapping"),
                             QStringLiteral("from"), QStringLiteral("to"),
                             QStringLiteral("compensation"), QStringLiteral("compensates")};
    const QJsonValue haveMappings = rename(have.value("mappings"), back, {QStringLiteral("id")});
    COMPARE_JSON(haveMappings, byId(want.value("mappings").toArray(), mappingIds));
    // The dragged mapping is complete.
    QCOMPARE(m_rebuilt.mapping(m_ids.value(kDragged))->rules.size(),
             m_tmpl.mapping(kDragged)->rules.size());

    const QJsonValue haveWorkflow = rename(have.value("workflows").toArray()[0], back, idKeys);
    COMPARE_JSON(haveWorkflow, byId(want.value("workflows").toArray(), {kWorkflow})[0]);
    QCOMPARE(have.value("workflows").toArray().size(), 1);

    // Not rebuilt: the data sets, SLAs and reconciliations have no editor.
    QVERIFY(m_rebuilt.datasets.isEmpty());
    QVERIFY(m_rebuilt.slas.isEmpty());
    QVERIFY(m_rebuilt.reconciliations.isEmpty());
}

void TestRebuild::savesAndReloads()
{
    const QString file = m_tmp.filePath(QStringLiteral("rebuilt.switchboard"));
    QVERIFY(m_ctl->saveAs(file));
    QVERIFY(!m_ctl->isModified());
    auto again = loadProject(file);
    QVERIFY2(again.ok(), qPrintable(again.error().toString()));
    QVERIFY(again.value() == doc()->project());
    QCOMPARE(serializeProject(again.value()), serializeProject(doc()->project()));
    m_rebuilt = doc()->project();
}

void TestRebuild::simulatesLikeTemplate()
{
    // The data sets have no editor: the rebuilt project borrows the template's.
    Project withData = m_rebuilt;
    withData.datasets = m_tmpl.datasets;
    auto run = [this](const Project &p, const QString &name) -> sb::runtime::SimulationSummary {
        auto wf = sb::runtime::simulationWorkflow(p, kWorkflow);
        if (!wf.ok())
            qFatal("%s", qPrintable(wf.error().toString()));
        auto ds = sb::runtime::simulationDataset(p, *wf.value(), QString(), kTemplateDir);
        if (!ds.ok())
            qFatal("%s", qPrintable(ds.error().toString()));
        auto records = sb::runtime::readRecords(ds.value().file);
        if (!records.ok())
            qFatal("%s", qPrintable(records.error().toString()));
        sb::runtime::SimulationOptions o;
        o.dbFile = m_tmp.filePath(name + QStringLiteral(".db"));
        auto sim = sb::runtime::Simulation::create(p, kTemplateDir, o);
        if (!sim.ok())
            qFatal("%s", qPrintable(sim.error().toString()));
        QVector<sb::runtime::StartedRecord> started;
        const auto &all = records.value();
        for (int i = 0; i < all.size(); ++i)
            started << sim.value()->feed(*wf.value(), all[i], i);
        sim.value()->drain(true);
        return sim.value()->summarize(*wf.value(), started);
    };
    QElapsedTimer timer;
    timer.start();
    const auto a = run(withData, QStringLiteral("rebuilt"));
    const auto b = run(m_tmpl, QStringLiteral("template"));
    qInfo("simulated %d + %d records in %lld ms: %d completed, %d dead-lettered, %d filtered",
          a.records, b.records, timer.elapsed(), a.completed, a.deadLettered, a.filtered);
    QVERIFY(a.records > 0);
    QCOMPARE(a.records, b.records);
    QCOMPARE(a.instances, b.instances);
    QCOMPARE(a.completed, b.completed);
    QCOMPARE(a.deadLettered, b.deadLettered);
    QCOMPARE(a.compensated, b.compensated);
    QCOMPARE(a.failed, b.failed);
    QCOMPARE(a.waiting, b.waiting);
    QCOMPARE(a.rejected, b.rejected);
    QCOMPARE(a.filtered, b.filtered);
    QCOMPARE(a.byCategory, b.byCategory);
}

void TestRebuild::screenshot()
{
    m_ctl->setCurrentView(StudioController::Landscape);
    m_ctl->select(QString());
    QQuickItem *canvas = item(QStringLiteral("landscapeCanvas"));
    QVERIFY(canvas);
    QMetaObject::invokeMethod(canvas, "zoomToFit");
    const QString file = screenshotPath(QStringLiteral("tst_rebuild-landscape.png"));
    QVERIFY(studio::grabToFile(m_window, file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 16, qPrintable(QString::number(colours.size())));
    // Each system's colour is on its card.
    for (const System &s : m_rebuilt.systems) {
        const QColor want(s.color);
        bool found = false;
        for (QRgb c : colours)
            found = found || (qAbs(qRed(c) - want.red()) + qAbs(qGreen(c) - want.green())
                              + qAbs(qBlue(c) - want.blue())) < 12;
        QVERIFY2(found, qPrintable(s.id));
    }
}

// The inputs this rebuild needed, as a user sees them: a field's maximum length and
// canonical link, a data flow's mapping and workflow, a rule's note.
void TestRebuild::editorScreenshots()
{
    m_ctl->setCurrentView(StudioController::Landscape);
    m_ctl->select(QStringLiteral("system:crm"));
    QQuickItem *inspectorItem = item(QStringLiteral("systemInspector"));
    QQuickItem *schemaEditor = findWithMethod(inspectorItem, "selectRow(QVariant)");
    QVERIFY(schemaEditor);
    auto *schema = qvariant_cast<SchemaTreeModel *>(inspectorItem->property("schemaModel"));
    QTRY_COMPARE(schema->systemId(), QStringLiteral("crm"));
    const int row = schema->rowOf(QStringLiteral("Account"), QStringLiteral("billingEmail"));
    QVERIFY(row >= 0);
    QMetaObject::invokeMethod(schemaEditor, "selectRow", Q_ARG(QVariant, row));
    QQuickItem *canonical = nullptr;
    QTRY_VERIFY((canonical = findItem(inspectorItem, QStringLiteral("canonicalField"))));
    QTRY_COMPARE(canonical->property("text").toString(), QStringLiteral("Customer.email"));
    QTRY_COMPARE(findItem(inspectorItem, QStringLiteral("maxLengthField"))->property("text")
                     .toString(), QStringLiteral("254"));
    const QString field = screenshotPath(QStringLiteral("tst_rebuild-field.png"));
    QVERIFY(studio::grabToFile(m_window, field));
    QVERIFY(notBlank(field));

    m_ctl->select(QStringLiteral("flow:") + m_ids.value(QStringLiteral("crm-erp-order")));
    QQuickItem *combo = nullptr;
    QTRY_VERIFY((combo = findItem(inspectorItem, QStringLiteral("flowMapping"))));
    // Chosen by id, shown by name.
    QTRY_COMPARE(combo->property("currentValue").toString(), m_ids.value(kDragged));
    QCOMPARE(combo->property("currentText").toString(),
             doc()->project().mapping(m_ids.value(kDragged))->name);
    const QString flow = screenshotPath(QStringLiteral("tst_rebuild-flow.png"));
    QVERIFY(studio::grabToFile(m_window, flow));
    QVERIFY(notBlank(flow));

    m_ctl->setCurrentView(StudioController::Mappings);
    QQuickItem *page = item(QStringLiteral("mappingsPage"));
    auto *editor = page->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    editor->setMappingId(m_ids.value(kDragged));
    const Mapping *m = doc()->project().mapping(m_ids.value(kDragged));
    for (int i = 0; i < m->rules.size(); ++i) {
        if (m->rules[i].target == QLatin1String("lines"))
            editor->setSelectedRule(i);
    }
    QTRY_VERIFY(!findItem(page, QStringLiteral("ruleDescriptionField"))->property("text")
                     .toString().isEmpty());
    const QString rule = screenshotPath(QStringLiteral("tst_rebuild-rule.png"));
    QVERIFY(studio::grabToFile(m_window, rule));
    QVERIFY(notBlank(rule));

    // The matrix marks a contributor that also consumes ("+R" on Customer.email's cells).
    m_ctl->setCurrentView(StudioController::Ownership);
    QQuickItem *cell = nullptr;
    QTRY_VERIFY((cell = item(QStringLiteral("ownershipCell_Customer.email_billing"))));
    QTRY_VERIFY(cell->isVisible());
    const QString matrix = screenshotPath(QStringLiteral("tst_rebuild-ownership.png"));
    QVERIFY(studio::grabToFile(m_window, matrix));
    QVERIFY(notBlank(matrix));
    QVERIFY(!m_ctl->isModified());  // looking changed nothing
}

void TestRebuild::undoesToEmpty()
{
    int guard = 0;
    while (doc()->canUndo() && guard++ < 100000)
        m_ctl->undo();
    QVERIFY(!doc()->canUndo());
    QVERIFY(doc()->project().systems.isEmpty());
    QVERIFY(doc()->project().canonical.isEmpty());
    QVERIFY(doc()->project().ownership.isEmpty());
    QVERIFY(doc()->project().mappings.isEmpty());
    QVERIFY(doc()->project().workflows.isEmpty());
    QVERIFY(doc()->project().flows.isEmpty());
    // And redo brings the whole rebuild back.
    while (doc()->canRedo())
        m_ctl->redo();
    QVERIFY(doc()->project() == m_rebuilt);
}

// The editor inputs added for the rebuild refuse what they cannot store.
void TestRebuild::additionsRejectBadInput()
{
    const int history = doc()->historySize();
    QQuickItem *inspectorItem = item(QStringLiteral("systemInspector"));
    auto *schema = qvariant_cast<SchemaTreeModel *>(inspectorItem->property("schemaModel"));
    m_ctl->setCurrentView(StudioController::Landscape);
    m_ctl->select(QStringLiteral("system:crm"));
    QTRY_COMPARE(schema->systemId(), QStringLiteral("crm"));
    QVERIFY(!schema->setFieldMaxLength(0, QStringLiteral("1"), -1));
    QVERIFY(!schema->setFieldMaxLength(0, QStringLiteral("99"), 10));  // no such field
    QVERIFY(!schema->setFieldCanonical(42, QStringLiteral("0"), QStringLiteral("Customer.x")));
    auto *canonical = item(QStringLiteral("canonicalModelPage"))
                          ->findChild<SchemaTreeModel *>(QStringLiteral("canonicalSchemaModel"));
    QVERIFY(!canonical->setFieldCanonical(0, QStringLiteral("0"), QStringLiteral("Order.x")));

    auto *matrix = item(QStringLiteral("ownershipPage"))
                       ->findChild<OwnershipMatrixModel *>(QStringLiteral("ownershipMatrix"));
    m_ctl->setCurrentView(StudioController::Ownership);
    matrix->expandAll();
    int row = -1;
    QTRY_VERIFY((row = matrix->rowOf(QStringLiteral("Customer"), QStringLiteral("email"))) >= 0);
    QVERIFY(matrix->consumesAt(row, QStringLiteral("billing")));
    QVERIFY(!matrix->setConsumes(row, QStringLiteral("crm"), true));   // the owner
    QVERIFY(!matrix->setConsumes(row, QStringLiteral("erp"), true));   // a consumer already
    QVERIFY(!matrix->setConsumes(-1, QStringLiteral("billing"), true));
    QVERIFY(!matrix->setConsumes(row, QStringLiteral("billing"), true));  // no change
    QCOMPARE(doc()->historySize(), history);
    // Unticking "Also a consumer" is one undo step.
    QVERIFY(matrix->setConsumes(row, QStringLiteral("billing"), false));
    QVERIFY(!matrix->consumesAt(row, QStringLiteral("billing")));
    QCOMPARE(matrix->roleAt(row, QStringLiteral("billing")), QStringLiteral("contributor"));
    m_ctl->undo();
    QVERIFY(matrix->consumesAt(row, QStringLiteral("billing")));

    auto *inspector = qvariant_cast<SystemInspector *>(inspectorItem->property("inspector"));
    m_ctl->select(QStringLiteral("flow:") + m_ids.value(QStringLiteral("crm-erp-order")));
    QTRY_VERIFY(!inspector->flowId().isEmpty());
    QVERIFY(!inspector->setFlowValue(QStringLiteral("mapping"), inspector->flowMapping()));
    QVERIFY(!inspector->setFlowValue(QStringLiteral("nonsense"), QStringLiteral("x")));

    auto *editor = item(QStringLiteral("mappingsPage"))
                       ->findChild<MappingEditor *>(QStringLiteral("mappingEditor"));
    QVERIFY(!editor->setRuleDescription(-1, QStringLiteral("x")));
    QVERIFY(!editor->setRuleDescription(999, QStringLiteral("x")));
    QCOMPARE(doc()->historySize(), history + 1);
    QVERIFY(doc()->project() == m_rebuilt);
}

QTEST_MAIN(TestRebuild)
#include "tst_rebuild.moc"
