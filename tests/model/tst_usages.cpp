// Find usages and safe rename of ids, on the bundled Quote-to-Cash project: every reference
// the validator resolves must follow a rename, so a renamed project validates exactly as the
// original did, and the references are found again under the new id.
#include "model/projectjson.h"
#include "model/expressionpaths.h"
#include "model/usages.h"
#include "model/validator.h"

#include <QtTest>

using namespace sb::model;

namespace {

const QString kTemplate = QStringLiteral(SWITCHBOARD_SOURCE_DIR)
                          + QStringLiteral("/templates/quote-to-cash/quote-to-cash.switchboard");

ElementRef ref(const char *text) { return ElementRef::parse(QLatin1String(text)); }

QStringList roles(const QVector<Usage> &usages, const QString &element)
{
    QStringList out;
    for (const Usage &u : usages) {
        if (u.element == element)
            out << u.role;
    }
    return out;
}

// Findings without their texts and displays, which name elements by name and id.
QStringList findingKeys(const Project &p, const QString &from = {}, const QString &to = {})
{
    QStringList out;
    for (const Finding &f : validateProject(p)) {
        QString element = f.location.element;
        if (!from.isEmpty())
            element.replace(from, to);
        out << f.ruleId + QLatin1Char(' ') + element;
    }
    return out;
}

} // namespace

class TestUsages : public QObject
{
    Q_OBJECT

private:
    Project m_q2c;

private slots:
    void initTestCase()
    {
        auto loaded = loadProject(kTemplate);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        m_q2c = loaded.takeValue();
    }

    void systemUsages()
    {
        const QVector<Usage> u = findUsages(m_q2c, ref("system:erp"));
        // Flows from and to the ERP, mappings into and out of it, steps calling it, the
        // ownership rules naming it, the reconciliation and the data set.
        QCOMPARE(roles(u, QStringLiteral("flow:crm-erp-customer")), QStringList{"to"});
        QCOMPARE(roles(u, QStringLiteral("flow:erp-crm-customer")), QStringList{"from"});
        QCOMPARE(roles(u, QStringLiteral("mapping:customer-to-erp-customer")),
                 QStringList{"target"});
        QCOMPARE(roles(u, QStringLiteral("workflow:closed-won-to-cash/step:erp-sales-order"))
                     .size(),
                 1);
        QVERIFY(roles(u, QStringLiteral("ownership:Customer.taxId")).contains("owner"));
        QCOMPARE(roles(u, QStringLiteral("reconciliation:crm-accounts-vs-erp-customers")),
                 QStringList{"right side"});
        QCOMPARE(roles(u, QStringLiteral("dataset:erp-customers")), QStringList{"records"});
        // Displays name elements by name, id in brackets.
        for (const Usage &x : u) {
            if (x.element == QLatin1String("mapping:customer-to-erp-customer"))
                QCOMPARE(x.display, QStringLiteral("Mapping 'Canonical Customer to ERP "
                                                   "Customer' (customer-to-erp-customer)"));
        }
        // The CRM's usages are not the ERP's.
        QVERIFY(roles(u, QStringLiteral("flow:billing-crm-invoice")).isEmpty());
    }

    void fieldUsages()
    {
        // billingAddress.city of the CRM account: read by a mapping rule and compared by the
        // reconciliation; "billingEmail" only in an expression with a function around it.
        const QVector<Usage> city =
            findUsages(m_q2c, ref("system:crm/entity:Account/field:billingAddress.city"));
        QCOMPARE(roles(city, QStringLiteral("mapping:crm-account-to-customer/rule:8")),
                 QStringList{"rule 9 expression"});
        QCOMPARE(roles(city, QStringLiteral("reconciliation:crm-accounts-vs-erp-customers")),
                 QStringList{"compared field"});
        const QVector<Usage> email =
            findUsages(m_q2c, ref("system:crm/entity:Account/field:billingEmail"));
        QCOMPARE(roles(email, QStringLiteral("mapping:crm-account-to-customer/rule:5")),
                 (QStringList{"rule 6 expression", "rule 6 condition"}));
        // A field of the trigger's entity, used by the trigger's filter.
        const QVector<Usage> stage =
            findUsages(m_q2c, ref("system:crm/entity:Opportunity/field:stage"));
        QVERIFY(roles(stage, QStringLiteral("workflow:closed-won-to-cash/trigger"))
                    .contains("trigger filter"));
    }

    void mappingAndWorkflowUsages()
    {
        const QVector<Usage> m = findUsages(m_q2c, ref("mapping:customer-to-erp-customer"));
        QCOMPARE(roles(m, QStringLiteral("flow:crm-erp-customer")), QStringList{"mapping"});
        QCOMPARE(roles(m, QStringLiteral("workflow:customer-master-sync/step:upsert-erp-customer"))
                     .size(),
                 1);
        const QVector<Usage> w = findUsages(m_q2c, ref("workflow:closed-won-to-cash"));
        QCOMPARE(roles(w, QStringLiteral("sla:closed-won-to-order")),
                 QStringList{"workflow measured"});
        QCOMPARE(roles(w, QStringLiteral("flow:crm-erp-order")), QStringList{"workflow"});
    }

