// diff and merge compare projects element by element, as a reviewer reads them: a changed
// rule shows as "rule customerId: expression: id → ...", a moved card is not a change unless
// asked for, and a merge combines edits to different elements but never writes a file that
// hides a conflict or does not load. Both work as git's external diff and merge driver.
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

QJsonObject loadTemplate()
{
    QFile f(kTemplate);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

bool write(const QString &file, const QJsonObject &project)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           f.write(QJsonDocument(project).toJson()) > 0;
}

// Edits by path: {"mappings", "0", "rules", "0", "expression"}.
QJsonValue setAt(const QJsonValue &node, const QStringList &path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        const int i = path.first().toInt();
        if (value.isUndefined() && path.size() == 1)
            a.removeAt(i);
        else
            a[i] = setAt(a.at(i), path.mid(1), value);
        return a;
    }
    QJsonObject o = node.toObject();
    if (value.isUndefined() && path.size() == 1)
        o.remove(path.first());
    else
        o[path.first()] = setAt(o.value(path.first()), path.mid(1), value);
    return o;
}

QJsonObject edited(QJsonObject project, const QString &path, const QJsonValue &value)
{
    return setAt(project, path.split(QLatin1Char('/')), value).toObject();
}

QJsonValue at(const QJsonObject &project, const QString &path)
{
    QJsonValue node = project;
    for (const QString &part : path.split(QLatin1Char('/')))
        node = node.isArray() ? node.toArray().at(part.toInt()) : node.toObject().value(part);
    return node;
}

QJsonObject readProject(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

} // namespace

