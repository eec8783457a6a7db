#include "runtime/cli/commandline.h"
#include "runtime/cli/commands.h"

#include "model/projectjson.h"
#include "runtime/check/projectcheck.h"
#include "runtime/cli/findings.h"
#include "runtime/engine/simulation.h"
#include "runtime/jsonata/jsonata.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>

#include <cstdio>
#include <optional>

namespace sb::cli {

namespace {

using runtime::Simulation;
using ojson = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: switchboard-run test PROJECT [--junit FILE] [--test ID]... [--replay FILE]\n"
    "Runs the project's tests: each feeds one record through one workflow in the in-process\n"
    "sandbox (a fresh journal per test) and compares the outcome, the step, the dead-letter\n"
    "reason and expected values with what the test says. Exit 0 when all pass, 1 when any\n"
    "fails, 2 on bad input. --junit writes JUnit XML for CI. --replay answers every call\n"
    "from a recording (simulate --record) instead of the sandbox; a call it lacks fails\n"
    "the test.\n";

struct TestRun
{
    const model::ProjectTest *test = nullptr;
    QStringList failures; // empty: passed
    qint64 elapsedMs = 0;
};

QString jsonText(const ojson &value)
{
    return value.is_discarded() ? QStringLiteral("(nothing)")
                                : QString::fromStdString(value.dump());
}

QString recordKey(const ojson &record, const std::string &field)
{
    const auto it = record.find(field);
    if (it == record.end())
        return {};
    return it->is_string() ? QString::fromStdString(it->get<std::string>())
                           : QString::fromStdString(it->dump());
}

// Feeds the test's record: its own input, or the data set record whose key is `record`. A
// data set record comes with the data set's scripted events at the virtual times `simulate`
// gives them; the other records' time passes without starting them.
Result<runtime::StartedRecord> feedRecord(const model::Project &project,
                                          const model::ProjectTest &test,
                                          const model::Workflow &workflow, Simulation &sim,
                                          const QString &dir)
{
    if (!test.input.isEmpty())
        return sim.feed(workflow, ojson::parse(test.input.toStdString(), nullptr, false), 0);
    auto dataset = runtime::simulationDataset(project, workflow, test.dataset, dir);
    if (!dataset.ok())
        return dataset.error();
    auto records = runtime::readRecords(dataset.value().file);
    if (!records.ok())
        return records.error();
    const std::string key = sim.keyField(workflow);
    const QVector<ojson> &lines = records.value();
    std::optional<runtime::StartedRecord> started;
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].contains("$event"))
            sim.feed(workflow, lines[i], i);
        else if (!started && recordKey(lines[i], key) == test.record)
            started = sim.feed(workflow, lines[i], i);
        else
            sim.skipRecord();
    }
    if (!started)
        return Error{QStringLiteral("data set '%1' has no record whose %2 is '%3'")
                         .arg(test.dataset, QString::fromStdString(key), test.record)};
    return *started;
}

void compareValues(const model::ProjectTest &test, const QByteArray &variables,
                   QStringList &failures)
{
    // The instance's variables: the trigger payload and every step output, as `$$` sees
    // them inside the workflow.
    const ojson state = ojson::parse(variables.constData(),
                                     variables.constData() + variables.size(), nullptr, false);
    const ojson document = state.is_object() ? state.value("vars", ojson::object()) : state;
    for (const model::TestValue &expected : test.values) {
        const auto expression = jsonata::Expression::compile(expected.expression.toStdString());
        if (!expression.ok()) {
            failures << QStringLiteral("%1: %2").arg(
                expected.expression, QString::fromStdString(expression.error().toString()));
            continue;
        }
        const auto result = expression.evaluate(document, {}, jsonata::runnerBudget());
        if (!result.ok) {
            failures << QStringLiteral("%1: %2").arg(
                expected.expression, QString::fromStdString(result.error.toString()));
            continue;
        }
        const ojson actual = result.isUndefined() ? ojson(ojson::value_t::discarded)
                                                  : jsonata::toJson(result.value);
        const ojson want = ojson::parse(expected.equals.toStdString(), nullptr, false);
        if (actual.is_discarded() || actual != want)
            failures << QStringLiteral("%1 is %2, expected %3")
                            .arg(expected.expression, jsonText(actual), jsonText(want));
    }
}

TestRun runOne(const model::Project &project, const model::ProjectTest &test, const QString &dir,
               const QString &replayFile)
{
    TestRun run;
    run.test = &test;
    QElapsedTimer timer;
    timer.start();
    const model::Workflow *workflow = project.workflow(test.workflow);
    QTemporaryDir scratch;
    runtime::SimulationOptions options;
    options.dbFile = scratch.filePath(QStringLiteral("test.db"));
    options.replayFile = replayFile;
    auto created = Simulation::create(project, dir, options);
    if (!workflow || !created.ok()) {
        run.failures << (workflow ? created.error().toString()
                                  : QStringLiteral("unknown workflow '%1'").arg(test.workflow));
        return run;
    }
    Simulation &sim = *created.value();
    auto fed = feedRecord(project, test, *workflow, sim, dir);
    if (!fed.ok()) {
        run.failures << fed.error().toString();
        return run;
    }
    const runtime::StartedRecord started = fed.value();
    sim.drain(test.approveAll);
    const runtime::SimulationSummary summary = sim.summarize(*workflow, {started});
    const ojson result = summary.results.empty() ? ojson::object() : summary.results[0];
    const QString outcome =
        started.filtered ? QStringLiteral("filtered")
                         : QString::fromStdString(result.value("status", std::string("none")));
    const QString step = QString::fromStdString(result.value("step", std::string()));
    const QString reason = QString::fromStdString(result.value("reason", std::string()));
    if (outcome != test.outcome) {
        QString detail = outcome;
        if (!step.isEmpty())
            detail += QStringLiteral(" at step '%1'").arg(step);
        if (!reason.isEmpty())
            detail += QStringLiteral(": %1").arg(reason);
        run.failures << QStringLiteral("expected %1, got %2").arg(test.outcome, detail);
    }
    if (!test.step.isEmpty() && step != test.step)
        run.failures << QStringLiteral("expected step '%1', got '%2'").arg(test.step, step);
    if (!test.reason.isEmpty() && !QRegularExpression(test.reason).match(reason).hasMatch())
        run.failures << QStringLiteral("reason '%1' does not match /%2/").arg(reason, test.reason);
    if (!test.values.isEmpty() && !started.instanceId.isEmpty()) {
        auto instance = sim.store().instance(started.instanceId);
        if (instance.ok())
            compareValues(test, instance.value().variables, run.failures);
        else
            run.failures << instance.error().toString();
    }
    if (const runtime::ReplayConnector *replay = sim.replayer())
        run.failures << replay->unmatched();
    run.elapsedMs = timer.elapsed();
    return run;
}

