#include "app/ownership/ownershipmatrixmodel.h"

#include "model/elementref.h"

#include <QRegularExpression>

#include <functional>

using namespace sb::model;

namespace {

const QString kOwner = QStringLiteral("owner");
const QString kContributor = QStringLiteral("contributor");
const QString kConsumer = QStringLiteral("consumer");
const QString kNone = QStringLiteral("none");

QString roleOf(const OwnershipRule *r, const QString &system)
{
    if (!r)
        return kNone;
    if (r->owners.contains(system))
        return kOwner;
    if (r->contributors.contains(system))
        return kContributor;
    if (r->consumers.contains(system))
        return kConsumer;
    return kNone;
}

const OwnershipRule *exactRule(const Project &p, const QString &entity, const QString &field)
{
    for (const OwnershipRule &r : p.ownership) {
        if (r.entity == entity && r.field == field)
            return &r;
    }
    return nullptr;
}

QString freshnessLabel(Freshness f, int minutes)
{
    switch (f) {
    case Freshness::RealTime: return QStringLiteral("Real time");
    case Freshness::WithinMinutes:
        return minutes > 0 ? QStringLiteral("\u2264 %1 min").arg(minutes)
                           : QStringLiteral("Within minutes");
    case Freshness::DailyBatch: return QStringLiteral("Daily batch");
    }
    return QString();
}

void appendNote(QString &note, const QString &message)
{
    if (message.isEmpty() || note.contains(message))
        return;
    if (!note.isEmpty())
        note += QLatin1Char('\n');
    note += message;
}

} // namespace

bool OwnershipMatrixModel::Row::operator==(const Row &o) const
{
    return key == o.key && isField == o.isField && depth == o.depth && name == o.name
           && type == o.type
           && expanded == o.expanded && hasChildren == o.hasChildren && ownRule == o.ownRule
           && ruleId == o.ruleId && cells == o.cells && survivorship == o.survivorship
           && priority == o.priority
           && steward == o.steward && freshness == o.freshness
           && freshnessMinutes == o.freshnessMinutes && problem == o.problem
           && problemText == o.problemText && fieldCount == o.fieldCount;
}

OwnershipMatrixModel::OwnershipMatrixModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows,
             {{Qt::DisplayRole, nullptr, &Row::name},
              {NameRole, "name", &Row::name},
              {KindRole, "kind",
               [](const Row &r) -> QVariant {
                   return r.isField ? QStringLiteral("field") : QStringLiteral("entity");
               }},
              {EntityRole, "entity", &Row::entity},
              {FieldRole, "field", &Row::field},
              {TypeRole, "fieldType", &Row::type},
              {ElementRole, "element",
               [](const Row &r) -> QVariant {
                   const ElementRef entity = ElementRef::of(ElementRef::Kind::Canonical, r.entity);
                   return (r.isField ? entity.child(QStringLiteral("field"), r.field) : entity)
                       .toString();
               }},
              {ExpandedRole, "expanded", &Row::expanded},
              {HasChildrenRole, "hasChildren", &Row::hasChildren},
              {OwnRuleRole, "ownRule", &Row::ownRule},
              {CellsRole, "cells",
               [this](const Row &r) -> QVariant {
                   QVariantList cells;
                   for (int i = 0; i < r.cells.size(); ++i) {
                       const Cell &c = r.cells[i];
                       cells << QVariantMap{{QStringLiteral("system"), m_systemIds.value(i)},
                                            {QStringLiteral("role"), c.role},
                                            {QStringLiteral("problem"), c.problem},
                                            {QStringLiteral("note"), c.note},
                                            {QStringLiteral("consumes"), c.consumes}};
                   }
                   return cells;
               }},
              {SurvivorshipRole, "survivorship", &Row::survivorship},
              {StewardRole, "steward", &Row::steward},
              {FreshnessRole, "freshness", &Row::freshness},
              {FreshnessMinutesRole, "freshnessMinutes", &Row::freshnessMinutes},
              {FreshnessLabelRole, "freshnessLabel",
               [](const Row &r) -> QVariant {
                   auto f = freshnessFromString(r.freshness);
                   return freshnessLabel(f ? *f : Freshness::RealTime, r.freshnessMinutes);
               }},
              {ProblemRole, "problem", &Row::problem},
              {ProblemTextRole, "problemText", &Row::problemText},
              {FieldCountRole, "fieldCount", &Row::fieldCount},
              {RuleIdRole, "ruleId", &Row::ruleId},
              {PriorityRole, "priority", &Row::priority},
              {DepthRole, "depth", &Row::depth},
              {PathRole, "path", &Row::key}});
}

