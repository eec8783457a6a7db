#include "app/mappings/mappingeditor.h"
#include "app/mappings/mappingpaths.h"
#include "model/elementref.h"

#include <QSet>

using namespace sb::model;
using studio::normalizePath;

// MappingEditor's edits: each intent becomes one undoable Document edit of the mapping.

namespace {

// Merge keys are element addresses, so typing in one place merges into one undo step.
ElementRef mappingRef(const Mapping &m)
{
    return ElementRef::of(ElementRef::Kind::Mapping, m.id);
}

} // namespace

bool MappingEditor::commit(const Mapping &m, const QString &text, const QString &mergeKey)
{
    const Mapping *current = mapping();
    if (!m_document || !current || *current == m)
        return false;
    if (mergeKey.isEmpty())
        m_document->endMergeGroup();
    m_document->updateMapping(m, text, mergeKey);
    return true;
}

QString MappingEditor::addMapping(const QString &sourceSystem, const QString &sourceEntity,
                                  const QString &targetSystem, const QString &targetEntity,
                                  const QString &name)
{
    if (!m_document)
        return QString();
    Mapping m;
    m.source = EntityRef{sourceSystem, sourceEntity};
    m.target = EntityRef{targetSystem, targetEntity};
    if (!fieldsOf(m.source) || !fieldsOf(m.target) || m.source == m.target)
        return QString();
    auto slug = [](const EntityRef &r) {
        return (r.isCanonical() ? r.entity : r.system + QLatin1Char('-') + r.entity).toLower();
    };
    m.id = m_document->uniqueId(Collection::Mappings,
                                slug(m.source) + QStringLiteral("-to-") + slug(m.target));
    m.name = name.trimmed().isEmpty()
                 ? m.source.display() + QStringLiteral(" to ") + m.target.display()
                 : name.trimmed();
    m_document->endMergeGroup();
    m_document->insertMapping(m);
    setMappingId(m.id);
    return m.id;
}

bool MappingEditor::removeMapping(const QString &id)
{
    if (!m_document || !m_document->project().mapping(id))
        return false;
    m_document->endMergeGroup();
    m_document->removeMapping(id);
    return true;
}

int MappingEditor::addRule(const QString &sourcePath, const QString &targetPath)
{
    const Mapping *current = mapping();
    if (!current)
        return -1;
    const int s = m_source.indexOf(sourcePath);
    const int t = m_target.indexOf(targetPath);
    if (s < 0 || t < 0)
        return -1;
    Mapping m = *current;
    const QString expr = m_source.rows()[s].exprPath;
    int index = -1;
    for (int i = 0; i < m.rules.size(); ++i) {
        if (normalizePath(m.rules[i].target) == normalizePath(targetPath))
            index = i;
    }
    if (index >= 0) {
        m.rules[index].expression = expr;
    } else {
        MappingRule rule;
        rule.target = targetPath;
        rule.expression = expr;
        m.rules << rule;
        index = int(m.rules.size()) - 1;
    }
    commit(m, QStringLiteral("Map %1 to %2").arg(sourcePath, targetPath));
    setSelectedRule(index);
    return index;
}

int MappingEditor::addTargetRule(const QString &targetPath)
{
    const Mapping *current = mapping();
    if (!current || m_target.indexOf(targetPath) < 0)
        return -1;
    for (int i = 0; i < current->rules.size(); ++i) {
        if (normalizePath(current->rules[i].target) == normalizePath(targetPath)) {
            setSelectedRule(i);
            return i;
        }
    }
    Mapping m = *current;
    MappingRule rule;
    rule.target = targetPath;
    m.rules << rule;
    commit(m, QStringLiteral("Add rule for %1").arg(targetPath));
    setSelectedRule(int(m.rules.size()) - 1);
    return m_selectedRule;
}

bool MappingEditor::removeRule(int index)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    const QString target = m.rules[index].target;
    m.rules.remove(index);
    m_selectedRule = -1;
    return commit(m, QStringLiteral("Remove rule for %1").arg(target));
}

bool MappingEditor::editRule(int index, const QString &part,
                             const std::function<QString(MappingRule &)> &edit)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    const QString text = edit(m.rules[index]);
    // Typing in one field of one rule merges into one undo step; a part-less edit never does.
    const QString mergeKey = part.isEmpty()
        ? QString()
        : mappingRef(m)
              .child(QStringLiteral("rule"), index)
              .withPart(part)
              .toString();
    return commit(m, text, mergeKey);
}

bool MappingEditor::setExpression(int index, const QString &text)
{
    return editRule(index, QStringLiteral("expression"), [&text](MappingRule &rule) {
        rule.expression = text;
        return QStringLiteral("Edit expression of %1").arg(rule.target);
    });
}

bool MappingEditor::setCondition(int index, const QString &text)
{
    return editRule(index, QStringLiteral("condition"), [&text](MappingRule &rule) {
        rule.condition = text;
        return QStringLiteral("Edit condition of %1").arg(rule.target);
    });
}

