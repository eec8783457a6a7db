// YAML to JSON with yaml-cpp. yaml-cpp throws; nothing escapes this file.
#include "runtime/import/importdetail.h"

#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>
#include <string>

namespace sb::runtime::importdetail {

namespace {

// Alias expansion can turn a small file into a huge tree ("billion laughs"): bound it.
constexpr qint64 kMaxNodes = 5000000;
constexpr int kMaxNesting = 1000;

struct TooLarge
{
    YAML::Mark mark;
    QString what;
};

Json plainScalar(const std::string &s)
{
    static const QRegularExpression intRe(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression floatRe(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    const QString q = QString::fromStdString(s);
    if (intRe.match(q).hasMatch()) {
        bool ok = false;
        const qlonglong v = q.toLongLong(&ok);
        if (ok)
            return static_cast<std::int64_t>(v);
        return q.toDouble();
    }
    if (q.startsWith(QLatin1String("0x")) || q.startsWith(QLatin1String("0o"))) {
        bool ok = false;
        const qlonglong v = q.mid(2).toLongLong(&ok, q[1] == QLatin1Char('x') ? 16 : 8);
        if (ok)
            return static_cast<std::int64_t>(v);
    }
    if (floatRe.match(q).hasMatch())
        return q.toDouble();
    const QString lower = q.toLower();
    if (lower == QLatin1String(".inf") || lower == QLatin1String("+.inf"))
        return std::numeric_limits<double>::infinity();
    if (lower == QLatin1String("-.inf"))
        return -std::numeric_limits<double>::infinity();
    return s;
}

Json convert(const YAML::Node &node, qint64 &count, int depth)
{
    if (++count > kMaxNodes)
        throw TooLarge{node.Mark(), QStringLiteral("more than 5000000 nodes")};
    if (depth > kMaxNesting)
        throw TooLarge{node.Mark(), QStringLiteral("nested deeper than 1000 levels")};
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Scalar:
        // "!" marks a quoted (non-plain) scalar: always a string.
        if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str")
            return node.Scalar();
        return plainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (const YAML::Node &item : node)
            out.push_back(convert(item, count, depth + 1));
        return out;
    }
    case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto &kv : node) {
            std::string key;
            if (kv.first.IsScalar())
                key = kv.first.Scalar();
            else
                key = YAML::Dump(kv.first);
            out[key] = convert(kv.second, count, depth + 1);
        }
        return out;
    }
    }
    return nullptr;
}

Error yamlError(const QString &fileName, const YAML::Mark &mark, const QString &message)
{
    Error e;
    e.file = fileName;
    e.message = message;
    if (!mark.is_null()) {
        e.line = mark.line + 1;
        e.column = mark.column + 1;
    }
    return e;
}

} // namespace

Result<Json> yamlToJson(const QByteArray &text, const QString &fileName)
{
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        qint64 count = 0;
        return convert(root, count, 0);
    } catch (const YAML::ParserException &e) {
        return yamlError(fileName, e.mark,
                         QStringLiteral("YAML syntax error: %1").arg(
                             QString::fromStdString(e.msg)));
    } catch (const YAML::Exception &e) {
        return yamlError(fileName, e.mark,
                         QStringLiteral("YAML error: %1").arg(QString::fromStdString(e.msg)));
    } catch (const TooLarge &e) {
        return yamlError(fileName, e.mark,
                         QStringLiteral("YAML document too large: %1").arg(e.what));
    } catch (const std::exception &e) {
        return yamlError(fileName, YAML::Mark::null_mark(),
                         QStringLiteral("YAML error: %1").arg(QString::fromUtf8(e.what())));
    }
}

std::pair<int, int> yamlPosition(const QByteArray &text, const QString &pointer)
{
    try {
        YAML::Node node = YAML::Load(text.toStdString());
        const QStringList tokens = pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (QString token : tokens) {
            token.replace(QLatin1String("~1"), QLatin1String("/"));
            token.replace(QLatin1String("~0"), QLatin1String("~"));
            YAML::Node next;
            bool found = false;
            if (node.IsMap()) {
                for (const auto &kv : node) {
                    if (kv.first.IsScalar() && kv.first.Scalar() == token.toStdString()) {
                        next.reset(kv.second);
                        found = true;
                        break;
                    }
                }
            } else if (node.IsSequence()) {
                bool ok = false;
                const int i = token.toInt(&ok);
                if (ok && i >= 0 && static_cast<std::size_t>(i) < node.size()) {
                    next.reset(node[static_cast<std::size_t>(i)]);
                    found = true;
                }
            }
            if (!found)
                break;
            node.reset(next);
        }
        const YAML::Mark mark = node.Mark();
        if (mark.is_null())
            return {0, 0};
        return {mark.line + 1, mark.column + 1};
    } catch (...) {
        return {0, 0};
    }
}

} // namespace sb::runtime::importdetail
