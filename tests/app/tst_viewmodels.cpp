// The studio's view models against a real Document: every model stays consistent
// (QAbstractItemModelTester) and edits produce fine-grained signals, never a reset.

#include "app/darkiconprovider.h"
#include "app/shell/findingsmodel.h"
#include "app/shell/flowsmodel.h"
#include "app/shell/nodegeometry.h"
#include "app/landscape/landscapesketchitem.h"
#include "app/shell/recentprojectsmodel.h"
#include "app/shell/studiocontroller.h"
#include "app/shell/systemsmodel.h"
#include "app/landscape/viewportfiltermodel.h"
#include "model/document.h"
#include "model/projectjson.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::model;

namespace {

QString fixture(const char *name)
{
    return QStringLiteral(SWITCHBOARD_TEST_DATA "/") + QLatin1String(name);
}

Project loadFixture()
{
    auto loaded = loadProject(fixture("landscape.switchboard"));
    if (!loaded.ok())
        qFatal("fixture: %s", qPrintable(loaded.error().toString()));
    return loaded.takeValue();
}

// Records every structural signal of a model.
struct ModelSignals
{
    explicit ModelSignals(QAbstractItemModel *m)
        : inserted(m, &QAbstractItemModel::rowsInserted),
          removed(m, &QAbstractItemModel::rowsRemoved),
          moved(m, &QAbstractItemModel::rowsMoved),
          reset(m, &QAbstractItemModel::modelReset),
          changed(m, &QAbstractItemModel::dataChanged),
          layout(m, &QAbstractItemModel::layoutChanged)
    {
    }
    void clear()
    {
        inserted.clear(); removed.clear(); moved.clear(); reset.clear(); changed.clear();
        layout.clear();
    }
    int structural() const
    {
        return int(inserted.size() + removed.size() + moved.size() + reset.size()
                   + layout.size());
    }
    QSignalSpy inserted, removed, moved, reset, changed, layout;
};

const auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

} // namespace

class TestViewModels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_viewmodels"));
    }

    void systemsModel();
    void flowsModel();
    void flowLabelsStayClearOfCards();
    void darkIconsAreLight();
    void findingsModel();
    void recentProjectsModel();
    void viewportFilterKeepsWhatIsSeen();
    void sketchCountsWhatItDraws();
    void controllerOpensAndReportsErrors();
    void controllerRevalidatesAfterEdits();
};

void TestViewModels::systemsModel()
{
    Document doc;
    SystemsModel model(&doc);
    QAbstractItemModelTester tester(&model, kFatal);
    ModelSignals sig(&model);
    QCOMPARE(model.rowCount(), 0);

    doc.reset(loadFixture(), fixture("landscape.switchboard"));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(sig.reset.size(), 1);
    const int erp = model.indexOf(QStringLiteral("erp"));
    QCOMPARE(erp, 1);
    const QModelIndex erpIndex = model.index(erp);
    QCOMPARE(erpIndex.data(SystemsModel::NameRole).toString(), QStringLiteral("NetSuite ERP"));
    QCOMPARE(erpIndex.data(SystemsModel::KindRole).toString(), QStringLiteral("erp"));
    QCOMPARE(erpIndex.data(SystemsModel::EntitiesRole).toStringList(),
             QStringList({"Customer", "SalesOrder", "Invoice"}));
    QVERIFY(erpIndex.data(SystemsModel::NodeHeightRole).toReal() > 60);

    // Moving one system changes exactly that row.
    sig.clear();
    doc.moveSystem(QStringLiteral("erp"), QPointF(520, 40));
    QCOMPARE(sig.structural(), 0);
    QCOMPARE(sig.changed.size(), 1);
    QCOMPARE(sig.changed.first().at(0).toModelIndex().row(), erp);
    QCOMPARE(sig.changed.first().at(1).toModelIndex().row(), erp);
    QCOMPARE(model.index(erp).data(SystemsModel::NodeXRole).toReal(), 520.0);

    // Undo moves it back, again as one dataChanged.
    sig.clear();
    doc.endMergeGroup();
    doc.undo();
    QCOMPARE(sig.structural(), 0);
    QCOMPARE(sig.changed.size(), 1);
    QCOMPARE(model.index(erp).data(SystemsModel::NodeXRole).toReal(), 480.0);

    // Insert and remove through the Document.
    sig.clear();
    System tax;
    tax.id = QStringLiteral("tax");
    tax.name = QStringLiteral("Avalara");
    tax.kind = SystemKind::Tax;
    tax.position = QPointF(960, 0);
    doc.insertSystem(tax, 2);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(sig.inserted.size(), 1);
    QCOMPARE(sig.inserted.first().at(1).toInt(), 2);
    QCOMPARE(sig.reset.size(), 0);
    QCOMPARE(model.index(2).data(SystemsModel::SystemIdRole).toString(), QStringLiteral("tax"));

    sig.clear();
    doc.removeSystem(QStringLiteral("tax"));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(sig.removed.size(), 1);
    QCOMPARE(sig.removed.first().at(1).toInt(), 2);
    QCOMPARE(sig.reset.size(), 0);

    // Undoing the removal brings the row back in place.
    sig.clear();
    doc.undo();
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(sig.inserted.size(), 1);
    QCOMPARE(sig.reset.size(), 0);

    // Finding counts update only the affected rows.
    sig.clear();
    model.setFindingCounts({{QStringLiteral("crm"), {2, 1}}});
    QCOMPARE(sig.structural(), 0);
    QCOMPARE(sig.changed.size(), 1);
    QCOMPARE(model.index(0).data(SystemsModel::ErrorCountRole).toInt(), 2);
    QCOMPARE(model.index(0).data(SystemsModel::WarningCountRole).toInt(), 1);
}

