#include "runtime/cli/commands.h"
#include "runtime/cli/commandline.h"

#include "model/projectjson.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/sandbox/sandboxserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace sb::cli {

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    // Only async-signal-safe work here; the event loop reads the pipe and quits.
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

} // namespace

// switchboard-run sandbox PROJECT [--listen HOST:PORT] [--seed N] [--faults FILE]
int runSandbox(const QStringList &args)
{
    CommandLine cl("sandbox", "usage: switchboard-run sandbox PROJECT [--listen HOST:PORT] "
                              "[--seed N] [--faults FILE]\n");
    cl.addOption({QStringLiteral("listen")}, QStringLiteral("HOST:PORT"));
    cl.addOption({QStringLiteral("seed")}, QStringLiteral("N"));
    cl.addOption({QStringLiteral("faults")}, QStringLiteral("FILE"));
    if (const auto stop = cl.parse(args, 1, 1))
        return *stop;
    const QString projectFile = cl.positional().first();
    const QString listen = cl.isSet(QStringLiteral("listen")) ? cl.value(QStringLiteral("listen"))
                                                              : QStringLiteral("127.0.0.1:0");
    const QString faultsFile = cl.value(QStringLiteral("faults"));
    quint64 seed = 1;
    if (cl.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        seed = cl.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) {
            std::fprintf(stderr, "switchboard-run sandbox: --seed needs a number, found '%s'\n",
                         qPrintable(cl.value(QStringLiteral("seed"))));
            return BadInput;
        }
    }
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon < 0 ? 0 : listen.mid(colon + 1).toUInt(&portOk);
    QString host = colon < 0 ? QString() : listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    const QHostAddress address(host);
    if (colon < 0 || !portOk || port > 65535 || address.isNull()) {
        std::fprintf(stderr, "switchboard-run sandbox: --listen needs HOST:PORT with a numeric "
                             "address, found '%s'\n", qPrintable(listen));
        return BadInput;
    }

    auto loaded = model::loadProject(projectFile);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
        return BadInput;
    }
    auto sandbox = runtime::Sandbox::create(loaded.value(),
                                            QFileInfo(projectFile).absolutePath(), seed);
    if (!sandbox.ok()) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(projectFile),
                     qPrintable(sandbox.error().toString()));
        return BadInput;
    }
    if (!faultsFile.isEmpty()) {
        QFile f(faultsFile);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "%s: cannot read: %s\n", qPrintable(faultsFile),
                         qPrintable(f.errorString()));
            return BadInput;
        }
        auto r = sandbox.value()->setFaultsJson(f.readAll());
        if (!r.ok()) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(faultsFile),
                         qPrintable(r.error().message));
            return BadInput;
        }
    }

    runtime::SandboxServer server(sandbox.value().get());
    auto bound = server.start(address, quint16(port));
    if (!bound.ok()) {
        std::fprintf(stderr, "switchboard-run sandbox: %s\n", qPrintable(bound.error().message));
        return BadInput;
    }

    if (::pipe(g_signalPipe) != 0) {
        std::perror("switchboard-run sandbox: pipe");
        return BadInput;
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
        QCoreApplication::quit();
    });
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);

    const QString shown = address.protocol() == QAbstractSocket::IPv6Protocol
                              ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                              : address.toString();
    std::printf("listening on http://%s:%u\n", qPrintable(shown), unsigned(bound.value()));
    std::fflush(stdout);
    QCoreApplication::exec();
    std::printf("sandbox stopped\n");
    std::fflush(stdout);
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    return Success;
}

} // namespace sb::cli
