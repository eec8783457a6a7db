// Replays every file of the given folders (or single files) through the harness's
// LLVMFuzzerTestOneInput, so the ordinary build keeps checking the seed corpus and every
// crash or hang the fuzzers ever found. Each input runs in a child process, so one crash or
// hang is reported by file name and the remaining inputs still run; in a sanitizer build the
// child's exit also runs LeakSanitizer, so a leak is pinned to its input too.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputsOf(const fs::path &arg)
{
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) {
        files.push_back(arg);
    } else if (fs::is_directory(arg, ec)) {
        for (const auto &entry : fs::recursive_directory_iterator(arg, ec)) {
            const std::string name = entry.path().filename().string();
            // Notes beside the reproducers (README.md, *.txt) are not inputs.
            const bool note = name == "README.md"
                || (name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0);
            if (entry.is_regular_file() && !note)
                files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

void runOne(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

// Runs one input in a child; returns an empty string or what went wrong.
std::string runIsolated(const fs::path &file, long long timeoutMs, long long *elapsedMs)
{
    std::fflush(nullptr);
    const auto started = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child < 0)
        return "fork failed";
    if (child == 0) {
        runOne(file);
        std::exit(0); // exit, not _exit: LeakSanitizer checks at exit
    }
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(child, &status, WNOHANG);
        *elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started).count();
        if (done == child)
            break;
        if (*elapsedMs > timeoutMs) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return "hang: still running after " + std::to_string(timeoutMs / 1000) + " s";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(*elapsedMs < 50 ? 1 : 20));
    }
    if (WIFSIGNALED(status))
        return std::string("crash: signal ") + strsignal(WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return "failed: exit code " + std::to_string(WEXITSTATUS(status))
            + " (a sanitizer report, see above)";
    return std::string();
}

} // namespace

int main(int argc, char **argv)
{
    // Usage: fuzz_replay_<target> [--timeout SECONDS] [--in-process] FOLDER_OR_FILE...
    // The first folder must not be empty, so a moved corpus cannot make the test pass
    // vacuously. --in-process runs the inputs in this process (for a debugger).
    long long timeoutMs = 20000;
    bool inProcess = false;
    std::vector<fs::path> args;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeoutMs = std::atoll(argv[++i]) * 1000;
        else if (std::strcmp(argv[i], "--in-process") == 0)
            inProcess = true;
        else
            args.emplace_back(argv[i]);
    }
    if (args.empty()) {
        std::fprintf(stderr, "usage: %s [--timeout SECONDS] [--in-process] FOLDER_OR_FILE...\n",
                     argv[0]);
        return 2;
    }

    size_t total = 0;
    std::vector<std::string> failures;
    for (size_t a = 0; a < args.size(); ++a) {
        const std::vector<fs::path> files = inputsOf(args[a]);
        if (a == 0 && files.empty()) {
            std::fprintf(stderr, "replay: no inputs in %s\n", args[a].c_str());
            return 2;
        }
        long long slowest = 0;
        std::string slowestName;
        for (const fs::path &file : files) {
            long long elapsed = 0;
            std::string problem;
            if (inProcess) {
                std::fprintf(stderr, "replay: %s\n", file.c_str());
                runOne(file);
            } else {
                problem = runIsolated(file, timeoutMs, &elapsed);
            }
            if (!problem.empty()) {
                std::fprintf(stderr, "replay: FAIL %s: %s\n", file.c_str(), problem.c_str());
                failures.push_back(file.string() + ": " + problem);
            }
            if (elapsed >= slowest) {
                slowest = elapsed;
                slowestName = file.filename().string();
            }
            ++total;
        }
        std::printf("replay: %zu inputs from %s (slowest %lld ms: %s)\n", files.size(),
                    args[a].c_str(), slowest, slowestName.c_str());
    }
    if (!failures.empty()) {
        std::printf("replay: %zu of %zu inputs failed:\n", failures.size(), total);
        for (const std::string &f : failures)
            std::printf("  %s\n", f.c_str());
        return 1;
    }
    std::printf("replay: %zu inputs, no crash, no hang\n", total);
    return 0;
}
