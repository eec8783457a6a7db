#include "app/shell/elementusages.h"

#include "app/shell/projectedit.h"
#include "model/usages.h"

using namespace sb::model;

namespace {

QString quoted(const QString &s) { return QLatin1Char('\'') + s + QLatin1Char('\''); }

// The address of the element a usage query is about, built from the parts of `ref`.
QString targetOf(const ElementRef &ref)
{
    using Kind = ElementRef::Kind;
    switch (ref.kind()) {
    case Kind::System: {
        QString out = QStringLiteral("system:") + ref.id();
        if (ref.entity().isEmpty())
            return out;
        out += QStringLiteral("/entity:") + ref.entity();
        return ref.field().isEmpty() ? out : out + QStringLiteral("/field:") + ref.field();
    }
    case Kind::Canonical:
        return QStringLiteral("canonical:") + ref.id()
               + (ref.field().isEmpty() ? QString() : QStringLiteral("/field:") + ref.field());
    case Kind::Mapping:
    case Kind::Workflow:
    case Kind::Dataset:
        return ElementRef::of(ref.kind(), ref.id()).toString();
    default:
        return QString();
    }
}

// `target` with its last id or name replaced by `newId`.
QString renamedTarget(const QString &target, const QString &newId)
{
    const ElementRef ref = ElementRef::parse(target);
    QString head = target.left(target.lastIndexOf(QLatin1Char(':')) + 1);
    if (!ref.field().isEmpty() && ref.field().contains(QLatin1Char('.')))
        head += ref.field().section(QLatin1Char('.'), 0, -2) + QLatin1Char('.');
    return head + newId;
}

} // namespace

ElementUsages::ElementUsages(QObject *parent) : QObject(parent) {}

void ElementUsages::setController(StudioController *controller)
{
    if (m_controller == controller)
        return;
    m_controller = controller;
    emit controllerChanged();
}

QString ElementUsages::target(const QString &element) const
{
    return targetOf(ElementRef::parse(element));
}

QString ElementUsages::currentId(const QString &element) const
{
    const QString t = target(element);
    return t.isEmpty() ? QString() : sb::model::currentId(ElementRef::parse(t));
}

QString ElementUsages::label(const QString &element) const
{
    const ElementRef ref = ElementRef::parse(target(element));
    if (!m_controller)
        return QString();
    const Project &p = m_controller->document()->project();
    auto named = [](const QString &what, const QString &name, const QString &id) {
        return name.isEmpty() || name == id
                   ? what + QLatin1Char(' ') + quoted(id)
                   : QStringLiteral("%1 %2 (%3)").arg(what, quoted(name), id);
    };
    using Kind = ElementRef::Kind;
    switch (ref.kind()) {
    case Kind::System: {
        const System *s = p.system(ref.id());
        const QString system = named(QStringLiteral("system"), s ? s->name : QString(), ref.id());
        if (ref.entity().isEmpty())
            return system.at(0).toUpper() + system.mid(1);
        if (ref.field().isEmpty())
            return QStringLiteral("Entity %1 of %2").arg(quoted(ref.entity()), system);
        return QStringLiteral("Field %1 of %2 in %3")
            .arg(quoted(ref.field()), quoted(ref.entity()), system);
    }
    case Kind::Canonical:
        return ref.field().isEmpty()
                   ? QStringLiteral("Canonical entity %1").arg(quoted(ref.id()))
                   : QStringLiteral("Canonical field %1.%2").arg(ref.id(), ref.field());
    case Kind::Mapping: {
        const Mapping *m = p.mapping(ref.id());
        return named(QStringLiteral("Mapping"), m ? m->name : QString(), ref.id());
    }
    case Kind::Workflow: {
        const Workflow *w = p.workflow(ref.id());
        return named(QStringLiteral("Workflow"), w ? w->name : QString(), ref.id());
    }
    case Kind::Dataset:
        return QStringLiteral("Data set %1").arg(quoted(ref.id()));
    default:
        return QString();
    }
}

QVariantList ElementUsages::usagesOf(const QString &element) const
{
    QVariantList out;
    const QString t = target(element);
    if (t.isEmpty() || !m_controller)
        return out;
    for (const Usage &u : findUsages(m_controller->document()->project(), ElementRef::parse(t)))
        out << QVariantMap{{QStringLiteral("element"), u.element},
                           {QStringLiteral("display"), u.display},
                           {QStringLiteral("role"), u.role}};
    return out;
}

QString ElementUsages::renameId(const QString &element, const QString &newId)
{
    const QString t = target(element);
    if (!m_controller)
        return QString();
    if (t.isEmpty())
        return tr("Only systems, entities, fields, mappings, workflows and data sets have ids "
                  "to rename");
    const QString id = newId.trimmed();
    const QString old = sb::model::currentId(ElementRef::parse(t));
    if (id == old)
        return QString();
    Document *doc = m_controller->document();
    auto renamed = sb::model::renameId(doc->project(), ElementRef::parse(t), id);
    if (!renamed.ok())
        return renamed.error().message;
    doc->endMergeGroup();
    studio::pushProjectEdit(doc, tr("Rename id %1 to %2").arg(quoted(old), quoted(id)),
                            renamed.value());
    doc->endMergeGroup();
    // The selection follows when it is the target or inside it.
    const QString selected = m_controller->selectedElement();
    if (selected == t || selected.startsWith(t + QLatin1Char('/')))
        m_controller->select(renamedTarget(t, id) + selected.mid(t.size()));
    return QString();
}

void ElementUsages::reveal(const QString &element)
{
    if (!m_controller)
        return;
    m_controller->select(element);
    StudioController::View view;
    if (StudioController::viewForElement(ElementRef::parse(element), &view))
        m_controller->setCurrentView(view);
    const QString system = FindingsModel::systemOf(element);
    if (!system.isEmpty() && m_controller->document()->project().system(system))
        emit m_controller->revealRequested(m_controller->systemRect(system));
}
