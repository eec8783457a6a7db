#include "app/workflows/workfloweditor.h"

#include "app/workflows/workflowgeometry.h"
#include "model/elementref.h"
#include "runtime/jsonata/jsonata.h"

#include <QSet>

using namespace sb::model;
namespace wf = studio::workflow;

WorkflowEditor::WorkflowEditor(QObject *parent)
    : QObject(parent),
      m_workflows(new WorkflowListModel(this)),
      m_steps(new WorkflowStepsModel(this)),
      m_edges(new WorkflowEdgesModel(this)),
      m_palette(new WorkflowPaletteModel(this))
{
    m_recountTimer.setSingleShot(true);
    m_recountTimer.setInterval(0);
    connect(&m_recountTimer, &QTimer::timeout, this, &WorkflowEditor::recount);
}

void WorkflowEditor::setDocument(QObject *document)
{
    if (document == m_document)
        return;
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_document = document;
    m_doc = qobject_cast<Document *>(document);
    if (m_doc) {
        connect(m_doc, &QObject::destroyed, this, [this] {
            m_doc = nullptr;
            refresh();
        });
        connect(m_doc, &Document::changed, this, [this](const Change &c) {
            switch (c.collection) {
            case Collection::Workflows:
            case Collection::Project:
                refresh();
                break;
            case Collection::Slas:
                refresh();
                break;
            case Collection::Systems:
            case Collection::Mappings:
                if (c.layoutOnly)
                    break;
                updateChoices();
                emit detailsChanged();
                break;
            default:
                break;
            }
        });
        connect(m_doc, &Document::projectReset, this, [this] {
            setSelection(QString(), -1, false);
            m_workflowId.clear();
            refresh();
            emit workflowChanged();
        });
    }
    refresh();
    emit documentChanged();
    emit workflowChanged();
}

void WorkflowEditor::setFindings(FindingsModel *findings)
{
    if (findings == m_findings)
        return;
    if (m_findings)
        disconnect(m_findings, nullptr, this, nullptr);
    m_findings = findings;
    if (m_findings) {
        auto schedule = [this] { m_recountTimer.start(); };
        connect(m_findings, &QAbstractItemModel::modelReset, this, schedule);
        connect(m_findings, &QAbstractItemModel::rowsInserted, this, schedule);
        connect(m_findings, &QAbstractItemModel::rowsRemoved, this, schedule);
        connect(m_findings, &QAbstractItemModel::dataChanged, this, schedule);
        connect(m_findings, &QAbstractItemModel::layoutChanged, this, schedule);
    }
    recount();
    emit findingsChanged();
}

void WorkflowEditor::setWorkflowId(const QString &id)
{
    if (id == m_workflowId)
        return;
    m_workflowId = id;
    m_step.clear();
    m_edge = -1;
    m_trigger = false;
    refresh();
    emit workflowChanged();
    emit selectionChanged();
}

void WorkflowEditor::setSelectedElement(const QString &element)
{
    m_selected = element;
    const ElementRef ref = ElementRef::parse(element);
    if (ref.kind() == ElementRef::Kind::Sla && m_doc) {
        const QString id = ref.id();
        for (const Sla &s : m_doc->project().slas) {
            if (s.id == id && m_doc->project().workflow(s.workflow))
                setWorkflowId(s.workflow);
        }
        setSelection(QString(), -1, false);
        return;
    }
    if (ref.kind() != ElementRef::Kind::Workflow) {
        setSelection(QString(), -1, false);
        return;
    }
    const QString id = ref.workflow();
    if (m_doc && m_doc->project().workflow(id) && id != m_workflowId) {
        m_workflowId = id;
        refresh();
        emit workflowChanged();
    }
    if (!ref.step().isEmpty()) {
        setSelection(ref.step(), -1, false);
        if (!m_step.isEmpty())
            emit revealRequested(nodeRect(m_step));
    } else if (ref.edge() >= 0) {
        setSelection(QString(), ref.edge(), false);
        if (const Workflow *w = current(); w && m_edge >= 0) {
            const Edge &e = w->edges[m_edge];
            const QRectF a = nodeRect(e.from), b = nodeRect(e.to);
            if (!a.isNull() && !b.isNull())
                emit revealRequested(a.united(b));
        }
    } else if (ref.part() == wf::kTriggerId) {
        setSelection(QString(), -1, true);
    } else {
        setSelection(QString(), -1, false);
    }
}

