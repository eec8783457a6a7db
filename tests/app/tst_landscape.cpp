// Editing in the real studio, offscreen: systems added, renamed, deleted and connected on the
// landscape canvas with the mouse and keyboard (each an undoable Document edit), rubber-band
// selection moved as one step, automatic layout, the inspector's models (checked by
// QAbstractItemModelTester), schema import from a JSON Schema and an OpenAPI YAML file,
// the canonical model page, Ctrl+K, autosave and recovery, and screenshots.

#include "app/landscape/autolayout.h"
#include "app/shell/autosave.h"
#include "app/landscape/landscapeeditor.h"
#include "app/shell/nodegeometry.h"
#include "app/model/profilesmodel.h"
#include "app/shell/quickopenmodel.h"
#include "app/model/schemaimporter.h"
#include "app/model/schematreemodel.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"
#include "app/model/systeminspector.h"
#include "model/projectjson.h"
#include "tests/support/process.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using testsupport::distinctColours;

using studio::findItem;

using namespace sb::model;

namespace {

const auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

// QTest::keyClicks needs a QWidget: type into the window one character at a time.
void typeText(QWindow *window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

class TestLandscape : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void modelsPassTester();
    void autoLayoutHasNoOverlaps();
    void connectTwoSystemsByDragging();
    void addRenameDeleteSystem();
    void rubberBandSelectionMovesAsOneStep();
    void autoLayoutIsOneUndoStep();
    void inspectorTypingMergesIntoOneStep();
    void importJsonSchema();
    void importOpenApiYaml();
    void importErrorIsShown();
    void largeImportStaysResponsive();
    void largeImportAtCliSpeed();
    void canonicalModelEdits();
    void systemRenameFollowsReferences();
    void quickOpenJumps();
    void autosaveWritesAndRecovers();
    void minimapPansAndSnapToggles();
    void largeLandscapeShowsOnlyWhatIsSeen();
    void screenshots();
    void buildFromEmptyProject();

private:
    QQuickItem *canvas() const
    {
        return findItem(m_window->contentItem(), QStringLiteral("landscapeCanvas"));
    }
    LandscapeEditor *editor() const
    {
        return qvariant_cast<LandscapeEditor *>(canvas()->property("editor"));
    }
    QQuickItem *node(const QString &id) const
    {
        return findItem(m_window->contentItem(), QStringLiteral("systemNode_") + id);
    }
    QPoint centreOf(QQuickItem *item, qreal y = -1) const
    {
        return item->mapToScene(QPointF(item->width() / 2, y < 0 ? item->height() / 2 : y))
            .toPoint();
    }
    void drag(const QPoint &from, const QPoint &to, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        QTest::mousePress(m_window, Qt::LeftButton, mods, from);
        for (int i = 1; i <= 12; ++i)
            QTest::mouseMove(m_window, from + (to - from) * i / 12, 5);
        QTest::mouseRelease(m_window, Qt::LeftButton, mods, to);
    }
    SchemaImporter *openImport(const QString &systemId);

    QTemporaryDir m_dir;
    QString m_project;
    QQmlApplicationEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    StudioController *m_ctl = nullptr;
    QObject *m_importDialog = nullptr;
};

void TestLandscape::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    studio::prepareApplication();
    QCoreApplication::setApplicationName(QStringLiteral("tst_landscape"));
    // A copy: autosave and saves write beside the project, never into the template.
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("q2c.switchboard"));
    QVERIFY(QFile::copy(QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                       "/templates/quote-to-cash/quote-to-cash.switchboard"),
                        m_project));
    QFile::setPermissions(m_project, QFile::ReadOwner | QFile::WriteOwner);
    m_engine = new QQmlApplicationEngine;
    QVERIFY(studio::loadStudio(*m_engine, m_project));
    m_window = studio::mainWindow(*m_engine);
    QVERIFY(m_window);
    m_ctl = studio::controller(*m_engine);
    QVERIFY(m_ctl->hasProject());
    m_window->resize(1440, 900);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTest::qWait(300);
    QVERIFY(canvas());
    QVERIFY(editor());
}

void TestLandscape::cleanupTestCase()
{
    delete m_engine;
}

// Every test starts from the unmodified project, fitted, nothing selected.
void TestLandscape::init()
{
    // Reopening also clears the history, so history sizes below count this test's steps.
    QVERIFY(m_ctl->openProject(m_project));
    m_ctl->setCurrentView(StudioController::Landscape);
    editor()->clearSelection();
    m_ctl->select(QString());
    QMetaObject::invokeMethod(canvas(), "zoomToFit");
    QTest::qWait(50);
}

