// Governance findings: every rule is triggered by one variant of a clean base project and left
// silent by another. Variants are either fixture files (tests/model/data/validator/) or the
// clean base changed in code by a named mutator.

#include "model/projectjson.h"
#include "model/validator.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QtTest>

#include <functional>

using namespace sb::model;

namespace {

Field field(const QString &name, FieldType type, bool required = false)
{
    Field f;
    f.name = name;
    f.type = type;
    f.required = required;
    return f;
}

MappingRule mappingRule(const QString &target, const QString &expression)
{
    MappingRule r;
    r.target = target;
    r.expression = expression;
    return r;
}

Field &fieldOf(Project &p, const char *system, const char *entity, const char *name)
{
    for (System &sys : p.systems) {
        if (sys.id != QLatin1String(system))
            continue;
        for (Entity &e : sys.entities) {
            if (e.name != QLatin1String(entity))
                continue;
            for (Field &f : e.fields) {
                if (f.name == QLatin1String(name))
                    return f;
            }
        }
    }
    qFatal("no field %s.%s.%s in the fixture", system, entity, name);
    return p.systems.first().entities.first().fields.first();
}

QString fixture(const QString &name)
{
    return QStringLiteral(SWITCHBOARD_TEST_DATA "/validator/") + name;
}

Project load(const QString &name)
{
    auto loaded = loadProject(fixture(name));
    if (!loaded.ok())
        qFatal("cannot load fixture %s: %s", qPrintable(name),
               qPrintable(loaded.error().toString()));
    return loaded.takeValue();
}

template <typename T>
T &byId(QVector<T> &items, const QString &id)
{
    for (T &item : items) {
        if (item.id == id)
            return item;
    }
    qFatal("no element '%s' in the fixture", qPrintable(id));
    return items.first();
}

Mapping &mapping(Project &p, const char *id) { return byId(p.mappings, QLatin1String(id)); }
Workflow &workflow(Project &p, const char *id) { return byId(p.workflows, QLatin1String(id)); }
Step &step(Project &p, const char *wf, const char *id)
{
    return byId(workflow(p, wf).steps, QLatin1String(id));
}
DataFlow &flow(Project &p, const char *id) { return byId(p.flows, QLatin1String(id)); }

MappingRule &rule(Project &p, const char *mappingId, const char *target)
{
    for (MappingRule &r : mapping(p, mappingId).rules) {
        if (r.target == QLatin1String(target))
            return r;
    }
    qFatal("no rule for '%s' in mapping '%s'", target, mappingId);
    return mapping(p, mappingId).rules.first();
}

void removeRule(Project &p, const char *mappingId, const char *target)
{
    auto &rules = mapping(p, mappingId).rules;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        if (rules[i].target == QLatin1String(target)) {
            rules.removeAt(i);
            return;
        }
    }
    qFatal("no rule for '%s' in mapping '%s'", target, mappingId);
}

OwnershipRule &ownership(Project &p, const char *id)
{
    for (OwnershipRule &r : p.ownership) {
        if (r.id() == QLatin1String(id))
            return r;
    }
    qFatal("no ownership rule '%s'", id);
    return p.ownership.first();
}

Field &systemField(Project &p, const char *system, const char *entity, const char *field)
{
    System &s = byId(p.systems, QLatin1String(system));
    for (Entity &e : s.entities) {
        if (e.name != QLatin1String(entity))
            continue;
        for (Field &f : e.fields) {
            if (f.name == QLatin1String(field))
                return f;
        }
    }
    qFatal("no field %s.%s.%s", system, entity, field);
    return s.entities.first().fields.first();
}

EndpointProfile &profile(Project &p, const char *system, const char *name)
{
    for (EndpointProfile &pr : byId(p.systems, QLatin1String(system)).profiles) {
        if (pr.name == QLatin1String(name))
            return pr;
    }
    qFatal("no profile %s/%s", system, name);
    return p.systems.first().profiles.first();
}

using Mutator = std::function<void(Project &)>;

