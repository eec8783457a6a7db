#include "app/landscape/landscapeeditor.h"

#include "app/landscape/autolayout.h"
#include "app/shell/nodegeometry.h"
#include "app/shell/projectedit.h"
#include "app/shell/studiocontroller.h"
#include "model/elementref.h"
#include "model/usages.h"

#include <QSet>

#include <cmath>

using namespace sb::model;

namespace {

const SystemKind kKinds[] = {SystemKind::Crm, SystemKind::Erp, SystemKind::Billing,
                             SystemKind::Subscription, SystemKind::Support,
                             SystemKind::Success, SystemKind::Tax, SystemKind::Payments,
                             SystemKind::Middleware, SystemKind::Custom};

QString kindColor(SystemKind k)
{
    switch (k) {
    case SystemKind::Crm: return QStringLiteral("#2f80ed");
    case SystemKind::Erp: return QStringLiteral("#27ae60");
    case SystemKind::Billing: return QStringLiteral("#f2994a");
    case SystemKind::Subscription: return QStringLiteral("#eb5757");
    case SystemKind::Support: return QStringLiteral("#9b51e0");
    case SystemKind::Success: return QStringLiteral("#219653");
    case SystemKind::Tax: return QStringLiteral("#828282");
    case SystemKind::Payments: return QStringLiteral("#2d9cdb");
    case SystemKind::Middleware: return QStringLiteral("#56ccf2");
    case SystemKind::Custom: return QStringLiteral("#64748b");
    }
    return QStringLiteral("#64748b");
}

// Canonical entities whose fields both systems carry: the likely content of a new flow.
QString guessFlowEntity(const Project &p, const QString &from, const QString &to)
{
    auto carried = [&](const QString &id) {
        QStringList out;
        const System *s = p.system(id);
        if (!s)
            return out;
        for (const Entity &e : s->entities)
            for (const Field &f : e.fields) {
                const QString entity = f.canonical.section(QLatin1Char('.'), 0, 0);
                if (!entity.isEmpty() && !out.contains(entity))
                    out << entity;
            }
        return out;
    };
    const QStringList a = carried(from);
    const QStringList b = carried(to);
    for (const QString &e : a)
        if (b.contains(e))
            return e;
    return a.value(0);
}

} // namespace

LandscapeEditor::LandscapeEditor(QObject *parent) : QObject(parent) {}

void LandscapeEditor::setController(StudioController *controller)
{
    if (m_controller == controller)
        return;
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = controller;
    if (m_controller) {
        connect(m_controller, &StudioController::selectionChanged, this,
                &LandscapeEditor::syncFromController);
        Document *doc = m_controller->document();
        connect(doc, &Document::changed, this, [this] {
            pruneSelection();
            updateBounds();
        });
        connect(doc, &Document::projectReset, this, [this] {
            m_dragStart.clear();
            pruneSelection();
            updateBounds();
        });
        syncFromController();
        updateBounds();
    }
    emit controllerChanged();
}

void LandscapeEditor::setSnapToGrid(bool on)
{
    if (m_snap == on)
        return;
    m_snap = on;
    emit snapToGridChanged();
}

QVariantList LandscapeEditor::kinds() const
{
    QVariantList out;
    for (SystemKind k : kKinds) {
        out << QVariantMap{{QStringLiteral("name"), toString(k)},
                           {QStringLiteral("label"), studio::kindLabel(k)},
                           {QStringLiteral("icon"), studio::kindIcon(k)},
                           {QStringLiteral("color"), kindColor(k)}};
    }
    return out;
}

qreal LandscapeEditor::snap(qreal v) const
{
    const qreal step = m_snap ? gridSize() : 1;
    return std::round(v / step) * step;
}

QString LandscapeEditor::addSystem(const QString &kindName, qreal x, qreal y)
{
    if (!m_controller)
        return QString();
    Document *doc = m_controller->document();
    const SystemKind kind = systemKindFromString(kindName).value_or(SystemKind::Custom);
    System s;
    s.kind = kind;
    s.id = doc->uniqueId(Collection::Systems, toString(kind));
    s.name = studio::kindLabel(kind);
    // "CRM", "CRM 2", ...: a readable default the user renames right away.
    QSet<QString> names;
    for (const System &o : doc->project().systems)
        names.insert(o.name);
    for (int n = 2; names.contains(s.name); ++n)
        s.name = studio::kindLabel(kind) + QLatin1Char(' ') + QString::number(n);
    s.color = kindColor(kind);
    EndpointProfile sandbox;
    sandbox.name = QStringLiteral("sandbox");
    sandbox.sandbox = true;
    s.profiles << sandbox;
    s.position = QPointF(snap(x - studio::kNodeWidth / 2), snap(y - studio::nodeHeight(s) / 2));
    doc->endMergeGroup();
    doc->insertSystem(s);
    setSelection({s.id}, s.id);
    emit systemAdded(s.id);
    return s.id;
}