void TestLandscape::modelsPassTester()
{
    Document *doc = m_ctl->document();
    SchemaTreeModel schema;
    QAbstractItemModelTester t1(&schema, kFatal);
    schema.setDocument(doc);
    schema.setSystemId(QStringLiteral("crm"));
    QVERIFY(schema.rowCount() > 4);
    const int entity = schema.addEntity(QStringLiteral("Lead"));
    QVERIFY(entity >= 0);
    const QString path = schema.addField(entity);
    QVERIFY(!path.isEmpty());
    // Typing a name, one keystroke at a time, is one undo step.
    const int typed = doc->historySize();
    QVERIFY(schema.setFieldName(entity, path, QStringLiteral("e")));
    QVERIFY(schema.setFieldName(entity, path, QStringLiteral("em")));
    QVERIFY(schema.setFieldName(entity, path, QStringLiteral("email")));
    QCOMPARE(doc->historySize(), typed + 1);
    schema.endEdit();
    QVERIFY(schema.setFieldType(entity, path, QStringLiteral("enum")));
    QVERIFY(schema.setFieldEnumValues(entity, path, QStringLiteral("a, b ,c")));
    QVERIFY(schema.setFieldRequired(entity, path, true));
    const Entity *lead = doc->project().system(QStringLiteral("crm"))->entity(
        QStringLiteral("Lead"));
    QVERIFY(lead);
    QCOMPARE(lead->fields.last().name, QStringLiteral("email"));
    QCOMPARE(lead->fields.last().enumValues, (QStringList{"a", "b", "c"}));
    QVERIFY(lead->fields.last().required);
    schema.setFilter(QStringLiteral("emai"));
    QVERIFY(schema.rowCount() >= 2);
    schema.setFilter(QString());
    schema.toggleExpanded(entity);
    QVERIFY(schema.removeField(entity, path));
    QVERIFY(schema.renameEntity(entity, QStringLiteral("Prospect")));
    QVERIFY(schema.removeEntity(entity));
    schema.setSystemId(QStringLiteral("erp"));
    doc->undo();
    doc->undo();

    SchemaTreeModel canonical;
    QAbstractItemModelTester t2(&canonical, kFatal);
    canonical.setDocument(doc);
    canonical.setCanonical(true);
    const int customer = canonical.rowOf(QStringLiteral("Customer"));
    QVERIFY(customer >= 0);
    const int idRow = canonical.rowOf(QStringLiteral("Customer"), QStringLiteral("customerId"));
    QVERIFY(idRow > customer);
    // The CRM account id maps to Customer.customerId.
    const QStringList links = canonical.index(idRow).data(SchemaTreeModel::LinksRole)
                                  .toStringList();
    QVERIFY2(links.contains(QStringLiteral("crm.Account.id")), qPrintable(links.join(',')));

    ProfilesModel profiles;
    QAbstractItemModelTester t3(&profiles, kFatal);
    profiles.setDocument(doc);
    profiles.setSystemId(QStringLiteral("crm"));
    const int before = profiles.rowCount();
    const int row = profiles.addProfile(false);
    QCOMPARE(profiles.rowCount(), before + 1);
    QVERIFY(profiles.setValue(row, QStringLiteral("baseUrl"), QStringLiteral("https://x.test")));
    QVERIFY(profiles.setValue(row, QStringLiteral("timeoutMs"), QStringLiteral("2500")));
    QVERIFY(profiles.setValue(row, QStringLiteral("rateLimit"), QStringLiteral("5")));
    QVERIFY(profiles.setValue(row, QStringLiteral("auth"), QStringLiteral("basic")));
    QVERIFY(!profiles.setValue(row, QStringLiteral("timeoutMs"), QStringLiteral("soon")));
    const EndpointProfile &p = doc->project().system(QStringLiteral("crm"))->profiles[row];
    QCOMPARE(p.baseUrl, QStringLiteral("https://x.test"));
    QCOMPARE(p.timeoutMs, 2500);
    QCOMPARE(p.rateLimitPerSecond, 5.0);
    QVERIFY(p.auth == AuthType::Basic);
    QVERIFY(profiles.setValue(row, QStringLiteral("secretRef"), QStringLiteral("hunter2")));
    QVERIFY(!profiles.index(row).data(ProfilesModel::SecretProblemRole).toString().isEmpty());
    QVERIFY(profiles.removeProfile(row));
    QCOMPARE(profiles.rowCount(), before);

    QuickOpenModel quick;
    QAbstractItemModelTester t4(&quick, kFatal);
    quick.setController(m_ctl);
    QVERIFY(quick.rowCount() > 20);
    quick.setFilter(QStringLiteral("opport"));
    QVERIFY(quick.rowCount() >= 1);
    QCOMPARE(quick.index(0).data(QuickOpenModel::LabelRole).toString(),
             QStringLiteral("Opportunity"));
    quick.setFilter(QStringLiteral("zzzzqqq"));
    QCOMPARE(quick.rowCount(), 0);

    SchemaImporter importer;
    QAbstractItemModelTester t5(importer.schemas(), kFatal);
    importer.setDocument(doc);
    importer.load(QStringLiteral(SWITCHBOARD_TEST_DATA "/shop.yaml"));
    QTRY_VERIFY(!importer.isBusy());
    QVERIFY2(importer.isLoaded(), qPrintable(importer.error()));
    importer.setFilter(QStringLiteral("order"));
    QVERIFY(importer.schemas()->rowCount() >= 2);
    importer.checkAll(true);
    importer.setFilter(QString());
    QCOMPARE(importer.checkedCount(), importer.schemas()->checkedNames().size());
    QVERIFY(importer.checkedCount() >= 2);
}

void TestLandscape::autoLayoutHasNoOverlaps()
{
    // The example, and a denser generated landscape with cycles and isolated systems.
    QVector<Project> projects{m_ctl->document()->project()};
    Project big;
    for (int i = 0; i < 40; ++i) {
        System s;
        s.id = QStringLiteral("s%1").arg(i);
        for (int e = 0; e < i % 9; ++e)
            s.entities << Entity{QStringLiteral("E%1").arg(e), {}, {}, {}, {}};
        big.systems << s;
    }
    for (int i = 0; i < 60; ++i) {
        DataFlow f;
        f.id = QStringLiteral("f%1").arg(i);
        f.from = QStringLiteral("s%1").arg((i * 7) % 33);
        f.to = QStringLiteral("s%1").arg((i * 11 + 3) % 33);
        big.flows << f;
    }
    projects << big;
    for (Project p : projects) {
        const auto positions = studio::layeredLayout(p);
        QCOMPARE(positions.size(), p.systems.size());
        for (System &s : p.systems)
            s.position = positions.value(s.id);
        for (int i = 0; i < p.systems.size(); ++i)
            for (int j = i + 1; j < p.systems.size(); ++j)
                QVERIFY2(!studio::nodeRect(p.systems[i]).intersects(
                             studio::nodeRect(p.systems[j])),
                         qPrintable(p.systems[i].id + " / " + p.systems[j].id));
    }
    // Layered: on the example, most data flows point left to right.
    Project q2c = projects.first();
    const auto pos = studio::layeredLayout(q2c);
    int forward = 0;
    for (const DataFlow &f : q2c.flows)
        forward += pos.value(f.to).x() > pos.value(f.from).x() ? 1 : 0;
    QVERIFY2(forward * 2 >= q2c.flows.size(), qPrintable(QString::number(forward)));
}

void TestLandscape::connectTwoSystemsByDragging()
{
    Document *doc = m_ctl->document();
    const int flowsBefore = int(doc->project().flows.size());
    QQuickItem *crm = node(QStringLiteral("crm"));
    QQuickItem *support = node(QStringLiteral("support"));
    QVERIFY(crm && support);
    // Select the CRM card so its handle shows, then drag the handle onto the support desk.
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centreOf(crm));
    QCOMPARE(m_ctl->selectedSystem(), QStringLiteral("crm"));
    QQuickItem *handle = findItem(crm, QStringLiteral("connectHandle"));
    QVERIFY(handle);
    QTRY_VERIFY(handle->isVisible());
    const QPoint from = centreOf(handle);
    const QPoint to = centreOf(support);
    drag(from, to);

    QCOMPARE(int(doc->project().flows.size()), flowsBefore + 1);
    const DataFlow &added = doc->project().flows.last();
    QCOMPARE(added.from, QStringLiteral("crm"));
    QCOMPARE(added.to, QStringLiteral("support"));
    // The new flow is selected, so the inspector offers its entity.
    QCOMPARE(m_ctl->selectedElement(), QStringLiteral("flow:") + added.id);
    QQuickItem *inspector = findItem(m_window->contentItem(), QStringLiteral("systemInspector"));
    QVERIFY(inspector);
    QQuickItem *entityBox = findItem(inspector, QStringLiteral("flowEntity"));
    QVERIFY(entityBox);
    QTRY_VERIFY(entityBox->isVisible());
    QVERIFY(m_ctl->flows()->rowCount() > 0);
    // Choose the entity it carries in the inspector.
    auto *state = qvariant_cast<SystemInspector *>(inspector->property("inspector"));
    QVERIFY(state);
    QCOMPARE(state->mode(), QStringLiteral("flow"));
    QVERIFY(state->canonicalEntities().contains(QStringLiteral("Case")));
    QVERIFY(state->setFlowValue(QStringLiteral("entity"), QStringLiteral("Case")));
    QCOMPARE(doc->project().flows.last().entity, QStringLiteral("Case"));
    const QString flowShot = QDir(QCoreApplication::applicationDirPath())
                                 .filePath(QStringLiteral("tst_landscape_flow.png"));
    QVERIFY(studio::grabToFile(m_window, flowShot));
    m_ctl->undo();

    m_ctl->undo();
    QCOMPARE(int(doc->project().flows.size()), flowsBefore);
    for (const DataFlow &f : doc->project().flows)
        QVERIFY(f.id != added.id);

    // Dropping on empty canvas or the same card adds nothing.
    drag(centreOf(handle), centreOf(crm));
    QCOMPARE(int(doc->project().flows.size()), flowsBefore);
}

