#include "app/mappings/mappingeditor.h"
#include "app/mappings/mappingpaths.h"
#include "model/elementref.h"
#include "model/expressionpaths.h"
#include "runtime/jsonata/jsonata.h"

#include <QSet>

using namespace sb::model;
using studio::normalizePath;

namespace {

constexpr int kPreviewDelayMs = 150;   // recompute the preview once typing pauses

QString typeLabel(const Field &f)
{
    if (f.type == FieldType::Array)
        return f.fields.isEmpty() ? QStringLiteral("array of %1").arg(toString(f.itemType))
                                  : QStringLiteral("array");
    return toString(f.type);
}

void flatten(const QVector<Field> &fields, const QString &path, const QString &expr, int depth,
             bool inArray, QVector<MappingTreeModel::Row> &rows)
{
    for (const Field &f : fields) {
        MappingTreeModel::Row row;
        row.key = path.isEmpty() ? f.name : path + QLatin1Char('.') + f.name;
        row.exprPath = expr.isEmpty() ? f.name : expr + QLatin1Char('.') + f.name;
        row.name = f.name;
        row.depth = depth;
        row.type = typeLabel(f);
        row.required = f.required;
        row.hasChildren = !f.fields.isEmpty();
        row.arrayItem = inArray;
        row.canonical = f.canonical;
        rows << row;
        if (f.fields.isEmpty())
            continue;
        if (f.type == FieldType::Array)
            flatten(f.fields, row.key + QLatin1String("[]"), row.exprPath, depth + 1, true, rows);
        else
            flatten(f.fields, row.key, row.exprPath, depth + 1, inArray, rows);
    }
}

// Drops the rows below collapsed fields. `map[i]` is the visible row showing full row i (its
// own, or its nearest visible ancestor's, which also takes over a hidden child's mark).
QVector<MappingTreeModel::Row> visibleRows(const QVector<MappingTreeModel::Row> &rows,
                                          const QSet<QString> &collapsed, QVector<int> &map)
{
    QVector<MappingTreeModel::Row> out;
    map.fill(-1, rows.size());
    QVector<int> stack;   // full indexes of the ancestors of the current row
    QVector<bool> hidden(rows.size(), false);
    for (int i = 0; i < rows.size(); ++i) {
        while (!stack.isEmpty() && rows[stack.last()].depth >= rows[i].depth)
            stack.removeLast();
        const int parent = stack.isEmpty() ? -1 : stack.last();
        if (parent >= 0 && (hidden[parent] || collapsed.contains(rows[parent].key))) {
            hidden[i] = true;
            map[i] = map[parent];
            auto &shown = out[map[i]];
            if (shown.mark.isEmpty() && !rows[i].mark.isEmpty()) {
                shown.mark = rows[i].mark;
                shown.markText = rows[i].markText;
            }
        } else {
            map[i] = int(out.size());
            out << rows[i];
            out.last().collapsed = rows[i].hasChildren && collapsed.contains(rows[i].key);
        }
        stack << i;
    }
    return out;
}

// The source rows an expression reads: for each path it names, the longest known prefix.
QList<int> sourcesRead(const QString &expression, const QHash<QString, int> &srcIndex)
{
    QList<int> read;
    for (QString token : sb::model::rootPaths(expression)) {
        while (!token.isEmpty() && !srcIndex.contains(token)) {
            const int dot = int(token.lastIndexOf(QLatin1Char('.')));
            token = dot > 0 ? token.left(dot) : QString();
        }
        if (!token.isEmpty() && !read.contains(srcIndex.value(token)))
            read << srcIndex.value(token);
    }
    return read;
}

// A finding of a rule marks the rule's target field (a non-owner write wins).
void markTarget(MappingTreeModel::Row &t, const Finding &f)
{
    QString mark;
    if (f.ruleId == QLatin1String("mapping.type-mismatch"))
        mark = QStringLiteral("mismatch");
    else if (f.ruleId == QLatin1String("ownership.non-owner-write"))
        mark = QStringLiteral("write");
    else
        mark = QStringLiteral("unknown");
    if (t.mark.isEmpty() || mark == QLatin1String("write"))
        t.mark = mark;
    t.markText += (t.markText.isEmpty() ? QString() : QStringLiteral("\n")) + f.message;
}

// Coverage, required fields and owner hints of the target rows, as the validator sees them.
// Returns the number of required fields left unmapped.
int markCoverage(const Project &p, const Mapping &m, QVector<MappingTreeModel::Row> &tgt,
                 const QSet<QString> &mapped, const QSet<QString> &prefixes)
{
    int unmapped = 0;
    for (auto &t : tgt) {
        const QString n = normalizePath(t.key);
        bool covered = mapped.contains(n);
        for (int dot = int(n.lastIndexOf(QLatin1Char('.'))); !covered && dot > 0;
             dot = int(n.lastIndexOf(QLatin1Char('.'), dot - 1)))
            covered = mapped.contains(n.left(dot));
        t.covered = covered;
        const int dot = int(n.lastIndexOf(QLatin1Char('.')));
        const bool checked = dot < 0 || prefixes.contains(n.left(dot));
        if (t.required && !covered && !prefixes.contains(n) && checked) {
            ++unmapped;
            if (t.mark.isEmpty()) {
                t.mark = QStringLiteral("required");
                t.markText = QStringLiteral("Required field %1 is not mapped and has no "
                                            "default").arg(t.key);
            }
        }
        // Which system owns the canonical field this target carries.
        if (!m.target.isCanonical() && !t.canonical.isEmpty()) {
            const QStringList parts = t.canonical.split(QLatin1Char('.'));
            const OwnershipRule *r =
                parts.size() >= 2 ? p.ownershipFor(parts[0], parts[1]) : nullptr;
            if (r && !r->owners.isEmpty() && !r->owners.contains(m.target.system)
                && !r->consumers.contains(m.target.system))
                t.ownerHint = QStringLiteral("%1 is owned by %2")
                                  .arg(t.canonical, r->owners.join(QStringLiteral(", ")));
        }
    }
    return unmapped;
}

} // namespace

