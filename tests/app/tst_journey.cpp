// A newcomer's first day, end to end, as a user does it: the real studio on its own X server
// (Xvfb) with a window manager (openbox), driven ONLY by synthetic mouse and keyboard input
// (xdotool) at screen coordinates read from the studio's item dump. New project, add a
// system, import an OpenAPI file through the file dialog, map it onto the canonical model
// with a pasted sample, build a workflow from the palette, run it, export the bundle through
// the export dialog, close with the unsaved-changes prompt, reopen with Ctrl+O from the start
// page. Every step is asserted on what the studio shows (and at the end on the files it
// wrote) and leaves a screenshot journey-NN-*.png beside this executable.
//
// Skips (QSKIP, with the reason) only where the X server or the input tools cannot run.

#include "journeydriver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using journey::Driver;
using journey::Item;
using journey::button;
using journey::buttonContaining;
using journey::named;
using journey::namedPrefix;

namespace {

const QString kData = QStringLiteral(SWITCHBOARD_TEST_DATA "/journey");
constexpr int kSlow = 60000;   // software GL on a shared machine: generous waits

QJsonObject readJson(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

} // namespace

class TestJourney : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void newcomerJourney();

private:
    // Screenshot `name` and check it shows more than a blank screen.
    void shot(const QString &name);
    // Clicks the item that matches, once it is there and enabled.
    bool press(const journey::Match &m, const char *what, int timeoutMs = kSlow);
    bool pickFile(const QString &name, const char *what);
    void retype(const Item &field, const QString &text, bool enter = true);
    bool choose(const journey::Match &combo, const QString &text, const char *what);
    // The steps, each asserting what it reached.
    void startPageToNewProject();
    void addSystem();
    void importOpenApiThroughFileDialog();
    void canonicalModelFromTheSameFile();
    void mapOntoCanonicalWithPastedSample();
    void ownPersonInCrm();
    void workflowFromPalette();
    void runIt();
    void exportThroughDialog();
    void closeWithUnsavedPrompt();
    void reopenWithCtrlO();

    journey::Desktop m_desktop;
    QTemporaryDir m_tmp;
    std::unique_ptr<Driver> m_driver;
    QString m_workDir;
    QString m_shotDir;
    int m_shots = 0;
    QString m_project;
};

void TestJourney::initTestCase()
{
    QString why;
    if (!m_desktop.start(&why))
        QSKIP(qPrintable(QStringLiteral("no X server for the journey: %1").arg(why)));
    QVERIFY(m_tmp.isValid());
    m_workDir = m_tmp.filePath(QStringLiteral("work"));
    QVERIFY(QDir().mkpath(m_workDir));
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("settings"))));
    for (const char *name : {"contacts-api.json", "contacts.jsonl"}) {
        QVERIFY(QFile::copy(kData + QLatin1Char('/') + QLatin1String(name),
                            m_workDir + QLatin1Char('/') + QLatin1String(name)));
    }
    m_shotDir = QCoreApplication::applicationDirPath();
    for (const QString &old : QDir(m_shotDir).entryList({QStringLiteral("journey-*.png")}))
        QFile::remove(QDir(m_shotDir).filePath(old));
    m_driver = std::make_unique<Driver>(m_desktop, m_workDir,
                                        m_tmp.filePath(QStringLiteral("settings")), m_shotDir);
}

void TestJourney::shot(const QString &name)
{
    const QString file = m_driver->screenshot(
        QStringLiteral("journey-%1-%2.png").arg(++m_shots, 2, 10, QLatin1Char('0')).arg(name));
    QVERIFY2(Driver::colours(file) >= 16, qPrintable(file));
}

bool TestJourney::press(const journey::Match &m, const char *what, int timeoutMs)
{
    Item item;
    const bool ready = m_driver->waitUntil([&] {
        item = m_driver->find(m);
        return item.valid() && item.enabled;
    }, timeoutMs);
    if (!ready) {
        qWarning("not found or disabled: %s", what);
        m_driver->screenshot(QStringLiteral("journey-failed-%1.png").arg(QLatin1String(what)
                                                                          .left(20)));
        return false;
    }
    QTest::qWait(400);  // popups and dialogs animate in: click where it comes to rest
    item = m_driver->find(m);
    m_driver->click(item);
    return true;
}