void WorkflowEditor::setSelection(const QString &step, int edge, bool trigger)
{
    const Workflow *w = current();
    QString s = step;
    if (!w || (!s.isEmpty() && !w->step(s)))
        s.clear();
    int e = edge;
    if (!w || e < 0 || e >= w->edges.size())
        e = -1;
    const bool t = w && trigger;
    if (s == m_step && e == m_edge && t == m_trigger)
        return;
    m_step = s;
    m_edge = e;
    m_trigger = t;
    emit selectionChanged();
    emit detailsChanged();
}

const Workflow *WorkflowEditor::current() const
{
    return m_doc ? m_doc->project().workflow(m_workflowId) : nullptr;
}

void WorkflowEditor::ensureWorkflow()
{
    if (!m_doc)
        return;
    const Project &p = m_doc->project();
    if (!m_workflowId.isEmpty() && p.workflow(m_workflowId))
        return;
    const QString next = p.workflows.isEmpty() ? QString() : p.workflows.first().id;
    if (next != m_workflowId) {
        m_workflowId = next;
        emit workflowChanged();
    }
}

void WorkflowEditor::refresh()
{
    updateChoices();
    ensureWorkflow();
    const Workflow *w = current();
    m_workflows->update(m_doc ? m_doc->project().workflows : QVector<Workflow>(), m_counts);
    m_steps->update(w, m_counts, m_doc ? m_doc->project().slas : QVector<Sla>());
    m_edges->update(w);
    // A selection that no longer exists (deleted, undone) is dropped.
    const bool stale = (!m_step.isEmpty() && (!w || !w->step(m_step)))
                       || (m_edge >= 0 && (!w || m_edge >= w->edges.size()));
    if (stale) {
        m_step = w && w->step(m_step) ? m_step : QString();
        m_edge = w && m_edge < w->edges.size() ? m_edge : -1;
        emit selectionChanged();
    }
    applyPath();
    emit detailsChanged();
}

void WorkflowEditor::setHighlightedPath(const QVariantMap &path)
{
    if (path == m_path)
        return;
    m_path = path;
    if (!applyPath())
        emit highlightChanged(); // the path itself is a property
}

// Keeps only what exists in the open workflow: a path of another workflow, or of steps
// since deleted, draws nothing of them.
bool WorkflowEditor::applyPath()
{
    QStringList steps;
    QSet<QString> transitions;
    QString failed;
    const Workflow *w = current();
    if (w && !m_path.isEmpty()
        && m_path.value(QStringLiteral("workflowId")).toString() == w->id) {
        for (const QString &id : m_path.value(QStringLiteral("steps")).toStringList()) {
            if (w->step(id) && !steps.contains(id))
                steps << id;
        }
        QStringList seq = m_path.value(QStringLiteral("sequence")).toStringList();
        if (seq.isEmpty())
            seq = steps;
        QString prev = QStringLiteral("trigger");
        for (const QString &id : seq) {
            if (!w->step(id))
                continue;
            if (id != prev)
                transitions.insert(prev + QLatin1Char('>') + id);
            prev = id;
        }
        failed = m_path.value(QStringLiteral("failedStep")).toString();
        if (!w->step(failed))
            failed.clear();
    }
    QSet<QString> nodes(steps.cbegin(), steps.cend());
    if (!nodes.isEmpty())
        nodes.insert(QStringLiteral("trigger"));
    m_steps->setPath(nodes, failed);
    m_edges->setPath(transitions);
    if (steps == m_pathSteps && transitions == m_pathTransitions && failed == m_pathFailed)
        return false;
    m_pathSteps = steps;
    m_pathTransitions = transitions;
    m_pathFailed = failed;
    emit highlightChanged();
    return true;
}

QVariantList WorkflowEditor::highlightedEdges() const
{
    QVariantList out;
    if (const Workflow *w = current()) {
        for (int i = 0; i < w->edges.size(); ++i) {
            const Edge &e = w->edges[i];
            if (m_pathTransitions.contains(e.from + QLatin1Char('>') + e.to))
                out << i;
        }
    }
    return out;
}