namespace {

// Systems on a 10 x 10 grid, 300 canvas units apart, starting at (0, 0).
void fillGrid(Document &doc)
{
    Project project;
    project.name = QStringLiteral("Grid");
    for (int i = 0; i < 100; ++i) {
        System s;
        s.id = QStringLiteral("s%1").arg(i);
        s.name = QStringLiteral("System %1").arg(i);
        s.kind = SystemKind::Crm;
        s.position = QPointF((i % 10) * 300, (i / 10) * 300);
        project.systems.append(s);
    }
    doc.reset(project, QString());
}

} // namespace

void TestViewModels::viewportFilterKeepsWhatIsSeen()
{
    Document doc;
    SystemsModel systems(&doc);
    fillGrid(doc);
    ViewportFilterModel visible;
    QAbstractItemModelTester tester(&visible, kFatal);
    visible.setSourceModel(&systems);
    visible.setXRoles({QStringLiteral("nodeX")});
    visible.setYRoles({QStringLiteral("nodeY")});
    visible.setProperty("widthRole", QStringLiteral("nodeWidth"));
    visible.setProperty("heightRole", QStringLiteral("nodeHeight"));
    visible.setProperty("margin", 0.0);
    // No viewport yet: nothing is seen.
    QCOMPARE(visible.rowCount(), 0);

    // Cards at x, y in {0, 300} meet [0, 600) x [0, 600); those starting at 600 do not.
    visible.setViewport(QRectF(0, 0, 600, 600));
    QCOMPARE(visible.rowCount(), 4);
    QStringList ids;
    for (int row = 0; row < visible.rowCount(); ++row)
        ids << visible.index(row, 0).data(SystemsModel::SystemIdRole).toString();
    QCOMPARE(ids, QStringList({"s0", "s1", "s10", "s11"}));

    // A card dragged into the view joins without a refilter of the rest.
    doc.moveSystem(QStringLiteral("s99"), QPointF(100, 100));
    QCOMPARE(visible.rowCount(), 5);
    doc.undo();
    QCOMPARE(visible.rowCount(), 4);

    // Inside the kept area nothing is refiltered (with a margin the area is larger).
    visible.setProperty("margin", 0.5);
    visible.setViewport(QRectF(2400, 2400, 600, 600));
    const int far = visible.rowCount();
    QCOMPARE(far, 9);  // kept: [2100, 3300) on both axes, so columns and rows 7, 8 and 9
    QSignalSpy removed(&visible, &QAbstractItemModel::rowsRemoved);
    visible.setViewport(QRectF(2450, 2450, 600, 600));
    QCOMPARE(removed.size(), 0);
    QCOMPARE(visible.keptArea(), QRectF(2100, 2100, 1200, 1200));

    // Off: nothing passes (the canvas shows the sketch instead).
    visible.setActive(false);
    QCOMPARE(visible.rowCount(), 0);
    visible.setActive(true);
    QCOMPARE(visible.rowCount(), far);
}

