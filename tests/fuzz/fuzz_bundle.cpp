// libFuzzer harness: the bundle loader. The input is a bundle file. A fuzzer cannot forge a
// SHA-256, so besides the bytes as given the harness also loads them with the content hash
// recomputed, which lets mutations reach the code behind the hash check.
#include "model/jsonlimits.h"
#include "runtime/bundle/bundle.h"

#include <QCryptographicHash>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// The same canonical form bundle.cpp hashes: every key but contentHash, sorted, compact.
bool rehash(nlohmann::json &doc)
{
    if (!doc.is_object())
        return false;
    nlohmann::json copy = doc;
    copy.erase("contentHash");
    const std::string canonical = copy.dump();
    const QByteArray digest = QCryptographicHash::hash(
        QByteArray::fromRawData(canonical.data(), qsizetype(canonical.size())),
        QCryptographicHash::Sha256);
    doc["contentHash"] = "sha256:" + digest.toHex().toStdString();
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sb::runtime;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const sb::Result<Bundle> asGiven = parseBundle(text, QStringLiteral("fuzz.bundle"));
    (void)(asGiven.ok() ? asGiven.value().name : asGiven.error().toString());

    // The harness's own copy and dump recurse: keep its nesting bounded so a deep input
    // only reaches the loader above, where it is the loader's business.
    if (sb::jsonNestingError(text.constData(), size_t(text.size())))
        return 0;
    nlohmann::json doc = nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr,
                                               false);
    if (doc.is_discarded() || !rehash(doc))
        return 0;
    std::string rehashed;
    try {
        rehashed = doc.dump(1);
    } catch (const nlohmann::json::exception &) {
        return 0; // invalid UTF-8 in a string: QJsonDocument refuses such input anyway
    }
    const sb::Result<Bundle> bundle = parseBundle(
        QByteArray(rehashed.data(), qsizetype(rehashed.size())), QStringLiteral("fuzz.bundle"));
    if (!bundle.ok())
        return 0;
    const auto version = doc.find("version");
    if (version == doc.end() || !version->is_number_integer()
        || version->get<double>() != sb::runtime::kBundleVersion) {
        std::fprintf(stderr, "loaded a bundle of version %s\n",
                     version == doc.end() ? "(none)" : version->dump().c_str());
        std::abort();
    }
    // What the runner does next with a verified bundle: check its secret references.
    const sb::Result<bool> secrets = checkSecretReferences(bundle.value().project);
    (void)secrets.ok();
    return 0;
}
