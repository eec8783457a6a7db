#include "app/workflows/workfloweditor.h"

#include "app/workflows/workflowgeometry.h"
#include "model/secrets.h"

#include <QLineF>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

using namespace sb::model;
namespace wf = studio::workflow;

// WorkflowEditor's edits: every intent becomes one undoable Document edit of the workflow;
// typing into one field and dragging merge into one step.

namespace {

// "400, 409 422" -> {400, 409, 422}; false unless every item is an HTTP status.
bool parseStatuses(const QString &text, QVector<int> *out)
{
    static const QRegularExpression sep(QStringLiteral("[,;\\s]+"));
    QVector<int> result;
    const QStringList parts = text.split(sep, Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        bool ok = false;
        const int v = p.toInt(&ok);
        if (!ok || v < 100 || v > 599)
            return false;
        if (!result.contains(v))
            result << v;
    }
    *out = result;
    return true;
}

QString slug(const QString &name, const QString &fallback)
{
    QString s = name.trimmed().toLower();
    static const QRegularExpression nonWord(QStringLiteral("[^a-z0-9]+"));
    s.replace(nonWord, QStringLiteral("-"));
    while (s.startsWith(QLatin1Char('-')))
        s.remove(0, 1);
    while (s.endsWith(QLatin1Char('-')))
        s.chop(1);
    return s.isEmpty() ? fallback : s;
}

qreal snap(qreal v)
{
    return std::round(v / 8.0) * 8.0;
}

// Keys edited by choosing (combo boxes, check boxes): each choice is its own undo step.
bool isChoiceKey(const QString &key)
{
    static const QStringList keys{
        QStringLiteral("system"),       QStringLiteral("entity"),
        QStringLiteral("method"),       QStringLiteral("mapping"),
        QStringLiteral("compensation"), QStringLiteral("compensates"),
        QStringLiteral("checkSchema"),  QStringLiteral("checkOwnership"),
        QStringLiteral("retry.jitter"), QStringLiteral("kind"),
        QStringLiteral("type"),         QStringLiteral("pattern"),
        QStringLiteral("deadLetter"),   QStringLiteral("format")};
    return keys.contains(key);
}

} // namespace

void WorkflowEditor::commit(const Workflow &w, const QString &text, const QString &mergeKey)
{
    if (m_doc)
        m_doc->updateWorkflow(w, text, mergeKey);
}

QString WorkflowEditor::webhookSecretError(const QString &type, const QString &reference)
{
    WebhookAuth auth;
    auth.type = webhookAuthTypeFromString(type).value_or(WebhookAuthType::Unset);
    auth.secretRef = reference;
    return webhookSecretProblem(auth);
}

QString WorkflowEditor::addWorkflow(const QString &name)
{
    if (!m_doc)
        return QString();
    Workflow w;
    w.name = name.trimmed().isEmpty() ? QStringLiteral("New workflow") : name.trimmed();
    w.id = m_doc->uniqueId(Collection::Workflows, slug(w.name, QStringLiteral("workflow")));
    w.trigger.type = TriggerType::Webhook;
    m_doc->insertWorkflow(w);
    setWorkflowId(w.id);
    return w.id;
}

void WorkflowEditor::renameWorkflow(const QString &id, const QString &name)
{
    const Workflow *w = m_doc ? m_doc->project().workflow(id) : nullptr;
    if (!w || name.trimmed().isEmpty())
        return;
    Workflow next = *w;
    next.name = name.trimmed();
    m_doc->updateWorkflow(next, QStringLiteral("Rename workflow '%1'").arg(id));
}

void WorkflowEditor::removeWorkflow(const QString &id)
{
    if (!m_doc || !m_doc->project().workflow(id))
        return;
    m_doc->removeWorkflow(id);
}

QString WorkflowEditor::uniqueStepId(const Workflow &w, const QString &base) const
{
    if (!w.step(base) && base != wf::kTriggerId)
        return base;
    for (int n = 2;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!w.step(id))
            return id;
    }
}

QString WorkflowEditor::addStep(const QString &type, qreal x, qreal y,
                                const QString &connectFrom)
{
    const Workflow *w = current();
    const auto t = stepTypeFromString(type);
    if (!w || !t)
        return QString();
    Workflow next = *w;
    Step s;
    s.type = *t;
    s.id = uniqueStepId(next, type);
    s.name = wf::stepTypeLabel(*t);
    s.position = QPointF(snap(x), snap(y));
    if (s.type == StepType::Call)
        s.method = QStringLiteral("POST");
    else if (s.type == StepType::Lookup)
        s.method = QStringLiteral("GET");
    next.steps.push_back(s);
    if (!connectFrom.isEmpty() && (connectFrom == wf::kTriggerId || w->step(connectFrom))) {
        Edge e;
        e.from = connectFrom;
        e.to = s.id;
        next.edges.push_back(e);
    }
    commit(next, QStringLiteral("Add step '%1'").arg(s.id));
    return s.id;
}