void OwnershipMatrixModel::setDocument(QObject *object)
{
    auto *document = qobject_cast<Document *>(object);
    if (document == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document) {
        connect(m_document, &Document::changed, this, [this](const Change &c) {
            if (c.layoutOnly)
                return;
            if (c.collection == Collection::Systems)
                rebuildColumns();
            if (c.collection == Collection::Systems || c.collection == Collection::Canonical
                || c.collection == Collection::Ownership)
                refresh();
        });
        connect(m_document, &Document::projectReset, this, [this] {
            m_expanded.clear();
            rebuildColumns();
            refresh();
        });
    }
    rebuildColumns();
    refresh();
    emit documentChanged();
}

void OwnershipMatrixModel::setFindings(FindingsModel *findings)
{
    if (findings == m_findings)
        return;
    if (m_findings)
        disconnect(m_findings, nullptr, this, nullptr);
    m_findings = findings;
    if (m_findings)
        connect(m_findings, &FindingsModel::findingsUpdated, this, &OwnershipMatrixModel::refresh);
    refresh();
    emit findingsChanged();
}

void OwnershipMatrixModel::rebuildColumns()
{
    QStringList ids;
    QVariantList columns;
    if (m_document) {
        for (const System &s : m_document->project().systems) {
            ids << s.id;
            columns << QVariantMap{{QStringLiteral("id"), s.id},
                                   {QStringLiteral("name"), s.name.isEmpty() ? s.id : s.name},
                                   {QStringLiteral("color"), s.color}};
        }
    }
    if (columns == m_systemColumns && ids == m_systemIds)
        return;
    // Cells are positional: a change of columns rebuilds every row.
    beginResetModel();
    m_systemIds = ids;
    m_systemColumns = columns;
    m_rows.clear();
    endResetModel();
    emit systemsChanged();
}

OwnershipMatrixModel::Problems OwnershipMatrixModel::collectProblems() const
{
    Problems out;
    if (!m_findings || !m_document)
        return out;
    const Project &p = m_document->project();
    for (const Finding &f : m_findings->findings()) {
        const ElementRef el = ElementRef::parse(f.location.element);
        if (f.ruleId == QLatin1String("ownership.no-owner")) {
            // canonical:Customer/field:taxId
            if (el.kind() == ElementRef::Kind::Canonical && !el.field().isEmpty())
                appendNote(out.gaps[el.entity() + QLatin1Char('.') + el.field()], f.message);
        } else if (f.ruleId == QLatin1String("ownership.multiple-owners")) {
            if (el.kind() == ElementRef::Kind::Ownership)
                appendNote(out.conflicts[el.id()], f.message);
        } else if (f.ruleId == QLatin1String("ownership.non-owner-write")) {
            if (el.kind() != ElementRef::Kind::Mapping && el.kind() != ElementRef::Kind::Workflow)
                continue;
            const QString &link = f.canonicalField;
            const QString &system = f.system;
            const int dot = link.indexOf(QLatin1Char('.'));
            if (dot <= 0 || !p.canonicalEntity(link.left(dot)))
                continue;
            appendNote(out.writes[link][system], f.message);
            // Every enclosing field's row shows it too ("Order.lines" for "Order.lines.sku").
            for (int at = link.indexOf(QLatin1Char('.'), dot + 1); ; ) {
                appendNote(out.subtreeWrites[at < 0 ? link : link.left(at)][system],
                           f.message);
                if (at < 0)
                    break;
                at = link.indexOf(QLatin1Char('.'), at + 1);
            }
        }
    }
    return out;
}

