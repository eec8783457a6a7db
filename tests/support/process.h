#pragma once

// Running a program (usually switchboard-run) to its end, every wait capped so a hung
// child fails the test instead of hanging it.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace sb::testsupport {

struct Run
{
    int exitCode = -1; // -1: did not finish in time (killed), -2: crashed
    bool timedOut = false;
    QString out;
    QString err;
};

// The switchboard-run built with the tests.
QString runnerPath();

Run runProgram(const QString &program, const QStringList &args, int timeoutMs = 60000);
// switchboard-run with `args`.
Run run(const QStringList &args, int timeoutMs = 60000);

// Reads a started process's standard output until its first newline (at most ~10 s):
// the "listening on http://..." line of `sandbox` and `serve`.
QString readFirstLine(QProcess &p);

} // namespace sb::testsupport
