#include "tests/support/process.h"

namespace sb::testsupport {

QString runnerPath() { return QStringLiteral(SWITCHBOARD_RUN_EXE); }

Run runProgram(const QString &program, const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.timedOut = true;
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

Run run(const QStringList &args, int timeoutMs)
{
    return runProgram(runnerPath(), args, timeoutMs);
}

QString readFirstLine(QProcess &p)
{
    QString line;
    for (int i = 0; i < 100 && !line.contains(QLatin1Char('\n')); ++i) {
        p.waitForReadyRead(100);
        line += QString::fromUtf8(p.readAllStandardOutput());
    }
    return line;
}

} // namespace sb::testsupport