void OwnershipMatrixModel::fillRule(Row &row, const OwnershipRule *rule,
                                    const Problems &pr) const
{
    row.ruleId = rule ? rule->id() : QString();
    const Survivorship s = rule ? rule->survivorship : Survivorship::OwnerWins;
    const Freshness f = rule ? rule->freshness : Freshness::RealTime;
    row.survivorship = toString(s);
    row.priority = rule ? rule->priority : QStringList();
    row.steward = rule ? rule->steward : QString();
    row.freshness = toString(f);
    row.freshnessMinutes = rule ? rule->freshnessMinutes : 0;
    row.cells.resize(m_systemIds.size());
    const QString conflict = rule ? pr.conflicts.value(rule->id()) : QString();
    for (int i = 0; i < m_systemIds.size(); ++i) {
        Cell &cell = row.cells[i];
        cell.role = roleOf(rule, m_systemIds[i]);
        cell.consumes = cell.role == kContributor && rule->consumers.contains(m_systemIds[i]);
        if (!conflict.isEmpty() && cell.role == kOwner) {
            cell.problem = QStringLiteral("conflict");
            cell.note = conflict;
        }
    }
    if (!conflict.isEmpty()) {
        row.problem = QStringLiteral("conflict");
        appendNote(row.problemText, conflict);
    }
}

void OwnershipMatrixModel::markWrites(Row &row, const QHash<QString, QString> &bySystem) const
{
    for (auto it = bySystem.begin(); it != bySystem.end(); ++it) {
        const int col = int(m_systemIds.indexOf(it.key()));
        if (col < 0)
            continue;
        Cell &cell = row.cells[col];
        if (cell.problem.isEmpty())
            cell.problem = QStringLiteral("write");
        appendNote(cell.note, it.value());
        if (row.problem.isEmpty())
            row.problem = QStringLiteral("write");
        appendNote(row.problemText, it.value());
    }
}

