#include "app/model/systeminspector.h"

#include "app/shell/choices.h"
#include "app/shell/nodegeometry.h"
#include "app/shell/studiocontroller.h"
#include "model/elementref.h"

using namespace sb::model;

SystemInspector::SystemInspector(QObject *parent) : QObject(parent) {}

void SystemInspector::setController(StudioController *controller)
{
    if (m_controller == controller)
        return;
    if (m_controller) {
        disconnect(m_controller, nullptr, this, nullptr);
        disconnect(m_controller->document(), nullptr, this, nullptr);
    }
    m_controller = controller;
    if (m_controller) {
        connect(m_controller, &StudioController::selectionChanged, this,
                &SystemInspector::changed);
        connect(m_controller->document(), &Document::changed, this, [this](const Change &c) {
            if (c.layoutOnly)
                return;  // the inspector shows nothing of a card's position
            if (c.collection == Collection::Mappings || c.collection == Collection::Workflows
                || c.collection == Collection::Project)
                updateChoices();
            emit changed();
        });
        connect(m_controller->document(), &Document::projectReset, this, [this] {
            updateChoices();
            emit changed();
        });
    }
    updateChoices();
    emit controllerChanged();
    emit changed();
}

const System *SystemInspector::system() const
{
    if (!m_controller || m_controller->selectedRef().kind() != ElementRef::Kind::System)
        return nullptr;
    return m_controller->document()->project().system(m_controller->selectedSystem());
}

const DataFlow *SystemInspector::flow() const
{
    if (!m_controller)
        return nullptr;
    const ElementRef sel = m_controller->selectedRef();
    if (sel.kind() != ElementRef::Kind::Flow)
        return nullptr;
    const QString id = sel.id();
    for (const DataFlow &f : m_controller->document()->project().flows)
        if (f.id == id)
            return &f;
    return nullptr;
}

QString SystemInspector::mode() const
{
    if (system())
        return QStringLiteral("system");
    if (flow())
        return QStringLiteral("flow");
    return QString();
}

QString SystemInspector::systemId() const { return system() ? system()->id : QString(); }
QString SystemInspector::name() const { return system() ? system()->name : QString(); }
QString SystemInspector::kind() const
{
    return system() ? toString(system()->kind) : QString();
}
QString SystemInspector::color() const { return system() ? system()->color : QString(); }
QString SystemInspector::description() const
{
    return system() ? system()->description : QString();
}

QStringList SystemInspector::kindNames() const
{
    QStringList out;
    for (int k = int(SystemKind::Crm); k <= int(SystemKind::Custom); ++k)
        out << toString(SystemKind(k));
    return out;
}

QStringList SystemInspector::kindLabels() const
{
    QStringList out;
    for (int k = int(SystemKind::Crm); k <= int(SystemKind::Custom); ++k)
        out << studio::kindLabel(SystemKind(k));
    return out;
}

QStringList SystemInspector::palette() const
{
    return {QStringLiteral("#2f80ed"), QStringLiteral("#27ae60"), QStringLiteral("#f2994a"),
            QStringLiteral("#eb5757"), QStringLiteral("#9b51e0"), QStringLiteral("#219653"),
            QStringLiteral("#2d9cdb"), QStringLiteral("#56ccf2"), QStringLiteral("#f2c94c"),
            QStringLiteral("#828282"), QStringLiteral("#64748b"), QStringLiteral("#bb6bd9")};
}

QString SystemInspector::flowId() const { return flow() ? flow()->id : QString(); }
QString SystemInspector::flowFrom() const { return flow() ? flow()->from : QString(); }
QString SystemInspector::flowTo() const { return flow() ? flow()->to : QString(); }
QString SystemInspector::flowFromName() const
{
    const System *s = flow() ? m_controller->document()->project().system(flow()->from) : nullptr;
    return s && !s->name.isEmpty() ? s->name : flowFrom();
}

QString SystemInspector::flowToName() const
{
    const System *s = flow() ? m_controller->document()->project().system(flow()->to) : nullptr;
    return s && !s->name.isEmpty() ? s->name : flowTo();
}

QString SystemInspector::flowEntity() const { return flow() ? flow()->entity : QString(); }
QString SystemInspector::flowMode() const
{
    return flow() ? toString(flow()->mode) : QString();
}
QString SystemInspector::flowLabel() const { return flow() ? flow()->label : QString(); }
bool SystemInspector::flowLoopGuard() const { return flow() && flow()->loopGuard; }

