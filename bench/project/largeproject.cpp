#include "largeproject.h"

#include <cmath>

namespace sb::bench {

using namespace model;

namespace {

constexpr int kFieldsPerEntity = 10;

Field field(const QString &name, FieldType type, bool required, const QString &canonical)
{
    Field f;
    f.name = name;
    f.type = type;
    f.required = required;
    f.canonical = canonical;
    return f;
}

} // namespace

Project generateProject(const ProjectSize &size)
{
    Project p;
    p.name = QStringLiteral("Generated %1 systems, %2 steps, %3 rules")
                 .arg(size.systems)
                 .arg(size.steps)
                 .arg(size.rules);

    // One canonical entity with enough fields for every rule to target a distinct field.
    CanonicalEntity record;
    record.id = QStringLiteral("Record");
    record.key = QStringLiteral("f0");
    for (int i = 0; i < kFieldsPerEntity; ++i)
        record.fields << field(QStringLiteral("f%1").arg(i), FieldType::String, i == 0, {});
    p.canonical << record;

    const int columns = int(std::ceil(std::sqrt(double(std::max(1, size.systems)))));
    for (int i = 0; i < size.systems; ++i) {
        System s;
        s.id = QStringLiteral("sys%1").arg(i);
        s.name = QStringLiteral("System %1").arg(i);
        s.kind = SystemKind(i % 10);
        s.color = QStringLiteral("#%1").arg((i * 2654435761u) & 0xffffff, 6, 16, QLatin1Char('0'));
        s.position = QPointF((i % columns) * 320.0, (i / columns) * 240.0);
        Entity e;
        e.name = QStringLiteral("Record");
        e.key = QStringLiteral("f0");
        for (int f = 0; f < kFieldsPerEntity; ++f) {
            e.fields << field(QStringLiteral("f%1").arg(f), FieldType::String, f == 0,
                              QStringLiteral("Record.f%1").arg(f));
        }
        s.entities << e;
        EndpointProfile sandbox;
        sandbox.name = QStringLiteral("sandbox");
        sandbox.sandbox = true;
        s.profiles << sandbox;
        p.systems << s;
    }

    OwnershipRule owner;
    owner.entity = QStringLiteral("Record");
    owner.owners = {QStringLiteral("sys0")};
    for (int i = 1; i < size.systems; ++i)
        owner.consumers << QStringLiteral("sys%1").arg(i);
    p.ownership << owner;

    // Mappings from the owner to every other system, kFieldsPerEntity rules each.
    int rulesLeft = size.rules;
    for (int m = 0; rulesLeft > 0; ++m) {
        Mapping mapping;
        mapping.id = QStringLiteral("map%1").arg(m);
        mapping.source = EntityRef{QStringLiteral("sys0"), QStringLiteral("Record")};
        mapping.target = EntityRef{QStringLiteral("sys%1").arg(1 + m % std::max(1, size.systems - 1)),
                                   QStringLiteral("Record")};
        for (int f = 0; f < kFieldsPerEntity && rulesLeft > 0; ++f, --rulesLeft) {
            MappingRule rule;
            rule.target = QStringLiteral("f%1").arg(f);
            rule.expression = f % 3 == 0 ? QStringLiteral("$uppercase(f%1)").arg(f)
                                         : QStringLiteral("f%1").arg(f);
            mapping.rules << rule;
        }
        // Keep every mapping complete: the required key is always mapped.
        if (mapping.rules.first().target != QLatin1String("f0")) {
            MappingRule key;
            key.target = key.expression = QStringLiteral("f0");
            mapping.rules.prepend(key);
        }
        p.mappings << mapping;
    }

    // Workflows of 20 steps in a chain: call steps with timeouts, retries and keys.
    const int perWorkflow = 20;
    for (int w = 0; w * perWorkflow < size.steps; ++w) {
        Workflow wf;
        wf.id = QStringLiteral("wf%1").arg(w);
        wf.name = QStringLiteral("Workflow %1").arg(w);
        wf.trigger.type = TriggerType::Webhook;
        wf.trigger.system = QStringLiteral("sys0");
        wf.trigger.deadLetter = QStringLiteral("dlq");
        QString previous = QStringLiteral("trigger");
        for (int k = 0; k < perWorkflow && w * perWorkflow + k < size.steps; ++k) {
            Step st;
            st.id = QStringLiteral("s%1").arg(k);
            st.type = StepType::Call;
            st.position = QPointF(k * 220.0, 0);
            st.system = QStringLiteral("sys%1").arg(1 + (w + k) % std::max(1, size.systems - 1));
            st.entity = QStringLiteral("Record");
            st.method = QStringLiteral("PUT");
            st.path = QStringLiteral("/records/{id}");
            st.mapping = QStringLiteral("map%1").arg((w + k) % p.mappings.size());
            st.timeoutMs = 5000;
            st.retry.maxAttempts = 5;
            wf.steps << st;
            wf.edges << Edge{previous, st.id, EdgeKind::Next, {}, {}};
            previous = st.id;
        }
        p.workflows << wf;
    }

    for (int i = 1; i < size.systems; ++i) {
        DataFlow flow;
        flow.id = QStringLiteral("flow%1").arg(i);
        flow.from = QStringLiteral("sys%1").arg((i - 1) / 3); // a tree: no loops
        flow.to = QStringLiteral("sys%1").arg(i);
        flow.entity = QStringLiteral("Record");
        p.flows << flow;
    }
    return p;
}

} // namespace sb::bench