QVector<OwnershipMatrixModel::Row> OwnershipMatrixModel::buildRows(const Problems &pr) const
{
    QVector<Row> rows;
    if (!m_document)
        return rows;
    const Project &p = m_document->project();
    // Rules by id, first wins (as exactRule): one hash instead of a scan per row.
    QHash<QString, const OwnershipRule *> rules;
    rules.reserve(p.ownership.size());
    for (const OwnershipRule &r : p.ownership) {
        if (!rules.contains(r.id()))
            rules.insert(r.id(), &r);
    }

    for (const CanonicalEntity &c : p.canonical) {
        Row er;
        er.key = c.id;
        er.entity = c.id;
        er.name = c.id;
        er.type = QStringLiteral("entity");
        er.expanded = m_expanded.contains(c.id);
        er.hasChildren = !c.fields.isEmpty();
        er.fieldCount = int(c.fields.size());
        const OwnershipRule *entityRule = rules.value(c.id);
        er.ownRule = entityRule != nullptr;
        fillRule(er, entityRule, pr);

        QVector<Row> fieldRows;
        int gaps = 0;
        // Fields and, below expanded ones, their sub-fields. The rule in force follows the
        // validator: the path's own rule, else its top field's, else the entity's.
        std::function<void(const QVector<Field> &, const QString &, int,
                           const OwnershipRule *)> addFields;
        addFields = [&](const QVector<Field> &fields, const QString &prefix, int depth,
                        const OwnershipRule *topRule) {
            for (const Field &f : fields) {
                Row fr;
                fr.field = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
                fr.key = c.id + QLatin1Char('.') + fr.field;
                fr.isField = true;
                fr.depth = depth;
                fr.entity = c.id;
                fr.name = f.name;
                fr.type = f.type == FieldType::Array && !f.fields.isEmpty()
                              ? QStringLiteral("array of objects")
                              : toString(f.type);
                fr.hasChildren = !f.fields.isEmpty();
                fr.fieldCount = int(f.fields.size());
                fr.expanded = fr.hasChildren && m_expanded.contains(fr.key);
                const OwnershipRule *own = rules.value(fr.key);
                fr.ownRule = own != nullptr;
                const OwnershipRule *inForce = own ? own : topRule ? topRule : entityRule;
                fillRule(fr, inForce, pr);
                const QString gap = pr.gaps.value(fr.key);
                if (!gap.isEmpty()) {
                    fr.problem = QStringLiteral("gap");
                    appendNote(fr.problemText, gap);
                    for (Cell &cell : fr.cells) {
                        if (cell.role == kNone || cell.role == kConsumer) {
                            cell.problem = QStringLiteral("gap");
                            cell.note = gap;
                        }
                    }
                }
                markWrites(fr, pr.subtreeWrites.value(fr.key));
                fieldRows << fr;
                if (fr.expanded)
                    addFields(f.fields, fr.field, depth + 1, depth == 1 ? own : topRule);
            }
        };
        if (er.expanded)
            addFields(c.fields, QString(), 1, nullptr);
        // The entity row summarises its fields' gaps and the writes into any of them.
        for (const Field &f : c.fields) {
            const QString key = c.id + QLatin1Char('.') + f.name;
            if (pr.gaps.contains(key))
                ++gaps;
            markWrites(er, pr.subtreeWrites.value(key));
        }
        if (gaps > 0) {
            er.problem = QStringLiteral("gap");
            er.problemText = gaps == er.fieldCount
                                 ? QStringLiteral("No system owns %1: every field lacks an "
                                                  "owner").arg(c.id)
                                 : QStringLiteral("%1 of %2 fields of %3 have no owner")
                                       .arg(gaps).arg(er.fieldCount).arg(c.id);
            for (Cell &cell : er.cells) {
                if (cell.role == kNone || cell.role == kConsumer) {
                    if (cell.problem.isEmpty())
                        cell.problem = QStringLiteral("gap");
                    appendNote(cell.note, er.problemText);
                }
            }
        }
        rows << er;
        if (er.expanded)
            rows << fieldRows;
    }
    return rows;
}

void OwnershipMatrixModel::refresh()
{
    const Problems problems = collectProblems();
    syncRows(m_rows, buildRows(problems));
    int writes = 0;
    for (const auto &bySystem : problems.writes)
        writes += int(bySystem.size());
    const int gaps = int(problems.gaps.size());
    const int conflicts = int(problems.conflicts.size());
    if (gaps != m_gaps || conflicts != m_conflicts || writes != m_writes) {
        m_gaps = gaps;
        m_conflicts = conflicts;
        m_writes = writes;
        emit problemsChanged();
    }
}

QStringList OwnershipMatrixModel::cellRoles()
{
    return {kNone, kOwner, kContributor, kConsumer};
}

QStringList OwnershipMatrixModel::survivorshipNames()
{
    return {toString(Survivorship::OwnerWins), toString(Survivorship::SourcePriority),
            toString(Survivorship::MostRecent)};
}

QStringList OwnershipMatrixModel::freshnessNames()
{
    return {toString(Freshness::RealTime), toString(Freshness::WithinMinutes),
            toString(Freshness::DailyBatch)};
}

const OwnershipMatrixModel::Row *OwnershipMatrixModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

void OwnershipMatrixModel::toggleExpanded(int row)
{
    const Row *r = rowAt(row);
    if (!r || !r->hasChildren)
        return;
    setExpanded(r->key, !r->expanded);
}