MappingEditor::MappingEditor(QObject *parent)
    : QObject(parent), m_mappings(this), m_source(this), m_target(this), m_rules(this),
      m_valueMap(this)
{
    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(kPreviewDelayMs);
    connect(&m_previewTimer, &QTimer::timeout, this, &MappingEditor::updatePreview);
}

MappingEditor::~MappingEditor() = default;

void MappingEditor::setDocument(QObject *object)
{
    auto *document = qobject_cast<Document *>(object);
    if (document == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document) {
        connect(m_document, &Document::changed, this, [this](const Change &c) {
            if (c.layoutOnly || c.collection == Collection::Ownership
                || c.collection == Collection::Workflows || c.collection == Collection::Flows)
                return;
            refresh();
            m_previewTimer.start();
        });
        connect(m_document, &Document::projectReset, this, [this] {
            m_mappingId.clear();
            m_selectedRule = -1;
            m_samplesKey.clear();
            refresh();
            emit mappingChanged();
            updatePreview();
        });
    }
    refresh();
    updatePreview();
    emit documentChanged();
}

void MappingEditor::setFindings(FindingsModel *findings)
{
    if (findings == m_findings)
        return;
    if (m_findings)
        disconnect(m_findings, nullptr, this, nullptr);
    m_findings = findings;
    if (m_findings)
        connect(m_findings, &FindingsModel::findingsUpdated, this, &MappingEditor::refresh);
    refresh();
    emit findingsChanged();
}

const Mapping *MappingEditor::mapping() const
{
    return m_document ? m_document->project().mapping(m_mappingId) : nullptr;
}

const QVector<Field> *MappingEditor::fieldsOf(const EntityRef &ref) const
{
    if (!m_document)
        return nullptr;
    const Project &p = m_document->project();
    if (ref.isCanonical()) {
        const CanonicalEntity *c = p.canonicalEntity(ref.entity);
        return c ? &c->fields : nullptr;
    }
    const System *s = p.system(ref.system);
    const Entity *e = s ? s->entity(ref.entity) : nullptr;
    return e ? &e->fields : nullptr;
}