class TestCliDiff : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_base = loadTemplate();
        QVERIFY(!m_base.isEmpty());
        QVERIFY(write(file("base.switchboard"), m_base));
    }

    void equalProjectsExitZero()
    {
        // The same project written differently (indentation, key order) is no change.
        QFile::remove(file("same.switchboard"));
        QVERIFY(QFile::copy(kTemplate, file("same.switchboard")));
        const Run r = run({"diff", file("base.switchboard"), file("same.switchboard")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QString());
    }

    void namesWhatChanged()
    {
        QJsonObject changed = edited(m_base, "mappings/0/rules/0/expression", "$uppercase(id)");
        changed = edited(changed, "systems/0/name", "Salesforce");
        QJsonArray fields = at(changed, "systems/0/entities/0/fields").toArray();
        fields.append(QJsonObject{{"name", "website"}, {"type", "string"}});
        changed = edited(changed, "systems/0/entities/0/fields", fields);
        QVERIFY(write(file("new.switchboard"), changed));

        const Run r = run({"diff", file("base.switchboard"), file("new.switchboard")});
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.contains(QStringLiteral(
                     "~ mapping CRM Account to canonical Customer [crm-account-to-customer] › "
                     "rule customerId: expression: id → $uppercase(id)")),
                 qPrintable(r.out));
        QVERIFY2(lines.contains(QStringLiteral("~ system Salesforce [crm]: name: CRM → "
                                               "Salesforce")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("+ system Salesforce [crm] › entity Account › "
                                               "field website (string)")),
                 qPrintable(r.out));
        QCOMPARE(lines.size(), 3);
    }

    void removedAndAddedElements()
    {
        QJsonObject changed = m_base;
        const QString stepId = at(m_base, "workflows/0/steps/1/id").toString();
        // Remove the step and every edge touching it, so the project still loads.
        QJsonObject workflow = at(m_base, "workflows/0").toObject();
        QJsonArray steps = workflow.value("steps").toArray();
        steps.removeAt(1);
        QJsonArray edges;
        int removedEdges = 0;
        for (const QJsonValue &e : workflow.value("edges").toArray()) {
            const QJsonObject edge = e.toObject();
            if (edge.value("from").toString() == stepId || edge.value("to").toString() == stepId)
                ++removedEdges;
            else
                edges.append(edge);
        }
        workflow["steps"] = steps;
        workflow["edges"] = edges;
        changed = edited(changed, "workflows/0", workflow);
        QVERIFY(write(file("new.switchboard"), changed));

        const Run r = run({"diff", file("base.switchboard"), file("new.switchboard"), "--json"});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray changes =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("changes").toArray();
        int removedSteps = 0;
        int edgesGone = 0;
        for (const QJsonValue &c : changes) {
            const QJsonObject o = c.toObject();
            QCOMPARE(o.value("change").toString(), QStringLiteral("removed"));
            const QString last = o.value("element").toArray().last().toString();
            if (last.startsWith(QStringLiteral("step ")) &&
                last.contains(QStringLiteral("[") + stepId + QStringLiteral("]"))) {
                ++removedSteps;
                QCOMPARE(o.value("pointer").toString(), QStringLiteral("/workflows/0/steps/1"));
                QCOMPARE(o.value("before").toObject().value("id").toString(), stepId);
            } else if (last.startsWith(QStringLiteral("edge "))) {
                ++edgesGone;
            }
        }
        QCOMPARE(removedSteps, 1);
        QCOMPARE(edgesGone, removedEdges);
        QCOMPARE(changes.size(), 1 + removedEdges);

        // The other way round the same elements are added.
        const Run back = run({"diff", file("new.switchboard"), file("base.switchboard")});
        QCOMPARE(back.exitCode, 1);
        QVERIFY2(back.out.contains(QStringLiteral("+ workflow Closed-won to cash "
                                                  "[closed-won-to-cash] › step ")) &&
                     back.out.contains(QStringLiteral("[") + stepId + QStringLiteral("]")),
                 qPrintable(back.out));
    }

    void layoutOnlyWithLayoutFlag()
    {
        QJsonObject moved = edited(m_base, "systems/1/position", QJsonArray{999, 777});
        QVERIFY(write(file("moved.switchboard"), moved));
        const Run plain = run({"diff", file("base.switchboard"), file("moved.switchboard")});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(plain.out, QString());
        const Run layout =
            run({"diff", file("base.switchboard"), file("moved.switchboard"), "--layout"});
        QCOMPARE(layout.exitCode, 1);
        QVERIFY2(layout.out.contains(QStringLiteral(": position: ")) &&
                     layout.out.contains(QStringLiteral("[999,777]")),
                 qPrintable(layout.out));
    }

    void badInputExitsTwo()
    {
        QFile f(file("broken.switchboard"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"switchboard-project\", \"version\": 2, \"systems\": [1]}");
        f.close();
        const Run r = run({"diff", file("base.switchboard"), file("broken.switchboard")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("broken.switchboard")), qPrintable(r.err));
        const Run missing = run({"diff", file("base.switchboard"), file("nope.switchboard")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(!missing.err.isEmpty());
    }

    void mergeCombinesDifferentElements()
    {
        // Ours changes one rule's expression; theirs adds a field and changes another setting
        // of the same rule: all three survive.
        const QJsonObject ours = edited(m_base, "mappings/0/rules/0/expression", "$uppercase(id)");
        QJsonObject theirs = edited(m_base, "mappings/0/rules/0/description", "the CRM key");
        QJsonArray fields = at(theirs, "systems/0/entities/0/fields").toArray();
        fields.append(QJsonObject{{"name", "website"}, {"type", "string"}});
        theirs = edited(theirs, "systems/0/entities/0/fields", fields);
        theirs = edited(theirs, "workflows/0/name", "Closed won → cash");
        QVERIFY(write(file("ours.switchboard"), ours));
        QVERIFY(write(file("theirs.switchboard"), theirs));

        const QString out = file("merged.switchboard");
        const Run r = run({"merge", file("base.switchboard"), file("ours.switchboard"),
                           file("theirs.switchboard"), "-o", out});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject merged = readProject(out);
        QCOMPARE(at(merged, "mappings/0/rules/0/expression").toString(),
                 QStringLiteral("$uppercase(id)"));
        QCOMPARE(at(merged, "mappings/0/rules/0/description").toString(),
                 QStringLiteral("the CRM key"));
        QCOMPARE(at(merged, "workflows/0/name").toString(), QStringLiteral("Closed won → cash"));
        QCOMPARE(
            at(merged, "systems/0/entities/0/fields").toArray().last().toObject().value("name"),
            QJsonValue("website"));
        // Nothing else moved: merged against theirs differs only by ours' change.
        const Run d = run({"diff", file("theirs.switchboard"), out});
        QCOMPARE(d.exitCode, 1);
        QCOMPARE(d.out.count(QLatin1Char('\n')), 1);
        QVERIFY2(d.out.contains(QStringLiteral("rule customerId: expression")), qPrintable(d.out));
        QCOMPARE(run({"validate", out}).exitCode, run({"validate", kTemplate}).exitCode);
    }

    // One side written in the project's own key order, the other by a tool that sorts keys:
    // the order of keys is no change, so edits inside a test's inline record (a list of
    // quote lines, which has no ids) merge with an edit elsewhere instead of conflicting.
    void mergeIgnoresKeyOrder()
    {
        QFile templateFile(kTemplate);
        QVERIFY(templateFile.open(QIODevice::ReadOnly));
        QByteArray text = templateFile.readAll();
        const qsizetype offset = text.indexOf(R"("qty": 78,)", text.indexOf(R"("tests": [)"));
        QVERIFY(offset > 0);
        text.replace(offset, 10, R"("qty": 79,)");
        QVERIFY(QFile::copy(kTemplate, file("base-own-order.switchboard")));
        QFile ours(file("ours-own-order.switchboard"));
        QVERIFY(ours.open(QIODevice::WriteOnly));
        ours.write(text);
        ours.close();
        // Theirs is written with sorted keys (QJsonDocument) and renames a workflow.
        QVERIFY(write(file("theirs-sorted.switchboard"),
                      edited(m_base, "workflows/0/name", "Closed won → cash")));
        const QString out = file("merged-orders.switchboard");
        const Run r = run({"merge", file("base-own-order.switchboard"),
                           file("ours-own-order.switchboard"), file("theirs-sorted.switchboard"),
                           "-o", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QJsonObject merged = readProject(out);
        QCOMPARE(at(merged, "workflows/0/name").toString(), QStringLiteral("Closed won → cash"));
        QVERIFY(QJsonDocument(merged).toJson().contains(R"("qty": 79)"));
    }

    void mergeConflictWritesNothing()
    {
        QVERIFY(write(file("ours.switchboard"),
                      edited(m_base, "mappings/0/rules/0/expression", "$uppercase(id)")));
        QVERIFY(write(file("theirs.switchboard"),
                      edited(m_base, "mappings/0/rules/0/expression", "$lowercase(id)")));
        const QString out = file("conflict-out.switchboard");
        const Run r = run({"merge", file("base.switchboard"), file("ours.switchboard"),
                           file("theirs.switchboard"), "-o", out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!QFile::exists(out));
        QVERIFY2(r.out.contains(QStringLiteral("conflict: mapping CRM Account to canonical "
                                               "Customer [crm-account-to-customer] › rule "
                                               "customerId: expression")),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("ours:   $uppercase(id)")));
        QVERIFY(r.out.contains(QStringLiteral("theirs: $lowercase(id)")));
        QVERIFY(r.out.contains(QStringLiteral("base:   id")));

        // Deleted on one side, edited on the other: a conflict too.
        QJsonArray slas = m_base.value("slas").toArray();
        QVERIFY(!slas.isEmpty());
        const QString slaId = slas.first().toObject().value("id").toString();
        slas.removeAt(0);
        QVERIFY(write(file("ours.switchboard"), edited(m_base, "slas", slas)));
        QVERIFY(write(file("theirs.switchboard"), edited(m_base, "slas/0/targetMinutes", 7)));
        const Run gone = run({"merge", file("base.switchboard"), file("ours.switchboard"),
                              file("theirs.switchboard"), "-o", out});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(!QFile::exists(out));
        QVERIFY2(gone.out.contains(QStringLiteral("conflict: SLA ")) &&
                     gone.out.contains(QStringLiteral("[") + slaId + QStringLiteral("]")),
                 qPrintable(gone.out));
        QVERIFY2(gone.out.contains(QStringLiteral("\"targetMinutes\":7")), qPrintable(gone.out));
        QVERIFY(gone.out.contains(QStringLiteral("ours:   (none)")));
    }

    void mergeThatDoesNotLoadWritesNothing()
    {
        // Ours removes a system no flow uses; theirs adds a flow to it. Each side loads; the
        // union names a system that is gone.
        QJsonObject ours = m_base;
        QJsonArray systems = ours.value("systems").toArray();
        systems.append(QJsonObject{{"id", "spare"},
                                   {"name", "Spare"},
                                   {"kind", "custom"},
                                   {"position", QJsonArray{0, 0}}});
        QJsonObject base = edited(m_base, "systems", systems);
        QVERIFY(write(file("base2.switchboard"), base));
        QCOMPARE(run({"validate", file("base2.switchboard")}).exitCode, 0);
        QVERIFY(write(file("ours.switchboard"), m_base));
        QJsonArray flows = base.value("flows").toArray();
        flows.append(QJsonObject{{"id", "to-spare"}, {"from", "crm"}, {"to", "spare"}});
        QVERIFY(write(file("theirs.switchboard"), edited(base, "flows", flows)));
        const QString out = file("broken-out.switchboard");
        const Run r = run({"merge", file("base2.switchboard"), file("ours.switchboard"),
                           file("theirs.switchboard"), "-o", out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!QFile::exists(out));
        QVERIFY2(r.err.contains(QStringLiteral("does not load")) &&
                     r.err.contains(QStringLiteral("spare")),
                 qPrintable(r.err));
    }

    void gitExternalDiffAndMergeDriver()
    {
        const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
        if (git.isEmpty())
            QSKIP("git is not installed");
        const QString repo = file("repo");
        QVERIFY(QDir().mkpath(repo));
        auto g = [&](const QStringList &args) {
            return runProgram(git, QStringList{"-C", repo} + args);
        };
        const QString runner = runnerPath();
        QCOMPARE(g({"init", "-q", "-b", "main"}).exitCode, 0);
        g({"config", "user.email", "test@example.invalid"});
        g({"config", "user.name", "Test"});
        // The snippet the README gives, word for word apart from the runner's path.
        g({"config", "diff.switchboard.command", runner + " diff --git"});
        g({"config", "merge.switchboard.name", "Switchboard project merge"});
        g({"config", "merge.switchboard.driver", runner + " merge %O %A %B -o %A"});
        QFile attributes(repo + "/.gitattributes");
        QVERIFY(attributes.open(QIODevice::WriteOnly));
        attributes.write("*.switchboard diff=switchboard merge=switchboard\n");
        attributes.close();
        const QString project = repo + "/q2c.switchboard";
        QVERIFY(write(project, m_base));
        QCOMPARE(g({"add", "."}).exitCode, 0);
        QCOMPARE(g({"commit", "-q", "-m", "base"}).exitCode, 0);

        QVERIFY(write(project, edited(m_base, "mappings/0/rules/0/expression", "$trim(id)")));
        const Run d = g({"diff"});
        QCOMPARE(d.exitCode, 0);
        QVERIFY2(d.out.contains(QStringLiteral("rule customerId: expression: id → $trim(id)")),
                 qPrintable(d.out + d.err));
        QCOMPARE(g({"commit", "-q", "-am", "ours"}).exitCode, 0);
        // A moved card is a change to git but not to the integration: the diff says so.
        const QJsonObject current = readProject(project);
        QVERIFY(write(project, edited(current, "systems/1/position", QJsonArray{999, 777})));
        const Run moved = g({"diff"});
        QVERIFY2(moved.out.contains(QStringLiteral("No semantic change: 1 canvas position moved")),
                 qPrintable(moved.out + moved.err));
        QCOMPARE(g({"checkout", "-q", "--", "q2c.switchboard"}).exitCode, 0);

        QCOMPARE(g({"checkout", "-q", "-b", "theirs", "HEAD~1"}).exitCode, 0);
        QVERIFY(write(project, edited(m_base, "workflows/0/name", "Renamed on a branch")));
        QCOMPARE(g({"commit", "-q", "-am", "theirs"}).exitCode, 0);
        QCOMPARE(g({"checkout", "-q", "main"}).exitCode, 0);
        const Run m = g({"merge", "-q", "--no-edit", "theirs"});
        QVERIFY2(m.exitCode == 0, qPrintable(m.out + m.err));
        const QJsonObject merged = readProject(project);
        QCOMPARE(at(merged, "mappings/0/rules/0/expression").toString(),
                 QStringLiteral("$trim(id)"));
        QCOMPARE(at(merged, "workflows/0/name").toString(), QStringLiteral("Renamed on a branch"));
    }

private:
    QString file(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    QTemporaryDir m_dir;
    QJsonObject m_base;
};

QTEST_GUILESS_MAIN(TestCliDiff)
#include "tst_cli_diff.moc"