// Named changes to the clean base. Each one is meant to trigger (or, for "ok-" names, to
// not trigger) the rule named by its test row.
const QHash<QString, Mutator> &mutators()
{
    static const QHash<QString, Mutator> all = {
        // ownership.no-owner
        {QStringLiteral("field-rule-without-owner"),
         [](Project &p) { ownership(p, "Customer.taxId").owners.clear(); }},
        {QStringLiteral("entity-without-rule"),
         [](Project &p) {
             CanonicalEntity product;
             product.id = QStringLiteral("Product");
             Field sku;
             sku.name = QStringLiteral("sku");
             product.fields << sku;
             p.canonical << product;
         }},
        // ownership.multiple-owners
        {QStringLiteral("entity-two-owners"),
         [](Project &p) { ownership(p, "Customer").owners << QStringLiteral("erp"); }},
        {QStringLiteral("ok-same-owner-twice"),
         [](Project &p) { ownership(p, "Customer").owners << QStringLiteral("crm"); }},
        // ownership.non-owner-write
        {QStringLiteral("target-not-consumer"),
         [](Project &p) { ownership(p, "Customer.taxId").consumers.clear(); }},
        {QStringLiteral("target-only-contributor"),
         [](Project &p) {
             OwnershipRule &r = ownership(p, "Customer.taxId");
             r.consumers.clear();
             r.contributors = QStringList{QStringLiteral("erp")};
         }},
        {QStringLiteral("step-writes-non-owner"),
         [](Project &p) {
             Workflow &w = workflow(p, "sync-account");
             Step s = step(p, "sync-account", "upsert");
             s.id = QStringLiteral("push-billing");
             s.system = QStringLiteral("billing");
             s.entity = QStringLiteral("Account");
             s.mapping = QStringLiteral("account-to-canonical");
             w.steps << s;
             w.edges << Edge{QStringLiteral("upsert"), s.id, EdgeKind::Next, {}, {}};
         }},
        {QStringLiteral("ok-step-reads-non-owner"),
         [](Project &p) {
             Workflow &w = workflow(p, "sync-account");
             Step s = step(p, "sync-account", "upsert");
             s.id = QStringLiteral("read-billing");
             s.type = StepType::Lookup;
             s.method = QStringLiteral("GET");
             s.system = QStringLiteral("billing");
             s.mapping = QStringLiteral("account-to-canonical");
             w.steps << s;
             w.edges << Edge{QStringLiteral("upsert"), s.id, EdgeKind::Next, {}, {}};
         }},
        {QStringLiteral("ok-field-without-link"),
         [](Project &p) {
             ownership(p, "Customer.taxId").consumers.clear();
             systemField(p, "erp", "Customer", "taxId").canonical.clear();
         }},
        // flow.sync-loop
        {QStringLiteral("three-way-loop"),
         [](Project &p) {
             DataFlow a{QStringLiteral("erp-billing"), QStringLiteral("erp"),
                        QStringLiteral("billing"), QStringLiteral("Customer"), {}, {},
                        FlowMode::RealTime, false, {}};
             DataFlow b{QStringLiteral("billing-crm"), QStringLiteral("billing"),
                        QStringLiteral("crm"), QStringLiteral("Customer"), {}, {},
                        FlowMode::RealTime, false, {}};
             p.flows << a << b;
         }},
        {QStringLiteral("ok-loop-of-other-entities"),
         [](Project &p) {
             flow(p, "erp-crm").loopGuard = false;
             flow(p, "erp-crm").entity = QStringLiteral("Order");
         }},
        // mapping.required-unmapped
        {QStringLiteral("required-top-level"),
         [](Project &p) { removeRule(p, "account-to-customer", "name"); }},
        {QStringLiteral("required-array-child"),
         [](Project &p) { removeRule(p, "deal-to-order", "lines.qty"); }},
        {QStringLiteral("ok-array-as-whole"),
         [](Project &p) {
             removeRule(p, "deal-to-order", "lines[].sku");
             removeRule(p, "deal-to-order", "lines.qty");
             removeRule(p, "deal-to-order", "lines[].price");
             mapping(p, "deal-to-order").rules << MappingRule{
                 QStringLiteral("lines"),
                 QStringLiteral("items.{'sku': productCode, 'qty': quantity}"),
                 {}, {}, {}, {}};
         }},
        {QStringLiteral("ok-partial-mapping"),
         [](Project &p) {
             removeRule(p, "account-to-customer", "name");
             mapping(p, "account-to-customer").partial = true;
         }},
        {QStringLiteral("ok-partial-steps"),
         [](Project &p) {
             removeRule(p, "deal-to-order", "lines.qty");
             step(p, "deal-to-order", "create-order").partial = true;
         }},
        {QStringLiteral("partial-one-use-only"),
         [](Project &p) {
             removeRule(p, "account-to-customer", "name");
             step(p, "sync-account", "upsert").partial = true;
         }},
        {QStringLiteral("ok-partial-patch"),
         [](Project &p) {
             step(p, "deal-to-order", "create-order").partial = true;
             step(p, "deal-to-order", "create-order").method = QStringLiteral("PATCH");
         }},
        {QStringLiteral("ok-required-default"),
         [](Project &p) {
             MappingRule &r = rule(p, "account-to-customer", "name");
             r.expression.clear();
             r.defaultValue = QStringLiteral("\"unknown\"");
         }},
        // mapping.type-mismatch
        {QStringLiteral("number-into-string"),
         [](Project &p) { rule(p, "account-to-customer", "country").expression =
                              QStringLiteral("revenue"); }},
        {QStringLiteral("string-into-number"),
         [](Project &p) { rule(p, "account-to-customer", "headcount").expression =
                              QStringLiteral("$.name"); }},
        {QStringLiteral("ok-value-map-converts"),
         [](Project &p) {
             MappingRule &r = rule(p, "account-to-customer", "country");
             r.expression = QStringLiteral("revenue");
             r.valueMap = QStringLiteral("stages");
         }},
        {QStringLiteral("ok-expression-converts"),
         [](Project &p) { rule(p, "account-to-customer", "country").expression =
                              QStringLiteral("$string(revenue)"); }},
        // mapping.length-mismatch, format-mismatch, enum-mismatch
        {QStringLiteral("uuid-into-short-field"),
         [](Project &p) {
             fieldOf(p, "crm", "Account", "id").format = QStringLiteral("uuid");
             fieldOf(p, "erp", "Customer", "number").maxLength = 18;
         }},
        {QStringLiteral("ok-length-fits"),
         [](Project &p) {
             fieldOf(p, "crm", "Account", "id").maxLength = 12;
             fieldOf(p, "erp", "Customer", "number").maxLength = 18;
         }},
        {QStringLiteral("format-mismatch"),
         [](Project &p) {
             fieldOf(p, "crm", "Account", "country").format = QStringLiteral("iso-country");
             fieldOf(p, "erp", "Customer", "country").format = QStringLiteral("country-name");
         }},
        {QStringLiteral("enum-missing-value"),
         [](Project &p) {
             Field &status = fieldOf(p, "erp", "Customer", "status");
             status.type = FieldType::Enum;
             status.enumValues = {QStringLiteral("prospect"), QStringLiteral("active")};
             rule(p, "account-to-customer", "status").valueMap.clear();
         }},
        {QStringLiteral("ok-enum-covered"),
         [](Project &p) {
             Field &status = fieldOf(p, "erp", "Customer", "status");
             status.type = FieldType::Enum;
             status.enumValues = {QStringLiteral("prospect"), QStringLiteral("customer"),
                                  QStringLiteral("lost")};
             rule(p, "account-to-customer", "status").valueMap.clear();
         }},
        {QStringLiteral("ok-enum-value-map"),
         [](Project &p) {
             Field &status = fieldOf(p, "erp", "Customer", "status");
             status.type = FieldType::Enum;
             status.enumValues = {QStringLiteral("prospect")};
         }},
        // workflow.bad-schedule
        {QStringLiteral("schedule-without-unit"),
         [](Project &p) { workflow(p, "nightly").trigger.schedule = QStringLiteral("every 30"); }},
        {QStringLiteral("schedule-step-zero"),
         [](Project &p) {
             workflow(p, "nightly").trigger.schedule = QStringLiteral("*/0 * * * *");
         }},
        {QStringLiteral("ok-schedule-steps"),
         [](Project &p) {
             workflow(p, "nightly").trigger.schedule = QStringLiteral("*/5 8-18 * * 1-5");
         }},
        // ref.unknown-system
        {QStringLiteral("step-unknown-system"),
         [](Project &p) { step(p, "sync-account", "upsert").system = QStringLiteral("sap"); }},
        {QStringLiteral("consumer-unknown-system"),
         [](Project &p) { ownership(p, "Customer").consumers << QStringLiteral("hubspot"); }},
        {QStringLiteral("dataset-unknown-system"),
         [](Project &p) { byId(p.datasets, QStringLiteral("accounts")).system =
                              QStringLiteral("salesforce"); }},
        // ref.unknown-entity
        {QStringLiteral("mapping-unknown-entity"),
         [](Project &p) { mapping(p, "account-to-customer").target.entity =
                              QStringLiteral("Client"); }},
        {QStringLiteral("ownership-unknown-entity"),
         [](Project &p) {
             OwnershipRule r = ownership(p, "Customer");
             r.entity = QStringLiteral("Supplier");
             p.ownership << r;
         }},
        {QStringLiteral("link-unknown-entity"),
         [](Project &p) { systemField(p, "crm", "Account", "taxId").canonical =
                              QStringLiteral("Client.taxId"); }},
        // ref.unknown-field
        {QStringLiteral("rule-unknown-target"),
         [](Project &p) { rule(p, "account-to-customer", "country").target =
                              QStringLiteral("fax"); }},
        {QStringLiteral("rule-unknown-source"),
         [](Project &p) { rule(p, "account-to-customer", "country").expression =
                              QStringLiteral("$.land"); }},
        {QStringLiteral("ownership-unknown-field"),
         [](Project &p) { ownership(p, "Customer.taxId").field = QStringLiteral("vat"); }},
        {QStringLiteral("reconciliation-unknown-key"),
         [](Project &p) { byId(p.reconciliations, QStringLiteral("customers")).rightKey =
                              QStringLiteral("nummer"); }},
        {QStringLiteral("link-unknown-field"),
         [](Project &p) { systemField(p, "crm", "Account", "taxId").canonical =
                              QStringLiteral("Customer.vat"); }},
        // ref.unknown-step / workflow / mapping / value map
        {QStringLiteral("unknown-compensation"),
         [](Project &p) { step(p, "deal-to-order", "create-order").compensation =
                              QStringLiteral("undo-order"); }},
        {QStringLiteral("unknown-dead-letter-step"),
         [](Project &p) { workflow(p, "deal-to-order").trigger.deadLetter =
                              QStringLiteral("park-it"); }},
        {QStringLiteral("ok-dead-letter-step"),
         [](Project &p) { workflow(p, "deal-to-order").trigger.deadLetter =
                              QStringLiteral("park"); }},
        {QStringLiteral("sla-unknown-step"),
         [](Project &p) { byId(p.slas, QStringLiteral("won-to-order")).toMilestone =
                              QStringLiteral("ship"); }},
        {QStringLiteral("sla-unknown-workflow"),
         [](Project &p) { byId(p.slas, QStringLiteral("won-to-order")).workflow =
                              QStringLiteral("quote-to-cash"); }},
        {QStringLiteral("flow-unknown-workflow"),
         [](Project &p) { flow(p, "crm-erp").workflow = QStringLiteral("quote-to-cash"); }},
        {QStringLiteral("step-unknown-mapping"),
         [](Project &p) { step(p, "sync-account", "upsert").mapping =
                              QStringLiteral("account-v2"); }},
        {QStringLiteral("flow-unknown-mapping"),
         [](Project &p) { flow(p, "crm-erp").mapping = QStringLiteral("account-v2"); }},
        {QStringLiteral("unknown-value-map"),
         [](Project &p) { rule(p, "account-to-customer", "status").valueMap =
                              QStringLiteral("stage-codes"); }},
        // call.*
        {QStringLiteral("post-without-key"),
         [](Project &p) { step(p, "sync-account", "upsert").idempotencyKey.clear(); }},
        {QStringLiteral("patch-without-key"),
         [](Project &p) { step(p, "deal-to-order", "confirm").idempotencyKey.clear(); }},
        {QStringLiteral("ok-put-without-key"),
         [](Project &p) {
             Step &s = step(p, "sync-account", "upsert");
             s.idempotencyKey.clear();
             s.method = QStringLiteral("PUT");
         }},
        {QStringLiteral("call-without-timeout"),
         [](Project &p) { step(p, "sync-account", "upsert").timeoutMs = 0; }},
        {QStringLiteral("lookup-without-timeout"),
         [](Project &p) { step(p, "deal-to-order", "lookup-customer").timeoutMs = 0; }},
        {QStringLiteral("call-without-retry"),
         [](Project &p) { step(p, "sync-account", "upsert").retry = RetryPolicy(); }},
        {QStringLiteral("lookup-without-retry"),
         [](Project &p) { step(p, "deal-to-order", "lookup-customer").retry = RetryPolicy(); }},
        // event.no-dead-letter
        {QStringLiteral("webhook-without-dead-letter"),
         [](Project &p) { workflow(p, "sync-account").trigger.deadLetter.clear(); }},
        {QStringLiteral("event-without-error-path"),
         [](Project &p) { workflow(p, "deal-to-order").edges.last().kind = EdgeKind::Next; }},
        {QStringLiteral("ok-schedule-without-dead-letter"),
         [](Project &p) { workflow(p, "nightly").trigger.deadLetter.clear(); }},
        // workflow.unreachable-step
        {QStringLiteral("orphan-step"),
         [](Project &p) {
             Step s;
             s.id = QStringLiteral("orphan");
             s.type = StepType::Publish;
             s.topic = QStringLiteral("x");
             workflow(p, "nightly").steps << s;
         }},
        {QStringLiteral("orphan-compensation"),
         [](Project &p) {
             step(p, "deal-to-order", "create-order").compensation.clear();
             step(p, "deal-to-order", "cancel-order").compensates.clear();
         }},
        {QStringLiteral("ok-compensation-by-compensates"),
         [](Project &p) { step(p, "deal-to-order", "create-order").compensation.clear(); }},
        // profile.literal-secret
        {QStringLiteral("credentials-in-url"),
         [](Project &p) { profile(p, "erp", "prod").baseUrl =
                              QStringLiteral("https://admin:hunter2@erp.example.com"); }},
        {QStringLiteral("token-in-query"),
         [](Project &p) { profile(p, "erp", "prod").baseUrl =
                              QStringLiteral("https://erp.example.com/api?api_key=abc123"); }},
        {QStringLiteral("ok-env-reference"),
         [](Project &p) { profile(p, "erp", "prod").secretRef = QStringLiteral("env:ERP_KEY"); }},
        // webhook.*
        {QStringLiteral("webhook-without-auth"),
         [](Project &p) { workflow(p, "sync-account").trigger.auth = WebhookAuth(); }},
        {QStringLiteral("webhook-unsigned"),
         [](Project &p) {
             workflow(p, "sync-account").trigger.auth.type = WebhookAuthType::None;
             workflow(p, "sync-account").trigger.auth.secretRef.clear();
         }},
        {QStringLiteral("webhook-literal-secret"),
         [](Project &p) { workflow(p, "sync-account").trigger.auth.secretRef =
                              QStringLiteral("sk_live_abc123"); }},
        {QStringLiteral("webhook-bearer-without-secret"),
         [](Project &p) {
             WebhookAuth &a = workflow(p, "sync-account").trigger.auth;
             a.type = WebhookAuthType::Bearer;
             a.secretRef.clear();
         }},
        {QStringLiteral("ok-webhook-bearer-reference"),
         [](Project &p) {
             WebhookAuth &a = workflow(p, "sync-account").trigger.auth;
             a.type = WebhookAuthType::Bearer;
             a.secretRef = QStringLiteral("vault:secret/crm-webhook");
         }},
        {QStringLiteral("ok-schedule-without-auth"),
         [](Project &p) { workflow(p, "nightly").trigger.auth = WebhookAuth(); }},
    };
    return all;
}

