// The rest of the run panel: the path a run instance took highlighted on the
// workflow canvas (RunController.selectedPath -> WorkflowEditor.highlightedPath, the step
// and edge models' onPath / pathFailed roles, "Show on canvas" in the real studio), and
// runs from the studio against a live endpoint profile (HttpConnector, loopback sandbox).

#include "app/shell/canvaspath.h"
#include "app/run/runcontroller.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"
#include "app/workflows/workfloweditor.h"
#include "model/document.h"
#include "model/projectjson.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/sandbox/sandboxserver.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using testsupport::distinctColours;
using testsupport::runAndWait;
using testsupport::screenshotPath;

using studio::findItem;

namespace {

const QString kTemplateDir = testsupport::quoteToCashDir();
const QString kTemplate = testsupport::quoteToCashProject();
const QString kWorkflow = QStringLiteral("closed-won-to-cash");
const QString kMiniDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/runtime/data/mini");

// The first instance with `status` ("" any), or with correlation id `correlation`.
QString findInstance(RunController &run, const QString &status)
{
    run.instances()->setStatusFilter(status);
    const QString id = run.instances()->instanceAt(0);
    run.instances()->setStatusFilter(QString());
    return id;
}

// Steps (ids) flagged onPath / pathFailed in the editor's step model; "trigger" included.
QStringList flaggedSteps(WorkflowEditor &editor, int role)
{
    QStringList out;
    WorkflowStepsModel *m = editor.steps();
    for (int i = 0; i < m->rowCount(); ++i) {
        if (m->index(i).data(role).toBool())
            out << m->index(i).data(WorkflowStepsModel::StepIdRole).toString();
    }
    return out;
}

// The edges (index in Workflow::edges) flagged onPath in the editor's edge model.
QList<int> flaggedEdges(WorkflowEditor &editor)
{
    QList<int> out;
    WorkflowEdgesModel *m = editor.edges();
    for (int i = 0; i < m->rowCount(); ++i) {
        if (m->index(i).data(WorkflowEdgesModel::OnPathRole).toBool())
            out << m->index(i).data(WorkflowEdgesModel::EdgeIndexRole).toInt();
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The edges whose from -> to follow each other in the trace (the trigger first).
QList<int> edgesTaken(const sb::model::Workflow &w, const QStringList &sequence)
{
    QSet<QString> pairs;
    QString prev = QStringLiteral("trigger");
    for (const QString &s : sequence) {
        pairs.insert(prev + QLatin1Char('>') + s);
        prev = s;
    }
    QList<int> out;
    for (int i = 0; i < w.edges.size(); ++i) {
        if (pairs.contains(w.edges[i].from + QLatin1Char('>') + w.edges[i].to))
            out << i;
    }
    return out;
}

// The mini project (data copied to `dir`) whose ERP "production" profile points at a
// sandbox on a loopback port; returns the project file, empty on failure.
QString writeLiveMini(const QString &dir, quint16 port)
{
    QDir(dir).mkpath(QStringLiteral("data"));
    for (const char *f : {"data/accounts.jsonl", "data/customers.csv"}) {
        const QString to = QDir(dir).filePath(QString::fromLatin1(f));
        if (!QFile::exists(to) && !QFile::copy(kMiniDir + "/" + f, to))
            return {};
    }
    auto loaded = sb::model::loadProject(kMiniDir + "/mini.switchboard");
    if (!loaded.ok())
        return {};
    sb::model::Project project = loaded.value();
    for (sb::model::System &s : project.systems) {
        for (sb::model::EndpointProfile &p : s.profiles) {
            if (s.id == QLatin1String("erp") && p.name == QLatin1String("production")) {
                p.baseUrl = QStringLiteral("http://127.0.0.1:%1/erp").arg(port);
                p.secretRef = QStringLiteral("env:SB_TST_RUNLIVE_TOKEN");
            }
        }
    }
    qputenv("SB_TST_RUNLIVE_TOKEN", "live-t0ken");
    const QString file = QDir(dir).filePath(QStringLiteral("mini.switchboard"));
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(sb::model::serializeProject(project));
    return file;
}

} // namespace

class TestRunLive : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void selectedInstancePathIsHighlighted();
    void showOnCanvasInTheStudio();
    void runAgainstLiveProfile();
    void liveRunInTheStudio();
};

void TestRunLive::initTestCase()
{
    testsupport::initTestApplication(QStringLiteral("Switchboard"),
                                     QStringLiteral("tst_runlive"));
    testsupport::clearRunHistory();
}

void TestRunLive::selectedInstancePathIsHighlighted()
{
    sb::model::Document doc;
    QVERIFY(doc.load(kTemplate).ok());
    const sb::model::Workflow *wf = doc.project().workflow(kWorkflow);
    QVERIFY(wf);
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(kTemplateDir);
    QVERIFY(runAndWait(run));
    QVERIFY(run.selectedPath().isEmpty());

    WorkflowEditor editor;
    editor.setDocument(&doc);
    editor.setSelectedElement(QStringLiteral("workflow:") + kWorkflow);
    QCOMPARE(editor.workflowId(), kWorkflow);
    QAbstractItemModelTester t1(editor.steps(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(editor.edges(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!editor.pathShown());
    QVERIFY(flaggedSteps(editor, WorkflowStepsModel::OnPathRole).isEmpty());

    // A completed instance: its steps, every edge it took, nothing failed.
    const QString completed = findInstance(run, QStringLiteral("completed"));
    QVERIFY(!completed.isEmpty());
    run.setSelectedInstance(completed);
    QVariantMap path = run.selectedPath();
    const QStringList tracePath = run.trace()->path();
    QVERIFY(tracePath.size() >= 5);
    QCOMPARE(path.value("workflowId").toString(), kWorkflow);
    QCOMPARE(path.value("instanceId").toString(), completed);
    QCOMPARE(path.value("steps").toStringList(), tracePath);
    QVERIFY(path.value("failedStep").toString().isEmpty());

    QSignalSpy changed(&editor, &WorkflowEditor::highlightChanged);
    editor.setHighlightedPath(path);
    QVERIFY(changed.count() >= 1);
    QVERIFY(editor.pathShown());
    QCOMPARE(editor.highlightedSteps(), tracePath);
    QStringList expectedNodes = tracePath;
    expectedNodes << QStringLiteral("trigger");
    QStringList nodes = flaggedSteps(editor, WorkflowStepsModel::OnPathRole);
    std::sort(nodes.begin(), nodes.end());
    std::sort(expectedNodes.begin(), expectedNodes.end());
    QCOMPARE(nodes, expectedNodes);
    QVERIFY(flaggedSteps(editor, WorkflowStepsModel::PathFailedRole).isEmpty());
    const QList<int> taken = edgesTaken(*wf, run.trace()->sequence());
    // A completed deal went from the trigger to the last step: one edge per transition.
    QCOMPARE(taken.size(), tracePath.size());
    QCOMPARE(flaggedEdges(editor), taken);
    QVariantList shownEdges = editor.highlightedEdges();
    QCOMPARE(shownEdges.size(), taken.size());
    // The deal desk's approval is a branch this deal did not take.
    QVERIFY(!tracePath.contains(QStringLiteral("approve-discount")));
    QCOMPARE(editor.steps()
                 ->index(editor.steps()->indexOf(QStringLiteral("approve-discount")))
                 .data(WorkflowStepsModel::OnPathRole).toBool(), false);

    // A dead-lettered instance: the steps up to the failure, the failing step marked.
    const QString dead = findInstance(run, QStringLiteral("dead-lettered"));
    QVERIFY(!dead.isEmpty());
    run.setSelectedInstance(dead);
    path = run.selectedPath();
    QCOMPARE(path.value("steps").toStringList(), run.trace()->path());
    const QString failing = run.selectedInfo().value("failingStep").toString();
    QVERIFY(!failing.isEmpty());
    QCOMPARE(path.value("failedStep").toString(), failing);
    editor.setHighlightedPath(path);
    QCOMPARE(editor.highlightedSteps(), run.trace()->path());
    QCOMPARE(editor.pathFailedStep(), failing);
    QCOMPARE(flaggedSteps(editor, WorkflowStepsModel::PathFailedRole), QStringList{failing});
    QCOMPARE(flaggedEdges(editor), edgesTaken(*wf, run.trace()->sequence()));
    QVERIFY(!flaggedEdges(editor).isEmpty());

    // The path follows edits: a step removed from the workflow leaves the path.
    const QString last = editor.highlightedSteps().last();
    editor.removeStep(last);
    QVERIFY(!editor.highlightedSteps().contains(last));
    doc.undo();
    QCOMPARE(editor.highlightedSteps(), run.trace()->path());

    // Another workflow open: nothing of the path is drawn; cleared: nothing either.
    const QString other = doc.project().workflows.value(1).id;
    QVERIFY(!other.isEmpty() && other != kWorkflow);
    editor.setSelectedElement(QStringLiteral("workflow:") + other);
    QVERIFY(!editor.pathShown());
    QVERIFY(flaggedSteps(editor, WorkflowStepsModel::OnPathRole).isEmpty());
    QVERIFY(flaggedEdges(editor).isEmpty());
    editor.setSelectedElement(QStringLiteral("workflow:") + kWorkflow);
    QVERIFY(editor.pathShown());
    editor.clearHighlight();
    QVERIFY(!editor.pathShown());
    QVERIFY(flaggedSteps(editor, WorkflowStepsModel::OnPathRole).isEmpty());
    QVERIFY(flaggedEdges(editor).isEmpty());

    // No instance selected: no path.
    run.setSelectedInstance(QString());
    QVERIFY(run.selectedPath().isEmpty());
}

void TestRunLive::showOnCanvasInTheStudio()
{
    QQmlApplicationEngine engine;
    studio::prepareApplication();
    QCoreApplication::setApplicationName(QStringLiteral("tst_runlive"));
    QVERIFY(studio::loadStudio(engine));
    StudioController *ctl = studio::controller(engine);
    QVERIFY(ctl->openTemplate(kTemplate));
    QQuickWindow *window = studio::mainWindow(engine);
    QVERIFY(window);
    window->resize(1440, 900);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    ctl->setCurrentView(StudioController::Run);
    auto *run = window->findChild<RunController *>(QStringLiteral("runController"));
    QVERIFY(run);
    QVERIFY(runAndWait(*run));
    if (QQuickItem *problems = findItem(window->contentItem(), QStringLiteral("problemsPanel")))
        problems->setVisible(false);

    const QString dead = findInstance(*run, QStringLiteral("dead-lettered"));
    QVERIFY(!dead.isEmpty());
    run->setSelectedInstance(dead);
    QQuickItem *button = findItem(window->contentItem(),
                                  QStringLiteral("traceShowOnCanvasButton"));
    QVERIFY(button);
    QTRY_VERIFY(button->isVisible());
    QVERIFY(QMetaObject::invokeMethod(button, "clicked"));
    QCOMPARE(ctl->currentView(), StudioController::Workflows);

    auto *editor = window->findChild<WorkflowEditor *>(QStringLiteral("workflowEditor"));
    QVERIFY(editor);
    QCOMPARE(editor->workflowId(), kWorkflow);
    QTRY_COMPARE(editor->highlightedSteps(), run->trace()->path());
    QCOMPARE(editor->pathFailedStep(), run->selectedInfo().value("failingStep").toString());
    QQuickItem *banner = findItem(window->contentItem(), QStringLiteral("runPathBanner"));
    QVERIFY(banner);
    QTRY_VERIFY(banner->isVisible());
    QQuickItem *failedNode = findItem(window->contentItem(),
                                      QStringLiteral("workflowNode_") + editor->pathFailedStep());
    QVERIFY(failedNode);
    QQuickItem *mark = findItem(failedNode, QStringLiteral("pathFailedMark"));
    QVERIFY(mark && mark->isVisible());
    QTest::qWait(100);
    const QString failedShot = screenshotPath(QStringLiteral("workflow-run-path-failed.png"));
    QVERIFY(studio::grabToFile(window, failedShot));
    QVERIFY(distinctColours(failedShot) >= 16);

    // A completed deal's path, from the run page again.
    ctl->setCurrentView(StudioController::Run);
    run->setSelectedInstance(findInstance(*run, QStringLiteral("completed")));
    QVERIFY(QMetaObject::invokeMethod(button, "clicked"));
    QCOMPARE(ctl->currentView(), StudioController::Workflows);
    QTRY_COMPARE(editor->highlightedSteps(), run->trace()->path());
    QVERIFY(editor->pathFailedStep().isEmpty());
    QTest::qWait(100);
    const QString okShot = screenshotPath(QStringLiteral("workflow-run-path.png"));
    QVERIFY(studio::grabToFile(window, okShot));
    QVERIFY(distinctColours(okShot) >= 16);

    // The banner's close button hides the path.
    QQuickItem *clear = findItem(window->contentItem(), QStringLiteral("clearRunPathButton"));
    QVERIFY(clear);
    QVERIFY(QMetaObject::invokeMethod(clear, "clicked"));
    QTRY_VERIFY(!editor->pathShown());
    QVERIFY(!banner->isVisible());

    // Shown again, then another project opened: the old project's path is gone.
    ctl->setCurrentView(StudioController::Run);
    QVERIFY(QMetaObject::invokeMethod(button, "clicked"));
    QTRY_VERIFY(editor->pathShown());
    QVERIFY(ctl->openTemplate(kTemplate));
    QTRY_VERIFY(editor->highlightedPath().isEmpty());
    QVERIFY(!editor->pathShown());
}

// The mini project's ERP gets a live profile whose base URL is a sandbox served on loopback
// (its step calls POST /Customer, the sandbox's /erp/Customer): a studio run against that
// profile creates the customers there, over HTTP, and not in the run's own sandbox.
void TestRunLive::runAgainstLiveProfile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir().mkpath(dir.filePath("data")));
    for (const char *f : {"data/accounts.jsonl", "data/customers.csv"})
        QVERIFY(QFile::copy(kMiniDir + "/" + f, dir.filePath(f)));
    auto loaded = sb::model::loadProject(kMiniDir + "/mini.switchboard");
    QVERIFY(loaded.ok());
    // The "live" system: a sandbox of the same project on a loopback port.
    auto sandbox = sb::runtime::Sandbox::create(loaded.value(), dir.path());
    QVERIFY(sandbox.ok());
    sb::runtime::SandboxServer server(sandbox.value().get());
    auto port = server.start(QHostAddress::LocalHost, 0);
    QVERIFY(port.ok());
    const int before = sandbox.value()->recordCount("erp", "Customer");
    QVERIFY(before > 0);
    const QString file = writeLiveMini(dir.path(), port.value());
    QVERIFY(!file.isEmpty());
    sb::model::Document doc;
    QVERIFY(doc.load(file).ok());
    RunController run;
    run.setDocument(&doc);
    run.setProjectDir(dir.path());
    bool offered = false;
    for (const QVariant &v : run.profileOptions()) {
        const QVariantMap m = v.toMap();
        offered = offered || (m.value("id") == "production" && m.value("live").toBool());
    }
    QVERIFY(offered);
    run.setProfile(QStringLiteral("production"));
    QVERIFY(run.profileIsLive());
    run.setDatasetId(QStringLiteral("accounts"));
    QVERIFY2(runAndWait(run, 60000), qPrintable(run.errorText()));
    QVERIFY2(run.errorText().isEmpty(), qPrintable(run.errorText()));
    const QVariantMap summary = run.summary();
    QCOMPARE(summary.value("records").toInt(), 3);
    QCOMPARE(summary.value("completed").toInt(), 3);
    // The customers were created in the loopback sandbox, i.e. over HTTP.
    QCOMPARE(sandbox.value()->recordCount("erp", "Customer"), before + 3);
    run.setSelectedInstance(run.instances()->instanceAt(0));
    bool created = false;
    for (int i = 0; i < run.trace()->rowCount(); ++i) {
        const QModelIndex ix = run.trace()->index(i);
        if (ix.data(TraceModel::StepIdRole).toString() == QLatin1String("create-customer")) {
            QCOMPARE(ix.data(TraceModel::HttpStatusRole).toInt(), 201);
            QVERIFY(ix.data(TraceModel::RequestLineRole).toString().startsWith("POST"));
            created = true;
        }
    }
    QVERIFY(created);
    QCOMPARE(run.history()->index(0).data(RunHistoryModel::ProfileRole).toString(),
             QStringLiteral("production"));

    // The live endpoint gone: the calls fail over the network, they are not simulated.
    for (QTcpServer *t : server.servers())
        t->close();
    QVERIFY2(runAndWait(run, 120000), qPrintable(run.errorText()));
    QCOMPARE(run.summary().value("completed").toInt(), 0);
    QCOMPARE(sandbox.value()->recordCount("erp", "Customer"), before + 3);
}

// The run panel offers the live profile, its Run button runs against it; screenshot.
void TestRunLive::liveRunInTheStudio()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir().mkpath(dir.filePath("data")));
    for (const char *f : {"data/accounts.jsonl", "data/customers.csv"})
        QVERIFY(QFile::copy(kMiniDir + "/" + f, dir.filePath(f)));
    auto loaded = sb::model::loadProject(kMiniDir + "/mini.switchboard");
    QVERIFY(loaded.ok());
    auto sandbox = sb::runtime::Sandbox::create(loaded.value(), dir.path());
    QVERIFY(sandbox.ok());
    sb::runtime::SandboxServer server(sandbox.value().get());
    auto port = server.start(QHostAddress::LocalHost, 0);
    QVERIFY(port.ok());
    const int before = sandbox.value()->recordCount("erp", "Customer");
    const QString file = writeLiveMini(dir.path(), port.value());
    QVERIFY(!file.isEmpty());