bool LandscapeEditor::deleteSelection()
{
    if (!m_controller)
        return false;
    Document *doc = m_controller->document();
    const ElementRef selected = m_controller->selectedRef();
    doc->endMergeGroup();
    if (selected.kind() == ElementRef::Kind::Flow) {
        const QString id = selected.id();
        bool known = false;
        for (const DataFlow &f : doc->project().flows)
            known = known || f.id == id;
        if (!known)
            return false;
        doc->removeFlow(id);
        m_controller->select(QString());
        return true;
    }
    if (m_selection.isEmpty())
        return false;
    Project p = doc->project();
    const QSet<QString> ids(m_selection.cbegin(), m_selection.cend());
    p.systems.erase(std::remove_if(p.systems.begin(), p.systems.end(),
                                   [&](const System &s) { return ids.contains(s.id); }),
                    p.systems.end());
    p.flows.erase(std::remove_if(p.flows.begin(), p.flows.end(),
                                 [&](const DataFlow &f) {
                                     return ids.contains(f.from) || ids.contains(f.to);
                                 }),
                  p.flows.end());
    const System *only = m_selection.size() == 1 ? doc->project().system(m_selection.first())
                                                  : nullptr;
    const QString text = only
                             ? QStringLiteral("Delete system '%1'")
                                   .arg(only->name.isEmpty() ? only->id : only->name)
                             : QStringLiteral("Delete %1 systems").arg(m_selection.size());
    setSelection({}, QString());
    studio::pushProjectEdit(doc, text, p);
    doc->endMergeGroup();
    return true;
}

QVariantList LandscapeEditor::deleteImpact() const
{
    QVariantList out;
    if (!m_controller)
        return out;
    const Project &p = m_controller->document()->project();
    for (const QString &id : m_selection) {
        for (const Usage &u : findUsages(p, ElementRef::of(ElementRef::Kind::System, id))) {
            const bool goes = u.element.startsWith(QLatin1String("flow:"));
            out << QVariantMap{{QStringLiteral("element"), u.element},
                               {QStringLiteral("display"), u.display},
                               {QStringLiteral("role"),
                                goes ? tr("%1, deleted with it").arg(u.role) : u.role}};
        }
    }
    return out;
}

bool LandscapeEditor::renameSystem(const QString &id, const QString &name)
{
    if (!m_controller)
        return false;
    Document *doc = m_controller->document();
    const System *s = doc->project().system(id);
    const QString trimmed = name.simplified();
    if (!s || trimmed.isEmpty() || trimmed == s->name)
        return false;
    doc->endMergeGroup();
    doc->renameSystem(id, trimmed);
    doc->endMergeGroup();
    return true;
}

QString LandscapeEditor::connectSystems(const QString &from, const QString &to)
{
    if (!m_controller || from == to)
        return QString();
    Document *doc = m_controller->document();
    const Project &p = doc->project();
    if (!p.system(from) || !p.system(to))
        return QString();
    DataFlow f;
    f.id = doc->uniqueId(Collection::Flows, from + QLatin1Char('-') + to);
    f.from = from;
    f.to = to;
    f.entity = guessFlowEntity(p, from, to);
    doc->endMergeGroup();
    doc->insertFlow(f);
    m_controller->selectRef(ElementRef::of(ElementRef::Kind::Flow, f.id));
    return f.id;
}

QString LandscapeEditor::systemAt(qreal x, qreal y) const
{
    if (!m_controller)
        return QString();
    const auto &systems = m_controller->document()->project().systems;
    // Topmost first: later systems are drawn above earlier ones.
    for (int i = int(systems.size()) - 1; i >= 0; --i) {
        if (studio::nodeRect(systems[i]).contains(QPointF(x, y)))
            return systems[i].id;
    }
    return QString();
}

void LandscapeEditor::setSelection(const QStringList &ids, const QString &primary)
{
    const bool changed = ids != m_selection;
    m_selection = ids;
    if (m_controller) {
        const QString element = ElementRef::of(ElementRef::Kind::System, primary).toString();
        if (m_controller->selectedElement() != element)
            m_controller->select(element);
    }
    if (changed)
        emit selectionChanged();
}