// Rule ids and severities are a public contract (docs, CLI output, CI filters).
const QVector<std::pair<QString, Severity>> &expectedRules()
{
    static const QVector<std::pair<QString, Severity>> rules = {
        {QStringLiteral("ownership.no-owner"), Severity::Error},
        {QStringLiteral("ownership.multiple-owners"), Severity::Error},
        {QStringLiteral("ownership.non-owner-write"), Severity::Error},
        {QStringLiteral("flow.sync-loop"), Severity::Error},
        {QStringLiteral("mapping.required-unmapped"), Severity::Error},
        {QStringLiteral("mapping.type-mismatch"), Severity::Warning},
        {QStringLiteral("ref.unknown-system"), Severity::Error},
        {QStringLiteral("ref.unknown-entity"), Severity::Error},
        {QStringLiteral("ref.unknown-field"), Severity::Error},
        {QStringLiteral("ref.unknown-step"), Severity::Error},
        {QStringLiteral("ref.unknown-workflow"), Severity::Error},
        {QStringLiteral("ref.unknown-mapping"), Severity::Error},
        {QStringLiteral("ref.unknown-value-map"), Severity::Error},
        {QStringLiteral("call.no-idempotency-key"), Severity::Warning},
        {QStringLiteral("call.no-timeout"), Severity::Warning},
        {QStringLiteral("call.no-retry"), Severity::Warning},
        {QStringLiteral("event.no-dead-letter"), Severity::Warning},
        {QStringLiteral("workflow.unreachable-step"), Severity::Warning},
        {QStringLiteral("profile.literal-secret"), Severity::Error},
        {QStringLiteral("webhook.no-auth"), Severity::Error},
        {QStringLiteral("webhook.unsigned"), Severity::Warning},
        {QStringLiteral("webhook.literal-secret"), Severity::Error},
        {QStringLiteral("mapping.length-mismatch"), Severity::Warning},
        {QStringLiteral("mapping.format-mismatch"), Severity::Warning},
        {QStringLiteral("mapping.enum-mismatch"), Severity::Warning},
        {QStringLiteral("workflow.bad-schedule"), Severity::Error},
        {QStringLiteral("call.partial-not-patch"), Severity::Warning},
    };
    return rules;
}

