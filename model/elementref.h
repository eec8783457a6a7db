#pragma once

// The address of a project element as findings, the selection and navigation carry it:
// "system:crm/entity:Account/field:lines.sku", "mapping:m1/rule:3/expression",
// "workflow:w1/step:s1", "workflow:w1/edge:2", "mapping:m1/valuemap:v/4",
// "ownership:Order.lines". Each '/'-separated segment is "key:value" or a bare part
// ("trigger", "expression", a value-map row); parse() and toString() round-trip exactly,
// so the string stays the stable form stored in findings and compared by the views.

#include <QList>
#include <QMetaType>
#include <QString>

namespace sb::model {

class ElementRef
{
    Q_GADGET
    Q_PROPERTY(Kind kind READ kind)
    Q_PROPERTY(bool valid READ isValid)
    Q_PROPERTY(QString id READ id)
    Q_PROPERTY(QString system READ system)
    Q_PROPERTY(QString entity READ entity)
    Q_PROPERTY(QString field READ field)
    Q_PROPERTY(QString mapping READ mapping)
    Q_PROPERTY(int rule READ rule)
    Q_PROPERTY(QString workflow READ workflow)
    Q_PROPERTY(QString step READ step)
    Q_PROPERTY(int edge READ edge)
    Q_PROPERTY(QString part READ part)

public:
    // The kind of the element the address starts at (its first segment).
    enum class Kind {
        None,
        System,
        Flow,
        Canonical,
        Ownership,
        Mapping,
        Workflow,
        Dataset,
        Sla,
        Reconciliation,
    };
    Q_ENUM(Kind)

    struct Segment
    {
        QString key;   // "rule", or the part name of a bare segment
        QString value; // "3"; empty for a bare segment
        bool bare = false;
        bool operator==(const Segment &o) const
        {
            return key == o.key && value == o.value && bare == o.bare;
        }
    };

    ElementRef() = default;
    // An invalid reference (kind None) for text that is not an address: empty, an unknown
    // first kind, an empty segment or id, or a rule/edge that is not a number.
    static ElementRef parse(const QString &text);
    QString toString() const;

    static ElementRef of(Kind kind, const QString &id);
    // This address with "key:value" appended (mapping -> mapping/rule:3).
    ElementRef child(const QString &key, const QString &value) const;
    ElementRef child(const QString &key, qsizetype index) const;
    // This address with a bare part appended (rule -> rule/expression).
    ElementRef withPart(const QString &part) const;

    Kind kind() const { return m_kind; }
    bool isValid() const { return m_kind != Kind::None; }
    // The id of the first segment (system, mapping, workflow, canonical entity, ...).
    QString id() const;
    QString system() const;
    // The entity: of a system, the canonical entity, or the one an ownership rule names.
    QString entity() const;
    // The field path (dotted for nested fields), of an entity or an ownership rule.
    QString field() const;
    QString mapping() const;
    int rule() const;
    QString workflow() const;
    QString step() const;
    int edge() const;
    // The last segment when it is bare ("expression", "trigger"), else empty.
    QString part() const;
    // The value of the first segment named `key`, empty if none.
    QString value(const QString &key) const;
    const QList<Segment> &segments() const { return m_segments; }

    static QString kindName(Kind kind);

    bool operator==(const ElementRef &o) const { return m_segments == o.m_segments; }
    bool operator!=(const ElementRef &o) const { return !(*this == o); }

private:
    int number(const QString &key) const;

    Kind m_kind = Kind::None;
    QList<Segment> m_segments;
};

} // namespace sb::model

Q_DECLARE_METATYPE(sb::model::ElementRef)
