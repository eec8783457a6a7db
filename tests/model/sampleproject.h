#pragma once

// A small project that sets every field of every element to a non-default value, so a
// round trip that drops or alters anything shows up as a difference.

#include "model/project.h"

namespace sb::testing {

inline model::Project richProject()
{
    using namespace model;
    Project p;
    p.name = QStringLiteral("Rich – ünïcode");
    p.description = QStringLiteral("Every field set");

    Field line{QStringLiteral("lines"), FieldType::Array, true, {}, {}, 0,
               QStringLiteral("Quote lines"), QString(), FieldType::Object, {}};
    line.fields = {Field{QStringLiteral("sku"), FieldType::String, true, QStringLiteral("sku"),
                         {}, 40, {}, QStringLiteral("Product.sku"), FieldType::Object, {}}};
    Field stage{QStringLiteral("stage"), FieldType::Enum, false, {},
                {QStringLiteral("open"), QStringLiteral("closed-won")}, 0, {}, {},
                FieldType::Object, {}};
    Entity quote{QStringLiteral("Quote"), QStringLiteral("id"), QString(),
                 QStringLiteral("A quote"),
                 {Field{QStringLiteral("id"), FieldType::String, true, {}, {}, 18, {},
                        QStringLiteral("Order.id"), FieldType::Object, {}},
                  stage, line}};
    System crm;
    crm.id = QStringLiteral("crm");
    crm.name = QStringLiteral("CRM");
    crm.kind = SystemKind::Crm;
    crm.color = QStringLiteral("#1f77b4");
    crm.description = QStringLiteral("Sales");
    crm.position = QPointF(12.5, -40);
    crm.entities = {quote};
    crm.profiles = {EndpointProfile{QStringLiteral("sandbox"), true, {}, AuthType::None, {}, 0, 0},
                    EndpointProfile{QStringLiteral("prod"), false,
                                    QStringLiteral("https://crm.example.com/api"),
                                    AuthType::Bearer, QStringLiteral("env:CRM_TOKEN"), 12.5,
                                    3000}};
    System erp = crm;
    erp.id = QStringLiteral("erp");
    erp.kind = SystemKind::Erp;
    erp.position = QPointF(400, 0);
    p.systems = {crm, erp};

    CanonicalEntity order{QStringLiteral("Order"), QStringLiteral("Sales order"),
                          QStringLiteral("id"),
                          {Field{QStringLiteral("id"), FieldType::String, true, {}, {}, 0, {},
                                 {}, FieldType::Object, {}}}};
    p.canonical = {order};
    OwnershipRule rule;
    rule.entity = QStringLiteral("Order");
    rule.owners = {QStringLiteral("erp")};
    rule.contributors = {QStringLiteral("crm")};
    rule.consumers = {QStringLiteral("crm")};
    rule.survivorship = Survivorship::SourcePriority;
    rule.priority = {QStringLiteral("erp"), QStringLiteral("crm")};
    rule.steward = QStringLiteral("Finance Ops");
    rule.freshness = Freshness::WithinMinutes;
    rule.freshnessMinutes = 15;
    OwnershipRule fieldRule = rule;
    fieldRule.field = QStringLiteral("id");
    fieldRule.survivorship = Survivorship::MostRecent;
    p.ownership = {rule, fieldRule};

    Mapping m;
    m.id = QStringLiteral("quote-to-order");
    m.name = QStringLiteral("Quote to order");
    m.source = EntityRef{QStringLiteral("crm"), QStringLiteral("Quote")};
    m.target = EntityRef{QStringLiteral("erp"), QStringLiteral("Quote")};
    m.condition = QStringLiteral("stage = 'closed-won'");
    m.rules = {MappingRule{QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("$exists(id)"),
                           QStringLiteral("\"n/a\""), QString(), QStringLiteral("Copy")},
               MappingRule{QStringLiteral("stage"), QStringLiteral("stage"), {},
                           QStringLiteral("{\"a\":[1,2.5,true,null]}"), QStringLiteral("stages"),
                           {}}};
    m.valueMaps = {ValueMap{QStringLiteral("stages"),
                            {{QStringLiteral("open"), QStringLiteral("draft")}},
                            QStringLiteral("unknown"), true}};
    m.partial = true;
    p.mappings = {m};

    Workflow w;
    w.id = QStringLiteral("wf");
    w.name = QStringLiteral("Workflow");
    w.description = QStringLiteral("Does things");
    w.pattern = WorkflowPattern::EventDriven;
    w.trigger.type = TriggerType::Event;
    w.trigger.system = QStringLiteral("crm");
    w.trigger.entity = QStringLiteral("Quote");
    w.trigger.topic = QStringLiteral("crm.quote.accepted");
    w.trigger.schedule = QStringLiteral("every 5m");
    w.trigger.format = QStringLiteral("jsonl");
    w.trigger.eventIdPath = QStringLiteral("id");
    w.trigger.correlationPath = QStringLiteral("quoteId");
    w.trigger.filter = QStringLiteral("dlq");
    w.trigger.auth = WebhookAuth{WebhookAuthType::HmacSha256, QStringLiteral("env:HOOK_KEY"), 120};
    Step call;
    call.id = QStringLiteral("create");
    call.name = QStringLiteral("Create order");
    call.type = StepType::Call;
    call.position = QPointF(100, 50);
    call.system = QStringLiteral("erp");
    call.entity = QStringLiteral("Quote");
    call.method = QStringLiteral("POST");
    call.path = QStringLiteral("/orders/{id}");
    call.mapping = QStringLiteral("quote-to-order");
    call.idempotencyKey = QStringLiteral("'order-' & id");
    call.timeoutMs = 5000;
    call.retry = RetryPolicy{5, 250, 1.5, 30000, false};
    call.transientStatuses = {409};
    call.businessErrorStatuses = {400, 422};
    call.compensation = QStringLiteral("undo");
    call.output = QStringLiteral("order");
    call.rules = {QStringLiteral("amount > 0")};
    call.checkSchema = true;
    call.checkOwnership = true;
    call.partial = true;
    call.topic = QStringLiteral("t");
    call.correlation = QStringLiteral("id");
    call.waitTimeoutMs = 600000;
    call.role = QStringLiteral("Finance");
    call.escalationMs = 3600000;
    call.escalateTo = QStringLiteral("CFO");
    Step undo;
    undo.id = QStringLiteral("undo");
    undo.type = StepType::Compensate;
    undo.compensates = QStringLiteral("create");
    w.steps = {call, undo};
    w.edges = {Edge{QStringLiteral("trigger"), QStringLiteral("create"), EdgeKind::Next,
                    QStringLiteral("amount > 10"), QStringLiteral("big")},
               Edge{QStringLiteral("create"), QStringLiteral("undo"), EdgeKind::OnError, {}, {}}};
    p.workflows = {w};
    p.flows = {DataFlow{QStringLiteral("f1"), QStringLiteral("crm"), QStringLiteral("erp"),
                        QStringLiteral("Order"), QStringLiteral("quote-to-order"),
                        QStringLiteral("wf"), FlowMode::Event, true, QStringLiteral("Orders")}};
    p.slas = {Sla{QStringLiteral("s1"), QStringLiteral("Fast"), QStringLiteral("wf"),
                  QStringLiteral("trigger"), QStringLiteral("create"), 15, 99.5}};
    p.reconciliations = {Reconciliation{
        QStringLiteral("r1"), QStringLiteral("Quotes"),
        EntityRef{QStringLiteral("crm"), QStringLiteral("Quote")},
        EntityRef{QStringLiteral("erp"), QStringLiteral("Quote")}, QStringLiteral("id"),
        QStringLiteral("id"), {{QStringLiteral("stage"), QStringLiteral("stage")}},
        QStringLiteral("0 2 * * *")}};
    p.datasets = {Dataset{QStringLiteral("d1"), QStringLiteral("Quotes"), QStringLiteral("crm"),
                          QStringLiteral("Quote"), QStringLiteral("data/quotes.jsonl"),
                          QStringLiteral("Sample quotes")}};
    return p;
}

} // namespace sb::testing
