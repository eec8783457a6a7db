// jsonata-conformance SUITE_DIR [-v] [--floor FILE] [--group NAME]
// Runs every case of a folder in the JSONata test-suite format and prints
// "N passed, N failed". With --floor, exits 1 when fewer cases pass than the stored floor.
#include "runtime/jsonata/jsonata.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace sb::jsonata;

namespace {

bool readFile(const fs::path &p, std::string &out)
{
    std::ifstream in(p, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

const Value *field(const Value &obj, const char *name)
{
    return obj.isObject() ? obj.obj().find(name) : nullptr;
}

struct Runner
{
    fs::path suite;
    bool verbose = false;
    std::map<std::string, Value> datasets;
    int passed = 0;
    int failed = 0;

    bool dataset(const std::string &name, Value &out)
    {
        auto it = datasets.find(name);
        if (it != datasets.end()) {
            out = it->second;
            return true;
        }
        std::string text;
        if (!readFile(suite / "datasets" / (name + ".json"), text))
            return false;
        if (!parseJson(text, out))
            return false;
        datasets[name] = out;
        return true;
    }

    void fail(const std::string &id, const std::string &expr, const std::string &why)
    {
        ++failed;
        if (verbose)
            std::printf("FAIL %s: %s\n    %s\n", id.c_str(), expr.c_str(), why.c_str());
    }

    void runCase(const std::string &id, const fs::path &dir, const Value &tc)
    {
        std::string expr;
        if (const Value *e = field(tc, "expr")) {
            expr = e->str();
        } else if (const Value *f = field(tc, "expr-file")) {
            if (!readFile(dir / f->str(), expr)) {
                fail(id, f->str(), "cannot read expr-file");
                return;
            }
        } else {
            fail(id, "", "case has no expression");
            return;
        }
        Value input;
        if (const Value *d = field(tc, "data")) {
            input = *d;
        } else if (const Value *ds = field(tc, "dataset")) {
            if (ds->isString() && !dataset(ds->str(), input)) {
                fail(id, expr, "cannot load dataset " + ds->str());
                return;
            }
        }
        Bindings bindings;
        if (const Value *b = field(tc, "bindings"); b && b->isObject())
            for (const auto &e : b->obj().entries)
                bindings.emplace_back(e.first, e.second);
        EvalOptions opts;
        opts.maxDepth = 100000;
        opts.timeLimitMs = 10000;
        opts.maxStackBytes = size_t(5) << 20;
        if (const Value *t = field(tc, "timelimit"); t && t->isNumber()) {
            opts.timeLimitMs = (long long)t->num();
            // A timeboxed case expects the reference implementation's U1001 (it has no
            // memory budget): the allocation budget must not end a runaway loop first.
            opts.maxAllocBytes = std::numeric_limits<size_t>::max();
        }
        if (const Value *d = field(tc, "depth"); d && d->isNumber())
            opts.maxDepth = int(d->num());

        Expression ex = Expression::compile(expr);
        Result r = ex.ok() ? ex.evaluate(input, bindings, opts) : Result{Value(), false,
                                                                          ex.error(), {}};
        auto got = [&]() {
            if (!r.ok)
                return "error " + r.error.code + " (" + r.error.message + ")";
            if (r.value.isUndefined())
                return std::string("undefined");
            return toJsonString(r.value);
        };
        std::string expectCode, expectToken, expectMessage;
        bool hasToken = false, hasMessage = false;
        if (const Value *c = field(tc, "code")) {
            expectCode = c->str();
            if (const Value *t = field(tc, "token")) {
                expectToken = t->str();
                hasToken = true;
            }
        } else if (const Value *e = field(tc, "error"); e && e->isObject()) {
            if (const Value *c = field(*e, "code"))
                expectCode = c->str();
            if (const Value *t = field(*e, "token")) {
                expectToken = t->str();
                hasToken = true;
            }
            if (const Value *m = field(*e, "message")) {
                expectMessage = m->str();
                hasMessage = true;
            }
        }
        if (!expectCode.empty()) {
            if (r.ok) {
                fail(id, expr, "expected error " + expectCode + ", got " + got());
            } else if (r.error.code != expectCode) {
                fail(id, expr, "expected error " + expectCode + ", got " + got());
            } else if (hasToken && r.error.token != expectToken) {
                fail(id, expr, "expected token " + expectToken + ", got " + r.error.token);
            } else if (hasMessage && r.error.message != expectMessage) {
                fail(id, expr, "expected message " + expectMessage + ", got "
                                   + r.error.message);
            } else {
                ++passed;
            }
            return;
        }
        if (const Value *u = field(tc, "undefinedResult"); u && u->boolValue()) {
            if (r.ok && r.value.isUndefined())
                ++passed;
            else
                fail(id, expr, "expected undefined, got " + got());
            return;
        }
        if (const Value *expected = field(tc, "result")) {
            if (r.ok && deepEqual(r.value, *expected))
                ++passed;
            else
                fail(id, expr, "expected " + toJsonString(*expected) + ", got " + got());
            return;
        }
        if (r.ok && r.value.isUndefined())
            ++passed; // no expectation recorded: undefined
        else
            fail(id, expr, "expected undefined, got " + got());
    }

    void runFile(const std::string &group, const fs::path &file)
    {
        std::string text;
        std::string id = group + "/" + file.filename().string();
        Value tc;
        JsonParseError err;
        if (!readFile(file, text) || !parseJson(text, tc, &err)) {
            fail(id, "", "cannot parse case file: " + err.message);
            return;
        }
        if (tc.isArray()) {
            for (size_t i = 0; i < tc.size(); ++i)
                runCase(id + "[" + std::to_string(i) + "]", file.parent_path(), tc[i]);
        } else {
            runCase(id, file.parent_path(), tc);
        }
    }
};

} // namespace

int main(int argc, char **argv)
{
    Runner runner;
    std::string floorFile;
    std::string onlyGroup;
    std::string suiteArg;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-v" || a == "--verbose") {
            runner.verbose = true;
        } else if (a == "--floor" && i + 1 < argc) {
            floorFile = argv[++i];
        } else if (a == "--eval" && i + 1 < argc) {
            // debugging aid: evaluate one expression against optional JSON text
            std::string src = argv[++i];
            Value input;
            if (i + 1 < argc)
                parseJson(argv[++i], input);
            Expression ex = Expression::compile(src);
            Result r = ex.ok() ? ex.evaluate(input) : Result{Value(), false, ex.error(), {}};
            if (!r.ok)
                std::printf("%s\n", r.error.toString().c_str());
            else if (r.value.isUndefined())
                std::printf("undefined\n");
            else
                std::printf("%s\n", toJsonString(r.value).c_str());
            return r.ok ? 0 : 2;
        } else if (a == "--group" && i + 1 < argc) {
            onlyGroup = argv[++i];
        } else if (suiteArg.empty()) {
            suiteArg = a;
        } else {
            std::fprintf(stderr, "usage: jsonata-conformance SUITE_DIR [-v] [--floor FILE] "
                                 "[--group NAME]\n");
            return 2;
        }
    }
    if (suiteArg.empty()) {
        std::fprintf(stderr, "usage: jsonata-conformance SUITE_DIR [-v] [--floor FILE] "
                             "[--group NAME]\n");
        return 2;
    }
    runner.suite = suiteArg;
    fs::path groups = runner.suite / "groups";
    if (!fs::is_directory(groups)) {
        std::fprintf(stderr, "jsonata-conformance: %s has no groups/ folder\n",
                     suiteArg.c_str());
        return 2;
    }
    std::vector<fs::path> groupDirs;
    for (const auto &e : fs::directory_iterator(groups))
        if (e.is_directory())
            groupDirs.push_back(e.path());
    std::sort(groupDirs.begin(), groupDirs.end());
    for (const auto &g : groupDirs) {
        std::string name = g.filename().string();
        if (!onlyGroup.empty() && name != onlyGroup)
            continue;
        std::vector<fs::path> files;
        for (const auto &e : fs::directory_iterator(g))
            if (e.is_regular_file() && e.path().extension() == ".json")
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto &f : files)
            runner.runFile(name, f);
    }
    std::printf("%d passed, %d failed\n", runner.passed, runner.failed);
    if (!floorFile.empty()) {
        std::string text;
        if (!readFile(floorFile, text)) {
            std::fprintf(stderr, "jsonata-conformance: cannot read floor file %s\n",
                         floorFile.c_str());
            return 2;
        }
        int floor = std::atoi(text.c_str());
        if (runner.passed < floor) {
            std::fprintf(stderr, "jsonata-conformance: %d passed, below the floor of %d\n",
                         runner.passed, floor);
            return 1;
        }
    }
    return 0;
}
