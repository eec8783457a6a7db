// Validation rules for workflows: steps, edges, reachability, idempotency, timeouts,
// retries and the writes of steps.
#include "model/validatordetail.h"

#include "model/schedule.h"

namespace sb::model::validatordetail {

template <typename W>
void Validator::checkStepWrites(const Step &s, const Mapping &m, const W &at)
{
    if (!m.target.isCanonical() && m.target.system == s.system)
        return;
    const QVector<Field> *fields = nullptr;
    if (m.target.isCanonical()) {
        if (const CanonicalEntity *c = m_canonical.value(m.target.entity))
            fields = &c->fields;
    } else if (const Entity *e = m_entities.value(m.target.system + QLatin1Char('\n')
                                                  + m.target.entity)) {
        fields = &e->fields;
    }
    if (!fields)
        return;
    const QPair<const Mapping *, QString> key(&m, s.system);
    auto it = m_stepWrites.constFind(key);
    if (it == m_stepWrites.constEnd())
        it = m_stepWrites.insert(key, stepWriteHits(m, *fields, s.system));
    for (const WriteHit &hit : *it) {
        addWrite(at(),
                 at().what % QLatin1String(" writes ") % hit.link % QLatin1String(" (mapping ")
                     % named(m.name, m.id) % QLatin1String(", target ") % hit.target
                     % QLatin1String(") into ") % systemNamed(s.system) % QLatin1String(", ")
                     % hit.why,
                 hit.link, s.system);
    }
}

void Validator::checkWorkflow(const Workflow &w)
{
    const QString wElement = QStringLiteral("workflow:") + w.id;
    const QString wLabel =
        QStringLiteral("Workflow %1").arg(quoted(w.name.isEmpty() ? w.id : w.name));
    const QString what = QStringLiteral("Workflow ") + named(w.name, w.id);

    QHash<QString, int> stepIndex;
    stepIndex.reserve(w.steps.size());
    for (int i = 0; i < w.steps.size(); ++i) {
        if (!stepIndex.contains(w.steps[i].id))
            stepIndex.insert(w.steps[i].id, i);
    }

    // Trigger.
    const Trigger &t = w.trigger;
    const QString tElement = wElement + QStringLiteral("/trigger");
    const QString tLabel = wLabel + QStringLiteral(", trigger");
    const Where tw{tElement, tLabel, what + QStringLiteral(" trigger")};
    if (!t.system.isEmpty() || !t.entity.isEmpty())
        resolve(t.system, t.entity, [&tw]() -> const Where & { return tw; });
    if (!t.deadLetter.isEmpty() && t.deadLetter != QLatin1String("dlq")
        && !stepIndex.contains(t.deadLetter)) {
        add(UnknownStep, tElement, tLabel,
            QStringLiteral("%1 trigger dead-letters to step %2, which does not exist")
                .arg(what, quoted(t.deadLetter)));
    }

    if (t.type == TriggerType::Webhook)
        checkWebhookAuth(t.auth, tElement, tLabel, what);
    if (t.type == TriggerType::Schedule) {
        const auto schedule = Schedule::parse(t.schedule);
        if (!schedule.ok())
            add(BadSchedule, tElement, tLabel,
                QStringLiteral("%1 trigger never runs: %2").arg(what, schedule.error().message));
    }

    bool hasOnError = false;
    for (const Edge &e : w.edges)
        hasOnError = hasOnError || e.kind == EdgeKind::OnError;

    // Steps.
    for (const Step &s : w.steps) {
        const auto at = lazyWhere([&] {
            return Where{wElement + QStringLiteral("/step:") + s.id,
                         wLabel + QStringLiteral(", step ")
                             + quoted(s.name.isEmpty() ? s.id : s.name),
                         QStringLiteral("Step ") + named(s.name, s.id)
                             + QStringLiteral(" of workflow ") + named(w.name, w.id)};
        });
        if (!s.system.isEmpty() || !s.entity.isEmpty())
            resolve(s.system, s.entity, at);
        if (!s.compensation.isEmpty() && !stepIndex.contains(s.compensation))
            add(UnknownStep, at(),
                QStringLiteral("%1 names compensation step %2, which does not exist")
                    .arg(at().what, quoted(s.compensation)));
        if (!s.compensates.isEmpty() && !stepIndex.contains(s.compensates))
            add(UnknownStep, at(),
                QStringLiteral("%1 compensates step %2, which does not exist")
                    .arg(at().what, quoted(s.compensates)));
        const Mapping *mapping = nullptr;
        if (!s.mapping.isEmpty()) {
            mapping = m_mappings.value(s.mapping);
            if (!mapping)
                add(UnknownMapping, at(),
                    QStringLiteral("%1 uses mapping %2, which does not exist")
                        .arg(at().what, quoted(s.mapping)));
        }
        if (mapping && s.writes() && m_systems.contains(s.system))
            checkStepWrites(s, *mapping, at);

        const bool isCall = s.type == StepType::Call;
        if (isCall || s.type == StepType::Lookup) {
            const QString method = s.method.trimmed().toUpper();
            // A step without system or path still reads: "sends POST to its system".
            const QString target = !s.system.isEmpty() ? systemNamed(s.system)
                                   : !s.path.trimmed().isEmpty() ? s.path.trimmed()
                                                                 : QStringLiteral("its system");
            if (isCall && s.idempotencyKey.trimmed().isEmpty()
                && (method == QLatin1String("POST") || method == QLatin1String("PATCH")))
                add(NoIdempotencyKey, at(),
                    QStringLiteral("%1 sends %2 to %3 without an idempotency key; a retry "
                                   "may apply the change twice")
                        .arg(at().what, method, target));
            const bool partialBody = s.partial || (mapping && mapping->partial);
            if (isCall && partialBody && method != QLatin1String("PATCH"))
                add(PartialCreate, at(),
                    QStringLiteral("%1 sends a partial body with %2 to %3; only PATCH "
                                   "leaves the fields it does not send unchanged")
                        .arg(at().what, method.isEmpty() ? QStringLiteral("POST") : method,
                             target));
            if (s.timeoutMs <= 0)
                add(NoTimeout, at(),
                    at().what % QLatin1String(" calls ") % target
                        % QLatin1String(" without a timeout"));
            if (s.retry.maxAttempts <= 0)
                add(NoRetry, at(),
                    at().what % QLatin1String(" calls ") % target
                        % QLatin1String(" without a retry policy"));
        }
    }

    if ((t.type == TriggerType::Event || t.type == TriggerType::Webhook)
        && t.deadLetter.isEmpty() && !hasOnError) {
        add(NoDeadLetter, tElement, tLabel,
            QStringLiteral("%1 consumes %2 %3 but has no dead-letter target and no "
                           "on-error edge: failed messages are lost")
                .arg(what, toString(t.type),
                     quoted(!t.topic.isEmpty() ? t.topic
                                               : (t.system.isEmpty()
                                                      ? t.entity
                                                      : entityLabel(t.system,
                                                                    t.entity)))));
    }

    checkReachability(w, stepIndex, wElement, wLabel);
}

void Validator::checkWebhookAuth(const WebhookAuth &a, const QString &element,
                                 const QString &display,
                                 const QString &what)
{
    switch (a.type) {
    case WebhookAuthType::Unset:
        add(WebhookNoAuth, element, display,
            QStringLiteral("%1 webhook has no authentication configured, so serve answers "
                           "401 to it; set auth to hmac-sha256 or bearer with a secret "
                           "reference, or to none to accept unsigned requests")
                .arg(what));
        return;
    case WebhookAuthType::None:
        add(WebhookUnsigned, element, display,
            QStringLiteral("%1 webhook accepts unsigned requests from anyone who can "
                           "reach the runner (auth type none)").arg(what));
        return;
    case WebhookAuthType::HmacSha256:
    case WebhookAuthType::Bearer: {
        const QString problem = webhookSecretProblem(a);
        if (!problem.isEmpty())
            add(WebhookLiteralSecret, element, display,
                QStringLiteral("%1 webhook auth %2").arg(what, problem));
        return;
    }
    }
}

QVector<WriteHit> Validator::stepWriteHits(const Mapping &m, const QVector<Field> &fields,
                                           const QString &system)
{
    QVector<WriteHit> hits;
    const FieldIndex &idx = indexOf(fields);
    QSet<QString> reported;
    for (const MappingRule &rule : m.rules) {
        const QString target = normalizePath(rule.target);
        const PathEntry tf = idx.byPath.value(target);
        if (!tf.field)
            continue;
        QStringList links;
        if (m.target.isCanonical())
            links << m.target.entity + QLatin1Char('.') + target;
        else
            canonicalLinks(*tf.field, links);
        for (const QString &link : links) {
            if (reported.contains(link))
                continue;
            const QString why = writeViolation(link, system);
            if (why.isEmpty())
                continue;
            reported.insert(link);
            hits.push_back({link, target, why});
        }
    }
    return hits;
}

void Validator::checkReachability(const Workflow &w, const QHash<QString, int> &stepIndex,
                                  const QString &wElement, const QString &wLabel)
{
    const int n = int(w.steps.size());
    QVector<QVector<int>> next(n);
    QVector<int> fromTrigger;
    for (const Edge &e : w.edges) {
        const int to = stepIndex.value(e.to, -1);
        if (to < 0)
            continue;
        if (e.from == kTrigger) {
            fromTrigger << to;
        } else {
            const int from = stepIndex.value(e.from, -1);
            if (from >= 0)
                next[from] << to;
        }
    }
    // Compensation links: a step's undo, and undo steps that name the step they undo.
    for (int i = 0; i < n; ++i) {
        const Step &s = w.steps[i];
        const int c = stepIndex.value(s.compensation, -1);
        if (c >= 0)
            next[i] << c;
        if (s.type == StepType::Compensate) {
            const int undone = stepIndex.value(s.compensates, -1);
            if (undone >= 0)
                next[undone] << i;
        }
    }
    QVector<bool> seen(n, false);
    QVector<int> queue;
    queue.reserve(n);
    auto visit = [&](int i) {
        if (i >= 0 && !seen[i]) {
            seen[i] = true;
            queue << i;
        }
    };
    for (int i : fromTrigger)
        visit(i);
    visit(stepIndex.value(w.trigger.deadLetter, -1));
    for (int head = 0; head < queue.size(); ++head) {
        for (int j : next[queue[head]])
            visit(j);
    }
    for (int i = 0; i < n; ++i) {
        if (seen[i])
            continue;
        const Step &s = w.steps[i];
        add(UnreachableStep, wElement + QStringLiteral("/step:") + s.id,
            QStringLiteral("%1, step %2").arg(wLabel, quoted(s.name.isEmpty() ? s.id
                                                                               : s.name)),
            QStringLiteral("Step %1 of workflow %2 cannot be reached from the trigger")
                .arg(named(s.name, s.id), named(w.name, w.id)));
    }
}

} // namespace sb::model::validatordetail