Severity severityOf(const QString &ruleId)
{
    for (const auto &r : expectedRules()) {
        if (r.first == ruleId)
            return r.second;
    }
    return Severity::Info;
}

QString dump(const QVector<Finding> &findings)
{
    QStringList lines;
    for (const Finding &f : findings)
        lines << QStringLiteral("  [%1] %2 @ %3").arg(f.ruleId, f.message, f.location.element);
    return lines.join(QLatin1Char('\n'));
}

QVector<Finding> ofRule(const QVector<Finding> &findings, const QString &ruleId)
{
    QVector<Finding> out;
    for (const Finding &f : findings) {
        if (f.ruleId == ruleId)
            out << f;
    }
    return out;
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private slots:
    void cleanBaseHasNoFindings();
    void rules_data();
    void rules();
    void ruleTableListsEveryEmittedRule();
    void findingsAreOrderedAndDeterministic();
    void largeProject();
    void cacheGivesTheSameFindings();
    void manyDistinctEntities();
};

void TestValidator::cleanBaseHasNoFindings()
{
    const QVector<Finding> findings = validateProject(load(QStringLiteral("clean.json")));
    QVERIFY2(findings.isEmpty(), qPrintable(QStringLiteral("unexpected findings:\n")
                                            + dump(findings)));
}