void OwnershipMatrixModel::setExpanded(const QString &key, bool expanded)
{
    if (expanded == m_expanded.contains(key))
        return;
    if (expanded)
        m_expanded.insert(key);
    else
        m_expanded.remove(key);
    refresh();
}

void OwnershipMatrixModel::expandAll()
{
    if (!m_document)
        return;
    std::function<void(const QVector<Field> &, const QString &)> expand;
    expand = [this, &expand](const QVector<Field> &fields, const QString &prefix) {
        for (const Field &f : fields) {
            if (f.fields.isEmpty())
                continue;
            const QString key = prefix + QLatin1Char('.') + f.name;
            m_expanded.insert(key);
            expand(f.fields, key);
        }
    };
    for (const CanonicalEntity &c : m_document->project().canonical) {
        m_expanded.insert(c.id);
        expand(c.fields, c.id);
    }
    refresh();
}

void OwnershipMatrixModel::collapseAll()
{
    m_expanded.clear();
    refresh();
}

int OwnershipMatrixModel::rowOf(const QString &entity, const QString &field) const
{
    const QString key = field.isEmpty() ? entity : entity + QLatin1Char('.') + field;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == key)
            return i;
    }
    return -1;
}

QString OwnershipMatrixModel::roleAt(int row, const QString &system) const
{
    const Row *r = rowAt(row);
    const int col = int(m_systemIds.indexOf(system));
    return r && col >= 0 ? r->cells[col].role : QString();
}

OwnershipRule OwnershipMatrixModel::editableRule(const Row &row) const
{
    const Project &p = m_document->project();
    if (const OwnershipRule *own = exactRule(p, row.entity, row.field))
        return *own;
    OwnershipRule rule;
    // A field edited for the first time starts from the rule it inherited: its top field's
    // (for a nested field) or its entity's.
    if (!row.field.isEmpty()) {
        const int dot = row.field.indexOf(QLatin1Char('.'));
        const OwnershipRule *inherited =
            dot > 0 ? exactRule(p, row.entity, row.field.left(dot)) : nullptr;
        if (!inherited)
            inherited = exactRule(p, row.entity, QString());
        if (inherited)
            rule = *inherited;
    }
    rule.entity = row.entity;
    rule.field = row.field;
    return rule;
}

bool OwnershipMatrixModel::commit(const OwnershipRule &rule, const QString &mergeKey)
{
    const OwnershipRule *current =
        exactRule(m_document->project(), rule.entity, rule.field);
    if (current && *current == rule)
        return false;
    m_document->setOwnership(rule, mergeKey);
    return true;
}

bool OwnershipMatrixModel::setRole(int row, const QString &system, const QString &role)
{
    const Row *r = rowAt(row);
    if (!r || !m_document || !m_systemIds.contains(system) || !cellRoles().contains(role))
        return false;
    if (r->cells[m_systemIds.indexOf(system)].role == role)
        return false;
    OwnershipRule rule = editableRule(*r);
    rule.owners.removeAll(system);
    rule.contributors.removeAll(system);
    rule.consumers.removeAll(system);
    if (role == kOwner)
        rule.owners << system;
    else if (role == kContributor)
        rule.contributors << system;
    else if (role == kConsumer)
        rule.consumers << system;
    m_document->endMergeGroup();
    return commit(rule);
}

bool OwnershipMatrixModel::cycleRole(int row, const QString &system)
{
    const QString current = roleAt(row, system);
    if (current.isEmpty())
        return false;
    const QStringList order = cellRoles();
    return setRole(row, system, order[(order.indexOf(current) + 1) % order.size()]);
}

bool OwnershipMatrixModel::setConsumes(int row, const QString &system, bool consumes)
{
    const Row *r = rowAt(row);
    if (!r || !m_document || roleAt(row, system) != kContributor)
        return false;
    OwnershipRule rule = editableRule(*r);
    if (rule.consumers.contains(system) == consumes)
        return false;
    if (consumes)
        rule.consumers << system;
    else
        rule.consumers.removeAll(system);
    m_document->endMergeGroup();
    return commit(rule);
}

