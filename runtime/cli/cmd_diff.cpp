#include "runtime/cli/commandline.h"
#include "runtime/cli/commands.h"

#include "model/projectjson.h"
#include "runtime/diff/projectdiff.h"
#include "runtime/diff/projectmerge.h"

#include <cstdio>

namespace sb::cli {

namespace {

constexpr char kDiffUsage[] =
    "usage: switchboard-run diff OLD NEW [--json] [--layout]\n"
    "       switchboard-run diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE\n"
    "Compares two project files (or bundles) element by element. Canvas positions are left\n"
    "out unless --layout. Exit 0 when equal, 1 when they differ, 2 on bad input.\n"
    "--git takes git's external-diff arguments, prints a header and always exits 0.\n";

constexpr char kMergeUsage[] =
    "usage: switchboard-run merge BASE OURS THEIRS -o OUT [--json]\n"
    "Three-way merge of project files: changes to different elements, or to different\n"
    "settings of one element, combine. On conflict nothing is written and every conflict is\n"
    "listed with the three values; exit 1. Exit 0 merged, 2 on bad input.\n";

void print(const QString &text, FILE *out = stdout)
{
    std::fputs(text.toUtf8().constData(), out);
}

// What git shows for a file that changed without a semantic difference: how many canvas
// positions moved (left out without --layout), or that only the formatting differs.
QString noSemanticChange(const runtime::diff::Json &before, const runtime::diff::Json &after,
                         bool layoutShown)
{
    runtime::diff::DiffOptions withLayout;
    withLayout.layout = true;
    const std::size_t moved =
        layoutShown ? 0 : runtime::diff::diffDocuments(before, after, withLayout).size();
    if (moved == 0)
        return QStringLiteral("No semantic change: only the file's formatting differs.\n");
    return QStringLiteral("No semantic change: %1 canvas position%2 moved (--layout lists "
                          "them).\n")
        .arg(moved)
        .arg(moved == 1 ? QString() : QStringLiteral("s"));
}

} // namespace

int runDiff(const QStringList &args)
{
    CommandLine cl("diff", kDiffUsage);
    cl.addFlag({QStringLiteral("json")});
    cl.addFlag({QStringLiteral("layout")});
    cl.addFlag({QStringLiteral("git")});
    if (const auto stop = cl.parse(args, 2, 7))
        return *stop;
    const bool git = cl.isSet(QStringLiteral("git"));
    const QStringList words = cl.positional();
    if (git != (words.size() == 7))
        return cl.usageError(git ? QStringLiteral("--git takes the seven arguments git passes")
                                 : QStringLiteral("expected OLD and NEW"));
    const QString oldFile = git ? words[1] : words[0];
    const QString newFile = git ? words[4] : words[1];

    auto before = runtime::diff::loadCanonicalDocument(oldFile);
    if (!before.ok()) {
        print(before.error().toString() + QLatin1Char('\n'), stderr);
        return BadInput;
    }
    auto after = runtime::diff::loadCanonicalDocument(newFile);
    if (!after.ok()) {
        print(after.error().toString() + QLatin1Char('\n'), stderr);
        return BadInput;
    }
    runtime::diff::DiffOptions options;
    options.layout = cl.isSet(QStringLiteral("layout"));
    const auto changes = runtime::diff::diffDocuments(before.value(), after.value(), options);

    if (cl.isSet(QStringLiteral("json"))) {
        runtime::diff::Json out = runtime::diff::Json::object();
        out["old"] = oldFile.toStdString();
        out["new"] = newFile.toStdString();
        out["changes"] = runtime::diff::changesJson(changes);
        std::fputs((out.dump(2) + "\n").c_str(), stdout);
    } else {
        if (git)
            print(QStringLiteral("switchboard diff a/%1 b/%1\n").arg(words[0]));
        print(runtime::diff::changesText(changes));
        if (changes.empty() && git)
            print(noSemanticChange(before.value(), after.value(), options.layout));
    }
    if (git)
        return Success; // git stops at an external diff that exits non-zero
    return changes.empty() ? Success : WorkFailed;
}

int runMerge(const QStringList &args)
{
    CommandLine cl("merge", kMergeUsage);
    cl.addOption({QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("OUT"));
    cl.addFlag({QStringLiteral("json")});
    if (const auto stop = cl.parse(args, 3, 3))
        return *stop;
    const QString output = cl.value(QStringLiteral("o"));
    if (output.isEmpty())
        return cl.usageError(QStringLiteral("-o OUT is required"));

    std::vector<runtime::diff::Json> documents;
    for (const QString &file : cl.positional()) {
        auto document = runtime::diff::loadCanonicalDocument(file);
        if (!document.ok()) {
            print(document.error().toString() + QLatin1Char('\n'), stderr);
            return BadInput;
        }
        documents.push_back(std::move(document.value()));
    }
    const auto outcome = runtime::diff::mergeDocuments(documents[0], documents[1], documents[2]);
    const bool asJson = cl.isSet(QStringLiteral("json"));
    if (!outcome.conflicts.empty()) {
        if (asJson) {
            runtime::diff::Json out = runtime::diff::Json::object();
            out["conflicts"] = runtime::diff::conflictsJson(outcome.conflicts);
            std::fputs((out.dump(2) + "\n").c_str(), stdout);
        } else {
            print(runtime::diff::conflictsText(outcome.conflicts));
            print(
                QStringLiteral("%1 conflict(s); nothing written\n").arg(outcome.conflicts.size()),
                stderr);
        }
        return WorkFailed;
    }
    // Both sides were valid projects; their union need not be (a step of ours pointing at a
    // mapping theirs removed), so the result must load before it is written.
    const std::string text = outcome.merged.dump();
    auto merged = model::parseProject(QByteArray::fromStdString(text), output);
    if (!merged.ok()) {
        print(QStringLiteral("the merged project does not load: %1\nnothing written\n")
                  .arg(merged.error().toString()),
              stderr);
        return WorkFailed;
    }
    const auto saved = model::saveProject(merged.value(), output);
    if (!saved.ok()) {
        print(saved.error().toString() + QLatin1Char('\n'), stderr);
        return BadInput;
    }
    if (asJson)
        std::fputs("{\n  \"conflicts\": []\n}\n", stdout);
    return Success;
}

} // namespace sb::cli