    void expressionPaths_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("renamed");
        QTest::newRow("plain") << "email" << "email" << "mail";
        QTest::newRow("root $.") << "$.email" << "email" << "$.mail";
        QTest::newRow("function") << "$lowercase(email) & email2" << "email"
                                  << "$lowercase(mail) & email2";
        QTest::newRow("nested") << "address.city & city" << "address.city"
                                << "address.town & city";
        QTest::newRow("parent renamed") << "address.city" << "address" << "addr.city";
        QTest::newRow("string left alone") << "\"email\" & 'email' & email" << "email"
                                           << "\"email\" & 'email' & mail";
        QTest::newRow("variable left alone") << "$email & email" << "email" << "$email & mail";
        QTest::newRow("continuation left alone") << "other.email" << "email" << "other.email";
        QTest::newRow("after call left alone") << "$f().email" << "email" << "$f().email";
        QTest::newRow("backticks") << "`email` = 1" << "email" << "mail = 1";
        QTest::newRow("filter is relative") << "lines[email = 'x'].sku & email" << "email"
                                            << "lines[email = 'x'].sku & mail";
        QTest::newRow("block per item is relative") << "lines.{\"e\": email} & email"
                                                    << "email" << "lines.{\"e\": email} & mail";
        QTest::newRow("array constructor") << "[email, phone]" << "email" << "[mail, phone]";
        QTest::newRow("group") << "(email & '!')" << "email" << "(mail & '!')";
        QTest::newRow("after filter") << "(lines[x = 1])[0].email" << "email"
                                      << "(lines[x = 1])[0].email";
    }

    void rootPathsSkipWhatIsNotAField()
    {
        QCOMPARE(rootPaths(QStringLiteral(
                     "$sum(quote.lines.amount) + $count(lines[qty > 0 and true].price)"
                     " /* note */ & 'text' & $v.x & function($y){ $y }(1) & `odd name`")),
                 (QStringList{"quote.lines.amount", "lines", "odd name"}));
    }

    void expressionPaths()
    {
        QFETCH(QString, expression);
        QFETCH(QString, path);
        QFETCH(QString, renamed);
        const QString leaf = renamed == QLatin1String("addr.city") ? QStringLiteral("addr")
                             : path == QLatin1String("address.city") ? QStringLiteral("town")
                                                                      : QStringLiteral("mail");
        bool changed = false;
        QCOMPARE(renameFieldInExpression(expression, path, leaf, &changed), renamed);
        QCOMPARE(changed, expression != renamed);
        QCOMPARE(expressionUsesField(expression, path), expression != renamed);
    }

    void renameSystem()
    {
        auto r = renameId(m_q2c, ref("system:erp"), QStringLiteral("netsuite"));
        QVERIFY2(r.ok(), qPrintable(r.error().message));
        const Project &p = r.value();
        QVERIFY(p.system(QStringLiteral("netsuite")));
        QVERIFY(!p.system(QStringLiteral("erp")));
        // Every reference moved: the old id has no usages left, the new one has them all.
        const QVector<Usage> before = findUsages(m_q2c, ref("system:erp"));
        const QVector<Usage> after = findUsages(p, ref("system:netsuite"));
        QCOMPARE(after.size(), before.size());
        QVERIFY(findUsages(p, ref("system:erp")).isEmpty());
        // Not one reference left behind in the file (a missed one would also be a finding).
        QVERIFY(serializeProject(m_q2c).count("\"erp\"") > 20);
        // ("erp" stays as the system's kind, which is a category, not a reference.)
        const QByteArray renamedText = serializeProject(p);
        QCOMPARE(renamedText.count("\"erp\""), renamedText.count("\"kind\": \"erp\""));
        QCOMPARE(findingKeys(p, "system:netsuite", "system:erp"), findingKeys(m_q2c));
        // Everything else untouched: renaming back gives the original project.
        auto back = renameId(p, ref("system:netsuite"), QStringLiteral("erp"));
        QVERIFY(back.ok());
        QVERIFY(back.value() == m_q2c);
    }

    void renameEntityAndField()
    {
        auto e = renameId(m_q2c, ref("system:crm/entity:Opportunity"), QStringLiteral("Deal"));
        QVERIFY2(e.ok(), qPrintable(e.error().message));
        QCOMPARE(e.value().workflow(QStringLiteral("closed-won-to-cash"))->trigger.entity,
                 QStringLiteral("Deal"));
        const Project &renamed = e.value();
        QCOMPARE(renamed.mapping(QStringLiteral("opportunity-to-erp-sales-order"))->source.entity,
                 QStringLiteral("Deal"));
        QCOMPARE(findingKeys(e.value(), "entity:Deal", "entity:Opportunity"),
                 findingKeys(m_q2c));

        auto f = renameId(m_q2c, ref("system:crm/entity:Account/field:billingAddress.city"),
                          QStringLiteral("town"));
        QVERIFY2(f.ok(), qPrintable(f.error().message));
        const Mapping *m = f.value().mapping(QStringLiteral("crm-account-to-customer"));
        QCOMPARE(m->rules[8].expression, QStringLiteral("billingAddress.town"));
        QCOMPARE(m->rules[8].target, QStringLiteral("address.city")); // canonical side stays
        const Reconciliation &rec = f.value().reconciliations.first();
        QCOMPARE(rec.fields[4].first, QStringLiteral("billingAddress.town"));
        QCOMPARE(rec.fields[4].second, QStringLiteral("address.city"));
        QCOMPARE(findingKeys(f.value(), "billingAddress.town", "billingAddress.city"),
                 findingKeys(m_q2c));

        // The key follows a renamed key field.
        auto k =
            renameId(m_q2c, ref("system:crm/entity:Account/field:id"), QStringLiteral("sfid"));
        QVERIFY(k.ok());
        QCOMPARE(k.value().system(QStringLiteral("crm"))->entity(QStringLiteral("Account"))->key,
                 QStringLiteral("sfid"));
        QCOMPARE(k.value().reconciliations.first().leftKey, QStringLiteral("sfid"));
    }

    void renameMappingAndWorkflow()
    {
        auto m = renameId(m_q2c, ref("mapping:customer-to-erp-customer"), QStringLiteral("c2e"));
        QVERIFY2(m.ok(), qPrintable(m.error().message));
        QCOMPARE(findUsages(m.value(), ref("mapping:c2e")).size(),
                 findUsages(m_q2c, ref("mapping:customer-to-erp-customer")).size());
        QCOMPARE(findingKeys(m.value(), "mapping:c2e", "mapping:customer-to-erp-customer"),
                 findingKeys(m_q2c));
        auto w = renameId(m_q2c, ref("workflow:closed-won-to-cash"), QStringLiteral("won"));
        QVERIFY2(w.ok(), qPrintable(w.error().message));
        QCOMPARE(w.value().slas.first().workflow, QStringLiteral("won"));
        QCOMPARE(findingKeys(w.value(), "workflow:won", "workflow:closed-won-to-cash"),
                 findingKeys(m_q2c));
        auto c = renameId(m_q2c, ref("canonical:Customer/field:taxId"), QStringLiteral("vatId"));
        QVERIFY2(c.ok(), qPrintable(c.error().message));
        QVERIFY(c.value().ownershipFor(QStringLiteral("Customer"), QStringLiteral("vatId")));
    }

    void messagesUseNames()
    {
        // Findings name what the user named, the id in brackets; a rename shows at once.
        Project p = m_q2c;
        Workflow w = *p.workflow(QStringLiteral("closed-won-to-cash"));
        w.name = QStringLiteral("Won deals");
        for (Step &s : w.steps) {
            if (s.id == QLatin1String("erp-sales-order"))
                s.timeoutMs = 0;
        }
        p.workflows[0] = w;
        p.systems[1].name = QStringLiteral("Xero");
        p.flows[0].workflow = QStringLiteral("gone");
        QString timeout;
        QString flow;
        for (const Finding &f : validateProject(p)) {
            if (f.ruleId == QLatin1String("call.no-timeout"))
                timeout = f.message;
            if (f.ruleId == QLatin1String("ref.unknown-workflow"))
                flow = f.message;
        }
        QVERIFY2(timeout.startsWith(QStringLiteral("Step 'Create ERP sales order' "
                                                   "(erp-sales-order) of workflow 'Won deals' "
                                                   "(closed-won-to-cash) calls 'Xero' (erp)")),
                 qPrintable(timeout));
        QVERIFY2(flow.startsWith(QStringLiteral("Data flow 'Customer master data' "
                                                "(crm-erp-customer) uses workflow 'gone'")),
                 qPrintable(flow));
    }

    void renameRefusals_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("newId");
        QTest::addColumn<QString>("message");
        QTest::newRow("clash system") << "system:erp" << "crm" << "System 'crm' already exists";
        QTest::newRow("missing mapping") << "mapping:c" << "x" << "does not exist";
        QTest::newRow("clash entity") << "system:crm/entity:Quote" << "Account"
                                      << "Entity 'Account' already exists";
        QTest::newRow("clash field") << "system:crm/entity:Account/field:name" << "taxId"
                                     << "Field 'taxId' already exists";
        QTest::newRow("clash workflow") << "workflow:closed-won-to-cash"
                                        << "nightly-reconciliation"
                                        << "Workflow 'nightly-reconciliation' already exists";
        QTest::newRow("blank") << "system:erp" << "" << "cannot be empty";
        QTest::newRow("slash") << "system:erp" << "a/b" << "is not a valid id";
        QTest::newRow("dot") << "system:crm/entity:Account" << "Acc.ount" << "is not a valid id";
        QTest::newRow("space") << "workflow:closed-won-to-cash" << "a b" << "is not a valid id";
        QTest::newRow("missing") << "system:nope" << "x" << "does not exist";
    }

    void renameRefusals()
    {
        QFETCH(QString, target);
        QFETCH(QString, newId);
        QFETCH(QString, message);
        auto r = renameId(m_q2c, ElementRef::parse(target), newId);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(TestUsages)
#include "tst_usages.moc"