bool MappingEditor::setDefault(int index, const QString &text)
{
    return editRule(index, QStringLiteral("default"), [&text](MappingRule &rule) {
        rule.defaultValue = text;
        return QStringLiteral("Edit default of %1").arg(rule.target);
    });
}

bool MappingEditor::setRuleDescription(int index, const QString &text)
{
    return editRule(index, QStringLiteral("description"), [&text](MappingRule &rule) {
        rule.description = text;
        return QStringLiteral("Describe %1").arg(rule.target);
    });
}

bool MappingEditor::setRuleValueMap(int index, const QString &name)
{
    return editRule(index, QString(), [&name](MappingRule &rule) {
        rule.valueMap = name;
        return name.isEmpty()
            ? QStringLiteral("Remove value map from %1").arg(rule.target)
            : QStringLiteral("Use value map %1 for %2").arg(name, rule.target);
    });
}

bool MappingEditor::setMappingCondition(const QString &text)
{
    const Mapping *current = mapping();
    if (!current)
        return false;
    Mapping m = *current;
    m.condition = text;
    return commit(m, QStringLiteral("Edit condition of mapping %1").arg(m.id),
                  mappingRef(m).withPart(QStringLiteral("condition")).toString());
}

ValueMap *MappingEditor::selectedValueMap(Mapping &m) const
{
    if (m_selectedRule < 0 || m_selectedRule >= m.rules.size())
        return nullptr;
    const QString name = m.rules[m_selectedRule].valueMap;
    for (ValueMap &v : m.valueMaps) {
        if (v.name == name)
            return &v;
    }
    return nullptr;
}

QString MappingEditor::createValueMap(const QString &requested)
{
    const Mapping *current = mapping();
    if (!current || m_selectedRule < 0 || m_selectedRule >= current->rules.size())
        return QString();
    Mapping m = *current;
    QString base = requested.trimmed();
    if (base.isEmpty())
        base = normalizePath(m.rules[m_selectedRule].target).replace(QLatin1Char('.'),
                                                                    QLatin1Char('-'))
               + QStringLiteral("-values");
    QString name = base;
    for (int n = 2; m.valueMap(name); ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    ValueMap v;
    v.name = name;
    m.valueMaps << v;
    m.rules[m_selectedRule].valueMap = name;
    commit(m, QStringLiteral("Add value map %1").arg(name));
    return name;
}

bool MappingEditor::setValueMapEntry(int row, const QString &from, const QString &to)
{
    const Mapping *current = mapping();
    if (!current)
        return false;
    Mapping m = *current;
    ValueMap *v = selectedValueMap(m);
    if (!v || row < 0 || row >= v->entries.size())
        return false;
    v->entries[row] = {from, to};
    return commit(m, QStringLiteral("Edit value map %1").arg(v->name),
                  mappingRef(m)
                      .child(QStringLiteral("valuemap"), v->name)
                      .withPart(QString::number(row))
                      .toString());
}

bool MappingEditor::addValueMapEntry(const QString &from, const QString &to)
{
    const Mapping *current = mapping();
    if (!current)
        return false;
    Mapping m = *current;
    ValueMap *v = selectedValueMap(m);
    if (!v)
        return false;
    v->entries.append({from, to});
    return commit(m, QStringLiteral("Add entry to value map %1").arg(v->name));
}

bool MappingEditor::removeValueMapEntry(int row)
{
    const Mapping *current = mapping();
    if (!current)
        return false;
    Mapping m = *current;
    ValueMap *v = selectedValueMap(m);
    if (!v || row < 0 || row >= v->entries.size())
        return false;
    v->entries.remove(row);
    return commit(m, QStringLiteral("Remove entry from value map %1").arg(v->name));
}

bool MappingEditor::setValueMapFallback(bool enabled, const QString &fallback)
{
    const Mapping *current = mapping();
    if (!current)
        return false;
    Mapping m = *current;
    ValueMap *v = selectedValueMap(m);
    if (!v)
        return false;
    v->hasFallback = enabled;
    v->fallback = enabled ? fallback : QString();
    return commit(m, QStringLiteral("Edit fallback of value map %1").arg(v->name),
                  mappingRef(m)
                      .child(QStringLiteral("valuemap"), v->name)
                      .withPart(QStringLiteral("fallback"))
                      .toString());
}

void MappingEditor::endEdit()
{
    if (m_document)
        m_document->endMergeGroup();
}

void MappingEditor::toggleCollapsed(bool source, const QString &path)
{
    QSet<QString> &set = source ? m_collapsedSource : m_collapsedTarget;
    if (!set.remove(path))
        set.insert(path);
    refresh();
}

QString MappingEditor::ruleElement(int index) const
{
    return ElementRef::of(ElementRef::Kind::Mapping, m_mappingId)
        .child(QStringLiteral("rule"), index)
        .toString();
}

int MappingEditor::ruleForTargetRow(int row) const
{
    for (const Line &l : m_lines) {
        if (l.targetRow == row)
            return l.rule;
    }
    return -1;
}