void TestLandscape::addRenameDeleteSystem()
{
    Document *doc = m_ctl->document();
    const int systemsBefore = int(doc->project().systems.size());
    QString id;
    QVariant returned;
    QMetaObject::invokeMethod(canvas(), "addSystemAtCentre", Q_RETURN_ARG(QVariant, returned),
                              Q_ARG(QVariant, QStringLiteral("tax")));
    QCOMPARE(int(doc->project().systems.size()), systemsBefore + 1);
    id = doc->project().systems.last().id;
    QCOMPARE(id, QStringLiteral("tax"));
    QVERIFY(doc->project().systems.last().kind == SystemKind::Tax);
    QCOMPARE(m_ctl->selectedSystem(), id);

    // The new card opens its inline name editor: type a name and press Enter.
    QQuickItem *card = nullptr;
    QTRY_VERIFY((card = node(id)) != nullptr);
    QQuickItem *nameEditor = findItem(card, QStringLiteral("nameEditor"));
    QVERIFY(nameEditor);
    QTRY_VERIFY(nameEditor->isVisible() && nameEditor->hasActiveFocus());
    typeText(m_window, QStringLiteral("Avalara"));
    QTest::keyClick(m_window, Qt::Key_Return);
    QCOMPARE(doc->project().system(id)->name, QStringLiteral("Avalara"));
    QTRY_VERIFY(!nameEditor->isVisible());

    // F2 renames the selected card too; Escape cancels.
    QTest::keyClick(m_window, Qt::Key_F2);
    QTRY_VERIFY(nameEditor->isVisible());
    typeText(m_window, QStringLiteral("Nope"));
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_VERIFY(!nameEditor->isVisible());
    QCOMPARE(doc->project().system(id)->name, QStringLiteral("Avalara"));

    m_ctl->undo();  // rename
    QCOMPARE(doc->project().system(id)->name, QStringLiteral("Tax"));
    m_ctl->undo();  // add
    QVERIFY(!doc->project().system(id));
    m_ctl->redo();
    QVERIFY(doc->project().system(id));

    // Delete key removes the selected system and its data flows, as one undo step.
    const int flowsBefore = int(doc->project().flows.size());
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                      centreOf(node(QStringLiteral("billing")), 30));
    QCOMPARE(m_ctl->selectedSystem(), QStringLiteral("billing"));
    QTest::keyClick(m_window, Qt::Key_Delete);
    // Billing is in use: the impact is shown first (tst_names checks the dialog itself).
    QObject *impact = m_window->findChild<QObject *>(QStringLiteral("deleteImpactDialog"));
    QVERIFY(impact);
    QTRY_VERIFY(impact->property("opened").toBool());
    QVERIFY(doc->project().system(QStringLiteral("billing")));
    QMetaObject::invokeMethod(impact, "close");
    QMetaObject::invokeMethod(impact, "confirmed");
    QVERIFY(!doc->project().system(QStringLiteral("billing")));
    for (const DataFlow &f : doc->project().flows)
        QVERIFY(f.from != QStringLiteral("billing") && f.to != QStringLiteral("billing"));
    QVERIFY(int(doc->project().flows.size()) < flowsBefore);
    QVERIFY(m_ctl->undoText().startsWith(QStringLiteral("Delete system")));
    m_ctl->undo();  // one step brings back the system and its flows
    QVERIFY(doc->project().system(QStringLiteral("billing")));
    QCOMPARE(int(doc->project().flows.size()), flowsBefore);
}

void TestLandscape::rubberBandSelectionMovesAsOneStep()
{
    Document *doc = m_ctl->document();
    QQuickItem *crm = node(QStringLiteral("crm"));
    QQuickItem *erp = node(QStringLiteral("erp"));
    QQuickItem *viewport = findItem(canvas(), QStringLiteral("landscapeViewport"));
    QVERIFY(crm && erp && viewport);
    // Shift+drag from the empty area above-left of CRM to inside ERP.
    const QPointF tl = crm->mapToScene(QPointF(-20, -20));
    const QPointF inErp = erp->mapToScene(QPointF(40, 40));
    drag(tl.toPoint(), inErp.toPoint(), Qt::ShiftModifier);
    const QStringList selected = editor()->selection();
    QVERIFY2(selected.contains(QStringLiteral("crm")) && selected.contains(QStringLiteral("erp")),
             qPrintable(selected.join(',')));

    // Ctrl+click toggles a card in and out of the selection.
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::ControlModifier,
                      centreOf(node(QStringLiteral("support")), 30));
    QVERIFY(editor()->selection().contains(QStringLiteral("support")));
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::ControlModifier,
                      centreOf(node(QStringLiteral("support")), 30));
    QVERIFY(!editor()->selection().contains(QStringLiteral("support")));

    const QPointF crmBefore = doc->project().system(QStringLiteral("crm"))->position;
    const QPointF erpBefore = doc->project().system(QStringLiteral("erp"))->position;
    const int history = doc->historySize();
    const QPoint start = centreOf(crm, 30);
    drag(start, start + QPoint(96, 120));
    const QPointF crmAfter = doc->project().system(QStringLiteral("crm"))->position;
    const QPointF erpAfter = doc->project().system(QStringLiteral("erp"))->position;
    QVERIFY(crmAfter != crmBefore);
    QCOMPARE(crmAfter - crmBefore, erpAfter - erpBefore);
    QVERIFY(studio::grabToFile(m_window, QDir(QCoreApplication::applicationDirPath())
                                             .filePath(QStringLiteral("tst_landscape_multi.png"))));
    // Snap to grid is on: positions land on the 24 px grid.
    QCOMPARE(std::fmod(crmAfter.x(), 24.0), 0.0);
    QCOMPARE(doc->historySize(), history + 1);
    m_ctl->undo();
    QCOMPARE(doc->project().system(QStringLiteral("crm"))->position, crmBefore);
    QCOMPARE(doc->project().system(QStringLiteral("erp"))->position, erpBefore);
}