bool OwnershipMatrixModel::consumesAt(int row, const QString &system) const
{
    const Row *r = rowAt(row);
    const int col = int(m_systemIds.indexOf(system));
    return r && col >= 0 && r->cells[col].consumes;
}

bool OwnershipMatrixModel::setSurvivorship(int row, const QString &name)
{
    const Row *r = rowAt(row);
    const auto s = survivorshipFromString(name);
    if (!r || !m_document || !s)
        return false;
    OwnershipRule rule = editableRule(*r);
    rule.survivorship = *s;
    if (*s == Survivorship::SourcePriority && rule.priority.isEmpty())
        rule.priority = rule.owners + rule.contributors;  // a sensible first order
    m_document->endMergeGroup();
    return commit(rule);
}

bool OwnershipMatrixModel::setSteward(int row, const QString &steward)
{
    const Row *r = rowAt(row);
    if (!r || !m_document)
        return false;
    OwnershipRule rule = editableRule(*r);
    rule.steward = steward.trimmed();
    return commit(rule, QStringLiteral("steward:") + rule.id());
}

bool OwnershipMatrixModel::setFreshness(int row, const QString &name, int minutes)
{
    const Row *r = rowAt(row);
    const auto f = freshnessFromString(name);
    if (!r || !m_document || !f || minutes < 0)
        return false;
    OwnershipRule rule = editableRule(*r);
    rule.freshness = *f;
    rule.freshnessMinutes = *f == Freshness::WithinMinutes ? minutes : 0;
    return commit(rule, QStringLiteral("freshness:") + rule.id());
}

bool OwnershipMatrixModel::setPriority(int row, const QStringList &systems)
{
    if (m_document)
        m_document->endMergeGroup();
    return applyPriority(row, systems, QString());
}

bool OwnershipMatrixModel::applyPriority(int row, const QStringList &systems,
                                         const QString &mergeKey)
{
    const Row *r = rowAt(row);
    if (!r || !m_document)
        return false;
    QSet<QString> seen;
    for (const QString &s : systems) {
        // A system already listed may stay even if it is no longer in the project (the
        // validator reports it); new entries must be systems of the project.
        if ((!m_systemIds.contains(s) && !r->priority.contains(s)) || seen.contains(s))
            return false;
        seen.insert(s);
    }
    OwnershipRule rule = editableRule(*r);
    if (rule.priority == systems)
        return false;
    rule.priority = systems;
    return commit(rule, mergeKey);
}

bool OwnershipMatrixModel::movePriority(int row, const QString &system, int delta)
{
    const Row *r = rowAt(row);
    if (!r || !m_document || (delta != -1 && delta != 1))
        return false;
    if (!m_systemIds.contains(system) && !r->priority.contains(system))
        return false;
    QStringList order = r->priority;
    if (!order.contains(system))
        order << system;
    const int from = int(order.indexOf(system));
    const int to = from + delta;
    if (to >= 0 && to < order.size())
        order.move(from, to);
    // Moves in a row (the popup open) merge into one undo step until endEdit().
    return applyPriority(row, order, QStringLiteral("priority:") + r->key);
}

bool OwnershipMatrixModel::unrankPriority(int row, const QString &system)
{
    const Row *r = rowAt(row);
    if (!r || !r->priority.contains(system))
        return false;
    QStringList order = r->priority;
    order.removeAll(system);
    return applyPriority(row, order, QStringLiteral("priority:") + r->key);
}

bool OwnershipMatrixModel::resetToEntity(int row)
{
    const Row *r = rowAt(row);
    if (!r || !m_document || !r->isField || !r->ownRule)
        return false;
    m_document->endMergeGroup();
    m_document->removeOwnership(r->entity + QLatin1Char('.') + r->field);
    return true;
}

void OwnershipMatrixModel::endEdit()
{
    if (m_document)
        m_document->endMergeGroup();
}