void MappingEditor::setMappingId(const QString &id)
{
    if (id == m_mappingId)
        return;
    if (m_document)
        m_document->endMergeGroup();
    m_mappingId = id;
    m_selectedRule = -1;
    m_collapsedSource.clear();
    m_collapsedTarget.clear();
    refresh();
    emit mappingChanged();
    updatePreview();
}

QString MappingEditor::mappingName() const
{
    const Mapping *m = mapping();
    return m ? (m->name.isEmpty() ? m->id : m->name) : QString();
}

static QString refLabel(const Document *doc, const EntityRef &ref)
{
    if (ref.isCanonical())
        return QStringLiteral("Canonical \u00b7 ") + ref.entity;
    const System *s = doc ? doc->project().system(ref.system) : nullptr;
    return (s && !s->name.isEmpty() ? s->name : ref.system) + QStringLiteral(" \u00b7 ")
           + ref.entity;
}

QString MappingEditor::sourceLabel() const
{
    const Mapping *m = mapping();
    return m ? refLabel(m_document, m->source) : QString();
}

QString MappingEditor::targetLabel() const
{
    const Mapping *m = mapping();
    return m ? refLabel(m_document, m->target) : QString();
}

QString MappingEditor::sourceSystem() const
{
    const Mapping *m = mapping();
    return m ? m->source.system : QString();
}

QString MappingEditor::targetSystem() const
{
    const Mapping *m = mapping();
    return m ? m->target.system : QString();
}

QString MappingEditor::mappingCondition() const
{
    const Mapping *m = mapping();
    return m ? m->condition : QString();
}

QStringList MappingEditor::valueMapNames() const
{
    QStringList names;
    if (const Mapping *m = mapping()) {
        for (const ValueMap &v : m->valueMaps)
            names << v.name;
    }
    return names;
}

const Mapping *MappingEditor::openMapping()
{
    const Mapping *m = mapping();
    // Open the first mapping when none (or a vanished one) is chosen.
    if (!m && m_document && !m_document->project().mappings.isEmpty()) {
        m_mappingId = m_document->project().mappings.first().id;
        m_selectedRule = -1;
        m = mapping();
        emit mappingChanged();
    } else if (!m && m_document && !m_mappingId.isEmpty()) {
        m_mappingId.clear();
        m_selectedRule = -1;
        emit mappingChanged();
    }
    return m;
}

QHash<int, QVector<const Finding *>> MappingEditor::refreshMappingList(const Mapping *m)
{
    QVector<MappingListModel::Row> list;
    // Findings per mapping, and per rule of the open mapping.
    QHash<QString, int> perMapping;
    QHash<int, QVector<const Finding *>> perRule;
    if (m_findings) {
        for (const Finding &f : m_findings->findings()) {
            const ElementRef el = ElementRef::parse(f.location.element);
            if (el.kind() != ElementRef::Kind::Mapping)
                continue;
            const QString id = el.mapping();
            ++perMapping[id];
            // The rule's line checks its own syntax as it is typed; no second message.
            if (f.ruleId == QLatin1String("mapping.expression-syntax"))
                continue;
            if (m && id == m->id && el.rule() >= 0)
                perRule[el.rule()] << &f;
        }
    }
    if (m_document) {
        for (const Mapping &mm : m_document->project().mappings) {
            MappingListModel::Row r;
            r.key = mm.id;
            r.name = mm.name.isEmpty() ? mm.id : mm.name;
            r.source = mm.source.display();
            r.target = mm.target.display();
            r.ruleCount = int(mm.rules.size());
            r.problemCount = perMapping.value(mm.id);
            list << r;
        }
    }
    m_mappings.setRows(list);
    return perRule;
}