void TestLandscape::autoLayoutIsOneUndoStep()
{
    Document *doc = m_ctl->document();
    const Project before = doc->project();
    const int history = doc->historySize();
    editor()->autoLayout();
    QCOMPARE(doc->historySize(), history + 1);
    const auto &systems = doc->project().systems;
    for (int i = 0; i < systems.size(); ++i)
        for (int j = i + 1; j < systems.size(); ++j)
            QVERIFY(!studio::nodeRect(systems[i]).intersects(studio::nodeRect(systems[j])));
    QVERIFY(!(doc->project().systems == before.systems));
    m_ctl->undo();
    QVERIFY(doc->project() == before);
}

void TestLandscape::inspectorTypingMergesIntoOneStep()
{
    Document *doc = m_ctl->document();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                      centreOf(node(QStringLiteral("erp")), 30));
    QQuickItem *inspector = findItem(m_window->contentItem(), QStringLiteral("systemInspector"));
    QQuickItem *name = findItem(inspector, QStringLiteral("inspectorName"));
    QVERIFY(name);
    QTRY_VERIFY(name->isVisible());
    const QString before = doc->project().system(QStringLiteral("erp"))->name;
    const int history = doc->historySize();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centreOf(name));
    QTRY_VERIFY(name->hasActiveFocus());
    QTest::keyClick(m_window, Qt::Key_End);
    typeText(m_window, QStringLiteral(" Cloud"));
    QCOMPARE(doc->project().system(QStringLiteral("erp"))->name, before + " Cloud");
    // Editing keys belong to the text field, not to the canvas (no system deleted).
    QTest::keyClick(m_window, Qt::Key_Backspace);
    QTest::keyClick(m_window, Qt::Key_Left);
    QTest::keyClick(m_window, Qt::Key_Delete);
    QVERIFY(doc->project().system(QStringLiteral("erp")));
    QCOMPARE(doc->project().system(QStringLiteral("erp"))->name, before + " Clo");
    QCOMPARE(doc->historySize(), history + 1);
    m_ctl->undo();
    QCOMPARE(doc->project().system(QStringLiteral("erp"))->name, before);

    // The inspector's schema list shows the ERP entities.
    auto *schema = qvariant_cast<SchemaTreeModel *>(inspector->property("schemaModel"));
    QVERIFY(schema);
    QCOMPARE(schema->systemId(), QStringLiteral("erp"));
    QCOMPARE(schema->entityCount(),
             int(doc->project().system(QStringLiteral("erp"))->entities.size()));
}

SchemaImporter *TestLandscape::openImport(const QString &systemId)
{
    m_ctl->select(QStringLiteral("system:") + systemId);
    QQuickItem *inspector = findItem(m_window->contentItem(), QStringLiteral("systemInspector"));
    QObject *dialog = qvariant_cast<QObject *>(inspector->property("importDialog"));
    m_importDialog = dialog;
    if (!dialog)
        return nullptr;
    QMetaObject::invokeMethod(dialog, "openFor", Q_ARG(QVariant, systemId),
                              Q_ARG(QVariant, systemId));
    if (!QTest::qWaitFor([&] { return dialog->property("opened").toBool(); }))
        return nullptr;
    return qvariant_cast<SchemaImporter *>(dialog->property("importer"));
}

void TestLandscape::importJsonSchema()
{
    Document *doc = m_ctl->document();
    SchemaImporter *importer = openImport(QStringLiteral("billing"));
    QVERIFY(importer);
    QCOMPARE(importer->systemId(), QStringLiteral("billing"));
    importer->load(QStringLiteral(SWITCHBOARD_TEST_DATA "/customer.schema.json"));
    QVERIFY(importer->isBusy());  // the parse runs on a worker thread
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY2(importer->isLoaded(), qPrintable(importer->error()));
    QCOMPARE(importer->schemaCount(), 1);
    QCOMPARE(importer->checkedCount(), 1);  // a single schema is preselected
    const int history = doc->historySize();
    importer->importChecked();
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY2(importer->error().isEmpty(), qPrintable(importer->error()));
    const Entity *customer =
        doc->project().system(QStringLiteral("billing"))->entity(QStringLiteral("Customer"));
    QVERIFY(customer);
    QCOMPARE(customer->key, QStringLiteral("customerKey"));
    const Field *address = customer->field(QStringLiteral("address"));
    QVERIFY(address);
    QVERIFY(address->type == FieldType::Object);
    QVERIFY(address->required);
    QVERIFY(findFieldPath(customer->fields, QStringLiteral("address.country")));
    QVERIFY(customer->field(QStringLiteral("segment"))->type == FieldType::Enum);
    QVERIFY(customer->field(QStringLiteral("since"))->type == FieldType::Date);
    QCOMPARE(doc->historySize(), history + 1);
    QTRY_VERIFY(!m_importDialog->property("opened").toBool());  // closes after the import
    m_ctl->undo();
    QVERIFY(!doc->project().system(QStringLiteral("billing"))->entity(QStringLiteral("Customer")));
}

void TestLandscape::importOpenApiYaml()
{
    Document *doc = m_ctl->document();
    SchemaImporter *importer = openImport(QStringLiteral("erp"));
    QVERIFY(importer);
    importer->load(QStringLiteral(SWITCHBOARD_TEST_DATA "/shop.yaml"));
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY2(importer->isLoaded(), qPrintable(importer->error()));
    QVERIFY(importer->sourceKind().contains(QStringLiteral("OpenAPI"), Qt::CaseInsensitive));
    QVERIFY(importer->schemaCount() >= 5);
    QCOMPARE(importer->checkedCount(), 0);
    importer->importChecked();  // nothing checked: a clear message, no edit
    QVERIFY(!importer->error().isEmpty());
    importer->setChecked(QStringLiteral("Order"), true);
    importer->setChecked(QStringLiteral("Category"), true);
    QCOMPARE(importer->checkedCount(), 2);
    const int history = doc->historySize();
    const int entitiesBefore = int(doc->project().system(QStringLiteral("erp"))->entities.size());
    importer->importChecked();
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY2(importer->error().isEmpty(), qPrintable(importer->error()));
    const System *erp = doc->project().system(QStringLiteral("erp"));
    QCOMPARE(int(erp->entities.size()), entitiesBefore + 2);
    const Entity *order = erp->entity(QStringLiteral("Order"));
    QVERIFY(order);
    QVERIFY(order->fields.size() >= 3);
    // allOf with the Base schema is merged: its fields are part of Order.
    QVERIFY(erp->entity(QStringLiteral("Category")));
    QCOMPARE(doc->historySize(), history + 1);
    m_ctl->undo();
    QCOMPARE(int(doc->project().system(QStringLiteral("erp"))->entities.size()), entitiesBefore);
}

void TestLandscape::importErrorIsShown()
{
    SchemaImporter *importer = openImport(QStringLiteral("crm"));
    QVERIFY(importer);
    importer->load(QStringLiteral(SWITCHBOARD_TEST_DATA "/broken.yaml"));
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY(!importer->isLoaded());
    QVERIFY2(importer->error().contains(QStringLiteral("broken.yaml")),
             qPrintable(importer->error()));
    QQuickItem *box = findItem(m_window->contentItem(), QStringLiteral("importError"));
    if (!box) {  // popups live in the overlay
        QQuickItem *overlay = m_window->contentItem()->parentItem();
        box = findItem(overlay, QStringLiteral("importError"));
    }
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    importer->load(m_dir.filePath(QStringLiteral("missing.yaml")));
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY(importer->error().contains(QStringLiteral("missing.yaml")));
    QMetaObject::invokeMethod(m_importDialog, "close");
    QTRY_VERIFY(!m_importDialog->property("visible").toBool());
}

