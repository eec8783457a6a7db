// Finds where a JSON pointer's value starts in JSON text. Used only on the error path of
// loading, so the happy path never pays for position bookkeeping; and the line:column of an
// offset.
#include "model/projectjson.h"
#include "model/jsonlocate.h"

#include <algorithm>

namespace sb::model {

namespace {

class Scanner
{
public:
    Scanner(const QByteArray &text, QStringList target, qsizetype start = 0)
        : m_text(text), m_target(std::move(target)), m_pos(start)
    {
    }

    qsizetype run()
    {
        skipSpace();
        value(0);
        return m_found;
    }

private:
    // Scans one value whose path matches the target's first `depth` segments.
    void value(int depth)
    {
        if (m_found >= 0 || m_pos >= m_text.size())
            return;
        if (depth == m_target.size()) {
            m_found = m_pos;
            return;
        }
        const char c = m_text[m_pos];
        if (c == '{') {
            ++m_pos;
            skipSpace();
            if (peek() == '}') {
                ++m_pos;
                return;
            }
            while (m_pos < m_text.size() && m_found < 0) {
                skipSpace();
                const QString key = string();
                skipSpace();
                if (peek() == ':')
                    ++m_pos;
                skipSpace();
                if (key == m_target[depth])
                    value(depth + 1);
                else
                    skipValue();
                if (m_found >= 0)
                    return;
                skipSpace();
                if (peek() == ',') {
                    ++m_pos;
                    continue;
                }
                if (peek() == '}')
                    ++m_pos;
                return;
            }
        } else if (c == '[') {
            ++m_pos;
            skipSpace();
            if (peek() == ']') {
                ++m_pos;
                return;
            }
            bool numeric = false;
            const int wanted = m_target[depth].toInt(&numeric);
            for (int index = 0; m_pos < m_text.size() && m_found < 0; ++index) {
                skipSpace();
                if (numeric && index == wanted)
                    value(depth + 1);
                else
                    skipValue();
                if (m_found >= 0)
                    return;
                skipSpace();
                if (peek() == ',') {
                    ++m_pos;
                    continue;
                }
                if (peek() == ']')
                    ++m_pos;
                return;
            }
        } else {
            skipValue();
        }
    }

    void skipValue()
    {
        const qsizetype n = m_text.size();
        const char c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            int level = 0;
            while (m_pos < n) {
                const char d = m_text[m_pos];
                if (d == '"') {
                    string();
                    continue;
                }
                if (d == '{' || d == '[')
                    ++level;
                else if (d == '}' || d == ']')
                    --level;
                ++m_pos;
                if (level == 0)
                    return;
            }
        } else {
            while (m_pos < n && !QByteArrayView(",}] \t\r\n").contains(m_text[m_pos]))
                ++m_pos;
        }
    }

    QString string()
    {
        if (peek() != '"')
            return QString();
        ++m_pos;
        QByteArray raw;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) {
                raw += m_text[m_pos + 1];
                m_pos += 2;
                continue;
            }
            raw += m_text[m_pos++];
        }
        ++m_pos;
        return QString::fromUtf8(raw);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && QByteArrayView(" \t\r\n").contains(m_text[m_pos]))
            ++m_pos;
    }

    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

    const QByteArray &m_text;
    QStringList m_target;
    qsizetype m_pos = 0;
    qsizetype m_found = -1;
};

} // namespace

qsizetype locateJsonPointer(const QByteArray &text, const QString &pointer)
{
    QStringList segments;
    if (!pointer.isEmpty() && pointer != QLatin1String("/")) {
        segments = pointer.mid(1).split(QLatin1Char('/'));
        for (QString &s : segments)
            s.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"),
                                                                       QLatin1String("~"));
    }
    // A missing key is reported at its parent: walk up until something is found.
    while (true) {
        const qsizetype found = Scanner(text, segments).run();
        if (found >= 0 || segments.isEmpty())
            return found >= 0 ? found : 0;
        segments.removeLast();
    }
}

std::pair<int, int> lineColumnAt(const QByteArray &text, qsizetype offset)
{
    int line = 1;
    int column = 1;
    const qsizetype end = std::min(offset, text.size());
    for (qsizetype i = 0; i < end; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) { // count characters, not UTF-8 continuation bytes
            ++column;
        }
    }
    return {line, column};
}

// Joins the segments of a cache key; no project key holds this control character.
constexpr QChar kSeparator(0x1f);

PointerLocator::PointerLocator(QByteArray text) : m_text(std::move(text))
{
    m_lineStarts << 0;
    for (qsizetype i = m_text.indexOf('\n'); i >= 0; i = m_text.indexOf('\n', i + 1))
        m_lineStarts << i + 1;
}

qsizetype PointerLocator::locate(const QStringList &segments)
{
    const QString key = segments.join(kSeparator);
    const auto known = m_offsets.constFind(key);
    if (known != m_offsets.constEnd())
        return *known;
    qsizetype found = -1;
    if (segments.isEmpty()) {
        found = Scanner(m_text, {}).run();
    } else {
        // The parent's value is scanned once; its children are looked for inside it only.
        const QStringList parentSegments = segments.mid(0, segments.size() - 1);
        const qsizetype parent = locate(parentSegments);
        const bool parentExists = m_offsets.value(parentSegments.join(kSeparator)) >= 0
                                  && parent >= 0;
        found = parentExists ? Scanner(m_text, {segments.last()}, parent).run() : -1;
        if (found < 0) {
            m_offsets.insert(key, -1);
            return parent;
        }
    }
    m_offsets.insert(key, found);
    return found < 0 ? 0 : found;
}

TextPosition PointerLocator::position(const QString &pointer)
{
    if (pointer.isEmpty())
        return {};
    QStringList segments;
    if (pointer != QLatin1String("/")) {
        segments = pointer.mid(1).split(QLatin1Char('/'));
        for (QString &s : segments)
            s.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"),
                                                                       QLatin1String("~"));
    }
    const qsizetype offset = std::min(locate(segments), m_text.size());
    const auto next = std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), offset);
    const int line = int(next - m_lineStarts.cbegin());
    int column = 1;
    for (qsizetype i = m_lineStarts[line - 1]; i < offset; ++i) {
        if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80)
            ++column; // count characters, not UTF-8 continuation bytes
    }
    return {line, column};
}

} // namespace sb::model