QPointF WorkflowEditor::suggestedPosition(const QString &after) const
{
    const Workflow *w = current();
    if (!w)
        return QPointF(0, 0);
    QPointF anchor;
    if (!after.isEmpty() && wf::nodePosition(*w, after, &anchor)) {
        QPointF p = anchor + QPointF(wf::kLayerSpacing, 0);
        // Below any step already there.
        for (int guard = 0; guard < 50; ++guard) {
            bool taken = false;
            for (const Step &s : w->steps) {
                if (QLineF(s.position, p).length() < wf::kStepSize)
                    taken = true;
            }
            if (!taken)
                break;
            p.ry() += wf::kRowSpacing;
        }
        return p;
    }
    if (w->steps.isEmpty())
        return QPointF(wf::kLayerSpacing, 0);
    qreal maxX = w->steps.first().position.x();
    for (const Step &s : w->steps)
        maxX = std::max(maxX, s.position.x());
    return QPointF(maxX + wf::kLayerSpacing, 0);
}

void WorkflowEditor::setTriggerType(const QString &type)
{
    setTriggerValue(QStringLiteral("type"), type);
}

bool WorkflowEditor::canConnect(const QString &from, const QString &to) const
{
    const Workflow *w = current();
    if (!w || from == to || to == wf::kTriggerId || !w->step(to))
        return false;
    if (from != wf::kTriggerId && !w->step(from))
        return false;
    for (const Edge &e : w->edges) {
        if (e.from == from && e.to == to)
            return false;
    }
    return true;
}

int WorkflowEditor::connectSteps(const QString &from, const QString &to)
{
    if (!canConnect(from, to))
        return -1;
    Workflow next = *current();
    Edge e;
    e.from = from;
    e.to = to;
    next.edges.push_back(e);
    commit(next, QStringLiteral("Connect '%1' to '%2'").arg(from, to));
    return int(next.edges.size()) - 1;
}

void WorkflowEditor::removeStep(const QString &stepId)
{
    const Workflow *w = current();
    if (!w || !w->step(stepId))
        return;
    Workflow next = *w;
    next.steps.erase(std::remove_if(next.steps.begin(), next.steps.end(),
                                    [&](const Step &s) { return s.id == stepId; }),
                     next.steps.end());
    next.edges.erase(std::remove_if(next.edges.begin(), next.edges.end(),
                                    [&](const Edge &e) {
                                        return e.from == stepId || e.to == stepId;
                                    }),
                     next.edges.end());
    // References to it would be dangling: clear them in the same undo step.
    for (Step &s : next.steps) {
        if (s.compensation == stepId)
            s.compensation.clear();
        if (s.compensates == stepId)
            s.compensates.clear();
    }
    if (next.trigger.deadLetter == stepId)
        next.trigger.deadLetter = QStringLiteral("dlq");
    if (m_step == stepId)
        setSelection(QString(), -1, false);
    commit(next, QStringLiteral("Delete step '%1'").arg(stepId));
}

void WorkflowEditor::removeEdge(int edge)
{
    const Workflow *w = current();
    if (!w || edge < 0 || edge >= w->edges.size())
        return;
    Workflow next = *w;
    const Edge e = next.edges.takeAt(edge);
    if (m_edge == edge)
        setSelection(QString(), -1, false);
    commit(next, QStringLiteral("Delete edge '%1' to '%2'").arg(e.from, e.to));
}

bool WorkflowEditor::removeSelected()
{
    if (!m_step.isEmpty()) {
        removeStep(m_step);
        return true;
    }
    if (m_edge >= 0) {
        removeEdge(m_edge);
        return true;
    }
    return false;
}

void WorkflowEditor::moveStep(const QString &stepId, qreal x, qreal y)
{
    const Workflow *w = current();
    const Step *s = w ? w->step(stepId) : nullptr;
    if (!s || s->position == QPointF(x, y))
        return;  // no empty undo steps for a click without movement
    m_doc->moveStep(m_workflowId, stepId, QPointF(x, y));
}

void WorkflowEditor::endEdit()
{
    if (m_doc)
        m_doc->endMergeGroup();
}

void WorkflowEditor::autoArrange()
{
    const Workflow *w = current();
    if (!w || w->steps.isEmpty())
        return;
    const QHash<QString, QPointF> positions = wf::arrange(*w);
    Workflow next = *w;
    for (Step &s : next.steps)
        s.position = positions.value(s.id, s.position);
    endEdit();
    commit(next, QStringLiteral("Arrange workflow '%1'").arg(w->id));
}

