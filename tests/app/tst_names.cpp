// Names, not ids, in the real studio (offscreen), driven by mouse and keys: deleting a
// system in use shows its impact and asks, Shift+F12 lists usages and a click reveals one,
// Shift+F2 renames an id with every reference following (one undo step, clashes and invalid
// ids refused under the field), and a renamed system's name shows in problems and pickers.

#include "app/landscape/landscapeeditor.h"
#include "app/model/schematreemodel.h"
#include "app/model/systeminspector.h"
#include "app/studio.h"
#include "app/shell/studiocontroller.h"
#include "model/projectjson.h"
#include "model/usages.h"
#include "tests/support/gui/guitestsupport.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtTest>

using studio::findItem;
using namespace sb::model;

namespace {

void typeText(QWindow *window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

class TestNames : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void deleteShowsImpactAndAsks();
    void findUsagesRevealsElement();
    void renameIdFollowsReferences();
    void namesShowAfterRename();
    void schemaFilterIsPerSystem();

private:
    QQuickItem *item(const QString &name) const
    {
        return findItem(m_window->contentItem(), name);
    }
    // Popups live in the window's overlay, not under the content item.
    QObject *popup(const QString &name) const
    {
        return m_window->findChild<QObject *>(name);
    }
    QQuickItem *popupItem(QObject *popup, const QString &name) const
    {
        auto *content = qvariant_cast<QQuickItem *>(popup->property("contentItem"));
        auto *footer = qvariant_cast<QQuickItem *>(popup->property("footer"));
        QQuickItem *found = content ? findItem(content, name) : nullptr;
        return found ? found : (footer ? findItem(footer, name) : nullptr);
    }
    QPoint centreOf(QQuickItem *item) const
    {
        return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
    }
    void click(QQuickItem *item)
    {
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centreOf(item));
    }
    QQuickItem *canvas() const { return item(QStringLiteral("landscapeCanvas")); }
    LandscapeEditor *editor() const
    {
        return qvariant_cast<LandscapeEditor *>(canvas()->property("editor"));
    }

    QTemporaryDir m_dir;
    QString m_project;
    Project m_original;
    QQmlApplicationEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    StudioController *m_ctl = nullptr;
};

void TestNames::initTestCase()
{
    testsupport::initTestApplication(QStringLiteral("switchboard-tests"),
                                     QStringLiteral("tst_names"));
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("q2c.switchboard"));
    QVERIFY(QFile::copy(testsupport::quoteToCashProject(), m_project));
    QFile::setPermissions(m_project, QFile::ReadOwner | QFile::WriteOwner);
    auto loaded = loadProject(m_project);
    QVERIFY(loaded.ok());
    m_original = loaded.takeValue();
    const testsupport::StudioWindow studio =
        testsupport::openStudio(m_project, StudioController::Landscape);
    m_engine = studio.engine;
    m_window = studio.window;
    m_ctl = studio.controller;
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void TestNames::cleanupTestCase() { delete m_engine; }

void TestNames::init()
{
    QVERIFY(m_ctl->openProject(m_project));
    m_ctl->setCurrentView(StudioController::Landscape);
    editor()->clearSelection();
    m_ctl->select(QString());
    QMetaObject::invokeMethod(canvas(), "zoomToFit");
    QTest::qWait(50);
}

