// Replays every file of the given folders (or single files) through the harness's
// LLVMFuzzerTestOneInput, so the ordinary build keeps checking the seed corpus and every
// crash or hang the fuzzers ever found. The inputs run in a child process that reports each
// one before running it, so a crash or hang is named by file and the next child carries on
// with the remaining inputs; in a sanitizer build the child's exit runs LeakSanitizer.
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
#include <vector>

#include <poll.h>
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

std::string describe(int status)
{
    if (WIFSIGNALED(status))
        return std::string("crash: signal ") + strsignal(WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return "failed: exit code " + std::to_string(WEXITSTATUS(status))
            + " (a sanitizer report, see above)";
    return std::string();
}

// Runs files[first..] in one child that reports, through a pipe, the index of each input
// before running it (and -1 once all ran). Returns the index after the last input done; a
// crash or hang is added to `failures` and the caller starts a new child after that input.
size_t runBatch(const std::vector<fs::path> &files, size_t first, long long timeoutMs,
                std::vector<std::string> &failures, long long &slowestMs, size_t &slowest)
{
    int fds[2];
    if (pipe(fds) != 0) {
        failures.push_back("pipe failed");
        return files.size();
    }
    std::fflush(nullptr);
    const pid_t child = fork();
    if (child < 0) {
        failures.push_back("fork failed");
        return files.size();
    }
    if (child == 0) {
        close(fds[0]);
        for (size_t i = first; i < files.size(); ++i) {
            const long long index = static_cast<long long>(i);
            if (write(fds[1], &index, sizeof index) != sizeof index)
                std::_Exit(2);
            runOne(files[i]);
        }
        const long long done = -1;
        if (write(fds[1], &done, sizeof done) != sizeof done)
            std::_Exit(2);
        std::exit(0); // exit, not _exit: LeakSanitizer checks at exit
    }
    close(fds[1]);
    long long current = -2;
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&]() -> long long {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started).count();
    };
    for (;;) {
        pollfd pfd{fds[0], POLLIN, 0};
        const long long left = std::max(1LL, timeoutMs - elapsed());
        const int ready = poll(&pfd, 1, static_cast<int>(std::min(left, 1000LL)));
        if (ready == 0) {
            if (elapsed() < timeoutMs)
                continue;
            kill(child, SIGKILL);
            int status = 0;
            waitpid(child, &status, 0);
            close(fds[0]);
            if (current < 0) {
                failures.push_back("hang at exit, after all inputs");
                return files.size();
            }
            failures.push_back(files[size_t(current)].string() + ": hang: still running after "
                               + std::to_string(timeoutMs / 1000) + " s");
            return size_t(current) + 1;
        }
        long long index = 0;
        if (ready > 0 && read(fds[0], &index, sizeof index) == sizeof index) {
            if (current >= 0 && elapsed() > slowestMs) {
                slowestMs = elapsed();
                slowest = size_t(current);
            }
            current = index;
            started = std::chrono::steady_clock::now();
            continue;
        }
        // End of the pipe: the child exited or died.
        int status = 0;
        waitpid(child, &status, 0);
        close(fds[0]);
        const std::string problem = describe(status);
        if (current == -1) {
            if (!problem.empty())
                failures.push_back("at exit, after inputs " + files[first].filename().string()
                                   + " to the last (a leak?): " + problem);
            return files.size();
        }
        if (current < 0) {
            failures.push_back("the replay child died before its first input: " + problem);
            return files.size();
        }
        failures.push_back(files[size_t(current)].string() + ": "
                           + (problem.empty() ? std::string("exited early") : problem));
        return size_t(current) + 1;
    }
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
        long long slowestMs = 0;
        size_t slowest = 0;
        if (inProcess) {
            for (const fs::path &file : files) {
                std::fprintf(stderr, "replay: %s\n", file.c_str());
                runOne(file);
            }
        } else {
            for (size_t next = 0; next < files.size();) {
                const size_t before = failures.size();
                next = runBatch(files, next, timeoutMs, failures, slowestMs, slowest);
                for (size_t f = before; f < failures.size(); ++f)
                    std::fprintf(stderr, "replay: FAIL %s\n", failures[f].c_str());
            }
        }
        total += files.size();
        const std::string slowestName = files.empty() ? "" : files[slowest].filename().string();
        std::printf("replay: %zu inputs from %s (slowest %lld ms: %s)\n", files.size(),
                    args[a].c_str(), slowestMs, slowestName.c_str());
    }
    if (!failures.empty()) {
        std::printf("replay: %zu failure(s) in %zu inputs:\n", failures.size(), total);
        for (const std::string &f : failures)
            std::printf("  %s\n", f.c_str());
        return 1;
    }
    std::printf("replay: %zu inputs, no crash, no hang\n", total);
    return 0;
}
