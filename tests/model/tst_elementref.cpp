// ElementRef: every address form the validator and the studio use survives parse/toString
// unchanged, its typed parts read back, and text that is not an address is rejected.

#include "model/elementref.h"

#include <QtTest>

using sb::model::ElementRef;

class TstElementRef : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void parts();
    void builders();
    void badInput_data();
    void badInput();
};

void TstElementRef::roundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    const auto row = [](const char *text, ElementRef::Kind kind) {
        QTest::newRow(text) << QString::fromUtf8(text) << int(kind);
    };
    row("system:crm", ElementRef::Kind::System);
    row("system:crm/profile:prod", ElementRef::Kind::System);
    row("system:crm/entity:Account", ElementRef::Kind::System);
    row("system:crm/entity:Account/field:lines.sku", ElementRef::Kind::System);
    row("flow:f1", ElementRef::Kind::Flow);
    row("canonical:Order", ElementRef::Kind::Canonical);
    row("canonical:Order/field:lines.sku", ElementRef::Kind::Canonical);
    row("ownership:Order", ElementRef::Kind::Ownership);
    row("ownership:Order.lines.sku", ElementRef::Kind::Ownership);
    row("mapping:m1", ElementRef::Kind::Mapping);
    row("mapping:m1/condition", ElementRef::Kind::Mapping);
    row("mapping:m1/rule:3", ElementRef::Kind::Mapping);
    row("mapping:m1/rule:0/expression", ElementRef::Kind::Mapping);
    row("mapping:m1/valuemap:status/4", ElementRef::Kind::Mapping);
    row("mapping:m1/valuemap:status/fallback", ElementRef::Kind::Mapping);
    row("workflow:w1", ElementRef::Kind::Workflow);
    row("workflow:w1/trigger", ElementRef::Kind::Workflow);
    row("workflow:w1/step:s-1", ElementRef::Kind::Workflow);
    row("workflow:w1/edge:12", ElementRef::Kind::Workflow);
    row("dataset:d1", ElementRef::Kind::Dataset);
    row("sla:s1", ElementRef::Kind::Sla);
    row("reconciliation:r1", ElementRef::Kind::Reconciliation);
    // An id may hold a colon: only the first one of a segment separates key and value.
    row("system:a:b", ElementRef::Kind::System);
}

void TstElementRef::roundTrip()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    const ElementRef ref = ElementRef::parse(text);
    QVERIFY(ref.isValid());
    QCOMPARE(int(ref.kind()), kind);
    QCOMPARE(ref.toString(), text);
    QCOMPARE(ElementRef::parse(ref.toString()), ref);
}

void TstElementRef::parts()
{
    const ElementRef field = ElementRef::parse(QStringLiteral("system:crm/entity:Account/field:a.b"));
    QCOMPARE(field.id(), QStringLiteral("crm"));
    QCOMPARE(field.system(), QStringLiteral("crm"));
    QCOMPARE(field.entity(), QStringLiteral("Account"));
    QCOMPARE(field.field(), QStringLiteral("a.b"));
    QCOMPARE(field.rule(), -1);

    const ElementRef rule = ElementRef::parse(QStringLiteral("mapping:m1/rule:3/expression"));
    QCOMPARE(rule.mapping(), QStringLiteral("m1"));
    QCOMPARE(rule.rule(), 3);
    QCOMPARE(rule.part(), QStringLiteral("expression"));
    QCOMPARE(rule.system(), QString());

    const ElementRef own = ElementRef::parse(QStringLiteral("ownership:Order.lines.sku"));
    QCOMPARE(own.entity(), QStringLiteral("Order"));
    QCOMPARE(own.field(), QStringLiteral("lines.sku"));
    QCOMPARE(ElementRef::parse(QStringLiteral("ownership:Order")).field(), QString());

    const ElementRef canon = ElementRef::parse(QStringLiteral("canonical:Order/field:total"));
    QCOMPARE(canon.entity(), QStringLiteral("Order"));
    QCOMPARE(canon.field(), QStringLiteral("total"));

    const ElementRef edge = ElementRef::parse(QStringLiteral("workflow:w/edge:7"));
    QCOMPARE(edge.workflow(), QStringLiteral("w"));
    QCOMPARE(edge.edge(), 7);
    QCOMPARE(edge.step(), QString());
    QCOMPARE(ElementRef::parse(QStringLiteral("workflow:w/step:s")).step(), QStringLiteral("s"));
    QCOMPARE(ElementRef::parse(QStringLiteral("workflow:w/trigger")).part(),
             QStringLiteral("trigger"));
}

void TstElementRef::builders()
{
    const ElementRef m = ElementRef::of(ElementRef::Kind::Mapping, QStringLiteral("m1"));
    QCOMPARE(m.toString(), QStringLiteral("mapping:m1"));
    QCOMPARE(m.child(QStringLiteral("rule"), 2).withPart(QStringLiteral("condition")).toString(),
             QStringLiteral("mapping:m1/rule:2/condition"));
    QCOMPARE(ElementRef::of(ElementRef::Kind::Workflow, QStringLiteral("w"))
                 .child(QStringLiteral("step"), QStringLiteral("s1"))
                 .toString(),
             QStringLiteral("workflow:w/step:s1"));
    QVERIFY(!ElementRef::of(ElementRef::Kind::Mapping, QString()).isValid());
    QVERIFY(!ElementRef::of(ElementRef::Kind::None, QStringLiteral("x")).isValid());
    // Appending to an invalid reference keeps it invalid.
    QVERIFY(!ElementRef().child(QStringLiteral("rule"), 1).isValid());
    QCOMPARE(ElementRef().toString(), QString());
}

void TstElementRef::badInput_data()
{
    QTest::addColumn<QString>("text");
    for (const char *bad : {"", "/", "mapping", "mapping:", ":m1", "foo:x", "trigger",
                            "mapping:m1/", "mapping:m1//rule:3", "mapping:m1/rule:",
                            "mapping:m1/rule:x", "mapping:m1/rule:-1", "mapping:m1/rule:03",
                            "workflow:w/edge:1.5", "/mapping:m1", "Mapping:m1"})
        QTest::newRow(bad) << QString::fromUtf8(bad);
}

void TstElementRef::badInput()
{
    QFETCH(QString, text);
    const ElementRef ref = ElementRef::parse(text);
    QVERIFY(!ref.isValid());
    QCOMPARE(ref.kind(), ElementRef::Kind::None);
    QCOMPARE(ref.toString(), QString());
}

QTEST_GUILESS_MAIN(TstElementRef)
#include "tst_elementref.moc"