void TestNames::deleteShowsImpactAndAsks()
{
    Document *doc = m_ctl->document();
    QQuickItem *billing = nullptr;
    QTRY_VERIFY((billing = item(QStringLiteral("systemNode_billing"))));
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                      billing->mapToScene(QPointF(billing->width() / 2, 30)).toPoint());
    QCOMPARE(m_ctl->selectedSystem(), QStringLiteral("billing"));

    // Delete asks first, listing every reference; Escape keeps the system.
    QObject *dialog = popup(QStringLiteral("deleteImpactDialog"));
    QVERIFY(dialog);
    QTest::keyClick(m_window, Qt::Key_Delete);
    QTRY_VERIFY(dialog->property("opened").toBool());
    const int expected = int(findUsages(doc->project(), ElementRef::parse("system:billing"))
                                 .size());
    QVERIFY(expected > 10);
    QCOMPARE(dialog->property("usages").toList().size(), expected);
    QVERIFY(dialog->property("title").toString().contains(
        QStringLiteral("'Subscription billing' (billing)")));
    const QString shot = testsupport::screenshotPath(QStringLiteral("tst_names-delete.png"));
    QVERIFY(studio::grabToFile(m_window, shot));
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_VERIFY(!dialog->property("visible").toBool());
    QVERIFY(doc->project().system(QStringLiteral("billing")));
    QVERIFY(!m_ctl->isModified());

    // Asked again and confirmed with the mouse: deleted, and one undo brings it all back.
    QTest::keyClick(m_window, Qt::Key_Delete);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QQuickItem *accept = popupItem(dialog, QStringLiteral("usagesAccept"));
    QVERIFY(accept);
    click(accept);
    QTRY_VERIFY(!doc->project().system(QStringLiteral("billing")));
    m_ctl->undo();
    QVERIFY(doc->project() == m_original);

    // A system nothing refers to goes without a question.
    QVariant id;
    QMetaObject::invokeMethod(canvas(), "addSystemAtCentre", Q_RETURN_ARG(QVariant, id),
                              Q_ARG(QVariant, QStringLiteral("tax")));
    QTRY_COMPARE(m_ctl->selectedSystem(), QStringLiteral("tax"));
    editor()->selectOnly(QStringLiteral("tax"));
    QMetaObject::invokeMethod(canvas(), "requestDelete");
    QVERIFY(!doc->project().system(QStringLiteral("tax")));
    QVERIFY(!dialog->property("visible").toBool());
}

void TestNames::findUsagesRevealsElement()
{
    m_ctl->select(QStringLiteral("mapping:customer-to-erp-customer/rule:2"));
    QObject *dialog = popup(QStringLiteral("usagesDialog"));
    QVERIFY(dialog);
    QTest::keyClick(m_window, Qt::Key_F12, Qt::ShiftModifier);
    QTRY_VERIFY(dialog->property("opened").toBool());
    // The rule's mapping is what is asked about: its flow and two workflow steps.
    const QVariantList usages = dialog->property("usages").toList();
    QCOMPARE(usages.size(), 3);
    QVERIFY(dialog->property("title").toString().contains(
        QStringLiteral("'Canonical Customer to ERP Customer' (customer-to-erp-customer)")));
    const QString shot = testsupport::screenshotPath(QStringLiteral("tst_names-usages.png"));
    QVERIFY(studio::grabToFile(m_window, shot));

    // Clicking the second row (a workflow step) shows the workflow page with that step.
    auto *list = qobject_cast<QQuickItem *>(popupItem(dialog, QStringLiteral("usagesList")));
    QVERIFY(list);
    QQuickItem *row = nullptr;
    QTRY_VERIFY(list->property("count").toInt() == 3);
    QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, row),
                              Q_ARG(int, 1));
    QVERIFY(row);
    const QString target = usages[1].toMap().value("element").toString();
    QVERIFY(target.startsWith(QLatin1String("workflow:")));
    click(row);
    QTRY_VERIFY(!dialog->property("visible").toBool());
    QCOMPARE(m_ctl->selectedElement(), target);
    QCOMPARE(m_ctl->currentView(), StudioController::Workflows);
}