void MappingEditor::refresh()
{
    const Mapping *m = openMapping();
    const QHash<int, QVector<const Finding *>> perRule = refreshMappingList(m);

    QVector<MappingTreeModel::Row> src;
    QVector<MappingTreeModel::Row> tgt;
    QVector<MappingRulesModel::Row> rules;
    std::vector<Line> lines;
    int unmapped = 0;
    if (m) {
        if (const auto *fields = fieldsOf(m->source))
            flatten(*fields, QString(), QString(), 0, false, src);
        if (const auto *fields = fieldsOf(m->target))
            flatten(*fields, QString(), QString(), 0, false, tgt);
        QHash<QString, int> srcIndex;   // expression path -> row
        for (int i = 0; i < src.size(); ++i)
            srcIndex.insert(src[i].exprPath, i);
        QHash<QString, int> tgtIndex;   // normalized path -> row
        for (int i = 0; i < tgt.size(); ++i)
            tgtIndex.insert(normalizePath(tgt[i].key), i);

        QSet<QString> mapped;
        QSet<QString> prefixes;
        for (int i = 0; i < m->rules.size(); ++i) {
            const MappingRule &rule = m->rules[i];
            MappingRulesModel::Row row;
            row.key = QString::number(i);
            row.index = i;
            row.target = rule.target;
            row.expression = rule.expression;
            row.condition = rule.condition;
            row.defaultValue = rule.defaultValue;
            row.valueMap = rule.valueMap;
            const QString target = normalizePath(rule.target);
            if (!rule.expression.trimmed().isEmpty() || !rule.defaultValue.isEmpty()) {
                mapped.insert(target);
                for (int dot = int(target.indexOf(QLatin1Char('.'))); dot > 0;
                     dot = int(target.indexOf(QLatin1Char('.'), dot + 1)))
                    prefixes.insert(target.left(dot));
            }
            const int targetRow = tgtIndex.value(target, -1);
            if (targetRow >= 0)
                ++tgt[targetRow].ruleCount;
            const QList<int> read = sourcesRead(rule.expression, srcIndex);
            for (int s : read) {
                row.sources << src[s].key;
                ++src[s].ruleCount;
            }
            // A syntax error makes the rule's line red before the validator runs.
            for (const QString *text : {&rule.expression, &rule.condition}) {
                const QVariantMap syntax = checkSyntax(*text);
                if (syntax.value(QStringLiteral("ok")).toBool())
                    continue;
                row.problem = QStringLiteral("error");
                row.problemText = QStringLiteral("%1 at %2: %3")
                                      .arg(syntax.value(QStringLiteral("code")).toString())
                                      .arg(syntax.value(QStringLiteral("position")).toInt())
                                      .arg(syntax.value(QStringLiteral("message")).toString());
            }
            // Findings of this rule mark it and its target field.
            for (const Finding *f : perRule.value(i)) {
                const bool error = f->severity == Severity::Error;
                if (error || row.problem.isEmpty())
                    row.problem = error ? QStringLiteral("error") : QStringLiteral("warning");
                row.problemText += (row.problemText.isEmpty() ? QString() : QStringLiteral("\n"))
                                   + f->message;
                if (targetRow >= 0)
                    markTarget(tgt[targetRow], *f);
            }
            for (int s : read)
                lines.push_back(Line{i, s, targetRow, row.problem});
            if (read.isEmpty() && targetRow >= 0)
                lines.push_back(Line{i, -1, targetRow, row.problem});  // a computed value
            rules << row;
        }

        unmapped = markCoverage(m_document->project(), *m, tgt, mapped, prefixes);
    }
    QVector<int> srcMap;
    QVector<int> tgtMap;
    m_source.setRows(visibleRows(src, m_collapsedSource, srcMap));
    m_target.setRows(visibleRows(tgt, m_collapsedTarget, tgtMap));
    for (Line &l : lines) {
        l.sourceRow = l.sourceRow >= 0 ? srcMap[l.sourceRow] : -1;
        l.targetRow = l.targetRow >= 0 ? tgtMap[l.targetRow] : -1;
    }
    m_rules.setRows(rules);
    m_lines = std::move(lines);
    m_unmappedRequired = unmapped;
    if (m_document && m_selectedRule >= rules.size())
        m_selectedRule = -1;
    refreshSelection();
    loadSamples();
    emit contentChanged();
    emit linesChanged();
}

