#pragma once

#include <QStringList>

// Each subcommand of switchboard-run. `args` holds the words after the subcommand name.
// Exit codes (README, docs/format.md): 0 success, 1 the work found errors, 2 bad usage or input.
namespace sb::cli {

enum ExitCode { Success = 0, WorkFailed = 1, BadInput = 2 };

int runValidate(const QStringList &args);
int runEval(const QStringList &args);
int runExport(const QStringList &args);
int runSandbox(const QStringList &args);
int runImport(const QStringList &args);
int runSimulate(const QStringList &args);
int runServe(const QStringList &args);
int runStore(const QStringList &args);
int runDiff(const QStringList &args);
int runMerge(const QStringList &args);
int runTest(const QStringList &args);

} // namespace sb::cli
