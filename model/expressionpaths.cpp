#include "model/expressionpaths.h"

#include <QSet>

namespace sb::model {

namespace {

bool identStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool identChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

bool isKeyword(const QString &name)
{
    static const QSet<QString> keywords{QStringLiteral("and"),   QStringLiteral("or"),
                                        QStringLiteral("in"),    QStringLiteral("true"),
                                        QStringLiteral("false"), QStringLiteral("null"),
                                        QStringLiteral("function")};
    return keywords.contains(name);
}

// Reads one path segment at `i` (a name or a `quoted name`); false if there is none.
bool readSegment(const QString &e, int &i, PathSegment &out)
{
    const int n = int(e.size());
    if (i < n && e[i] == QLatin1Char('`')) {
        const int close = int(e.indexOf(QLatin1Char('`'), i + 1));
        if (close < 0)
            return false;
        out = {e.mid(i + 1, close - i - 1), i, close + 1};
        i = close + 1;
        return true;
    }
    if (i >= n || !identStart(e[i]))
        return false;
    const int start = i;
    while (i < n && identChar(e[i]))
        ++i;
    out = {e.mid(start, i - start), start, i};
    return true;
}

// The last character before `at` that is not a space, or a null QChar.
QChar previousNonSpace(const QString &e, int at)
{
    for (int p = at - 1; p >= 0; --p) {
        if (!e[p].isSpace())
            return e[p];
    }
    return QChar();
}

// Whether a path starting at `at` is read from the current context: not a variable ($x),
// not the continuation of a call, filter or other path, not inside a number.
bool startsAtRoot(const QString &e, int at)
{
    int p = at - 1;
    if (p >= 0 && (identChar(e[p]) || e[p] == QLatin1Char('$')))
        return false;
    while (p >= 0 && e[p].isSpace())
        --p;
    if (p < 0 || e[p] != QLatin1Char('.'))
        return true;
    // "$.name" starts at the root; "x.name", "f().name", "a[0].name" continue something.
    return p >= 1 && e[p - 1] == QLatin1Char('$') && (p < 2 || !identChar(e[p - 2]));
}

// Whether the bracket at `at` opens a scope relative to an item: a filter after a path
// step (`lines[`), or a block or group right after a '.' (`lines.{`, `lines.(`).
bool opensItemScope(const QString &e, int at)
{
    const QChar before = previousNonSpace(e, at);
    if (e[at] == QLatin1Char('['))
        return identChar(before) || before == QLatin1Char(']') || before == QLatin1Char(')')
               || before == QLatin1Char('`') || before == QLatin1Char('}');
    return before == QLatin1Char('.');
}

} // namespace

void forEachRootPath(const QString &e,
                     const std::function<void(const QVector<PathSegment> &)> &visit)
{
    const int n = int(e.size());
    // One entry per open bracket: whether paths inside are relative to an item.
    QVector<bool> relative;
    int i = 0;
    while (i < n) {
        const QChar c = e[i];
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            for (++i; i < n && e[i] != c; ++i) {
                if (e[i] == QLatin1Char('\\'))
                    ++i;
            }
            ++i;
            continue;
        }
        if (c == QLatin1Char('/') && i + 1 < n && e[i + 1] == QLatin1Char('*')) {
            const int close = int(e.indexOf(QLatin1String("*/"), i + 2));
            i = close < 0 ? n : close + 2;
            continue;
        }
        if (c == QLatin1Char('[') || c == QLatin1Char('{') || c == QLatin1Char('(')) {
            const bool outer = !relative.isEmpty() && relative.last();
            relative << (outer || opensItemScope(e, i));
            ++i;
            continue;
        }
        if (c == QLatin1Char(']') || c == QLatin1Char('}') || c == QLatin1Char(')')) {
            if (!relative.isEmpty())
                relative.removeLast();
            ++i;
            continue;
        }
        if (!identStart(c) && c != QLatin1Char('`')) {
            ++i;
            continue;
        }
        const bool root = startsAtRoot(e, i) && (relative.isEmpty() || !relative.last());
        QVector<PathSegment> chain;
        PathSegment s;
        if (!readSegment(e, i, s)) {
            ++i;
            continue;
        }
        chain << s;
        while (i + 1 < n && e[i] == QLatin1Char('.')) {
            int j = i + 1;
            if (!readSegment(e, j, s))
                break;
            chain << s;
            i = j;
        }
        int next = i;
        while (next < n && e[next].isSpace())
            ++next;
        const bool call = next < n && e[next] == QLatin1Char('(');
        const bool keyword = chain.size() == 1 && e[chain[0].start] != QLatin1Char('`')
                             && isKeyword(chain[0].name);
        if (root && !call && !keyword)
            visit(chain);
    }
}

QStringList rootPaths(const QString &expression)
{
    QStringList out;
    forEachRootPath(expression, [&](const QVector<PathSegment> &chain) {
        QStringList names;
        for (const PathSegment &s : chain)
            names << s.name;
        out << names.join(QLatin1Char('.'));
    });
    return out;
}

} // namespace sb::model