void TestValidator::rules_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mutator");
    QTest::addColumn<QString>("ruleId");
    QTest::addColumn<int>("count");     // findings of ruleId expected; 0: rule stays silent
    QTest::addColumn<QString>("element");
    QTest::addColumn<QStringList>("words");

    const QString clean = QStringLiteral("clean.json");
    auto row = [&](const char *name, const QString &file, const char *mutator, const char *id,
                   int count, const char *element, const QStringList &words) {
        QTest::newRow(name) << file << QString::fromLatin1(mutator) << QString::fromLatin1(id)
                            << count << QString::fromLatin1(element) << words;
    };
    using L = QStringList;

    row("no-owner: field rule without owner", clean, "field-rule-without-owner",
        "ownership.no-owner", 1, "canonical:Customer/field:taxId", L{"Customer.taxId"});
    row("no-owner: entity without rule", clean, "entity-without-rule", "ownership.no-owner", 1,
        "canonical:Product/field:sku", L{"Product.sku", "no ownership rule"});
    row("no-owner: entity rule covers fields", clean, "", "ownership.no-owner", 0, "", {});

    row("multiple-owners: file", QStringLiteral("ownership-conflict.json"), "",
        "ownership.multiple-owners", 1, "ownership:Customer.taxId",
        L{"Customer.taxId", "2 owners", "crm", "erp"});
    row("multiple-owners: entity rule", clean, "entity-two-owners",
        "ownership.multiple-owners", 1, "ownership:Customer",
        L{"Customer has 2", "'CRM' (crm), 'ERP' (erp)"});
    row("multiple-owners: one owner listed twice", clean, "ok-same-owner-twice",
        "ownership.multiple-owners", 0, "", {});

    row("non-owner-write: not a consumer", clean, "target-not-consumer",
        "ownership.non-owner-write", 1, "mapping:account-to-customer/rule:2",
        L{"Customer.taxId", "erp", "owner ('CRM' (crm))", "into 'ERP' (erp)"});
    row("non-owner-write: contributor is not a target", clean, "target-only-contributor",
        "ownership.non-owner-write", 1, "mapping:account-to-customer/rule:2",
        L{"Customer.taxId", "erp"});
    row("non-owner-write: step", clean, "step-writes-non-owner", "ownership.non-owner-write",
        3, "workflow:sync-account/step:push-billing",
        L{"push-billing", "Customer.", "billing", "account-to-canonical"});
    row("non-owner-write: consumer may be written", clean, "", "ownership.non-owner-write", 0,
        "", {});
    row("non-owner-write: lookup does not write", clean, "ok-step-reads-non-owner",
        "ownership.non-owner-write", 0, "", {});
    row("non-owner-write: field without canonical link", clean, "ok-field-without-link",
        "ownership.non-owner-write", 0, "", {});

    row("sync-loop: file", QStringLiteral("sync-loop.json"), "", "flow.sync-loop", 1,
        "flow:crm-erp", L{"Customer", "CRM -> ERP -> CRM", "erp-crm", "loop guard"});
    row("sync-loop: three systems", clean, "three-way-loop", "flow.sync-loop", 1,
        "flow:crm-erp", L{"Customer", "CRM -> ERP -> Billing -> CRM", "billing-crm"});
    row("sync-loop: guarded", clean, "", "flow.sync-loop", 0, "", {});
    row("sync-loop: different entities", clean, "ok-loop-of-other-entities", "flow.sync-loop",
        0, "", {});

    row("required-unmapped: top level", clean, "required-top-level",
        "mapping.required-unmapped", 1, "mapping:account-to-customer",
        L{"ERP.Customer.name", "'CRM Account to ERP Customer' (account-to-customer)"});
    row("required-unmapped: array child", clean, "required-array-child",
        "mapping.required-unmapped", 1, "mapping:deal-to-order", L{"ERP.Order.lines.qty"});
    row("required-unmapped: array mapped as a whole", clean, "ok-array-as-whole",
        "mapping.required-unmapped", 0, "", {});
    row("required-unmapped: default value", clean, "ok-required-default",
        "mapping.required-unmapped", 0, "", {});
    row("required-unmapped: partial mapping", clean, "ok-partial-mapping",
        "mapping.required-unmapped", 0, "", {});
    row("required-unmapped: every use partial", clean, "ok-partial-steps",
        "mapping.required-unmapped", 0, "", {});
    row("required-unmapped: one use partial", clean, "partial-one-use-only",
        "mapping.required-unmapped", 1, "mapping:account-to-customer", L{"ERP.Customer.name"});
    row("partial-not-patch: POST", clean, "ok-partial-steps", "call.partial-not-patch", 1,
        "workflow:deal-to-order/step:create-order", L{"partial body", "POST"});
    row("partial-not-patch: mapping used by POST", clean, "ok-partial-mapping",
        "call.partial-not-patch", 1, "workflow:sync-account/step:upsert", L{"POST"});
    row("partial-not-patch: PATCH", clean, "ok-partial-patch", "call.partial-not-patch", 0,
        "", {});

    row("type-mismatch: number into string", clean, "number-into-string",
        "mapping.type-mismatch", 1, "mapping:account-to-customer/rule:3",
        L{"CRM.Account.revenue", "(number)", "ERP.Customer.country", "(string)"});
    row("type-mismatch: string into number", clean, "string-into-number",
        "mapping.type-mismatch", 1, "mapping:account-to-customer/rule:5",
        L{"CRM.Account.name", "headcount"});
    row("type-mismatch: value map converts", clean, "ok-value-map-converts",
        "mapping.type-mismatch", 0, "", {});
    row("type-mismatch: expression converts", clean, "ok-expression-converts",
        "mapping.type-mismatch", 0, "", {});
    row("type-mismatch: compatible types", clean, "", "mapping.type-mismatch", 0, "", {});
    row("length-mismatch: uuid into 18 characters", clean, "uuid-into-short-field",
        "mapping.length-mismatch", 1, "mapping:account-to-customer/rule:0",
        L{"CRM.Account.id", "up to 36 characters", "ERP.Customer.number", "at most 18"});
    row("length-mismatch: fits", clean, "ok-length-fits", "mapping.length-mismatch", 0, "",
        {});
    row("length-mismatch: unknown source length", clean, "", "mapping.length-mismatch", 0, "",
        {});
    row("format-mismatch", clean, "format-mismatch", "mapping.format-mismatch", 1,
        "mapping:account-to-customer/rule:3", L{"iso-country", "country-name"});
    row("enum-mismatch: value missing", clean, "enum-missing-value", "mapping.enum-mismatch", 1,
        "mapping:account-to-customer/rule:6", L{"CRM.Account.stage", "'customer'", "value map"});
    row("enum-mismatch: all accepted", clean, "ok-enum-covered", "mapping.enum-mismatch", 0, "",
        {});
    row("enum-mismatch: value map translates", clean, "ok-enum-value-map",
        "mapping.enum-mismatch", 0, "", {});
    row("bad-schedule: no unit", clean, "schedule-without-unit", "workflow.bad-schedule", 1,
        "workflow:nightly/trigger",
        L{"'Nightly reconciliation' (nightly)", "every 30", "s, m or h"});
    row("bad-schedule: step of zero", clean, "schedule-step-zero", "workflow.bad-schedule", 1,
        "workflow:nightly/trigger", L{"minute field", "at least 1"});
    row("bad-schedule: steps and ranges", clean, "ok-schedule-steps", "workflow.bad-schedule",
        0, "", {});

    row("unknown-system: step", clean, "step-unknown-system", "ref.unknown-system", 1,
        "workflow:sync-account/step:upsert", L{"'sap'", "upsert"});
    row("unknown-system: ownership consumer", clean, "consumer-unknown-system",
        "ref.unknown-system", 1, "ownership:Customer", L{"consumer", "'hubspot'"});
    row("unknown-system: data set", clean, "dataset-unknown-system", "ref.unknown-system", 1,
        "dataset:accounts", L{"'salesforce'"});
    row("unknown-system: refs file", QStringLiteral("unknown-refs.json"), "",
        "ref.unknown-system", 1, "mapping:orders-to-netsuite", L{"'netsuite'"});
    row("unknown-system: none", clean, "", "ref.unknown-system", 0, "", {});

    row("unknown-entity: mapping target", clean, "mapping-unknown-entity", "ref.unknown-entity",
        1, "mapping:account-to-customer", L{"'Client'", "system 'ERP' (erp)"});
    row("unknown-entity: ownership", clean, "ownership-unknown-entity", "ref.unknown-entity", 1,
        "ownership:Supplier", L{"'Supplier'"});
    row("unknown-entity: canonical link", clean, "link-unknown-entity", "ref.unknown-entity", 1,
        "system:crm/entity:Account/field:taxId", L{"'Client'", "CRM.Account.taxId"});
    row("unknown-entity: none", clean, "", "ref.unknown-entity", 0, "", {});

    row("unknown-field: rule target", clean, "rule-unknown-target", "ref.unknown-field", 1,
        "mapping:account-to-customer/rule:3", L{"'fax'", "ERP.Customer"});
    row("unknown-field: rule source", clean, "rule-unknown-source", "ref.unknown-field", 1,
        "mapping:account-to-customer/rule:3", L{"'land'", "CRM.Account"});
    row("unknown-field: ownership", clean, "ownership-unknown-field", "ref.unknown-field", 1,
        "ownership:Customer.vat", L{"'vat'", "Customer"});
    row("unknown-field: reconciliation key", clean, "reconciliation-unknown-key",
        "ref.unknown-field", 1, "reconciliation:customers", L{"'nummer'", "ERP.Customer"});
    row("unknown-field: canonical link", clean, "link-unknown-field", "ref.unknown-field", 1,
        "system:crm/entity:Account/field:taxId", L{"'Customer.vat'"});
    row("unknown-field: item-relative paths resolve", clean, "", "ref.unknown-field", 0, "", {});

    row("unknown-step: compensation", clean, "unknown-compensation", "ref.unknown-step", 1,
        "workflow:deal-to-order/step:create-order", L{"'undo-order'"});
    row("unknown-step: dead letter", clean, "unknown-dead-letter-step", "ref.unknown-step", 1,
        "workflow:deal-to-order/trigger", L{"'park-it'"});
    row("unknown-step: SLA milestone", clean, "sla-unknown-step", "ref.unknown-step", 1,
        "sla:won-to-order",
        L{"'ship'", "SLA 'Closed-won to ERP order' (won-to-order)", "(deal-to-order)"});
    row("unknown-step: dead letter to a step", clean, "ok-dead-letter-step", "ref.unknown-step",
        0, "", {});
    row("unknown-workflow: SLA", clean, "sla-unknown-workflow", "ref.unknown-workflow", 1,
        "sla:won-to-order", L{"'quote-to-cash'"});
    row("unknown-workflow: flow", clean, "flow-unknown-workflow", "ref.unknown-workflow", 1,
        "flow:crm-erp", L{"'quote-to-cash'"});
    row("unknown-workflow: none", clean, "", "ref.unknown-workflow", 0, "", {});
    row("unknown-mapping: step", clean, "step-unknown-mapping", "ref.unknown-mapping", 1,
        "workflow:sync-account/step:upsert", L{"'account-v2'"});
    row("unknown-mapping: flow", clean, "flow-unknown-mapping", "ref.unknown-mapping", 1,
        "flow:crm-erp", L{"'account-v2'"});
    row("unknown-mapping: none", clean, "", "ref.unknown-mapping", 0, "", {});
    row("unknown-value-map: rule", clean, "unknown-value-map", "ref.unknown-value-map", 1,
        "mapping:account-to-customer/rule:6", L{"'stage-codes'"});
    row("unknown-value-map: defined", clean, "", "ref.unknown-value-map", 0, "", {});

    row("no-idempotency-key: POST", clean, "post-without-key", "call.no-idempotency-key", 1,
        "workflow:sync-account/step:upsert", L{"POST", "erp"});
    row("no-idempotency-key: PATCH", clean, "patch-without-key", "call.no-idempotency-key", 1,
        "workflow:deal-to-order/step:confirm", L{"PATCH", "crm"});
    row("no-idempotency-key: PUT", clean, "ok-put-without-key", "call.no-idempotency-key", 0,
        "", {});
    row("no-timeout: call", clean, "call-without-timeout", "call.no-timeout", 1,
        "workflow:sync-account/step:upsert",
        L{"Step 'Upsert ERP customer' (upsert) of workflow 'Customer master sync' "
          "(sync-account) calls 'ERP' (erp)",
          "timeout"});
    row("no-timeout: lookup", clean, "lookup-without-timeout", "call.no-timeout", 1,
        "workflow:deal-to-order/step:lookup-customer", L{"'lookup-customer'"});
    row("no-timeout: none", clean, "", "call.no-timeout", 0, "", {});
    row("no-retry: call", clean, "call-without-retry", "call.no-retry", 1,
        "workflow:sync-account/step:upsert", L{"'Upsert ERP customer' (upsert)", "retry"});
    row("no-retry: lookup", clean, "lookup-without-retry", "call.no-retry", 1,
        "workflow:deal-to-order/step:lookup-customer", L{"'lookup-customer'"});
    row("no-retry: none", clean, "", "call.no-retry", 0, "", {});

    row("no-dead-letter: webhook", clean, "webhook-without-dead-letter",
        "event.no-dead-letter", 1, "workflow:sync-account/trigger",
        L{"Workflow 'Customer master sync' (sync-account)"});
    row("no-dead-letter: event", clean, "event-without-error-path", "event.no-dead-letter", 1,
        "workflow:deal-to-order/trigger", L{"'deal.won'"});
    row("no-dead-letter: on-error edge or dlq", clean, "", "event.no-dead-letter", 0, "", {});
    row("no-dead-letter: schedule", clean, "ok-schedule-without-dead-letter",
        "event.no-dead-letter", 0, "", {});

    row("unreachable: orphan", clean, "orphan-step", "workflow.unreachable-step", 1,
        "workflow:nightly/step:orphan", L{"'orphan'", "'Nightly reconciliation' (nightly)"});
    row("unreachable: unlinked compensation", clean, "orphan-compensation",
        "workflow.unreachable-step", 1, "workflow:deal-to-order/step:cancel-order",
        L{"'cancel-order'"});
    row("unreachable: compensation and on-error", clean, "", "workflow.unreachable-step", 0,
        "", {});
    row("unreachable: compensates link", clean, "ok-compensation-by-compensates",
        "workflow.unreachable-step", 0, "", {});

    row("literal-secret: file", QStringLiteral("literal-secret.json"), "",
        "profile.literal-secret", 1, "system:crm/profile:prod", L{"'prod'", "crm", "env:"});
    row("literal-secret: credentials in URL", clean, "credentials-in-url",
        "profile.literal-secret", 1, "system:erp/profile:prod", L{"credentials", "erp"});
    row("literal-secret: token in query", clean, "token-in-query", "profile.literal-secret", 1,
        "system:erp/profile:prod", L{"'api_key'"});
    row("literal-secret: references", clean, "ok-env-reference", "profile.literal-secret",
        0, "", {});

    row("webhook: no auth", clean, "webhook-without-auth", "webhook.no-auth", 1,
        "workflow:sync-account/trigger",
        L{"Workflow 'Customer master sync' (sync-account)", "no authentication", "none"});
    row("webhook: signed", clean, "", "webhook.no-auth", 0, "", {});
    row("webhook: schedule needs none", clean, "ok-schedule-without-auth", "webhook.no-auth", 0,
        "", {});
    row("webhook: unsigned", clean, "webhook-unsigned", "webhook.unsigned", 1,
        "workflow:sync-account/trigger",
        L{"Workflow 'Customer master sync' (sync-account)", "unsigned"});
    row("webhook: version 1 file migrates to unsigned", QStringLiteral("literal-secret.json"),
        "", "webhook.unsigned", 1, "workflow:sync-account/trigger",
        L{"Workflow 'Customer master sync' (sync-account)"});
    row("webhook: literal secret", clean, "webhook-literal-secret", "webhook.literal-secret", 1,
        "workflow:sync-account/trigger",
        L{"Workflow 'Customer master sync' (sync-account)", "literal", "env:"});
    row("webhook: bearer without secret", clean, "webhook-bearer-without-secret",
        "webhook.literal-secret", 1, "workflow:sync-account/trigger", L{"no secret reference"});
    row("webhook: reference", clean, "ok-webhook-bearer-reference", "webhook.literal-secret", 0,
        "", {});
}