void TestLandscape::canonicalModelEdits()
{
    Document *doc = m_ctl->document();
    m_ctl->setCurrentView(StudioController::Model);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("canonicalModelPage"));
    QVERIFY(page);
    QTRY_VERIFY(page->isVisible());
    auto *model = qvariant_cast<SchemaTreeModel *>(page->property("model"));
    QVERIFY(model);
    QCOMPARE(model->entityCount(), int(doc->project().canonical.size()));
    const int customer = 0;
    QCOMPARE(doc->project().canonical[customer].id, QStringLiteral("Customer"));
    QVERIFY(model->renameEntity(customer, QStringLiteral("Client")));
    model->endEdit();
    QVERIFY(doc->project().canonicalEntity(QStringLiteral("Client")));
    QVERIFY(!doc->project().canonicalEntity(QStringLiteral("Customer")));
    // References follow the rename: system field links, ownership rules, data flows.
    const Project &renamed = doc->project();
    QCOMPARE(renamed.system(QStringLiteral("crm"))->entity(QStringLiteral("Account"))
                 ->field(QStringLiteral("id"))->canonical,
             QStringLiteral("Client.customerId"));
    QVERIFY(renamed.ownershipFor(QStringLiteral("Client"), QStringLiteral("name")));
    for (const DataFlow &f : renamed.flows)
        QVERIFY(f.entity != QStringLiteral("Customer"));
    QVERIFY(model->setFieldName(customer, QStringLiteral("0"), QStringLiteral("clientId")));
    model->endEdit();
    QCOMPARE(doc->project().system(QStringLiteral("crm"))->entity(QStringLiteral("Account"))
                 ->field(QStringLiteral("id"))->canonical,
             QStringLiteral("Client.clientId"));
    m_ctl->undo();
    const QString path = model->addField(customer);
    QVERIFY(model->setFieldName(customer, path, QStringLiteral("loyaltyTier")));
    QVERIFY(model->setFieldType(customer, path, QStringLiteral("enum")));
    QVERIFY(doc->project().canonicalEntity(QStringLiteral("Client"))->field(
        QStringLiteral("loyaltyTier")));
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->undo();
    QVERIFY(doc->project().canonicalEntity(QStringLiteral("Customer")));
    QVERIFY(!doc->isModified());
}

// Renaming a system's field or entity in its schema tree rewrites what refers to it (here
// a mapping rule's expression and the mapping's source), keystroke by keystroke, as one
// undo step; a name that cannot be an id is still renamed, in place.
void TestLandscape::systemRenameFollowsReferences()
{
    Document *doc = m_ctl->document();
    SchemaTreeModel schema;
    QAbstractItemModelTester tester(&schema, kFatal);
    schema.setDocument(doc);
    schema.setSystemId(QStringLiteral("crm"));
    const int account = schema.rowOf(QStringLiteral("Account"));
    QVERIFY(account >= 0);
    const Entity *entity =
        doc->project().system(QStringLiteral("crm"))->entity(QStringLiteral("Account"));
    int taxIndex = -1;
    for (int i = 0; i < entity->fields.size(); ++i)
        if (entity->fields[i].name == QLatin1String("taxId"))
            taxIndex = i;
    QVERIFY(taxIndex >= 0);
    const QString path = QString::number(taxIndex);
    const auto ruleExpression = [&](const QString &target) {
        for (const MappingRule &r :
             doc->project().mapping(QStringLiteral("crm-account-to-customer"))->rules)
            if (r.target == target)
                return r.expression;
        return QString();
    };
    QVERIFY(ruleExpression(QStringLiteral("taxId")).contains(QLatin1String("taxId")));
    const int before = doc->historySize();
    QVERIFY(schema.setFieldName(account, path, QStringLiteral("vat")));
    QVERIFY(schema.setFieldName(account, path, QStringLiteral("vatId")));
    schema.endEdit();
    QCOMPARE(doc->historySize(), before + 1);
    QCOMPARE(ruleExpression(QStringLiteral("taxId")),
             QStringLiteral("$uppercase($replace(vatId, ' ', ''))"));
    // A sibling's name is refused rather than duplicated.
    QVERIFY(!schema.setFieldName(account, path, QStringLiteral("name")));
    m_ctl->undo();
    QCOMPARE(ruleExpression(QStringLiteral("taxId")),
             QStringLiteral("$uppercase($replace(taxId, ' ', ''))"));

    QVERIFY(schema.renameEntity(account, QStringLiteral("Organisation")));
    schema.endEdit();
    QCOMPARE(doc->project().mapping(QStringLiteral("crm-account-to-customer"))->source.entity,
             QStringLiteral("Organisation"));
    m_ctl->undo();
    QCOMPARE(doc->project().mapping(QStringLiteral("crm-account-to-customer"))->source.entity,
             QStringLiteral("Account"));

    QVERIFY(schema.setFieldName(account, path, QStringLiteral("@tax")));
    schema.endEdit();
    QVERIFY(doc->project().system(QStringLiteral("crm"))->entity(QStringLiteral("Account"))
                ->field(QStringLiteral("@tax")));
    m_ctl->undo();
    QVERIFY(!doc->isModified());
}