void TestNames::renameIdFollowsReferences()
{
    Document *doc = m_ctl->document();
    m_ctl->select(QStringLiteral("system:erp"));
    QObject *dialog = popup(QStringLiteral("renameIdDialog"));
    QVERIFY(dialog);
    QTest::keyClick(m_window, Qt::Key_F2, Qt::ShiftModifier);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QQuickItem *field = popupItem(dialog, QStringLiteral("renameIdField"));
    QQuickItem *error = popupItem(dialog, QStringLiteral("renameIdError"));
    QVERIFY(field && error);
    QCOMPARE(field->property("text").toString(), QStringLiteral("erp"));
    QTRY_VERIFY(field->hasActiveFocus());

    // An invalid id and a clash are explained under the field; nothing changes.
    typeText(m_window, QStringLiteral("a b"));
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY(error->isVisible());
    QVERIFY(error->property("text").toString().contains(QStringLiteral("not a valid id")));
    QVERIFY(dialog->property("visible").toBool());
    QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
    typeText(m_window, QStringLiteral("crm"));
    QVERIFY(!error->isVisible());  // typing clears the old complaint
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY(error->property("text").toString().contains(QStringLiteral("already exists")));
    const QString shot = testsupport::screenshotPath(QStringLiteral("tst_names-rename.png"));
    QVERIFY(studio::grabToFile(m_window, shot));
    QVERIFY(!m_ctl->isModified());

    QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
    typeText(m_window, QStringLiteral("netsuite"));
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY(!dialog->property("visible").toBool());
    const Project &p = doc->project();
    QVERIFY(p.system(QStringLiteral("netsuite")) && !p.system(QStringLiteral("erp")));
    QCOMPARE(p.mapping(QStringLiteral("customer-to-erp-customer"))->target.system,
             QStringLiteral("netsuite"));
    QCOMPARE(m_ctl->selectedElement(), QStringLiteral("system:netsuite"));
    QVERIFY(m_ctl->undoText().contains(QStringLiteral("'erp' to 'netsuite'")));
    // No finding names the old id: every reference followed.
    m_ctl->validateNow();
    for (int i = 0; i < m_ctl->findings()->rowCount(); ++i)
        QVERIFY(!m_ctl->findings()->findings()[i].message.contains(QLatin1String("'erp'")));
    m_ctl->undo();
    QVERIFY(doc->project() == m_original);
}

void TestNames::namesShowAfterRename()
{
    Document *doc = m_ctl->document();
    doc->renameSystem(QStringLiteral("erp"), QStringLiteral("Xero"));
    doc->endMergeGroup();
    // A step calling the ERP without a timeout: a finding that names the system.
    Workflow w = *doc->project().workflow(QStringLiteral("closed-won-to-cash"));
    for (Step &s : w.steps) {
        if (s.id == QLatin1String("erp-sales-order"))
            s.timeoutMs = 0;
    }
    doc->updateWorkflow(w, QStringLiteral("Drop timeout"));
    doc->endMergeGroup();
    m_ctl->validateNow();
    // Problems name the system by its new name, the id in brackets.
    bool named = false;
    for (const Finding &f : m_ctl->findings()->findings())
        named = named || f.message.contains(QLatin1String("'Xero' (erp)"));
    QVERIFY2(named, "no finding names 'Xero' (erp)");

    // The flow inspector's pickers show names and keep ids.
    m_ctl->select(QStringLiteral("flow:crm-erp-customer"));
    QQuickItem *combo = nullptr;
    QTRY_VERIFY((combo = item(QStringLiteral("flowWorkflow"))) && combo->isVisible());
    QTRY_COMPARE(combo->property("currentText").toString(),
                 QStringLiteral("Customer master sync"));
    QCOMPARE(combo->property("currentValue").toString(), QStringLiteral("customer-master-sync"));
    const QString shot = testsupport::screenshotPath(QStringLiteral("tst_names-flow.png"));
    QVERIFY(studio::grabToFile(m_window, shot));
}

void TestNames::schemaFilterIsPerSystem()
{
    // A filter typed for one system's entities does not hide the next system's, nor the
    // next project's.
    SchemaTreeModel schema;
    schema.setDocument(m_ctl->document());
    schema.setSystemId(QStringLiteral("crm"));
    const int all = schema.rowCount();
    schema.setFilter(QStringLiteral("zzznothing"));
    QCOMPARE(schema.rowCount(), 0);
    schema.setSystemId(QStringLiteral("erp"));
    QCOMPARE(schema.filter(), QString());
    QVERIFY(schema.rowCount() > 0);
    schema.setSystemId(QStringLiteral("crm"));
    QCOMPARE(schema.rowCount(), all);
    schema.setFilter(QStringLiteral("zzznothing"));
    QVERIFY(m_ctl->openProject(m_project));
    QCOMPARE(schema.filter(), QString());
    QCOMPARE(schema.rowCount(), all);
}

QTEST_MAIN(TestNames)
#include "tst_names.moc"