void MappingEditor::refreshSelection()
{
    const QVariantMap e = checkSyntax(expression());
    const QVariantMap c = checkSyntax(condition());
    auto text = [](const QVariantMap &r) {
        return r.value(QStringLiteral("ok")).toBool()
                   ? QString()
                   : r.value(QStringLiteral("code")).toString() + QStringLiteral(": ")
                         + r.value(QStringLiteral("message")).toString();
    };
    m_exprError = text(e);
    m_exprErrorPos = m_exprError.isEmpty() ? -1 : e.value(QStringLiteral("position")).toInt();
    m_condError = text(c);
    m_condErrorPos = m_condError.isEmpty() ? -1 : c.value(QStringLiteral("position")).toInt();
    QVector<ValueMapModel::Row> entries;
    if (const Mapping *m = mapping()) {
        if (const ValueMap *v = m->valueMap(ruleValueMap())) {
            for (int i = 0; i < v->entries.size(); ++i)
                entries << ValueMapModel::Row{QString::number(i), v->entries[i].first,
                                              v->entries[i].second};
        }
    }
    m_valueMap.setRows(entries);
    emit selectedRuleChanged();
}

void MappingEditor::setSelectedRule(int rule)
{
    const Mapping *m = mapping();
    // Without a document (page hidden) the choice is kept and checked on the next refresh.
    if ((m_document && !m) || rule < 0 || (m && rule >= m->rules.size()))
        rule = -1;
    if (rule == m_selectedRule)
        return;
    if (m_document)
        m_document->endMergeGroup();
    m_selectedRule = rule;
    refreshSelection();
}

#define SB_RULE_FIELD(getter, member)                                                      \
    QString MappingEditor::getter() const                                                  \
    {                                                                                      \
        const Mapping *m = mapping();                                                      \
        return m && m_selectedRule >= 0 && m_selectedRule < m->rules.size()                \
                   ? m->rules[m_selectedRule].member                                       \
                   : QString();                                                            \
    }
SB_RULE_FIELD(ruleTarget, target)
SB_RULE_FIELD(expression, expression)
SB_RULE_FIELD(condition, condition)
SB_RULE_FIELD(defaultValue, defaultValue)
SB_RULE_FIELD(ruleValueMap, valueMap)
SB_RULE_FIELD(ruleDescription, description)
#undef SB_RULE_FIELD

QString MappingEditor::valueMapFallback() const
{
    const Mapping *m = mapping();
    const ValueMap *v = m ? m->valueMap(ruleValueMap()) : nullptr;
    return v ? v->fallback : QString();
}

bool MappingEditor::valueMapHasFallback() const
{
    const Mapping *m = mapping();
    const ValueMap *v = m ? m->valueMap(ruleValueMap()) : nullptr;
    return v && v->hasFallback;
}

QVariantMap MappingEditor::checkSyntax(const QString &expression) const
{
    if (expression.trimmed().isEmpty())
        return {{QStringLiteral("ok"), true}, {QStringLiteral("position"), -1}};
    const std::string utf8 = expression.toStdString();
    const auto compiled = sb::jsonata::Expression::compile(utf8);
    if (compiled.ok())
        return {{QStringLiteral("ok"), true}, {QStringLiteral("position"), -1}};
    const auto &err = compiled.error();
    // The engine counts bytes of UTF-8; the text field counts UTF-16 characters.
    int pos = err.position;
    if (pos >= 0)
        pos = int(QString::fromUtf8(utf8.data(), std::min<int>(pos, int(utf8.size()))).size());
    return {{QStringLiteral("ok"), false},
            {QStringLiteral("code"), QString::fromStdString(err.code)},
            {QStringLiteral("message"), QString::fromStdString(err.message)},
            {QStringLiteral("position"), pos}};
}

QVariantList MappingEditor::entityChoices() const
{
    QVariantList out;
    if (!m_document)
        return out;
    const Project &p = m_document->project();
    for (const System &s : p.systems) {
        for (const Entity &e : s.entities)
            out << QVariantMap{{QStringLiteral("system"), s.id},
                               {QStringLiteral("entity"), e.name},
                               {QStringLiteral("label"),
                                (s.name.isEmpty() ? s.id : s.name) + QStringLiteral(" \u00b7 ")
                                    + e.name}};
    }
    for (const CanonicalEntity &c : p.canonical)
        out << QVariantMap{{QStringLiteral("system"), QString()},
                           {QStringLiteral("entity"), c.id},
                           {QStringLiteral("label"), QStringLiteral("Canonical \u00b7 ") + c.id}};
    return out;
}
