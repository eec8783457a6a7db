// Reading a project's tests: the record, the workflow and the expected outcome.
#include "model/projectreaddetail.h"

namespace sb::model::readdetail {

namespace {

const char *const kOutcomes[] = {"completed", "dead-lettered", "compensated",
                                 "failed",    "waiting",       "filtered"};

TestValue readTestValue(const json &j, const std::string &path)
{
    expectObject(j, path, {"expression", "equals"});
    TestValue v;
    v.expression = readString(j, "expression", path, true);
    const json *equals = member(j, "equals");
    if (!equals)
        fail(path, QStringLiteral("missing required key 'equals'"));
    v.equals = QString::fromStdString(equals->dump());
    return v;
}

} // namespace

ProjectTest readProjectTest(const json &j, const std::string &path)
{
    expectObject(j, path,
                 {"id", "name", "workflow", "input", "dataset", "record", "approveAll", "expect"});
    ProjectTest t;
    t.id = readString(j, "id", path, true);
    t.name = readString(j, "name", path);
    t.workflow = readString(j, "workflow", path, true);
    if (const json *input = member(j, "input")) {
        if (!input->is_object())
            fail(child(path, "input"),
                 QStringLiteral("'input' must be an object, found %1").arg(typeName(*input)));
        t.input = QString::fromStdString(input->dump());
    }
    t.dataset = readString(j, "dataset", path);
    t.record = readString(j, "record", path);
    if (t.input.isEmpty() == (t.dataset.isEmpty() || t.record.isEmpty()))
        fail(path, QStringLiteral("a test needs either 'input' or both 'dataset' and "
                                  "'record'"));
    t.approveAll = readBool(j, "approveAll", path);
    const json *expect = member(j, "expect");
    if (!expect)
        fail(path, QStringLiteral("missing required key 'expect'"));
    const std::string expectPath = child(path, "expect");
    expectObject(*expect, expectPath, {"outcome", "step", "reason", "values"});
    t.outcome = readString(*expect, "outcome", expectPath, true);
    bool known = false;
    for (const char *outcome : kOutcomes)
        known = known || t.outcome == QLatin1String(outcome);
    if (!known)
        fail(child(expectPath, "outcome"),
             QStringLiteral("unknown outcome '%1' (expected one of: completed, dead-lettered, "
                            "compensated, failed, waiting, filtered)")
                 .arg(t.outcome));
    t.step = readString(*expect, "step", expectPath);
    t.reason = readString(*expect, "reason", expectPath);
    t.values = readList<TestValue>(*expect, "values", expectPath, readTestValue);
    return t;
}

} // namespace sb::model::readdetail