void TestValidator::rules()
{
    QFETCH(QString, file);
    QFETCH(QString, mutator);
    QFETCH(QString, ruleId);
    QFETCH(int, count);
    QFETCH(QString, element);
    QFETCH(QStringList, words);

    Project project = load(file);
    if (!mutator.isEmpty()) {
        QVERIFY2(mutators().contains(mutator), qPrintable(mutator));
        mutators().value(mutator)(project);
    }
    const QVector<Finding> all = validateProject(project);
    const QVector<Finding> found = ofRule(all, ruleId);
    QVERIFY2(found.size() == count,
             qPrintable(QStringLiteral("expected %1 finding(s) of %2, got:\n%3")
                            .arg(count)
                            .arg(ruleId, dump(all))));
    for (const Finding &f : found) {
        QCOMPARE(sb::model::toString(f.severity),
                 sb::model::toString(severityOf(ruleId)));
        QCOMPARE(f.location.element, element);
        QVERIFY(!f.location.display.isEmpty());
        for (const QString &w : words)
            QVERIFY2(f.message.contains(w),
                     qPrintable(QStringLiteral("'%1' not in: %2").arg(w, f.message)));
        // Findings end up in logs and CI output: they never repeat a secret.
        for (const char *secret : {"sk_live", "hunter2", "abc123"})
            QVERIFY2(!f.message.contains(QLatin1String(secret)), qPrintable(f.message));
    }
}