void TestJourney::newcomerJourney()
{
    QVERIFY(m_driver->startStudio());
    startPageToNewProject();
    if (QTest::currentTestFailed())
        return;
    addSystem();
    if (QTest::currentTestFailed())
        return;
    importOpenApiThroughFileDialog();
    if (QTest::currentTestFailed())
        return;
    canonicalModelFromTheSameFile();
    if (QTest::currentTestFailed())
        return;
    mapOntoCanonicalWithPastedSample();
    if (QTest::currentTestFailed())
        return;
    ownPersonInCrm();
    if (QTest::currentTestFailed())
        return;
    workflowFromPalette();
    if (QTest::currentTestFailed())
        return;
    runIt();
    if (QTest::currentTestFailed())
        return;
    exportThroughDialog();
    if (QTest::currentTestFailed())
        return;
    closeWithUnsavedPrompt();
    if (QTest::currentTestFailed())
        return;
    reopenWithCtrlO();
}

void TestJourney::startPageToNewProject()
{
    const Item start = m_driver->waitFor(named(QStringLiteral("startPage")), kSlow);
    QVERIFY2(start.valid(), qPrintable(m_driver->studioErrors()));
    QVERIFY(m_driver->waitFor(button(QStringLiteral("New project"))).valid());
    shot(QStringLiteral("start-page"));
    QVERIFY(press(button(QStringLiteral("New project")), "New project"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("landscapeCanvas")), kSlow).valid());
    QVERIFY(m_driver->waitGone(named(QStringLiteral("startPage"))));
    shot(QStringLiteral("new-project"));
}

void TestJourney::addSystem()
{
    QVERIFY(press(named(QStringLiteral("addSystemButton")), "Add system"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("addSystemMenu"))).valid()
            || m_driver->waitFor(button(QStringLiteral("CRM"))).valid());
    shot(QStringLiteral("add-system-menu"));
    QVERIFY(press(button(QStringLiteral("CRM")), "CRM kind"));
    QVERIFY(m_driver->waitGone(button(QStringLiteral("Middleware")), kSlow));  // menu closed
    const Item node = m_driver->waitFor(namedPrefix(QStringLiteral("systemNode_")), kSlow);
    QVERIFY(node.valid());
    QVERIFY(m_driver->waitFor(named(QStringLiteral("importButton")), kSlow).valid());
    shot(QStringLiteral("system-added"));
}

// In an open Qt file dialog: the file `name` of the working folder, then Open.
bool TestJourney::pickFile(const QString &name, const char *what)
{
    const Item list = m_driver->waitFor(named(QStringLiteral("fileDialogListView")), kSlow);
    if (!list.valid()) {
        qWarning("%s: no file dialog", what);
        m_driver->screenshot(QStringLiteral("journey-failed-file-dialog.png"));
        return false;
    }
    auto file = [name](const Item &i) {
        return i.raw.value(QLatin1String("fileName")).toString() == name;
    };
    if (!press(file, what))
        return false;
    shot(QStringLiteral("file-dialog"));
    // Open, in the dialog's own button box (enabled once the file is selected).
    if (!press(button(QStringLiteral("Open")), "Open"))
        return false;
    return m_driver->waitGone(named(QStringLiteral("fileDialogListView")), kSlow);
}

