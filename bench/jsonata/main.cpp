// bench_jsonata RECORDS.json EXPRESSIONS.json [SECONDS]
// Evaluates each expression over every record until SECONDS have passed and prints
// "name evaluations seconds" per expression (BENCH_CLOCK=cpu: CPU seconds of the process).
// Each expression is compiled once.
// With BENCH_CHECK=N it prints instead "name JSON" with the results of the first N records,
// which run.sh compares with the reference's so a fast wrong answer cannot pass unseen.
#include "runtime/jsonata/jsonata.h"

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <time.h>

using namespace sb::jsonata;

static bool load(const char *file, Value &out)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    return parseJson(ss.str(), out);
}

// Seconds on the wall clock, or of CPU used by this process (BENCH_CLOCK=cpu): on a shared
// machine the CPU time does not count the time other processes held the cores.
static double now(bool cpu)
{
    if (cpu) {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_jsonata RECORDS.json EXPRESSIONS.json [SECONDS]\n");
        return 2;
    }
    Value records, exprs;
    if (!load(argv[1], records) || !records.isArray() || !load(argv[2], exprs)
        || !exprs.isArray()) {
        std::fprintf(stderr, "bench_jsonata: cannot read the input files\n");
        return 2;
    }
    double seconds = argc > 3 ? std::atof(argv[3]) : 2.0;
    const char *clockName = std::getenv("BENCH_CLOCK");
    const bool cpuClock = clockName && std::string(clockName) == "cpu";
    Value statusMap;
    parseJson(R"({"NEW": "Draft", "NEGOTIATION": "Pending", "WON": "Confirmed",
                  "LOST": "Cancelled"})",
              statusMap);
    Bindings bindings{{"statusMap", statusMap}};
    for (const Value &e : exprs.arr().items) {
        const std::string name = e.obj().find("name")->str();
        Expression ex = Expression::compile(e.obj().find("expr")->str());
        if (!ex.ok()) {
            std::fprintf(stderr, "%s: %s\n", name.c_str(), ex.error().toString().c_str());
            return 1;
        }
        if (const char *check = std::getenv("BENCH_CHECK")) {
            const size_t count = std::min<size_t>(std::strtoul(check, nullptr, 10),
                                                  records.arr().items.size());
            nlohmann::ordered_json results = nlohmann::ordered_json::array();
            for (size_t i = 0; i < count; ++i) {
                Result res = ex.evaluate(records.arr().items[i], bindings);
                nlohmann::ordered_json out;
                Error error;
                if (!res.ok)
                    results.push_back({{"error", res.error.code}});
                else if (res.value.isUndefined())
                    results.push_back(nullptr);
                else if (toJsonChecked(res.value, out, error))
                    results.push_back(out);
                else
                    results.push_back({{"error", error.code}});
            }
            std::printf("%s %s\n", name.c_str(), results.dump().c_str());
            continue;
        }
        long long evals = 0;
        size_t failures = 0;
        const double start = now(cpuClock);
        double elapsed = 0;
        do {
            for (const Value &r : records.arr().items) {
                Result res = ex.evaluate(r, bindings);
                failures += res.ok ? 0 : 1;
                ++evals;
            }
            elapsed = now(cpuClock) - start;
        } while (elapsed < seconds);
        if (failures)
            std::fprintf(stderr, "%s: %zu evaluations failed\n", name.c_str(), failures);
        std::printf("%s %lld %.6f\n", name.c_str(), evals, elapsed);
    }
    return 0;
}