bool WorkflowEditor::setWorkflowValue(const QString &key, const QVariant &value)
{
    const Workflow *w = current();
    if (!w)
        return false;
    Workflow next = *w;
    const QString text = value.toString();
    if (key == QLatin1String("name")) {
        next.name = text;
    } else if (key == QLatin1String("description")) {
        next.description = text;
    } else if (key == QLatin1String("pattern")) {
        const auto p = workflowPatternFromString(text);
        if (!p)
            return false;
        next.pattern = *p;
    } else {
        return false;
    }
    const QString merge = isChoiceKey(key)
                              ? QString()
                              : QStringLiteral("edit:workflow:%1/%2").arg(w->id, key);
    commit(next, QStringLiteral("Edit workflow '%1'").arg(w->id), merge);
    return true;
}

bool WorkflowEditor::setTriggerValue(const QString &key, const QVariant &value)
{
    const Workflow *w = current();
    if (!w)
        return false;
    Workflow next = *w;
    Trigger &t = next.trigger;
    const QString text = value.toString();
    if (key == QLatin1String("type")) {
        const auto type = triggerTypeFromString(text);
        if (!type)
            return false;
        t.type = *type;
    } else if (key == QLatin1String("system")) {
        if (t.system != text)
            t.entity.clear();
        t.system = text;
    } else if (key == QLatin1String("entity")) {
        t.entity = text;
    } else if (key == QLatin1String("topic")) {
        t.topic = text;
    } else if (key == QLatin1String("schedule")) {
        t.schedule = text;
    } else if (key == QLatin1String("format")) {
        t.format = text;
    } else if (key == QLatin1String("eventIdPath")) {
        t.eventIdPath = text;
    } else if (key == QLatin1String("correlationPath")) {
        t.correlationPath = text;
    } else if (key == QLatin1String("filter")) {
        t.filter = text;
    } else if (key == QLatin1String("deadLetter")) {
        t.deadLetter = text;
    } else if (key == QLatin1String("authType")) {
        // "" takes the setting away (validate then reports it); anything else must be known.
        const auto type = webhookAuthTypeFromString(text);
        if (!type && !text.isEmpty())
            return false;
        t.auth.type = type.value_or(WebhookAuthType::Unset);
    } else if (key == QLatin1String("authSecret")) {
        t.auth.secretRef = text.trimmed();
    } else if (key == QLatin1String("authTolerance")) {
        bool ok = false;
        const int seconds = value.toInt(&ok);
        if (!ok || seconds < 1)
            return false;
        t.auth.toleranceSeconds = seconds;
    } else {
        return false;
    }
    const QString merge = isChoiceKey(key) || key == QLatin1String("authType")
                              ? QString()
                              : QStringLiteral("edit:workflow:%1/trigger/%2").arg(w->id, key);
    commit(next, QStringLiteral("Edit trigger of '%1'").arg(w->id), merge);
    return true;
}

bool WorkflowEditor::applyStep(const QString &stepId, const QString &key,
                               const std::function<bool(Step &)> &edit)
{
    const Workflow *w = current();
    if (!w || !w->step(stepId))
        return false;
    Workflow next = *w;
    for (Step &s : next.steps) {
        if (s.id != stepId)
            continue;
        if (!edit(s))
            return false;
    }
    const QString merge =
        isChoiceKey(key) ? QString()
                         : QStringLiteral("edit:workflow:%1/step:%2/%3").arg(w->id, stepId, key);
    commit(next, QStringLiteral("Edit step '%1'").arg(stepId), merge);
    return true;
}