    QQmlApplicationEngine engine;
    studio::prepareApplication();
    QCoreApplication::setApplicationName(QStringLiteral("tst_runlive"));
    QVERIFY(studio::loadStudio(engine));
    StudioController *ctl = studio::controller(engine);
    QVERIFY(ctl->openProject(file));
    QQuickWindow *window = studio::mainWindow(engine);
    QVERIFY(window);
    window->resize(1440, 900);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    ctl->setCurrentView(StudioController::Run);
    auto *run = window->findChild<RunController *>(QStringLiteral("runController"));
    QVERIFY(run);
    QTRY_COMPARE(run->projectDir(), dir.path());
    run->setDatasetId(QStringLiteral("accounts"));
    run->setProfile(QStringLiteral("production"));
    QQuickItem *box = findItem(window->contentItem(), QStringLiteral("runProfileBox"));
    QVERIFY(box);
    QTRY_COMPARE(box->property("displayText").toString(), QStringLiteral("production (live)"));
    QQuickItem *button = findItem(window->contentItem(), QStringLiteral("runButton"));
    QVERIFY(button);
    QVERIFY(button->property("enabled").toBool());
    QSignalSpy finished(run, &RunController::runFinished);
    QVERIFY(QMetaObject::invokeMethod(button, "clicked"));
    QVERIFY(finished.wait(60000));
    QVERIFY(run->waitIdle(60000));
    QVERIFY2(run->errorText().isEmpty(), qPrintable(run->errorText()));
    QCOMPARE(run->summary().value("completed").toInt(), 3);
    QCOMPARE(sandbox.value()->recordCount("erp", "Customer"), before + 3);
    run->setSelectedInstance(run->instances()->instanceAt(0));
    QVERIFY(run->trace()->rowCount() > 0);
    if (QQuickItem *problems = findItem(window->contentItem(), QStringLiteral("problemsPanel")))
        problems->setVisible(false);
    QTest::qWait(100);
    QQuickItem *test = findItem(window->contentItem(), QStringLiteral("testConnectionButton"));
    QVERIFY(test && test->isVisible());
    // Beside the profile box, not at the row's origin.
    const QPointF at = test->mapToItem(box->parentItem(), QPointF(0, 0));
    QVERIFY2(at.x() >= box->x() + box->width(), qPrintable(QString::number(at.x())));
    const QString shot = screenshotPath(QStringLiteral("run-live.png"));
    QVERIFY(studio::grabToFile(window, shot));
    QVERIFY(distinctColours(shot) >= 16);
}

QTEST_MAIN(TestRunLive)
#include "tst_runlive.moc"
