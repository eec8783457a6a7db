// Encoding built-ins: base64 and URL (component) encoding and decoding.
#include "runtime/jsonata/functions_impl.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace sb::jsonata::fn {

// ---- encoding
Value fnBase64Encode(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    QByteArray bytes;
    for (char32_t c : toCodePoints(v.str()))
        bytes.append(char(c & 0xFF));
    return str(bytes.toBase64().toStdString());
}

Value fnBase64Decode(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    QByteArray bytes = QByteArray::fromBase64(QByteArray::fromStdString(v.str()));
    std::string out;
    for (char c : bytes)
        appendUtf8(out, uint32_t(static_cast<unsigned char>(c)));
    return str(out);
}

namespace {

bool hasLoneSurrogate(const std::string &s)
{
    for (char32_t c : toCodePoints(s))
        if (c >= 0xD800 && c <= 0xDFFF)
            return true;
    return false;
}

std::string percentEncode(const std::string &s, const char *keep)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (isalnum(c) || std::strchr("-_.!~*'()", c) || (c && std::strchr(keep, c))) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

Value encodeWith(Args &a, const char *keep)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    if (hasLoneSurrogate(v.str()))
        throw JError("D3140").val(v);
    return str(percentEncode(v.str(), keep));
}

} // namespace

Value fnEncodeUrlComponent(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return encodeWith(a, "");
}

Value fnEncodeUrl(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return encodeWith(a, ";,/?:@&=+$#");
}

namespace {

Value decodeWith(Args &a, const char *reserved)
{
    const Value &v = arg(a, 0);
    if (v.isUndefined())
        return Value();
    const std::string &s = v.str();
    std::string bytes;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            bytes += s[i];
            continue;
        }
        if (i + 2 >= s.size() || !isxdigit(static_cast<unsigned char>(s[i + 1]))
            || !isxdigit(static_cast<unsigned char>(s[i + 2])))
            throw JError("D3140").val(v);
        int c = std::stoi(s.substr(i + 1, 2), nullptr, 16);
        if (c < 0x80 && std::strchr(reserved, c) && c != 0) {
            bytes += s.substr(i, 3);
        } else {
            bytes += char(c);
        }
        i += 2;
    }
    // validate UTF-8
    QString q = QString::fromUtf8(bytes.data(), int(bytes.size()));
    if (q.toUtf8() != QByteArray::fromStdString(bytes))
        throw JError("D3140").val(v);
    return str(bytes);
}

} // namespace

Value fnDecodeUrlComponent(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return decodeWith(a, "");
}

Value fnDecodeUrl(Evaluator &, Args &a, const Value &, const FramePtr &)
{
    return decodeWith(a, ";,/?:@&=+$#");
}

} // namespace sb::jsonata::fn