void TestLandscape::quickOpenJumps()
{
    QObject *popup = m_window->findChild<QObject *>(QStringLiteral("quickOpen"));
    QVERIFY(popup);
    m_ctl->setCurrentView(StudioController::Model);
    QTest::keyClick(m_window, Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(popup->property("opened").toBool());
    typeText(m_window, QStringLiteral("Opportunity"));
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY(!popup->property("opened").toBool());
    QCOMPARE(m_ctl->currentView(), StudioController::Landscape);
    QCOMPARE(m_ctl->selectedElement(), QStringLiteral("system:crm/entity:Opportunity"));
    QCOMPARE(m_ctl->selectedSystem(), QStringLiteral("crm"));
}

void TestLandscape::autosaveWritesAndRecovers()
{
    auto *autosave = m_window->findChild<Autosave *>(QStringLiteral("autosave"));
    QVERIFY(autosave);
    Document *doc = m_ctl->document();
    const QString side = Autosave::autosavePath(m_project);
    QCOMPARE(QFileInfo(side).fileName(), QStringLiteral(".q2c.switchboard.autosave"));
    QVERIFY(!autosave->writeNow());  // nothing to save yet
    m_ctl->document()->renameSystem(QStringLiteral("crm"), QStringLiteral("HubSpot"));
    QVERIFY(autosave->writeNow());
    QVERIFY(QFile::exists(side));
    auto saved = loadProject(side);
    QVERIFY(saved.ok());
    QCOMPARE(saved.value().system(QStringLiteral("crm"))->name, QStringLiteral("HubSpot"));
    // Saving deletes the side file.
    QVERIFY(m_ctl->save());
    QVERIFY(!QFile::exists(side));

    // A crash leaves an autosave newer than the file: opening offers to recover it.
    Project crashed = doc->project();
    crashed.systems[0].name = QStringLiteral("Recovered CRM");
    QTest::qWait(1100);  // file times have one-second resolution on some systems
    QVERIFY(writeFileAtomically(side, serializeProject(crashed)).ok());
    QVERIFY(m_ctl->openProject(m_project));
    QObject *dialog = m_window->findChild<QObject *>(QStringLiteral("recoveryDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QCOMPARE(autosave->pendingRecovery(), side);
    QVERIFY(autosave->recover());
    QMetaObject::invokeMethod(dialog, "close");
    QCOMPARE(doc->project().system(QStringLiteral("crm"))->name, QStringLiteral("Recovered CRM"));
    QVERIFY(doc->isModified());
    m_ctl->undo();
    QCOMPARE(doc->project().system(QStringLiteral("crm"))->name, QStringLiteral("HubSpot"));
    // Restore the fixture for later tests.
    doc->renameSystem(QStringLiteral("crm"), QStringLiteral("Salesforce CRM"));
    QVERIFY(m_ctl->save());
    QVERIFY(!QFile::exists(side));
}

namespace {

int countNodes(QQuickItem *root)
{
    int n = root->objectName().startsWith(QLatin1String("systemNode_")) ? 1 : 0;
    const auto children = root->childItems();
    for (QQuickItem *child : children)
        n += countNodes(child);
    return n;
}

} // namespace

// 900 systems on a grid: cards exist only for what is in view, and zoomed far out the canvas
// shows the sketch (no cards at all) in which a click still selects a system.
void TestLandscape::largeLandscapeShowsOnlyWhatIsSeen()
{
    Project project;
    project.name = QStringLiteral("Large grid");
    for (int i = 0; i < 900; ++i) {
        System s;
        s.id = QStringLiteral("s%1").arg(i);
        s.name = QStringLiteral("System %1").arg(i);
        s.kind = SystemKind(i % 9);
        s.position = QPointF((i % 30) * 300, (i / 30) * 240);
        project.systems.append(s);
        if (i > 0) {
            DataFlow flow;
            flow.id = QStringLiteral("f%1").arg(i);
            flow.from = QStringLiteral("s%1").arg(i - 1);
            flow.to = s.id;
            project.flows.append(flow);
        }
    }
    const QString file = m_dir.filePath(QStringLiteral("grid.switchboard"));
    QVERIFY(saveProject(project, file).ok());
    QVERIFY(m_ctl->openProject(file));
    QQuickItem *sketch = findItem(canvas(), QStringLiteral("landscapeSketch"));
    QVERIFY(sketch);

    // At 100 %, centred on s0's corner: a few cards, s0 among them, far ones not created.
    QMetaObject::invokeMethod(canvas(), "zoomAt", Q_ARG(QVariant, 0.0), Q_ARG(QVariant, 0.0),
                              Q_ARG(QVariant, 1.0));
    QMetaObject::invokeMethod(canvas(), "centreOn", Q_ARG(QVariant, 300.0),
                              Q_ARG(QVariant, 240.0));
    QTRY_VERIFY(node(QStringLiteral("s0")));
    QCOMPARE(canvas()->property("sketchMode").toBool(), false);
    QCOMPARE(canvas()->property("nodeCount").toInt(), 900);
    const int near = countNodes(canvas());
    QVERIFY2(near > 4 && near < 100, qPrintable(QString::number(near)));
    QVERIFY(!node(QStringLiteral("s899")));
    // The edges in view are drawn (by the one sketch item), not all 899.
    int edges = 0;
    QMetaObject::invokeMethod(sketch, "visibleEdges", Q_RETURN_ARG(int, edges));
    QVERIFY2(edges > 0 && edges < 100, qPrintable(QString::number(edges)));

    // Panning to the far corner creates its cards and drops the first ones.
    QMetaObject::invokeMethod(canvas(), "centreOn", Q_ARG(QVariant, 29 * 300.0),
                              Q_ARG(QVariant, 29 * 240.0));
    QTRY_VERIFY(node(QStringLiteral("s899")));
    QTRY_VERIFY(!node(QStringLiteral("s0")));
    const QString closeShot = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("tst_landscape_closeup.png"));
    QVERIFY(studio::grabToFile(m_window, closeShot));
    QVERIFY(distinctColours(closeShot) > 20);

    // Far out: no cards, the sketch draws the systems, and a click on one selects it.
    QMetaObject::invokeMethod(canvas(), "zoomAt", Q_ARG(QVariant, 0.0), Q_ARG(QVariant, 0.0),
                              Q_ARG(QVariant, 0.25));
    QMetaObject::invokeMethod(canvas(), "centreOn", Q_ARG(QVariant, 15 * 300.0),
                              Q_ARG(QVariant, 15 * 240.0));
    QTRY_COMPARE(canvas()->property("sketchMode").toBool(), true);
    QTRY_COMPARE(countNodes(canvas()), 0);
    QVERIFY(sketch->isVisible());
    int drawn = 0;
    QMetaObject::invokeMethod(sketch, "visibleSystems", Q_RETURN_ARG(int, drawn));
    QVERIFY2(drawn > 100, qPrintable(QString::number(drawn)));
    QQuickItem *world = findItem(canvas(), QStringLiteral("canvasWorld"));
    QVERIFY(world);
    const System *target = m_ctl->document()->project().system(QStringLiteral("s465"));
    const QPointF inCard = world->mapToScene(target->position + QPointF(60, 30));
    QVERIFY(QRectF(QPointF(), sketch->size()).contains(sketch->mapFromScene(inCard)));
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, inCard.toPoint());
    QTRY_COMPARE(m_ctl->selectedSystem(), QStringLiteral("s465"));
    const QString shot = QDir(QCoreApplication::applicationDirPath())
                             .filePath(QStringLiteral("tst_landscape_sketch.png"));
    QVERIFY(studio::grabToFile(m_window, shot));
    QVERIFY(distinctColours(shot) > 20);
}

void TestLandscape::minimapPansAndSnapToggles()
{
    QQuickItem *minimap = findItem(canvas(), QStringLiteral("minimap"));
    QQuickItem *world = findItem(canvas(), QStringLiteral("canvasWorld"));
    QVERIFY(minimap && world);
    QVERIFY(minimap->isVisible());
    const QPointF before(world->x(), world->y());
    // Click near the minimap's top-left corner: the view moves there.
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                      minimap->mapToScene(QPointF(14, 14)).toPoint());
    QVERIFY(QPointF(world->x(), world->y()) != before);
    const QPointF afterClick(world->x(), world->y());
    drag(minimap->mapToScene(QPointF(20, 20)).toPoint(),
         minimap->mapToScene(QPointF(minimap->width() - 20, minimap->height() - 20)).toPoint());
    QVERIFY(world->x() < afterClick.x());  // panned towards the right of the content
    QMetaObject::invokeMethod(canvas(), "zoomToFit");

    // With snap off a drag lands off the grid; the View menu action toggles it.
    QObject *snapAction = nullptr;
    for (QObject *o : m_window->findChildren<QObject *>())
        if (o->property("text").toString() == QStringLiteral("S&nap to Grid")
            && QByteArray(o->metaObject()->className()).contains("Action"))
            snapAction = o;
    QVERIFY(snapAction);
    QVERIFY(editor()->snapToGrid());
    QVERIFY(QMetaObject::invokeMethod(snapAction, "trigger"));
    QVERIFY(!editor()->snapToGrid());
    QQuickItem *erp = node(QStringLiteral("erp"));
    const QPoint start = centreOf(erp, 30);
    drag(start, start + QPoint(37, 13));
    const QPointF p = m_ctl->document()->project().system(QStringLiteral("erp"))->position;
    QVERIFY2(std::fmod(p.x(), 24.0) != 0 || std::fmod(p.y(), 24.0) != 0,
             qPrintable(QStringLiteral("%1,%2").arg(p.x()).arg(p.y())));
    QMetaObject::invokeMethod(snapAction, "trigger");
    QVERIFY(editor()->snapToGrid());
}