void TestViewModels::sketchCountsWhatItDraws()
{
    Document doc;
    SystemsModel systems(&doc);
    FlowsModel flows(&doc);
    fillGrid(doc);
    LandscapeSketchItem sketch;
    sketch.setSize(QSizeF(600, 600));
    sketch.setSystems(&systems);
    sketch.setFlows(&flows);
    QCOMPARE(sketch.visibleSystems(), 4);
    QCOMPARE(sketch.visibleEdges(), 0);
    // Zoomed out to a half, twice as far on each axis fits in the item.
    sketch.setZoom(0.5);
    QCOMPARE(sketch.visibleSystems(), 16);
    sketch.setOriginX(-3000);
    QCOMPARE(sketch.visibleSystems(), 0);
    sketch.setOriginX(0);
    DataFlow flow;
    flow.id = QStringLiteral("f1");
    flow.from = QStringLiteral("s0");
    flow.to = QStringLiteral("s1");
    doc.insertFlow(flow, 0);
    QCOMPARE(flows.rowCount(), 1);
    QCOMPARE(sketch.visibleEdges(), 1);
    // Painting into an image draws the cards (not blank) without a window.
    QImage image(600, 600, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    sketch.paint(&painter);
    painter.end();
    QVERIFY(image.pixel(10, 30) != 0u);  // inside the first card at (0, 0)
    QCOMPARE(image.pixel(590, 590), 0u);  // beyond the last card in view
}

void TestViewModels::flowsModel()
{
    Document doc;
    FlowsModel model(&doc);
    QAbstractItemModelTester tester(&model, kFatal);
    ModelSignals sig(&model);

    doc.reset(loadFixture(), fixture("landscape.switchboard"));
    // 3 data flows + workflow hops crm>erp and erp>support.
    QCOMPARE(model.rowCount(), 5);
    int workflowRows = 0;
    for (int i = 0; i < model.rowCount(); ++i) {
        const QModelIndex idx = model.index(i);
        if (idx.data(FlowsModel::EdgeKindRole).toString() == QLatin1String("workflow"))
            ++workflowRows;
        // End points lie on the card borders, not at the card centres.
        QVERIFY(idx.data(FlowsModel::StartXRole).isValid());
    }
    QCOMPARE(workflowRows, 2);
    QCOMPARE(model.index(0).data(FlowsModel::LabelRole).toString(), QStringLiteral("Customer"));

    // Moving billing changes only the edges that touch billing.
    int billingEdges = 0;
    for (int i = 0; i < model.rowCount(); ++i) {
        const QModelIndex idx = model.index(i);
        if (idx.data(FlowsModel::FromSystemRole).toString() == QLatin1String("billing")
            || idx.data(FlowsModel::ToSystemRole).toString() == QLatin1String("billing"))
            ++billingEdges;
    }
    QCOMPARE(billingEdges, 1);
    sig.clear();
    doc.moveSystem(QStringLiteral("billing"), QPointF(560, 400));
    QCOMPARE(sig.structural(), 0);
    QCOMPARE(sig.changed.size(), billingEdges);

    // Removing a flow removes one row.
    sig.clear();
    doc.removeFlow(QStringLiteral("erp-crm"));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(sig.removed.size(), 1);
    QCOMPARE(sig.reset.size(), 0);

    // Removing a system drops its edges without a reset.
    sig.clear();
    doc.removeSystem(QStringLiteral("support"));
    QCOMPARE(sig.reset.size(), 0);
    QCOMPARE(model.rowCount(), 3);
}

// Cards are drawn over edge labels: a label between two close cards is made only as wide
// as the gap, so no part of it hides under either card; far apart, nothing limits it.
void TestViewModels::flowLabelsStayClearOfCards()
{
    Document doc;
    FlowsModel model(&doc);
    doc.reset(loadFixture(), fixture("landscape.switchboard"));
    const QRectF crm = studio::nodeRect(*doc.project().system(QStringLiteral("crm")));
    doc.moveSystem(QStringLiteral("erp"), QPointF(crm.width() + 90, 0));
    const QRectF erp = studio::nodeRect(*doc.project().system(QStringLiteral("erp")));
    int between = 0;
    for (int i = 0; i < model.rowCount(); ++i) {
        const QModelIndex idx = model.index(i);
        const QString from = idx.data(FlowsModel::FromSystemRole).toString();
        const QString to = idx.data(FlowsModel::ToSystemRole).toString();
        if (!((from == QLatin1String("crm") && to == QLatin1String("erp"))
              || (from == QLatin1String("erp") && to == QLatin1String("crm"))))
            continue;
        ++between;
        const qreal x = idx.data(FlowsModel::LabelXRole).toReal();
        const qreal y = idx.data(FlowsModel::LabelYRole).toReal();
        const qreal room = idx.data(FlowsModel::LabelRoomRole).toReal();
        QVERIFY2(room > 40 && room < 90, qPrintable(QString::number(room)));
        const QRectF label(x - room / 2, y - 11, room, 22);
        QVERIFY(!label.intersects(crm));
        QVERIFY(!label.intersects(erp));
    }
    QVERIFY(between >= 2);
    doc.moveSystem(QStringLiteral("erp"), QPointF(crm.width() + 600, 0));
    for (int i = 0; i < model.rowCount(); ++i)
        QVERIFY(model.index(i).data(FlowsModel::LabelRoomRole).toReal() > 160);
}

// The dark theme's icons: the bundled line icon drawn with a light stroke at the size asked
// for; names that are not a bundled icon give nothing.
void TestViewModels::darkIconsAreLight()
{
    DarkIconProvider provider;
    QSize size;
    const QImage icon = provider.requestImage(QStringLiteral("entity"), &size, QSize(48, 48));
    QVERIFY(!icon.isNull());
    QCOMPARE(size, QSize(48, 48));
    int strokePixels = 0;
    for (int y = 0; y < icon.height(); ++y) {
        for (int x = 0; x < icon.width(); ++x) {
            const QColor c = icon.pixelColor(x, y);
            if (c.alpha() < 250)
                continue;
            ++strokePixels;
            QVERIFY2(c.lightnessF() > 0.6, qPrintable(c.name()));
        }
    }
    QVERIFY(strokePixels > 20);
    QVERIFY(provider.requestImage(QStringLiteral("../entity"), &size, QSize()).isNull());
    QVERIFY(provider.requestImage(QStringLiteral("no-such-icon"), &size, QSize()).isNull());
}

void TestViewModels::findingsModel()
{
    FindingsModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    ModelSignals sig(&model);

    auto finding = [](const char *rule, Severity s, const char *element) {
        Finding f;
        f.ruleId = QLatin1String(rule);
        f.severity = s;
        f.message = QStringLiteral("Message of ") + QLatin1String(rule);
        f.location.element = QLatin1String(element);
        f.location.display = QStringLiteral("Display ") + QLatin1String(element);
        return f;
    };
    const Finding a = finding("ownership.no-owner", Severity::Error, "canonical:Customer");
    const Finding b = finding("call.no-timeout", Severity::Warning, "system:crm/entity:Account");
    const Finding c = finding("profile.literal-secret", Severity::Error, "system:erp/profile:p");

    model.setFindings({a, b, c});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1).data(FindingsModel::SeverityRole).toString(),
             QStringLiteral("warning"));
    QCOMPARE(model.index(1).data(FindingsModel::SystemIdRole).toString(), QStringLiteral("crm"));
    QCOMPARE(model.index(0).data(FindingsModel::SystemIdRole).toString(), QString());
    QCOMPARE(model.index(2).data(FindingsModel::LocationRole).toString(),
             QStringLiteral("Display system:erp/profile:p"));

    // Fixing the middle finding removes just that row.
    sig.clear();
    model.setFindings({a, c});
    QCOMPARE(sig.removed.size(), 1);
    QCOMPARE(sig.removed.first().at(1).toInt(), 1);
    QCOMPARE(sig.reset.size(), 0);
    QCOMPARE(sig.changed.size(), 0);

    // A new finding is inserted; duplicates stay distinct rows.
    sig.clear();
    model.setFindings({a, b, b, c});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(sig.inserted.size(), 1);
    QCOMPARE(sig.reset.size(), 0);

    model.setFindings({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(FindingsModel::systemOf(QStringLiteral("system:crm")), QStringLiteral("crm"));
}

void TestViewModels::recentProjectsModel()
{
    QSettings().remove(QStringLiteral("recentProjects"));
    RecentProjectsModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    QCOMPARE(model.rowCount(), 0);

    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a.switchboard"));
    const QString b = dir.filePath(QStringLiteral("b.switchboard"));
    model.add(a);
    model.add(b);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data(RecentProjectsModel::PathRole).toString(), b);
    QCOMPARE(model.index(0).data(RecentProjectsModel::NameRole).toString(),
             QStringLiteral("b.switchboard"));
    QCOMPARE(model.index(0).data(RecentProjectsModel::ExistsRole).toBool(), false);

    model.add(a);  // moves to the top
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data(RecentProjectsModel::PathRole).toString(), a);

    // Persisted in QSettings.
    RecentProjectsModel other;
    QCOMPARE(other.paths(), QStringList({a, b}));

    for (int i = 0; i < 15; ++i)
        model.add(dir.filePath(QStringLiteral("p%1.switchboard").arg(i)));
    QCOMPARE(model.rowCount(), RecentProjectsModel::kMaxEntries);

    model.remove(model.paths().first());
    QCOMPARE(model.rowCount(), RecentProjectsModel::kMaxEntries - 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestViewModels::controllerOpensAndReportsErrors()
{
    StudioController ctl(nullptr);
    QAbstractItemModelTester t1(ctl.systems(), kFatal);
    QAbstractItemModelTester t2(ctl.flows(), kFatal);
    QAbstractItemModelTester t3(ctl.findings(), kFatal);
    QAbstractItemModelTester t4(ctl.recentProjects(), kFatal);
    QSignalSpy errors(&ctl, &StudioController::errorOccurred);

    QVERIFY(!ctl.hasProject());
    QVERIFY(ctl.openProject(fixture("landscape.switchboard")));
    QVERIFY(ctl.hasProject());
    QCOMPARE(ctl.systemCount(), 4);
    QCOMPARE(ctl.systems()->rowCount(), 4);
    QCOMPARE(ctl.displayName(), QStringLiteral("landscape.switchboard"));
    QVERIFY(ctl.windowTitle().startsWith(QStringLiteral("landscape.switchboard")));
    QCOMPARE(ctl.recentProjects()->paths().first(),
             QFileInfo(fixture("landscape.switchboard")).absoluteFilePath());
    QVERIFY(errors.isEmpty());

    // A malformed file is reported with the loader's message and leaves the project open.
    QVERIFY(!ctl.openProject(fixture("malformed.switchboard")));
    QCOMPARE(errors.size(), 1);
    const QString message = errors.first().at(1).toString();
    QVERIFY2(message.contains(QStringLiteral("malformed.switchboard")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("spaceship")), qPrintable(message));
    QCOMPARE(ctl.systemCount(), 4);

    // A missing file is an error too, not a crash.
    QVERIFY(!ctl.openProject(fixture("does-not-exist.switchboard")));
    QCOMPARE(errors.size(), 2);

    // Moves are undoable and mark the document modified.
    ctl.moveSystem(QStringLiteral("crm"), 16, 24);
    ctl.moveSystem(QStringLiteral("crm"), 32, 40);
    ctl.endMove();
    QVERIFY(ctl.isModified());
    QVERIFY(ctl.windowTitle().startsWith(QStringLiteral("\u2022 ")));
    QVERIFY(ctl.canUndo());
    ctl.undo();
    QCOMPARE(ctl.systemRect(QStringLiteral("crm")).topLeft(), QPointF(0, 0));
    QVERIFY(!ctl.isModified());

    // Closing returns to the start page state.
    ctl.closeProject();
    QVERIFY(!ctl.hasProject());
    QCOMPARE(ctl.systems()->rowCount(), 0);
    QCOMPARE(ctl.flows()->rowCount(), 0);
}

void TestViewModels::controllerRevalidatesAfterEdits()
{
    StudioController ctl(nullptr);
    QSignalSpy findings(&ctl, &StudioController::findingsChanged);
    QVERIFY(ctl.openProject(fixture("landscape.switchboard")));
    QCOMPARE(findings.size(), 1);  // validated at once on open
    QCOMPARE(ctl.findings()->rowCount(), int(ctl.findings()->findings().size()));

    // Renaming the project is an undoable edit; a blank name is refused.
    const QString name = ctl.projectName();
    QVERIFY(ctl.setProjectName(QStringLiteral("  Order to cash ")));
    QCOMPARE(ctl.projectName(), QStringLiteral("Order to cash"));
    QVERIFY(!ctl.setProjectName(QStringLiteral("   ")));
    QCOMPARE(ctl.projectName(), QStringLiteral("Order to cash"));
    ctl.undo();
    QCOMPARE(ctl.projectName(), name);
    QTRY_VERIFY(!ctl.findingsPending());
    findings.clear();

    // Moving a card changes no finding: no validation runs.
    findings.clear();
    ctl.moveSystem(QStringLiteral("erp"), 600, 0);
    ctl.moveSystem(QStringLiteral("erp"), 640, 0);
    ctl.endMove();
    QVERIFY(!ctl.findingsPending());
    QTest::qWait(400);
    QCOMPARE(findings.size(), 0);

    // Any other edit revalidates, once for a burst of edits.
    ctl.document()->renameSystem(QStringLiteral("erp"), QStringLiteral("E"));
    ctl.document()->renameSystem(QStringLiteral("erp"), QStringLiteral("ERP"));
    QVERIFY(ctl.findingsPending());
    QCOMPARE(findings.size(), 0);  // debounced
    QTRY_COMPARE_WITH_TIMEOUT(findings.size(), 1, 2000);
    QCOMPARE(ctl.errorCount(), countFindings(ctl.findings()->findings(), Severity::Error));
}

QTEST_MAIN(TestViewModels)
#include "tst_viewmodels.moc"
