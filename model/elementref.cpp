#include "model/elementref.h"

namespace sb::model {

namespace {

struct KindName
{
    ElementRef::Kind kind;
    const char *name;
};

constexpr KindName kKindNames[] = {
    {ElementRef::Kind::System, "system"},       {ElementRef::Kind::Flow, "flow"},
    {ElementRef::Kind::Canonical, "canonical"}, {ElementRef::Kind::Ownership, "ownership"},
    {ElementRef::Kind::Mapping, "mapping"},     {ElementRef::Kind::Workflow, "workflow"},
    {ElementRef::Kind::Dataset, "dataset"},     {ElementRef::Kind::Sla, "sla"},
    {ElementRef::Kind::Reconciliation, "reconciliation"},
};

ElementRef::Kind kindOf(const QString &name)
{
    for (const KindName &k : kKindNames) {
        if (name == QLatin1String(k.name))
            return k.kind;
    }
    return ElementRef::Kind::None;
}

bool isIndex(const QString &text)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    // "03" would not survive a round trip through the number.
    return ok && n >= 0 && QString::number(n) == text;
}

} // namespace

QString ElementRef::kindName(Kind kind)
{
    for (const KindName &k : kKindNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return QString();
}

ElementRef ElementRef::parse(const QString &text)
{
    ElementRef ref;
    if (text.isEmpty())
        return ref;
    const QStringList parts = text.split(QLatin1Char('/'));
    for (const QString &part : parts) {
        if (part.isEmpty())
            return ElementRef();
        const qsizetype colon = part.indexOf(QLatin1Char(':'));
        Segment s;
        if (colon < 0) {
            s.key = part;
            s.bare = true;
        } else {
            s.key = part.left(colon);
            s.value = part.mid(colon + 1);
            if (s.key.isEmpty() || s.value.isEmpty())
                return ElementRef();
            if ((s.key == QLatin1String("rule") || s.key == QLatin1String("edge"))
                && !isIndex(s.value))
                return ElementRef();
        }
        ref.m_segments.append(s);
    }
    const Segment &first = ref.m_segments.first();
    ref.m_kind = first.bare ? Kind::None : kindOf(first.key);
    if (ref.m_kind == Kind::None)
        return ElementRef();
    return ref;
}

QString ElementRef::toString() const
{
    QString out;
    for (const Segment &s : m_segments) {
        if (!out.isEmpty())
            out += QLatin1Char('/');
        out += s.key;
        if (!s.bare)
            out += QLatin1Char(':') + s.value;
    }
    return out;
}

ElementRef ElementRef::of(Kind kind, const QString &id)
{
    ElementRef ref;
    if (kind == Kind::None || id.isEmpty())
        return ref;
    ref.m_kind = kind;
    ref.m_segments.append(Segment{kindName(kind), id, false});
    return ref;
}

ElementRef ElementRef::child(const QString &key, const QString &value) const
{
    ElementRef ref = *this;
    if (isValid())
        ref.m_segments.append(Segment{key, value, false});
    return ref;
}

ElementRef ElementRef::child(const QString &key, qsizetype index) const
{
    return child(key, QString::number(index));
}

ElementRef ElementRef::withPart(const QString &part) const
{
    ElementRef ref = *this;
    if (isValid())
        ref.m_segments.append(Segment{part, QString(), true});
    return ref;
}

QString ElementRef::id() const
{
    return m_segments.isEmpty() ? QString() : m_segments.first().value;
}

QString ElementRef::value(const QString &key) const
{
    for (const Segment &s : m_segments) {
        if (!s.bare && s.key == key)
            return s.value;
    }
    return QString();
}

int ElementRef::number(const QString &key) const
{
    const QString v = value(key);
    return v.isEmpty() ? -1 : v.toInt();
}

QString ElementRef::system() const
{
    return value(QStringLiteral("system"));
}

QString ElementRef::entity() const
{
    switch (m_kind) {
    case Kind::Canonical:
        return id();
    case Kind::Ownership: {
        const QString rule = id();
        const qsizetype dot = rule.indexOf(QLatin1Char('.'));
        return dot < 0 ? rule : rule.left(dot);
    }
    default:
        return value(QStringLiteral("entity"));
    }
}

QString ElementRef::field() const
{
    if (m_kind == Kind::Ownership) {
        const QString rule = id();
        const qsizetype dot = rule.indexOf(QLatin1Char('.'));
        return dot < 0 ? QString() : rule.mid(dot + 1);
    }
    return value(QStringLiteral("field"));
}

QString ElementRef::mapping() const
{
    return value(QStringLiteral("mapping"));
}

int ElementRef::rule() const
{
    return number(QStringLiteral("rule"));
}

QString ElementRef::workflow() const
{
    return value(QStringLiteral("workflow"));
}

QString ElementRef::step() const
{
    return value(QStringLiteral("step"));
}

int ElementRef::edge() const
{
    return number(QStringLiteral("edge"));
}

QString ElementRef::part() const
{
    return !m_segments.isEmpty() && m_segments.last().bare ? m_segments.last().key : QString();
}

} // namespace sb::model
