#include "app/mappings/mappingsamples.h"

#include <QFile>
#include <QStringList>

using json = nlohmann::ordered_json;

namespace studio {

namespace {

QStringList splitCsv(const QString &line)
{
    QStringList cells;
    QString cur;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted && c == QLatin1Char('"') && i + 1 < line.size()
            && line[i + 1] == QLatin1Char('"')) {
            cur += c;
            ++i;
        } else if (c == QLatin1Char('"')) {
            quoted = !quoted;
        } else if (c == QLatin1Char(',') && !quoted) {
            cells << cur;
            cur.clear();
        } else {
            cur += c;
        }
    }
    cells << cur;
    return cells;
}

// Line and column (1-based) of byte `offset` in `text`.
QString where(const QByteArray &text, size_t offset)
{
    int line = 1;
    int column = 1;
    for (size_t i = 0; i + 1 < offset && i < size_t(text.size()); ++i) {
        if (text[qsizetype(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

// One JSON document, or the parser's complaint. The parser's exception stays in here.
json parseOne(const QByteArray &text, QString *error)
{
    try {
        return json::parse(text.constData(), text.constData() + text.size());
    } catch (const json::parse_error &e) {
        QString what = QString::fromUtf8(e.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error
        // while parsing object - ..." : keep what follows the position.
        const int colon = int(what.indexOf(QLatin1String(": "), what.indexOf(QLatin1String(
                                                                    "parse error"))));
        if (colon > 0)
            what = what.mid(colon + 2);
        *error = QStringLiteral("%1: %2").arg(where(text, e.byte), what);
    }
    return json();
}

} // namespace

std::vector<json> parseRecords(const QByteArray &text, int limit, QString *error)
{
    std::vector<json> out;
    const QByteArray trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *error = QStringLiteral("no JSON to read");
        return out;
    }
    QString whole;
    json j = parseOne(trimmed, &whole);
    if (whole.isEmpty()) {
        if (j.is_object()) {
            out.push_back(std::move(j));
        } else if (j.is_array()) {
            for (auto &item : j) {
                if (item.is_object() && int(out.size()) < limit)
                    out.push_back(std::move(item));
            }
            if (out.empty())
                *error = QStringLiteral("the array holds no object");
        } else {
            *error = QStringLiteral("a record is a JSON object ({...}), not %1")
                         .arg(QString::fromUtf8(j.type_name()));
        }
        return out;
    }
    // Not one document: JSON Lines, one object per line; else the first complaint.
    const QList<QByteArray> lines = trimmed.split('\n');
    if (lines.size() > 1) {
        for (int i = 0; i < lines.size() && int(out.size()) < limit; ++i) {
            const QByteArray line = lines[i].trimmed();
            if (line.isEmpty())
                continue;
            QString lineError;
            json rec = parseOne(line, &lineError);
            if (!lineError.isEmpty() || !rec.is_object()) {
                out.clear();
                break;
            }
            out.push_back(std::move(rec));
        }
        if (!out.empty())
            return out;
    }
    *error = whole;
    return out;
}

std::vector<json> readRecords(const QString &file, int limit)
{
    std::vector<json> out;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QString lower = file.toLower();
    if (lower.endsWith(QLatin1String(".jsonl")) || lower.endsWith(QLatin1String(".ndjson"))) {
        while (!f.atEnd() && int(out.size()) < limit) {
            const QByteArray line = f.readLine().trimmed();
            if (line.isEmpty())
                continue;
            json j = json::parse(line.constData(), line.constData() + line.size(), nullptr,
                                 false);
            if (j.is_object())
                out.push_back(std::move(j));
        }
    } else if (lower.endsWith(QLatin1String(".csv"))) {
        const QStringList header = splitCsv(QString::fromUtf8(f.readLine()).trimmed());
        while (!f.atEnd() && int(out.size()) < limit) {
            const QString line = QString::fromUtf8(f.readLine()).trimmed();
            if (line.isEmpty())
                continue;
            const QStringList cells = splitCsv(line);
            json rec = json::object();
            for (int i = 0; i < header.size() && i < cells.size(); ++i)
                rec[header[i].toStdString()] = cells[i].toStdString();
            out.push_back(std::move(rec));
        }
    } else {
        // .json, or a file of another name: one document, else JSON Lines.
        QString error;
        out = parseRecords(f.readAll(), limit, &error);
    }
    return out;
}

QString recordLabel(const json &r, const QString &key)
{
    QStringList parts;
    auto text = [&r](const std::string &k) -> QString {
        if (!r.is_object() || !r.contains(k))
            return QString();
        const json &v = r[k];
        return v.is_string() ? QString::fromStdString(v.get<std::string>())
                             : QString::fromStdString(v.dump());
    };
    if (!key.isEmpty())
        parts << text(key.toStdString());
    const QString name = text("name");
    if (!name.isEmpty())
        parts << name;
    parts.removeAll(QString());
    return parts.join(QStringLiteral(" \u00b7 "));
}

} // namespace studio
