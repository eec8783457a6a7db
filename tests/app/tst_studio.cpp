// The real studio UI, offscreen: the same engine set-up as main(), a project with four
// systems on the canvas, the problems panel, dragging a card (an undoable Document edit),
// the error dialog for a malformed file, and a screenshot that is not blank.

#include "app/studio.h"
#include "app/shell/studiocontroller.h"

#include <QFileInfo>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using studio::findItem;

namespace {

QString projectUnderTest()
{
    // The bundled template once it exists, else the test fixture.
    const QString tmpl = QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                        "/templates/quote-to-cash/quote-to-cash.switchboard");
    if (QFileInfo::exists(tmpl))
        return tmpl;
    return QStringLiteral(SWITCHBOARD_TEST_DATA "/landscape.switchboard");
}

} // namespace

class TestStudio : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsSystemsOnCanvas();
    void problemsPanelExists();
    void dragMovesThroughDocument();
    void titleRenamesProject();
    void screenshotIsNotBlank();
    void malformedProjectShowsError();
    void closeReturnsToStartPage();

private:
    QQmlApplicationEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    StudioController *m_ctl = nullptr;
};

void TestStudio::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    studio::prepareApplication();
    QCoreApplication::setApplicationName(QStringLiteral("tst_studio"));
    m_engine = new QQmlApplicationEngine;
    QVERIFY(studio::loadStudio(*m_engine, projectUnderTest()));
    m_window = studio::mainWindow(*m_engine);
    QVERIFY(m_window);
    m_ctl = studio::controller(*m_engine);
    QVERIFY(m_ctl->hasProject());
    m_window->resize(1400, 900);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTest::qWait(300);  // zoom to fit runs after the first layout
}

void TestStudio::cleanupTestCase()
{
    delete m_engine;
}

void TestStudio::showsSystemsOnCanvas()
{
    const auto &systems = m_ctl->document()->project().systems;
    QCOMPARE(systems.size(), 4);
    QQuickItem *canvas = findItem(m_window->contentItem(), QStringLiteral("landscapeCanvas"));
    QVERIFY(canvas);
    const QRectF canvasRect = canvas->mapRectToScene(QRectF(0, 0, canvas->width(),
                                                            canvas->height()));
    for (const auto &s : systems) {
        QQuickItem *node = findItem(m_window->contentItem(), QStringLiteral("systemNode_") + s.id);
        QVERIFY2(node, qPrintable(s.id));
        QVERIFY(node->isVisible());
        QVERIFY(node->width() > 0 && node->height() > 0);
        const QRectF r = node->mapRectToScene(QRectF(0, 0, node->width(), node->height()));
        // Zoom to fit put every card fully inside the canvas.
        QVERIFY2(canvasRect.contains(r), qPrintable(s.id));
    }
    QVERIFY(m_ctl->flows()->rowCount() > 0);
}

void TestStudio::problemsPanelExists()
{
    QQuickItem *panel = findItem(m_window->contentItem(), QStringLiteral("problemsPanel"));
    QVERIFY(panel);
    QVERIFY(panel->isVisible());
    QVERIFY(panel->height() >= 72);
    QCOMPARE(panel->property("count").toInt(), m_ctl->findings()->rowCount());
    QVERIFY(findItem(m_window->contentItem(), QStringLiteral("statusBar")));
}

void TestStudio::dragMovesThroughDocument()
{
    const auto &systems = m_ctl->document()->project().systems;
    const QString id = systems.first().id;
    const QPointF before = systems.first().position;
    QQuickItem *node = findItem(m_window->contentItem(), QStringLiteral("systemNode_") + id);
    QVERIFY(node);
    const QPoint start = node->mapToScene(QPointF(node->width() / 2, 30)).toPoint();
    const int historyBefore = m_ctl->document()->historySize();

    QTest::mousePress(m_window, Qt::LeftButton, Qt::NoModifier, start);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(m_window, start + QPoint(8 * i, 5 * i), 10);
    QTest::mouseRelease(m_window, Qt::LeftButton, Qt::NoModifier, start + QPoint(80, 50));

    const QPointF after = m_ctl->document()->project().system(id)->position;
    QVERIFY2(after != before, "drag did not move the system");
    // The whole drag is one undo step.
    QCOMPARE(m_ctl->document()->historySize(), historyBefore + 1);
    QVERIFY(m_ctl->isModified());
    QCOMPARE(m_ctl->selectedSystem(), id);
    QCOMPARE(node->x(), after.x());

    m_ctl->undo();
    QCOMPARE(m_ctl->document()->project().system(id)->position, before);
    QCOMPARE(node->x(), before.x());
    QVERIFY(!m_ctl->isModified());
}