void TestJourney::importOpenApiThroughFileDialog()
{
    // The new system is selected: its inspector offers the import.
    QVERIFY(press(named(QStringLiteral("importButton")), "Import..."));
    QVERIFY(press(named(QStringLiteral("chooseFileButton")), "Choose file..."));
    QVERIFY(pickFile(QStringLiteral("contacts-api.json"), "contacts-api.json"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("importSchemaList")), kSlow).valid());
    QVERIFY(m_driver->waitUntil([&] {
        const Item accept = m_driver->find(named(QStringLiteral("importAccept")));
        return accept.valid() && accept.enabled;
    }, kSlow));
    shot(QStringLiteral("import-dialog"));
    QVERIFY(press(named(QStringLiteral("importAccept")), "Import"));
    QVERIFY(m_driver->waitGone(named(QStringLiteral("importSchemaList")), kSlow));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("entityName_Contact")), kSlow).valid());
    shot(QStringLiteral("system-imported"));
}

// Selects all the text of a field under the pointer and types over it, then Return.
void TestJourney::retype(const Item &field, const QString &text, bool enter)
{
    m_driver->click(field);
    m_driver->key(QStringLiteral("ctrl+a"));
    m_driver->type(text);
    if (enter)
        m_driver->key(QStringLiteral("Return"));
}

// Opens the combo box that matches and picks the entry with `text`.
bool TestJourney::choose(const journey::Match &combo, const QString &text, const char *what)
{
    if (!press(combo, what))
        return false;
    return press(button(text), what);
}

void TestJourney::canonicalModelFromTheSameFile()
{
    // A canonical entity of the company's own, with the key field every entity starts with.
    QVERIFY(press(named(QStringLiteral("mode-model")), "Model view"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("canonicalModelPage")), kSlow).valid());
    QVERIFY(press(named(QStringLiteral("addEntityButton")), "+ Entity"));
    const Item name = m_driver->waitFor(named(QStringLiteral("entityName_Entity")), kSlow);
    QVERIFY(name.valid());
    retype(name, QStringLiteral("Person"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("entityName_Person")), kSlow).valid());
    shot(QStringLiteral("canonical-entity"));
}

void TestJourney::mapOntoCanonicalWithPastedSample()
{
    QVERIFY(press(named(QStringLiteral("mode-mappings")), "Mappings view"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("mappingsPage")), kSlow).valid());
    QVERIFY(press(button(QStringLiteral("New mapping\u2026")), "New mapping..."));
    // (A dialog is a popup, not an item: its buttons show it is open.)
    QVERIFY(m_driver->waitFor(button(QStringLiteral("OK")), kSlow).valid());
    shot(QStringLiteral("new-mapping-dialog"));
    // The dialog proposes the system's entity into the canonical one: OK.
    QVERIFY(press(button(QStringLiteral("OK")), "OK"));
    QVERIFY(m_driver->waitGone(button(QStringLiteral("OK")), kSlow));
    const Item source = m_driver->waitFor(named(QStringLiteral("sourcePort_id")), kSlow);
    const Item target = m_driver->waitFor(named(QStringLiteral("targetField_id")), kSlow);
    QVERIFY(source.valid() && target.valid());
    // From the port dot, as the lines suggest.
    m_driver->drag(source.centre(), target.centre());
    QVERIFY(m_driver->waitFor(named(QStringLiteral("expressionEditor")), kSlow).valid());
    QVERIFY(m_driver->waitUntil([&] {
        return m_driver->find(named(QStringLiteral("expressionEditor"))).text
               == QStringLiteral("id");
    }, kSlow));
    shot(QStringLiteral("mapped-by-drag"));

    // No data set for the new source yet: paste a record.
    QVERIFY(press(named(QStringLiteral("samplePasteButton")), "Paste JSON..."));
    const Item text = m_driver->waitFor(named(QStringLiteral("samplePasteText")), kSlow);
    QVERIFY(text.valid());
    m_driver->click(text);
    m_driver->type(QStringLiteral(
        "{\"id\": \"c-42\", \"name\": \"alan turing\"}"));
    shot(QStringLiteral("paste-sample"));
    QVERIFY(press(named(QStringLiteral("samplePasteUse")), "Use as sample"));
    QVERIFY(m_driver->waitGone(named(QStringLiteral("samplePasteText")), kSlow));
    QVERIFY(m_driver->waitUntil([&] {
        return m_driver->find(named(QStringLiteral("previewText"))).text.contains(
            QStringLiteral("c-42"));
    }, kSlow));
    shot(QStringLiteral("preview-from-pasted-sample"));
}

