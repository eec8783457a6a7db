// Replays every file of the given folders (or single files) through the harness's
// LLVMFuzzerTestOneInput, so the ordinary build keeps checking the seed corpus and every
// crash or hang the fuzzers ever found. A crash names the input; so does a hang, via a
// watchdog, because CTest's own timeout would only say that the whole run was too slow.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
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

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

namespace fs = std::filesystem;

char g_current[4096] = "";
std::atomic<long long> g_startedMs{0};

long long nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void writeCurrent(const char *prefix)
{
    // Only async-signal-safe calls here: this also runs inside the crash handler.
    ssize_t ignored = write(STDERR_FILENO, prefix, strlen(prefix));
    ignored = write(STDERR_FILENO, g_current, strlen(g_current));
    ignored = write(STDERR_FILENO, "\n", 1);
    (void)ignored;
}

void onCrash(int sig)
{
    writeCurrent("replay: crashed on input ");
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

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
            if (entry.is_regular_file() && name != "README.md" && name.rfind(".txt") !=
                                                                   name.size() - 4)
                files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

int main(int argc, char **argv)
{
    // Usage: fuzz_replay_<target> [--timeout SECONDS] FOLDER_OR_FILE...
    // The first folder must not be empty, so a moved corpus cannot make the test pass vacuously.
    long long timeoutMs = 20000;
    std::vector<fs::path> args;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeoutMs = std::atoll(argv[++i]) * 1000;
        else
            args.emplace_back(argv[i]);
    }
    if (args.empty()) {
        std::fprintf(stderr, "usage: %s [--timeout SECONDS] FOLDER_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
        std::signal(sig, onCrash);

    std::thread([timeoutMs] {
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            const long long started = g_startedMs.load();
            if (started != 0 && nowMs() - started > timeoutMs) {
                writeCurrent("replay: hang (over the per-input timeout) on input ");
                std::_Exit(3);
            }
        }
    }).detach();

    size_t total = 0;
    for (size_t a = 0; a < args.size(); ++a) {
        const std::vector<fs::path> files = inputsOf(args[a]);
        if (a == 0 && files.empty()) {
            std::fprintf(stderr, "replay: no inputs in %s\n", args[a].c_str());
            return 2;
        }
        long long slowest = 0;
        std::string slowestName;
        for (const fs::path &file : files) {
            std::ifstream in(file, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>()};
            std::snprintf(g_current, sizeof g_current, "%s", file.c_str());
            const long long started = nowMs();
            g_startedMs = started;
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                                   bytes.size());
            g_startedMs = 0;
            if (nowMs() - started > slowest) {
                slowest = nowMs() - started;
                slowestName = file.filename().string();
            }
            ++total;
        }
        std::printf("replay: %zu inputs from %s (slowest %lld ms: %s)\n", files.size(),
                    args[a].c_str(), slowest, slowestName.c_str());
    }
    std::printf("replay: %zu inputs, no crash, no hang\n", total);
    return 0;
}