QString xmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}

bool writeJunit(const QString &file, const QString &projectName, const QVector<TestRun> &runs)
{
    int failed = 0;
    qint64 totalMs = 0;
    for (const TestRun &r : runs) {
        failed += r.failures.isEmpty() ? 0 : 1;
        totalMs += r.elapsedMs;
    }
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                 "<testsuite name=\"%1\" tests=\"%2\" failures=\"%3\" "
                                 "time=\"%4\">\n")
                      .arg(xmlEscaped(projectName))
                      .arg(runs.size())
                      .arg(failed)
                      .arg(totalMs / 1000.0, 0, 'f', 3);
    for (const TestRun &r : runs) {
        const QString name = r.test->name.isEmpty() ? r.test->id : r.test->name;
        xml += QStringLiteral("  <testcase classname=\"%1\" name=\"%2\" time=\"%3\"")
                   .arg(xmlEscaped(r.test->workflow), xmlEscaped(name))
                   .arg(r.elapsedMs / 1000.0, 0, 'f', 3);
        if (r.failures.isEmpty()) {
            xml += QStringLiteral("/>\n");
            continue;
        }
        xml += QStringLiteral(">\n    <failure message=\"%1\">%2</failure>\n  </testcase>\n")
                   .arg(xmlEscaped(r.failures.first()),
                        xmlEscaped(r.failures.join(QLatin1Char('\n'))));
    }
    xml += QStringLiteral("</testsuite>\n");
    QSaveFile out(file);
    return out.open(QIODevice::WriteOnly) && out.write(xml.toUtf8()) >= 0 && out.commit();
}

} // namespace

int runTest(const QStringList &args)
{
    CommandLine cl("test", kUsage);
    cl.addOption({QStringLiteral("junit")}, QStringLiteral("FILE"));
    cl.addOption({QStringLiteral("test")}, QStringLiteral("ID"));
    cl.addOption({QStringLiteral("replay")}, QStringLiteral("FILE"));
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString projectFile = cl.positional().first();
    auto loaded = model::loadProject(projectFile);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
        return BadInput;
    }
    const model::Project &project = loaded.value();
    // A test that names what does not exist is the test file's fault: say where, run nothing.
    QVector<model::Finding> broken;
    runtime::checkProjectTests(project, broken);
    if (!broken.isEmpty()) {
        const FindingsReport report(projectFile);
        for (const model::Finding &f : broken)
            std::fputs(qPrintable(report.text(f)), stderr);
        return BadInput;
    }
    const QStringList only = cl.values(QStringLiteral("test"));
    for (const QString &id : only) {
        const bool known = std::any_of(project.tests.begin(), project.tests.end(),
                                       [&id](const model::ProjectTest &t) { return t.id == id; });
        if (!known)
            return cl.usageError(QStringLiteral("the project has no test '%1'").arg(id));
    }
    const QString replayFile = cl.value(QStringLiteral("replay"));
    if (!replayFile.isEmpty()) { // a broken recording is bad input, not a failure per test
        auto replay = runtime::ReplayConnector::load(replayFile);
        if (!replay.ok()) {
            std::fprintf(stderr, "switchboard-run test: %s\n",
                         qPrintable(replay.error().toString()));
            return BadInput;
        }
    }
    const QString dir = QFileInfo(projectFile).absolutePath();
    QVector<TestRun> runs;
    for (const model::ProjectTest &test : project.tests) {
        if (!only.isEmpty() && !only.contains(test.id))
            continue;
        runs << runOne(project, test, dir, replayFile);
        const TestRun &r = runs.last();
        const QString label = test.name.isEmpty() ? test.id : test.name;
        std::printf("%s %s (%lld ms)\n", r.failures.isEmpty() ? "PASS" : "FAIL", qPrintable(label),
                    static_cast<long long>(r.elapsedMs));
        for (const QString &failure : r.failures)
            std::printf("     %s\n", qPrintable(failure));
    }
    const int failed = int(std::count_if(runs.begin(), runs.end(),
                                         [](const TestRun &r) { return !r.failures.isEmpty(); }));
    std::printf("%d passed, %d failed\n", int(runs.size()) - failed, failed);
    const QString junit = cl.value(QStringLiteral("junit"));
    if (!junit.isEmpty() && !writeJunit(junit, project.name, runs)) {
        std::fprintf(stderr, "switchboard-run test: cannot write %s\n", qPrintable(junit));
        return BadInput;
    }
    return failed > 0 ? WorkFailed : Success;
}

} // namespace sb::cli