void TestLandscape::screenshots()
{
    const QDir out(QCoreApplication::applicationDirPath());
    editor()->autoLayout();
    QMetaObject::invokeMethod(canvas(), "zoomToFit");
    m_ctl->select(QStringLiteral("system:crm"));
    const QString landscape = out.filePath(QStringLiteral("tst_landscape_landscape.png"));
    QVERIFY(studio::grabToFile(m_window, landscape));
    QVERIFY2(distinctColours(landscape) >= 24, qPrintable(QString::number(
                                                   distinctColours(landscape))));

    m_ctl->select(QStringLiteral("system:crm"));
    QQuickItem *inspector = findItem(m_window->contentItem(), QStringLiteral("systemInspector"));
    QVERIFY(inspector && inspector->isVisible() && inspector->width() > 300);
    QQuickItem *tabs = findItem(inspector, QStringLiteral("inspectorTabs"));
    QVERIFY(tabs);
    tabs->setProperty("currentIndex", 1);
    const QString endpoints = out.filePath(QStringLiteral("tst_landscape_endpoints.png"));
    QVERIFY(studio::grabToFile(m_window, endpoints));
    tabs->setProperty("currentIndex", 0);

    m_ctl->setCurrentView(StudioController::Model);
    const QString model = out.filePath(QStringLiteral("tst_landscape_model.png"));
    QVERIFY(studio::grabToFile(m_window, model));
    QVERIFY2(distinctColours(model) >= 16, qPrintable(QString::number(distinctColours(model))));
    m_ctl->setCurrentView(StudioController::Landscape);

    // The import dialog with an OpenAPI document listed, and the Ctrl+K popup.
    SchemaImporter *importer = openImport(QStringLiteral("billing"));
    QVERIFY(importer);
    importer->load(QStringLiteral(SWITCHBOARD_TEST_DATA "/shop.yaml"));
    QTRY_VERIFY(!importer->isBusy());
    importer->setChecked(QStringLiteral("Order"), true);
    importer->setChecked(QStringLiteral("Payment"), true);
    const QString dialog = out.filePath(QStringLiteral("tst_landscape_import.png"));
    QVERIFY(studio::grabToFile(m_window, dialog));
    QMetaObject::invokeMethod(m_importDialog, "close");
    QTRY_VERIFY(!m_importDialog->property("visible").toBool());

    QObject *popup = m_window->findChild<QObject *>(QStringLiteral("quickOpen"));
    QTest::keyClick(m_window, Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(popup->property("opened").toBool());
    typeText(m_window, QStringLiteral("cust"));
    const QString quick = out.filePath(QStringLiteral("tst_landscape_quickopen.png"));
    QVERIFY(studio::grabToFile(m_window, quick));
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_VERIFY(!popup->property("opened").toBool());
}

void TestLandscape::largeImportStaysResponsive()
{
    SchemaImporter *importer = openImport(QStringLiteral("erp"));
    QVERIFY(importer);
    const QString file = QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                        "/tests/runtime/data/import/large-openapi.yaml");
    QElapsedTimer timer;
    timer.start();
    importer->load(file);
    QVERIFY(timer.elapsed() < 200);  // parsing happens on the worker, not here
    // The GUI thread keeps running timers while the worker parses.
    int ticks = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, [&] { ++ticks; });
    tick.start(10);
    QTRY_VERIFY_WITH_TIMEOUT(!importer->isBusy(), 60000);
    QVERIFY2(importer->isLoaded(), qPrintable(importer->error()));
    QVERIFY(importer->schemaCount() >= 100);
    importer->checkAll(true);
    const int checked = importer->checkedCount();
    QVERIFY(checked >= 100);
    const int before = int(m_ctl->document()->project().system(QStringLiteral("erp"))
                               ->entities.size());
    importer->importChecked();
    QTRY_VERIFY_WITH_TIMEOUT(!importer->isBusy(), 60000);
    QVERIFY2(importer->error().isEmpty(), qPrintable(importer->error()));
    QVERIFY(ticks > 0);
    QVERIFY(int(m_ctl->document()->project().system(QStringLiteral("erp"))->entities.size())
            >= before + checked - 5);  // same-named entities are replaced
    m_ctl->undo();
    QCOMPARE(int(m_ctl->document()->project().system(QStringLiteral("erp"))->entities.size()),
             before);
}

namespace {

// An OpenAPI document of `entities` object schemas with `top` scalar properties and `nested`
// object properties of `children` scalars each: 150 x (13 + 20 x 25 + 20) is about 80,000
// fields, the shape of a large real API (deterministic).
QByteArray largeApi(int entities, int top, int nested, int children)
{
    static const char *const kTypes[] = {"string", "integer", "number", "boolean"};
    QByteArray out = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Big\",\"version\":\"1\"},"
                     "\"paths\":{},\"components\":{\"schemas\":{";
    for (int e = 0; e < entities; ++e) {
        out += (e ? ",\"" : "\"") + QByteArray("Entity") + QByteArray::number(e)
               + "\":{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{"
                 "\"id\":{\"type\":\"string\"}";
        for (int t = 0; t < top; ++t)
            out += ",\"field" + QByteArray::number(t) + "\":{\"type\":\""
                   + kTypes[(e + t) % 4] + "\"}";
        for (int n = 0; n < nested; ++n) {
            out += ",\"address" + QByteArray::number(n)
                   + "\":{\"type\":\"object\",\"properties\":{";
            for (int c = 0; c < children; ++c)
                out += (c ? ",\"line" : "\"line") + QByteArray::number(c) + "\":{\"type\":\""
                       + kTypes[(n + c) % 4] + "\"}";
            out += "}}";
        }
        out += "}}";
    }
    out += "}}}";
    return out;
}

} // namespace