// Export refuses a canonical field nobody owns: the CRM becomes the owner of Person.
void TestJourney::ownPersonInCrm()
{
    QVERIFY(press(named(QStringLiteral("mode-ownership")), "Ownership view"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("ownershipPage")), kSlow).valid());
    QVERIFY(press(named(QStringLiteral("ownershipCell_Person_crm")), "Person x crm"));
    shot(QStringLiteral("ownership"));  // the export below fails if the owner is missing
}

void TestJourney::workflowFromPalette()
{
    QVERIFY(press(named(QStringLiteral("mode-workflows")), "Workflows view"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("workflowsPage")), kSlow).valid());
    QVERIFY(press(named(QStringLiteral("addWorkflowButton")), "New workflow"));
    const Item rename = m_driver->waitFor(named(QStringLiteral("workflowRenameField")), kSlow);
    QVERIFY(rename.valid());
    QVERIFY(m_driver->waitUntil([&] {
        return m_driver->find(named(QStringLiteral("workflowRenameField"))).focus;
    }, kSlow));
    m_driver->key(QStringLiteral("ctrl+a"));
    m_driver->type(QStringLiteral("Sync contacts"));
    m_driver->key(QStringLiteral("Return"));
    QVERIFY(m_driver->waitGone(named(QStringLiteral("workflowRenameField")), kSlow));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("workflowNode_trigger")), kSlow).valid());
    shot(QStringLiteral("new-workflow"));

    // What starts it: a Contact of the new system.
    QVERIFY(press(named(QStringLiteral("workflowNode_trigger")), "trigger"));
    // Pickers show a system by its name (the id in brackets when they differ).
    QVERIFY(press(named(QStringLiteral("triggerSystemChoiceBox")), "trigger system"));
    QVERIFY(press(buttonContaining(QStringLiteral("crm")), "trigger system: crm"));
    QVERIFY(choose(named(QStringLiteral("triggerEntityChoiceBox")), QStringLiteral("Contact"),
                   "trigger entity"));
    shot(QStringLiteral("trigger-chosen"));
    // Webhooks say how a caller is checked: here, not at all (a warning, not an error).
    const Item auth = m_driver->scrollTo(named(QStringLiteral("webhookAuthChoiceBox")),
                                         named(QStringLiteral("workflowInspector")));
    QVERIFY(auth.valid());
    m_driver->click(auth);
    QVERIFY(press(buttonContaining(QStringLiteral("None (unsigned")), "auth: none"));
    // A click on a palette entry adds the step after the selection (the trigger).
    QVERIFY(press(named(QStringLiteral("workflowNode_trigger")), "trigger"));
    QVERIFY(press(named(QStringLiteral("palette_step_map")), "palette: Map"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("workflowNode_map")), kSlow).valid());
    // The new step is selected: it maps with the mapping made above.
    const Item mapping = m_driver->scrollTo(named(QStringLiteral("stepMappingFieldBox")),
                                            named(QStringLiteral("workflowInspector")));
    QVERIFY(mapping.valid());
    m_driver->click(mapping);
    QVERIFY(press(buttonContaining(QStringLiteral("contact")), "step mapping"));
    shot(QStringLiteral("workflow-built"));
}

void TestJourney::runIt()
{
    QVERIFY(press(named(QStringLiteral("mode-run")), "Run view"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("runPage")), kSlow).valid());
    QVERIFY(press(named(QStringLiteral("runDatasetFileButton")), "data set file"));
    QVERIFY(pickFile(QStringLiteral("contacts.jsonl"), "contacts.jsonl"));
    QVERIFY(press(named(QStringLiteral("runButton")), "Run"));
    QVERIFY(m_driver->waitUntil([&] {
        const Item records = m_driver->find(named(QStringLiteral("recordsCard")));
        return records.raw.contains(QLatin1String("value"))
               && records.raw.value(QLatin1String("value")).toString() == QStringLiteral("4");
    }, kSlow));
    shot(QStringLiteral("run"));
}