QStringList SystemInspector::canonicalEntities() const
{
    QStringList out;
    if (!m_controller)
        return out;
    for (const CanonicalEntity &c : m_controller->document()->project().canonical)
        out << c.id;
    return out;
}

QString SystemInspector::flowMapping() const { return flow() ? flow()->mapping : QString(); }
QString SystemInspector::flowWorkflow() const { return flow() ? flow()->workflow : QString(); }

void SystemInspector::updateChoices()
{
    const Project *p = m_controller ? &m_controller->document()->project() : nullptr;
    const QStringList mappings = p ? idsOf(p->mappings) : QStringList();
    const QStringList workflows = p ? idsOf(p->workflows) : QStringList();
    // Names change more often than ids: compare the choices, built from names and ids.
    const QVariantList mappingChoices = p ? studio::namedChoices(p->mappings) : QVariantList();
    const QVariantList workflowChoices =
        p ? studio::namedChoices(p->workflows) : QVariantList();
    if (mappingChoices == m_mappingChoices && workflowChoices == m_workflowChoices)
        return;
    m_mappingIds = mappings;
    m_workflowIds = workflows;
    m_mappingChoices = mappingChoices;
    m_workflowChoices = workflowChoices;
    emit choicesChanged();
}

QStringList SystemInspector::flowModes() const
{
    return {toString(FlowMode::RealTime), toString(FlowMode::Event), toString(FlowMode::Batch)};
}

bool SystemInspector::setName(const QString &name)
{
    const System *s = system();
    if (!s || name.trimmed().isEmpty() || name == s->name)
        return false;
    m_controller->document()->renameSystem(s->id, name);
    return true;
}

bool SystemInspector::setKind(const QString &kind)
{
    const System *s = system();
    const auto k = systemKindFromString(kind);
    if (!s || !k || *k == s->kind)
        return false;
    System next = *s;
    next.kind = *k;
    Document *doc = m_controller->document();
    doc->endMergeGroup();
    doc->updateSystem(next, QStringLiteral("Change kind of '%1'").arg(s->name));
    doc->endMergeGroup();
    return true;
}

bool SystemInspector::setColor(const QString &color)
{
    const System *s = system();
    if (!s || color == s->color)
        return false;
    System next = *s;
    next.color = color;
    Document *doc = m_controller->document();
    doc->endMergeGroup();
    doc->updateSystem(next, QStringLiteral("Change colour of '%1'").arg(s->name));
    doc->endMergeGroup();
    return true;
}

bool SystemInspector::setDescription(const QString &description)
{
    const System *s = system();
    if (!s || description == s->description)
        return false;
    System next = *s;
    next.description = description;
    m_controller->document()->updateSystem(next,
                                           QStringLiteral("Describe '%1'").arg(s->name),
                                           QStringLiteral("describe:system:") + s->id);
    return true;
}

bool SystemInspector::setFlowValue(const QString &property, const QVariant &value)
{
    const DataFlow *f = flow();
    if (!f)
        return false;
    DataFlow next = *f;
    bool typing = false;
    if (property == QLatin1String("entity")) {
        next.entity = value.toString();
    } else if (property == QLatin1String("mode")) {
        const auto m = flowModeFromString(value.toString());
        if (!m)
            return false;
        next.mode = *m;
    } else if (property == QLatin1String("label")) {
        next.label = value.toString();
        typing = true;
    } else if (property == QLatin1String("loopGuard")) {
        next.loopGuard = value.toBool();
    } else if (property == QLatin1String("mapping")) {
        next.mapping = value.toString();
    } else if (property == QLatin1String("workflow")) {
        next.workflow = value.toString();
    } else {
        return false;
    }
    if (next == *f)
        return false;
    Document *doc = m_controller->document();
    if (!typing)
        doc->endMergeGroup();
    doc->updateFlow(next, QStringLiteral("Edit %1 of data flow '%2'").arg(property, f->id),
                    typing ? QStringLiteral("flow:%1:%2").arg(f->id, property) : QString());
    if (!typing)
        doc->endMergeGroup();
    return true;
}

bool SystemInspector::reverseFlow()
{
    const DataFlow *f = flow();
    if (!f)
        return false;
    DataFlow next = *f;
    std::swap(next.from, next.to);
    Document *doc = m_controller->document();
    doc->endMergeGroup();
    doc->updateFlow(next, QStringLiteral("Reverse data flow '%1'").arg(f->id));
    doc->endMergeGroup();
    return true;
}

void SystemInspector::endEdit()
{
    if (m_controller)
        m_controller->document()->endMergeGroup();
}