void TestValidator::ruleTableListsEveryEmittedRule()
{
    // The table matches the contract exactly, in order.
    const QVector<RuleInfo> &table = validatorRules();
    QCOMPARE(table.size(), expectedRules().size());
    QSet<QString> listed;
    for (qsizetype i = 0; i < table.size(); ++i) {
        QCOMPARE(QString::fromLatin1(table[i].id), expectedRules()[i].first);
        QCOMPARE(sb::model::toString(table[i].severity),
                 sb::model::toString(expectedRules()[i].second));
        QVERIFY(qstrlen(table[i].summary) > 10);
        listed.insert(QString::fromLatin1(table[i].id));
    }

    // Every rule the validator emits over all variants is listed, and every listed rule is
    // emitted by some variant (so each one is covered by a test).
    QSet<QString> emitted;
    const QStringList files = {QStringLiteral("ownership-conflict.json"),
                               QStringLiteral("sync-loop.json"),
                               QStringLiteral("literal-secret.json"),
                               QStringLiteral("unknown-refs.json")};
    for (const QString &file : files) {
        for (const Finding &f : validateProject(load(file)))
            emitted.insert(f.ruleId);
    }
    const Project clean = load(QStringLiteral("clean.json"));
    for (auto it = mutators().begin(); it != mutators().end(); ++it) {
        Project p = clean;
        it.value()(p);
        for (const Finding &f : validateProject(p)) {
            emitted.insert(f.ruleId);
            QCOMPARE(sb::model::toString(f.severity),
                     sb::model::toString(severityOf(f.ruleId)));
        }
    }
    QCOMPARE(emitted - listed, QSet<QString>());
    QCOMPARE(listed - emitted, QSet<QString>());
}

void TestValidator::findingsAreOrderedAndDeterministic()
{
    const Project p = load(QStringLiteral("unknown-refs.json"));
    const QVector<Finding> first = validateProject(p);
    QVERIFY(first.size() > 3);
    QHash<QString, int> order;
    for (qsizetype i = 0; i < validatorRules().size(); ++i)
        order.insert(QString::fromLatin1(validatorRules()[i].id), int(i));
    for (qsizetype i = 1; i < first.size(); ++i)
        QVERIFY2(order.value(first[i - 1].ruleId) <= order.value(first[i].ruleId),
                 qPrintable(dump(first)));
    const QVector<Finding> second = validateProject(p);
    QCOMPARE(second.size(), first.size());
    for (qsizetype i = 0; i < first.size(); ++i) {
        QCOMPARE(second[i].ruleId, first[i].ruleId);
        QCOMPARE(second[i].message, first[i].message);
        QCOMPARE(second[i].location.element, first[i].location.element);
    }
}

// 2,000 steps and 10,000 mapping rules: the validator builds its lookups once, so this
// stays fast. No timing assertion (timings belong to bench/); the time is logged.
// Revalidating with a cache gives exactly what a full run gives, after each kind of edit, and
// re-checks only the mappings an edit touched.
void TestValidator::cacheGivesTheSameFindings()
{
    auto loaded = loadProject(QStringLiteral(
        SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard"));
    QVERIFY(loaded.ok());
    Project p = loaded.takeValue();
    QVERIFY(p.mappings.size() > 3);
    // Something for the mapping rules to report, so cached findings are not all empty.
    p.mappings[1].rules[0].target = QStringLiteral("noSuchField");
    p.mappings[2].rules[0].target = QStringLiteral("missingToo");

    auto same = [](const QVector<Finding> &a, const QVector<Finding> &b) {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a[i].ruleId != b[i].ruleId || a[i].message != b[i].message
                || a[i].location.element != b[i].location.element
                || a[i].severity != b[i].severity)
                return false;
        }
        return true;
    };
    ValidationCache cache;
    const QVector<Finding> first = validateProject(p, &cache);
    QVERIFY(same(first, validateProject(p)));
    QVERIFY(first.size() >= 2);
    QCOMPARE(cache.reusedMappings, 0);

    // Nothing changed: every mapping comes from the cache, the findings are the same.
    QVERIFY(same(validateProject(p, &cache), first));
    QCOMPARE(cache.reusedMappings, int(p.mappings.size()));

    // One mapping edited: only it is checked again, and its new finding shows.
    p.mappings[3].rules[0].target = QStringLiteral("alsoMissing");
    const QVector<Finding> afterMapping = validateProject(p, &cache);
    QVERIFY(same(afterMapping, validateProject(p)));
    QCOMPARE(cache.reusedMappings, int(p.mappings.size()) - 1);
    QVERIFY(afterMapping.size() > first.size());

    // Ownership (context of every mapping) edited: all are checked again.
    p.ownership.first().owners = QStringList{p.systems.last().id};
    QVERIFY(same(validateProject(p, &cache), validateProject(p)));
    QCOMPARE(cache.reusedMappings, 0);

    // A field of a source system renamed: same findings as a full run.
    p.systems.first().entities.first().fields.first().name = QStringLiteral("renamed");
    QVERIFY(same(validateProject(p, &cache), validateProject(p)));
    QCOMPARE(cache.reusedMappings, 0);

    // A mapping removed: it leaves the cache, the rest are reused.
    p.mappings.removeAt(0);
    QVERIFY(same(validateProject(p, &cache), validateProject(p)));
    QCOMPARE(cache.reusedMappings, int(p.mappings.size()));
    QCOMPARE(cache.mappings.size(), p.mappings.size());
}

