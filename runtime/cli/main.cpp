// switchboard-run: the headless face of the runtime. Thin dispatch to cmd_*.cpp.
#include "runtime/cli/commands.h"
#include "runtime/runtime.h"

#include <QCoreApplication>
#include <cstdio>

namespace {

void printUsage(FILE *out)
{
    std::fputs(
        "Usage: switchboard-run COMMAND [ARGS]\n"
        "\n"
        "Commands:\n"
        "  validate PROJECT [--json]             print governance findings; exit 1 if any error\n"
        "  eval EXPRESSION [--input FILE] [--time-limit MS] [--memory-limit MB]\n"
        "       [--max-string BYTES] [--max-array ITEMS] [--max-depth N]\n"
        "                                        evaluate JSONata, print the result as JSON\n"
        "                                        (default budget: 1000 ms, 64 MB, strings\n"
        "                                        16 MiB, arrays 1000000 items, depth 500)\n"
        "  export PROJECT -o BUNDLE [--profile NAME]\n"
        "                                        write a deployable bundle (profile: sandbox)\n"
        "  sandbox PROJECT [--listen HOST:PORT] [--seed N] [--faults FILE]\n"
        "                                        serve simulated systems over HTTP\n"
        "  simulate PROJECT|BUNDLE [--workflow ID] [--dataset NAME|FILE] [--report FILE]\n"
        "                                        run a data set through the sandbox; exit 1\n"
        "                                        if any instance is dead-lettered or failed\n"
        "  serve BUNDLE --db FILE --listen HOST:PORT [--sandbox-url URL] [--init] [LIMITS]\n"
        "                                        headless runner: webhooks, admin API, metrics;\n"
        "                                        --init creates the journal if it is missing\n"
        "                                        (LIMITS: serve --help)\n"
        "  import PROJECT --system ID --from FILE [--schemas NAME,...] [--list]\n"
        "                                        import schemas as entities of a system\n"
        "\n"
        "Exit codes: 0 success, 1 the work found errors, 2 bad usage or unreadable input.\n",
        out);
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
    if (command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        printUsage(stdout);
        return sb::cli::Success;
    }
    if (command == QLatin1String("--version")) {
        std::printf("switchboard-run %s\n", qPrintable(sb::runtime::version()));
        return sb::cli::Success;
    }
    if (command == QLatin1String("validate"))
        return sb::cli::runValidate(args);
    if (command == QLatin1String("eval"))
        return sb::cli::runEval(args);
    if (command == QLatin1String("export"))
        return sb::cli::runExport(args);
    if (command == QLatin1String("sandbox"))
        return sb::cli::runSandbox(args);
    if (command == QLatin1String("simulate"))
        return sb::cli::runSimulate(args);
    if (command == QLatin1String("serve"))
        return sb::cli::runServe(args);
    if (command == QLatin1String("import"))
        return sb::cli::runImport(args);
    std::fprintf(stderr, "switchboard-run: unknown command '%s'\n\n", qPrintable(command));
    printUsage(stderr);
    return sb::cli::BadInput;
}