// Double-clicking the project title edits it in place; Enter keeps it as one undo step.
void TestStudio::titleRenamesProject()
{
    QQuickItem *title = findItem(m_window->contentItem(), QStringLiteral("projectTitle"));
    QQuickItem *field = findItem(m_window->contentItem(), QStringLiteral("projectNameField"));
    QVERIFY(title && field);
    const QString before = m_ctl->projectName();
    const QPoint at = title->mapToScene(QPointF(10, title->height() / 2)).toPoint();
    QTest::mouseDClick(m_window, Qt::LeftButton, Qt::NoModifier, at);
    QTRY_VERIFY(field->isVisible());
    QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
    for (const QChar c : QStringLiteral("Renamed"))
        QTest::keyClick(m_window, c.toLatin1());
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY(!field->isVisible());
    QCOMPARE(m_ctl->projectName(), QStringLiteral("Renamed"));
    // Typing was not a step per key: one undo restores the old name.
    m_ctl->undo();
    QCOMPARE(m_ctl->projectName(), before);
}

void TestStudio::screenshotIsNotBlank()
{
    const QString file = QDir(QCoreApplication::applicationDirPath())
                             .filePath(QStringLiteral("tst_studio.png"));
    QVERIFY(studio::grabToFile(m_window, file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 1000);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 16, qPrintable(QString::number(colours.size())));
}

void TestStudio::malformedProjectShowsError()
{
    const QString file = QStringLiteral(SWITCHBOARD_TEST_DATA "/malformed.switchboard");
    QVERIFY(!m_ctl->openProject(file));
    QObject *dialog = m_window->findChild<QObject *>(QStringLiteral("errorDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QVERIFY(dialog->property("details").toString().contains(QStringLiteral("spaceship")));
    // The open project is untouched.
    QCOMPARE(m_ctl->document()->project().systems.size(), 4);
    QMetaObject::invokeMethod(dialog, "close");
    QTRY_VERIFY(!dialog->property("visible").toBool());
}

void TestStudio::closeReturnsToStartPage()
{
    m_ctl->closeProject();
    QQuickItem *start = findItem(m_window->contentItem(), QStringLiteral("startPage"));
    QVERIFY(start);
    QTRY_VERIFY(start->isVisible());
    QCOMPARE(m_window->title(), QStringLiteral("Switchboard"));

    // Reopening recreates every edge path (the old ones were removed from the Shape).
    QVERIFY(m_ctl->openProject(projectUnderTest()));
    QQuickItem *canvas = findItem(m_window->contentItem(), QStringLiteral("landscapeCanvas"));
    QTRY_VERIFY(canvas && canvas->isVisible());
    QTRY_COMPARE(canvas->property("nodeCount").toInt(),
                 int(m_ctl->document()->project().systems.size()));
    QVERIFY(!m_window->grabWindow().isNull());
    m_ctl->newProject();
    QCOMPARE(m_ctl->flows()->rowCount(), 0);
    QVERIFY(!m_window->grabWindow().isNull());
    // A new project saved for the first time is named after its file, not "Untitled".
    QTemporaryDir dir;
    QCOMPARE(m_ctl->projectName(), QStringLiteral("Untitled"));
    QVERIFY(m_ctl->saveAs(dir.filePath(QStringLiteral("onboarding-draft.switchboard"))));
    QCOMPARE(m_ctl->projectName(), QStringLiteral("onboarding-draft"));
    QVERIFY(!m_ctl->isModified());
    QVERIFY(m_ctl->openProject(projectUnderTest()));
    QVERIFY(!m_window->grabWindow().isNull());
}

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