void TestJourney::exportThroughDialog()
{
    m_driver->key(QStringLiteral("ctrl+e"));
    const Item path = m_driver->waitFor(named(QStringLiteral("exportPathField")), kSlow);
    QVERIFY(path.valid());
    const QString bundle = QDir(m_workDir).filePath(QStringLiteral("contacts.bundle.json"));
    retype(path, bundle);
    QVERIFY(press(named(QStringLiteral("exportButton")), "Export"));
    QVERIFY(m_driver->waitFor(named(QStringLiteral("exportCommandField")), kSlow).valid());
    shot(QStringLiteral("exported"));
    const QJsonObject written = readJson(bundle);
    QVERIFY2(!written.isEmpty(), qPrintable(bundle));
    QVERIFY(press(button(QStringLiteral("Close")), "Close"));
    QVERIFY(m_driver->waitGone(named(QStringLiteral("exportPathField")), kSlow));
}

void TestJourney::closeWithUnsavedPrompt()
{
    m_driver->key(QStringLiteral("ctrl+q"));
    QVERIFY(m_driver->waitFor(button(QStringLiteral("Discard")), kSlow).valid());
    shot(QStringLiteral("unsaved-prompt"));
    QVERIFY(press(named(QStringLiteral("dialogAccept")), "Save"));
    // An untitled project: the save dialog asks where (it opens in the working folder).
    const Item name = m_driver->waitFor(named(QStringLiteral("fileNameTextField")), kSlow);
    QVERIFY(name.valid());
    // Return finishes the name: Qt's dialog enables Save once the name is taken.
    retype(name, QStringLiteral("journey.switchboard"));
    shot(QStringLiteral("save-dialog"));
    QVERIFY(press(button(QStringLiteral("Save")), "Save in the file dialog"));
    const int exit = m_driver->waitForExit(kSlow);
    QVERIFY2(exit == 0, qPrintable(m_driver->studioErrors()));
    m_project = QDir(m_workDir).filePath(QStringLiteral("journey.switchboard"));
    const QJsonObject saved = readJson(m_project);
    QVERIFY2(!saved.isEmpty(), qPrintable(m_project));
    // What the journey built is in the file.
    const QJsonArray systems = saved.value(QLatin1String("systems")).toArray();
    QCOMPARE(systems.size(), 1);
    const QJsonArray entities = systems.first().toObject().value(QLatin1String("entities"))
                                    .toArray();
    QVERIFY(!entities.isEmpty());
    QCOMPARE(entities.first().toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("Contact"));
    const QJsonArray mappings = saved.value(QLatin1String("mappings")).toArray();
    QCOMPARE(mappings.size(), 1);
    QVERIFY(!mappings.first().toObject().value(QLatin1String("rules")).toArray().isEmpty());
    const QJsonArray workflows = saved.value(QLatin1String("workflows")).toArray();
    QCOMPARE(workflows.size(), 1);
    QCOMPARE(workflows.first().toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("Sync contacts"));
}

void TestJourney::reopenWithCtrlO()
{
    QVERIFY(m_driver->startStudio());
    QVERIFY(m_driver->waitFor(named(QStringLiteral("startPage")), kSlow).valid());
    m_driver->key(QStringLiteral("ctrl+o"));
    QVERIFY(pickFile(QStringLiteral("journey.switchboard"), "journey.switchboard"));
    QVERIFY(m_driver->waitFor(namedPrefix(QStringLiteral("systemNode_")), kSlow).valid());
    QVERIFY(m_driver->waitGone(named(QStringLiteral("startPage"))));
    shot(QStringLiteral("reopened"));
    m_driver->key(QStringLiteral("ctrl+q"));  // nothing changed: no prompt
    QCOMPARE(m_driver->waitForExit(kSlow), 0);
}

QTEST_GUILESS_MAIN(TestJourney)
#include "tst_journey.moc"
