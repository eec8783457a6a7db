// switchboard-run: the headless face of the runtime. Thin dispatch to cmd_*.cpp.
#include "runtime/cli/commands.h"
#include "runtime/runtime.h"

#include <QCoreApplication>
#include <algorithm>
#include <cstdio>
#include <iterator>

namespace {

struct Command
{
    const char *name;
    int (*run)(const QStringList &args);
    // Its lines in the usage text: synopsis, then the help from column 41.
    const char *usage;
};

// The subcommands in the order the usage text lists them.
constexpr Command kCommands[] = {
    {"validate", sb::cli::runValidate,
     "  validate PROJECT [--json]             print governance findings; exit 1 if any error\n"},
    {"eval", sb::cli::runEval,
     "  eval EXPRESSION [--input FILE] [--time-limit MS] [--memory-limit MB]\n"
     "       [--max-string BYTES] [--max-array ITEMS] [--max-depth N]\n"
     "                                        evaluate JSONata, print the result as JSON\n"
     "                                        (default budget: 1000 ms, 64 MB, strings\n"
     "                                        16 MiB, arrays 1000000 items, depth 500)\n"},
    {"export", sb::cli::runExport,
     "  export PROJECT -o BUNDLE [--profile NAME]\n"
     "                                        write a deployable bundle (profile: sandbox)\n"},
    {"sandbox", sb::cli::runSandbox,
     "  sandbox PROJECT [--listen HOST:PORT] [--seed N] [--faults FILE]\n"
     "                                        serve simulated systems over HTTP\n"},
    {"simulate", sb::cli::runSimulate,
     "  simulate PROJECT|BUNDLE [--workflow ID] [--dataset NAME|FILE] [--report FILE]\n"
     "       [--db FILE] [--limit N] [--approve-all] [--profile NAME]\n"
     "                                        run a data set through the sandbox (or the\n"
     "                                        live endpoints of --profile); exit 1 if any\n"
     "                                        instance is dead-lettered or failed\n"},
    {"serve", sb::cli::runServe,
     "  serve BUNDLE --db FILE|--store URI --listen HOST:PORT [--sandbox-url URL]\n"
     "       [--init] [LIMITS]\n"
     "                                        headless runner: webhooks, admin API, metrics;\n"
     "                                        --init creates the journal if it is missing;\n"
     "                                        --store postgresql://USER@HOST:PORT/DB: a\n"
     "                                        runner group's database (LIMITS: serve --help)\n"},
    {"store", sb::cli::runStore,
     "  store migrate|check --store URI       create or upgrade / verify a store's schema\n"
     "                                        (check: exit 1 if it is missing or outdated)\n"},
    {"import", sb::cli::runImport,
     "  import PROJECT --system ID --from FILE [--schemas NAME,...] [--list]\n"
     "                                        import schemas as entities of a system\n"},
    {"diff", sb::cli::runDiff,
     "  diff OLD NEW [--json] [--layout]      compare two projects element by element;\n"
     "                                        exit 1 if they differ\n"},
    {"merge", sb::cli::runMerge,
     "  merge BASE OURS THEIRS -o OUT [--json]\n"
     "                                        three-way merge; exit 1 on conflict (nothing\n"
     "                                        written)\n"},
    {"test", sb::cli::runTest,
     "  test PROJECT [--junit FILE] [--test ID]...\n"
     "                                        run the project's tests; exit 1 if any fails\n"},
};

void printUsage(FILE *out)
{
    std::fputs("Usage: switchboard-run COMMAND [ARGS]\n\nCommands:\n", out);
    for (const Command &c : kCommands)
        std::fputs(c.usage, out);
    std::fputs("\nExit codes: 0 success, 1 the work found errors, 2 bad usage or unreadable "
               "input.\n",
               out);
}

const Command *findCommand(const QString &name)
{
    const auto it =
        std::find_if(std::begin(kCommands), std::end(kCommands),
                     [&name](const Command &c) { return name == QLatin1String(c.name); });
    return it == std::end(kCommands) ? nullptr : it;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("switchboard-run"));
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty()) {
        printUsage(stderr);
        return sb::cli::BadInput;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        printUsage(stdout);
        return sb::cli::Success;
    }
    if (command == QLatin1String("--version")) {
        std::printf("switchboard-run %s\n", qPrintable(sb::runtime::version()));
        return sb::cli::Success;
    }
    if (const Command *c = findCommand(command))
        return c->run(args);
    std::fprintf(stderr, "switchboard-run: unknown command '%s'\n\n", qPrintable(command));
    printUsage(stderr);
    return sb::cli::BadInput;
}