void WorkflowEditor::recount()
{
    m_counts.clear();
    if (m_findings) {
        for (const Finding &f : m_findings->findings()) {
            const ElementRef e = ElementRef::parse(f.location.element);
            if (e.kind() != ElementRef::Kind::Workflow || f.severity == Severity::Info)
                continue;
            // Counted on the workflow and on its step, edge or trigger.
            const ElementRef workflow = ElementRef::of(ElementRef::Kind::Workflow, e.id());
            QStringList keys{workflow.toString()};
            if (e.segments().size() > 1) {
                const ElementRef::Segment &s = e.segments().at(1);
                keys << (s.bare ? workflow.withPart(s.key) : workflow.child(s.key, s.value))
                            .toString();
            }
            for (const QString &k : keys) {
                FindingCount &c = m_counts[k];
                if (f.severity == Severity::Error)
                    ++c.errors;
                else
                    ++c.warnings;
            }
        }
    }
    refresh();
}

// ---- canvas helpers

QString WorkflowEditor::nodeAt(qreal x, qreal y) const
{
    const Workflow *w = current();
    if (!w)
        return QString();
    const QPointF p(x, y);
    // Squares first (the names below may overlap a neighbour), topmost (last) first.
    for (int i = int(w->steps.size()) - 1; i >= 0; --i) {
        if (wf::nodeSquare(w->steps[i].position).adjusted(-4, -4, 4, 4).contains(p))
            return w->steps[i].id;
    }
    if (wf::nodeSquare(wf::triggerPosition(*w)).contains(p))
        return wf::kTriggerId;
    for (int i = int(w->steps.size()) - 1; i >= 0; --i) {
        if (wf::nodeBounds(w->steps[i].position).contains(p))
            return w->steps[i].id;
    }
    return QString();
}

int WorkflowEditor::edgeAt(qreal x, qreal y, qreal tolerance) const
{
    return m_edges->edgeAt(QPointF(x, y), tolerance);
}

QRectF WorkflowEditor::contentBounds() const
{
    const Workflow *w = current();
    if (!w)
        return QRectF();
    QRectF bounds = wf::nodeBounds(wf::triggerPosition(*w));
    for (const Step &s : w->steps)
        bounds = bounds.united(wf::nodeBounds(s.position));
    for (int i = 0; i < m_edges->rowCount(); ++i) {
        const QModelIndex idx = m_edges->index(i);
        const QPointF c(idx.data(WorkflowEdgesModel::LabelXRole).toReal(),
                        idx.data(WorkflowEdgesModel::LabelYRole).toReal());
        bounds = bounds.united(QRectF(c - QPointF(60, 12), QSizeF(120, 24)));
    }
    return bounds;
}

QRectF WorkflowEditor::nodeRect(const QString &stepId) const
{
    const Workflow *w = current();
    QPointF p;
    if (!w || !wf::nodePosition(*w, stepId, &p))
        return QRectF();
    return wf::nodeBounds(p);
}

QString WorkflowEditor::formatDuration(qint64 ms)
{
    return wf::formatDuration(ms);
}

qint64 WorkflowEditor::parseDuration(const QString &text)
{
    return wf::parseDuration(text);
}

QString WorkflowEditor::checkExpression(const QString &expression, bool multiline)
{
    const QStringList lines = multiline ? expression.split(QLatin1Char('\n'))
                                        : QStringList{expression};
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        const auto compiled = sb::jsonata::Expression::compile(lines[i].toStdString());
        if (compiled.ok())
            continue;
        const sb::jsonata::Error &e = compiled.error();
        QString where;
        if (multiline)
            where = QStringLiteral("line %1").arg(i + 1);
        if (e.position >= 0)
            where += (where.isEmpty() ? QString() : QStringLiteral(", "))
                     + QStringLiteral("position %1").arg(e.position);
        return QStringLiteral("Syntax error%1: %2")
            .arg(where.isEmpty() ? QString() : QStringLiteral(" at ") + where,
                 QString::fromStdString(e.message));
    }
    return QString();
}