void LandscapeEditor::syncFromController()
{
    const QString primary = m_controller ? m_controller->selectedSystem() : QString();
    const bool isSystem = m_controller
                          && m_controller->selectedRef().kind() == ElementRef::Kind::System;
    QStringList next = m_selection;
    if (!isSystem || primary.isEmpty())
        next.clear();
    else if (!m_selection.contains(primary))
        next = {primary};
    if (next != m_selection) {
        m_selection = next;
        emit selectionChanged();
    }
}

void LandscapeEditor::pruneSelection()
{
    if (!m_controller)
        return;
    const Project &p = m_controller->document()->project();
    QStringList next;
    for (const QString &id : std::as_const(m_selection))
        if (p.system(id))
            next << id;
    if (next != m_selection) {
        m_selection = next;
        emit selectionChanged();
    }
}

void LandscapeEditor::updateBounds()
{
    const QRectF b = m_controller ? m_controller->contentBounds() : QRectF();
    if (b != m_bounds) {
        m_bounds = b;
        emit boundsChanged();
    }
}

void LandscapeEditor::selectOnly(const QString &id)
{
    setSelection(id.isEmpty() ? QStringList() : QStringList{id}, id);
}

void LandscapeEditor::toggleSelected(const QString &id)
{
    QStringList next = m_selection;
    if (next.contains(id))
        next.removeAll(id);
    else
        next << id;
    setSelection(next, next.contains(id) ? id : next.value(0));
}

void LandscapeEditor::selectInRect(qreal x, qreal y, qreal width, qreal height, bool additive)
{
    if (!m_controller)
        return;
    const QRectF band = QRectF(x, y, width, height).normalized();
    QStringList next = additive ? m_selection : QStringList();
    for (const System &s : m_controller->document()->project().systems) {
        if (band.intersects(studio::nodeRect(s)) && !next.contains(s.id))
            next << s.id;
    }
    setSelection(next, next.value(0));
}

void LandscapeEditor::selectAll()
{
    if (!m_controller)
        return;
    const QStringList all = idsOf(m_controller->document()->project().systems);
    setSelection(all, all.value(0));
}

void LandscapeEditor::clearSelection()
{
    setSelection({}, QString());
}

void LandscapeEditor::beginDrag(const QString &id)
{
    if (!m_controller)
        return;
    if (!m_selection.contains(id))
        selectOnly(id);
    else if (m_controller->selectedSystem() != id)
        m_controller->selectRef(ElementRef::of(ElementRef::Kind::System, id));
    m_dragStart.clear();
    m_dragPrimary = id;
    const Project &p = m_controller->document()->project();
    for (const QString &sid : std::as_const(m_selection))
        if (const System *s = p.system(sid))
            m_dragStart.insert(sid, s->position);
    m_controller->document()->endMergeGroup();
}

void LandscapeEditor::dragBy(qreal dx, qreal dy)
{
    if (!m_controller || m_dragStart.isEmpty())
        return;
    Document *doc = m_controller->document();
    if (m_dragStart.size() == 1) {
        // One card: the Document's own move command (merge key per system).
        const auto it = m_dragStart.cbegin();
        m_controller->moveSystem(it.key(), snap(it.value().x() + dx), snap(it.value().y() + dy));
        return;
    }
    // The dragged card snaps; the others follow by the same offset, keeping their layout.
    const QPointF start = m_dragStart.value(m_dragPrimary);
    const QPointF offset = QPointF(snap(start.x() + dx), snap(start.y() + dy)) - start;
    Project p = doc->project();
    for (System &s : p.systems) {
        const auto it = m_dragStart.constFind(s.id);
        if (it != m_dragStart.cend())
            s.position = *it + offset;
    }
    studio::pushProjectEdit(doc, QStringLiteral("Move %1 systems").arg(m_dragStart.size()), p,
                            QStringLiteral("move:selection"));
}

void LandscapeEditor::endDrag()
{
    m_dragStart.clear();
    if (m_controller)
        m_controller->endMove();
}

void LandscapeEditor::autoLayout()
{
    if (!m_controller)
        return;
    Document *doc = m_controller->document();
    Project p = doc->project();
    const auto positions = studio::layeredLayout(p);
    for (System &s : p.systems)
        s.position = positions.value(s.id, s.position);
    doc->endMergeGroup();
    studio::pushProjectEdit(doc, QStringLiteral("Arrange systems"), p);
    doc->endMergeGroup();
}
