#include "app/shell/quickopenmodel.h"

#include "app/shell/studiocontroller.h"
#include "model/elementref.h"

#include <algorithm>
#include <functional>

using namespace sb::model;

namespace {

constexpr int kMaxRows = 200;

// Higher is better; 0: no match.
int score(const QString &text, const QString &needle)
{
    if (needle.isEmpty())
        return 1;
    const int at = int(text.indexOf(needle, 0, Qt::CaseInsensitive));
    if (at == 0)
        return 300 - int(text.size());
    if (at > 0)
        return 200 - at;
    int i = 0;
    for (const QChar c : text) {
        if (i < needle.size() && c.toLower() == needle[i].toLower())
            ++i;
    }
    return i == needle.size() ? 100 - int(text.size()) / 4 : 0;
}

} // namespace

QuickOpenModel::QuickOpenModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::label},
                       {LabelRole, "label", &Row::label},
                       {DetailRole, "detail", &Row::detail},
                       {KindRole, "kind", &Row::kind},
                       {ElementRole, "element", &Row::key},
                       {ViewRole, "view", &Row::view}});
}

void QuickOpenModel::setController(StudioController *controller)
{
    if (m_controller == controller)
        return;
    m_controller = controller;
    reload();
    emit controllerChanged();
}

void QuickOpenModel::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    apply();
    emit filterChanged();
}

void QuickOpenModel::reload()
{
    m_all.clear();
    if (!m_controller) {
        apply();
        return;
    }
    const Project &p = m_controller->document()->project();
    using Kind = ElementRef::Kind;
    auto add = [&](const ElementRef &element, const QString &label, const QString &detail,
                   const QString &kind, const QString &view) {
        m_all << Row{element.toString(), label, detail, kind, view, 0};
    };
    for (const System &s : p.systems) {
        const ElementRef se = ElementRef::of(Kind::System, s.id);
        add(se, s.name.isEmpty() ? s.id : s.name, tr("System"), QStringLiteral("system"),
            QStringLiteral("landscape"));
        for (const Entity &e : s.entities) {
            const ElementRef ee = se.child(QStringLiteral("entity"), e.name);
            add(ee, e.name, tr("Entity in %1").arg(s.name), QStringLiteral("entity"),
                QStringLiteral("landscape"));
            std::function<void(const QVector<Field> &, const QString &)> fields;
            fields = [&](const QVector<Field> &list, const QString &prefix) {
                for (const Field &f : list) {
                    const QString path = prefix.isEmpty() ? f.name : prefix + '.' + f.name;
                    add(ee.child(QStringLiteral("field"), path), path,
                        tr("Field of %1.%2").arg(s.name, e.name), QStringLiteral("field"),
                        QStringLiteral("landscape"));
                    fields(f.fields, path);
                }
            };
            fields(e.fields, QString());
        }
    }
    for (const CanonicalEntity &c : p.canonical) {
        const ElementRef ce = ElementRef::of(Kind::Canonical, c.id);
        add(ce, c.id, tr("Canonical entity"), QStringLiteral("canonical"),
            QStringLiteral("model"));
        for (const Field &f : c.fields)
            add(ce.child(QStringLiteral("field"), f.name), c.id + '.' + f.name,
                tr("Canonical field"), QStringLiteral("field"), QStringLiteral("model"));
    }
    for (const Mapping &m : p.mappings)
        add(ElementRef::of(Kind::Mapping, m.id), m.name.isEmpty() ? m.id : m.name,
            tr("Mapping %1 \u2192 %2").arg(m.source.display(), m.target.display()),
            QStringLiteral("mapping"), QStringLiteral("mappings"));
    for (const Workflow &w : p.workflows) {
        const ElementRef we = ElementRef::of(Kind::Workflow, w.id);
        add(we, w.name.isEmpty() ? w.id : w.name, tr("Workflow"), QStringLiteral("workflow"),
            QStringLiteral("workflows"));
        for (const Step &s : w.steps)
            add(we.child(QStringLiteral("step"), s.id), s.name.isEmpty() ? s.id : s.name,
                tr("Step %1 in %2").arg(toString(s.type), w.name), QStringLiteral("step"),
                QStringLiteral("workflows"));
    }
    apply();
}

void QuickOpenModel::apply()
{
    QVector<Row> next;
    const QString needle = m_filter.trimmed();
    for (const Row &r : std::as_const(m_all)) {
        const int s = std::max(score(r.label, needle), score(r.detail, needle) / 2);
        if (s > 0) {
            next << r;
            next.last().score = s;
        }
    }
    std::stable_sort(next.begin(), next.end(),
                     [](const Row &a, const Row &b) { return a.score > b.score; });
    if (next.size() > kMaxRows)
        next.resize(kMaxRows);
    resetRows(m_rows, next);  // ranking reorders rows: a reset is the honest signal
}

bool QuickOpenModel::activate(int row)
{
    if (!m_controller || row < 0 || row >= m_rows.size())
        return false;
    const Row &r = m_rows[row];
    StudioController::View view;
    if (StudioController::viewFromName(r.view, &view))
        m_controller->setCurrentView(view);
    m_controller->select(r.key);
    const QString system = m_controller->selectedSystem();
    if (!system.isEmpty())
        emit m_controller->revealRequested(m_controller->systemRect(system));
    return true;
}