// The studio's import of a large API against `switchboard-run import` of the same file into
// the same project: the same entities, one undo step, a progress bar that moves, and the
// figures printed (wall time from choosing the file to the imported entities in the model).
void TestLandscape::largeImportAtCliSpeed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString api = dir.filePath(QStringLiteral("big-api.json"));
    {
        QFile f(api);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(largeApi(150, 12, 20, 25));
    }
    const QString cliProject = dir.filePath(QStringLiteral("cli.switchboard"));
    QVERIFY(QFile::copy(m_project, cliProject));
    QFile::setPermissions(cliProject, QFile::ReadOwner | QFile::WriteOwner);
    QElapsedTimer cliTimer;
    cliTimer.start();
    const auto cli = sb::testsupport::run({QStringLiteral("import"), cliProject,
                                           QStringLiteral("--system"), QStringLiteral("erp"),
                                           QStringLiteral("--from"), api},
                                          240000);
    const qint64 cliMs = cliTimer.elapsed();
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    auto cliLoaded = loadProject(cliProject);
    QVERIFY2(cliLoaded.ok(), qPrintable(cliLoaded.error().toString()));
    const System cliErp = *cliLoaded.value().system(QStringLiteral("erp"));

    Document *doc = m_ctl->document();
    const System before = *doc->project().system(QStringLiteral("erp"));
    SchemaImporter *importer = openImport(QStringLiteral("erp"));
    QVERIFY(importer);
    QVector<double> progress;
    QObject scope;  // the connections below end with this test function
    connect(importer, &SchemaImporter::progressChanged, &scope,
            [&] { progress << importer->progress(); });
    QQuickItem *bar = findItem(m_window->contentItem(), QStringLiteral("importProgress"));
    QVERIFY(bar);
    bool barShown = false;
    connect(importer, &SchemaImporter::progressChanged, &scope, [&] {
        barShown = barShown || (bar->isVisible() && importer->progress() > 0);
    });
    QElapsedTimer guiTimer;
    guiTimer.start();
    importer->load(api);
    QTRY_VERIFY_WITH_TIMEOUT(!importer->isBusy(), 120000);
    const qint64 loadMs = guiTimer.elapsed();
    QVERIFY2(importer->isLoaded(), qPrintable(importer->error()));
    QCOMPARE(importer->schemaCount(), 150);
    importer->checkAll(true);
    QCOMPARE(importer->checkedCount(), 150);
    const int history = doc->historySize();
    importer->importChecked();
    QTRY_VERIFY_WITH_TIMEOUT(!importer->isBusy(), 120000);
    QVERIFY2(importer->error().isEmpty(), qPrintable(importer->error()));
    QTRY_VERIFY(!m_importDialog->property("opened").toBool());
    const qint64 guiMs = guiTimer.elapsed();
    // What the studio imported is what the command line imported.
    const System &guiErp = *doc->project().system(QStringLiteral("erp"));
    QCOMPARE(guiErp.entities.size(), cliErp.entities.size());
    for (int i = 0; i < guiErp.entities.size(); ++i)
        QVERIFY2(guiErp.entities[i] == cliErp.entities[i], qPrintable(guiErp.entities[i].name));
    int fields = 0;
    for (const Entity &e : guiErp.entities)
        fields += sb::runtime::countFields(e.fields);
    QVERIFY(fields > 80000);
    QCOMPARE(doc->historySize(), history + 1);
    // The bar went from 0 up to 1 in several steps, shown while it did.
    QVERIFY(progress.size() >= 5);
    QCOMPARE(progress.first(), 0.0);
    QVERIFY(progress.contains(1.0));
    for (int i = 1; i < progress.size(); ++i)
        QVERIFY(progress[i] > progress[i - 1] || progress[i] < 0);
    QVERIFY(barShown);
    qInfo("large import, %lld entities / %d fields: command line %lld ms; studio %lld ms "
          "(reading %lld ms), ratio %.2f",
          qlonglong(guiErp.entities.size()), fields, cliMs, guiMs, loadMs,
          double(guiMs) / std::max<qint64>(1, cliMs));
    m_ctl->undo();
    QVERIFY(*doc->project().system(QStringLiteral("erp")) == before);
}

void TestLandscape::buildFromEmptyProject()
{
    m_ctl->newProject();
    Document *doc = m_ctl->document();
    QVERIFY(doc->project().systems.isEmpty());
    QTRY_COMPARE(canvas()->property("nodeCount").toInt(), 0);
    QMetaObject::invokeMethod(canvas(), "renameSelected");
    QVERIFY(!editor()->deleteSelection());  // nothing selected: nothing happens
    const QString crm = editor()->addSystem(QStringLiteral("crm"), 0, 0);
    const QString erp = editor()->addSystem(QStringLiteral("erp"), 0, 0);
    const QString billing = editor()->addSystem(QStringLiteral("billing"), 0, 0);
    QCOMPARE(doc->project().systems.size(), 3);
    canvas()->setProperty("renamingId", QString());
    QVERIFY(!editor()->connectSystems(crm, erp).isEmpty());
    QVERIFY(!editor()->connectSystems(erp, billing).isEmpty());
    QVERIFY(editor()->connectSystems(crm, crm).isEmpty());
    QVERIFY(editor()->connectSystems(crm, QStringLiteral("nope")).isEmpty());
    SchemaImporter *importer = openImport(crm);
    QVERIFY(importer);
    importer->load(QStringLiteral(SWITCHBOARD_TEST_DATA "/customer.schema.json"));
    QTRY_VERIFY(!importer->isBusy());
    importer->importChecked();
    QTRY_VERIFY(!importer->isBusy());
    QVERIFY(doc->project().system(crm)->entity(QStringLiteral("Customer")));
    QTRY_VERIFY(!m_importDialog->property("visible").toBool());
    editor()->autoLayout();
    QTRY_COMPARE(canvas()->property("nodeCount").toInt(), 3);
    // Layered: crm -> erp -> billing left to right.
    const auto x = [&](const QString &id) { return doc->project().system(id)->position.x(); };
    QVERIFY(x(crm) < x(erp) && x(erp) < x(billing));
    QMetaObject::invokeMethod(canvas(), "zoomToFit");
    m_ctl->select(QStringLiteral("system:") + crm);
    const QString file = QDir(QCoreApplication::applicationDirPath())
                             .filePath(QStringLiteral("tst_landscape_new.png"));
    QVERIFY(studio::grabToFile(m_window, file));
    QVERIFY(distinctColours(file) >= 16);
    // Untitled projects autosave to the app data folder.
    auto *autosave = m_window->findChild<Autosave *>(QStringLiteral("autosave"));
    QVERIFY(autosave->writeNow());
    const QString side = Autosave::autosavePath(QString());
    QVERIFY(QFile::exists(side));
    m_ctl->closeProject();
    QVERIFY(!QFile::exists(side));
}

QTEST_MAIN(TestLandscape)
#include "tst_landscape.moc"