bool WorkflowEditor::setStepValue(const QString &stepId, const QString &key,
                                  const QVariant &value)
{
    const QString text = value.toString();
    auto toInt = [&value](int *out, int min) {
        bool ok = false;
        const double d = value.toDouble(&ok);
        if (!ok || d < min || d > 1e9)
            return false;
        *out = int(std::llround(d));
        return true;
    };
    auto string = [&](QString Step::*member) {
        return applyStep(stepId, key, [&](Step &s) {
            s.*member = text;
            return true;
        });
    };
    auto integer = [&](int Step::*member) {
        int v = 0;
        if (!toInt(&v, 0))
            return false;
        return applyStep(stepId, key, [&](Step &s) {
            s.*member = v;
            return true;
        });
    };
    if (key == QLatin1String("name")) return string(&Step::name);
    if (key == QLatin1String("entity")) return string(&Step::entity);
    if (key == QLatin1String("path")) return string(&Step::path);
    if (key == QLatin1String("mapping")) return string(&Step::mapping);
    if (key == QLatin1String("idempotencyKey")) return string(&Step::idempotencyKey);
    if (key == QLatin1String("compensation")) return string(&Step::compensation);
    if (key == QLatin1String("compensates")) return string(&Step::compensates);
    if (key == QLatin1String("output")) return string(&Step::output);
    if (key == QLatin1String("topic")) return string(&Step::topic);
    if (key == QLatin1String("correlation")) return string(&Step::correlation);
    if (key == QLatin1String("matchField")) return string(&Step::matchField);
    if (key == QLatin1String("role")) return string(&Step::role);
    if (key == QLatin1String("escalateTo")) return string(&Step::escalateTo);
    if (key == QLatin1String("timeoutMs")) return integer(&Step::timeoutMs);
    if (key == QLatin1String("waitTimeoutMs")) return integer(&Step::waitTimeoutMs);
    if (key == QLatin1String("escalationMs")) return integer(&Step::escalationMs);
    if (key == QLatin1String("method")) {
        const QString m = text.trimmed().toUpper();
        static const QStringList methods{QStringLiteral("GET"), QStringLiteral("POST"),
                                         QStringLiteral("PUT"), QStringLiteral("PATCH"),
                                         QStringLiteral("DELETE"), QString()};
        if (!methods.contains(m))
            return false;
        return applyStep(stepId, key, [&](Step &s) { s.method = m; return true; });
    }
    if (key == QLatin1String("system")) {
        return applyStep(stepId, key, [&](Step &s) {
            if (s.system != text)
                s.entity.clear();  // the entity belonged to the old system
            s.system = text;
            return true;
        });
    }
    if (key == QLatin1String("rules")) {
        QStringList rules;
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            if (!line.trimmed().isEmpty())
                rules << line.trimmed();
        }
        return applyStep(stepId, key, [&](Step &s) { s.rules = rules; return true; });
    }
    if (key == QLatin1String("checkSchema") || key == QLatin1String("checkOwnership")) {
        const bool on = value.toBool();
        const bool schema = key == QLatin1String("checkSchema");
        return applyStep(stepId, key, [&](Step &s) {
            (schema ? s.checkSchema : s.checkOwnership) = on;
            return true;
        });
    }
    if (key == QLatin1String("transientStatuses")
        || key == QLatin1String("businessErrorStatuses")) {
        QVector<int> statuses;
        if (!parseStatuses(text, &statuses))
            return false;
        const bool transient = key == QLatin1String("transientStatuses");
        return applyStep(stepId, key, [&](Step &s) {
            (transient ? s.transientStatuses : s.businessErrorStatuses) = statuses;
            return true;
        });
    }
    if (key.startsWith(QLatin1String("retry."))) {
        const QString field = key.mid(6);
        if (field == QLatin1String("jitter")) {
            const bool on = value.toBool();
            return applyStep(stepId, key, [&](Step &s) { s.retry.jitter = on; return true; });
        }
        if (field == QLatin1String("multiplier")) {
            bool ok = false;
            const double v = value.toDouble(&ok);
            if (!ok || v < 1 || v > 100)
                return false;
            return applyStep(stepId, key, [&](Step &s) {
                s.retry.multiplier = v;
                return true;
            });
        }
        int v = 0;
        if (!toInt(&v, 0))
            return false;
        int RetryPolicy::*member = nullptr;
        if (field == QLatin1String("maxAttempts"))
            member = &RetryPolicy::maxAttempts;
        else if (field == QLatin1String("initialBackoffMs"))
            member = &RetryPolicy::initialBackoffMs;
        else if (field == QLatin1String("maxBackoffMs"))
            member = &RetryPolicy::maxBackoffMs;
        if (!member || (field == QLatin1String("maxAttempts") && v > 100))
            return false;
        return applyStep(stepId, key, [&](Step &s) { s.retry.*member = v; return true; });
    }
    return false;
}

bool WorkflowEditor::setEdgeValue(int edge, const QString &key, const QVariant &value)
{
    const Workflow *w = current();
    if (!w || edge < 0 || edge >= w->edges.size())
        return false;
    Workflow next = *w;
    Edge &e = next.edges[edge];
    const QString text = value.toString();
    if (key == QLatin1String("condition")) {
        e.condition = text;
    } else if (key == QLatin1String("label")) {
        e.label = text;
    } else if (key == QLatin1String("kind")) {
        const auto kind = edgeKindFromString(text);
        if (!kind)
            return false;
        e.kind = *kind;
    } else {
        return false;
    }
    const QString merge = isChoiceKey(key)
                              ? QString()
                              : QStringLiteral("edit:workflow:%1/edge:%2>%3/%4")
                                    .arg(w->id, e.from, e.to, key);
    commit(next, QStringLiteral("Edit edge '%1' to '%2'").arg(e.from, e.to), merge);
    return true;
}