void TestValidator::largeProject()
{
    Project p;
    p.name = QStringLiteral("large");
    const int fieldsPerEntity = 50;
    for (const char *id : {"src", "dst"}) {
        System s;
        s.id = QLatin1String(id);
        Entity e;
        e.name = QStringLiteral("Record");
        for (int i = 0; i < fieldsPerEntity; ++i) {
            Field f;
            f.name = QStringLiteral("f%1").arg(i);
            f.required = i < 5;
            f.canonical = QStringLiteral("Record.f%1").arg(i);
            e.fields << f;
        }
        s.entities << e;
        p.systems << s;
    }
    CanonicalEntity c;
    c.id = QStringLiteral("Record");
    c.fields = p.systems.first().entities.first().fields;
    for (Field &f : c.fields)
        f.canonical.clear();
    p.canonical << c;
    OwnershipRule owner;
    owner.entity = QStringLiteral("Record");
    owner.owners << QStringLiteral("src");
    p.ownership << owner; // dst is no consumer: every rule is a non-owner write
    for (int m = 0; m < 200; ++m) {
        Mapping map;
        map.id = QStringLiteral("m%1").arg(m);
        map.source = {QStringLiteral("src"), QStringLiteral("Record")};
        map.target = {QStringLiteral("dst"), QStringLiteral("Record")};
        for (int r = 0; r < fieldsPerEntity; ++r) {
            const QString f = QStringLiteral("f%1").arg(r);
            map.rules << MappingRule{f, f, {}, {}, {}, {}};
        }
        p.mappings << map;
    }
    for (int w = 0; w < 100; ++w) {
        Workflow wf;
        wf.id = QStringLiteral("w%1").arg(w);
        wf.trigger.type = TriggerType::Event;
        QString prev = QStringLiteral("trigger");
        for (int s = 0; s < 20; ++s) {
            Step st;
            st.id = QStringLiteral("s%1").arg(s);
            st.system = QStringLiteral("dst");
            st.method = QStringLiteral("POST");
            st.mapping = QStringLiteral("m%1").arg((w * 20 + s) % 200);
            wf.steps << st;
            wf.edges << Edge{prev, st.id, EdgeKind::Next, {}, {}};
            prev = st.id;
        }
        p.workflows << wf;
    }
    int steps = 0;
    int rules = 0;
    for (const Workflow &w : p.workflows)
        steps += int(w.steps.size());
    for (const Mapping &m : p.mappings)
        rules += int(m.rules.size());
    QCOMPARE(steps, 2000);
    QCOMPARE(rules, 10000);

    QElapsedTimer timer;
    timer.start();
    const QVector<Finding> findings = validateProject(p);
    qInfo("validated %d steps and %d rules in %lld ms: %d findings", steps, rules,
          timer.elapsed(), int(findings.size()));
    QCOMPARE(ofRule(findings, QStringLiteral("ownership.non-owner-write")).size(), 10000);
    QCOMPARE(ofRule(findings, QStringLiteral("call.no-timeout")).size(), 2000);
    QCOMPARE(ofRule(findings, QStringLiteral("event.no-dead-letter")).size(), 100);

    // The same project with its governance fixed: the common case of few findings.
    p.ownership.first().consumers << QStringLiteral("dst");
    for (Workflow &w : p.workflows) {
        w.trigger.deadLetter = QStringLiteral("dlq");
        for (Step &s : w.steps) {
            s.timeoutMs = 1000;
            s.retry.maxAttempts = 3;
            s.idempotencyKey = QStringLiteral("$.f0");
        }
    }
    timer.restart();
    const QVector<Finding> none = validateProject(p);
    qInfo("validated again without findings in %lld ms", timer.elapsed());
    QVERIFY2(none.isEmpty(), qPrintable(dump(none.mid(0, 5))));
}

// Mappings between hundreds of distinct entities: the per-entity field indexes grow while
// earlier ones are still in use (a rehash once left a dangling reference here).
void TestValidator::manyDistinctEntities()
{
    Project p;
    CanonicalEntity c;
    c.id = QStringLiteral("Record");
    c.fields = {field(QStringLiteral("id"), FieldType::String, true)};
    p.canonical << c;
    OwnershipRule owner;
    owner.entity = QStringLiteral("Record");
    owner.owners = {QStringLiteral("s0")};
    for (int i = 0; i < 400; ++i) {
        System s;
        s.id = QStringLiteral("s%1").arg(i);
        Entity e;
        e.name = QStringLiteral("Record");
        e.fields = {field(QStringLiteral("id"), FieldType::String, true),
                    field(QStringLiteral("name"), FieldType::String)};
        e.fields[0].canonical = QStringLiteral("Record.id");
        s.entities << e;
        p.systems << s;
        if (i > 0)
            owner.consumers << s.id;
    }
    p.ownership << owner;
    for (int i = 1; i < 400; ++i) {
        Mapping m;
        m.id = QStringLiteral("m%1").arg(i);
        m.source = EntityRef{QStringLiteral("s%1").arg(i - 1), QStringLiteral("Record")};
        m.target = EntityRef{QStringLiteral("s%1").arg(i), QStringLiteral("Record")};
        m.rules = {mappingRule(QStringLiteral("id"), QStringLiteral("id")),
                   mappingRule(QStringLiteral("name"), QStringLiteral("missing"))};
        p.mappings << m;
    }
    const QVector<Finding> findings = validateProject(p);
    // Exactly one unknown source field per mapping, nothing else.
    QCOMPARE(findings.size(), 399);
    for (const Finding &f : findings)
        QCOMPARE(f.ruleId, QStringLiteral("ref.unknown-field"));
}

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
