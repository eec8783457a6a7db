#include "app/mappings/mappingeditor.h"

#include "app/shell/templatesmodel.h"
#include "runtime/jsonata/jsonata.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

using namespace sb::model;
using json = nlohmann::ordered_json;

namespace {

constexpr int kPreviewDelayMs = 150;   // recompute the preview once typing pauses
constexpr int kMaxSamples = 200;       // records offered in the preview

QString normalizePath(QString path)
{
    path.remove(QLatin1String("[]"));
    return path.trimmed();
}

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

bool identStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool identChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

// Field paths an expression reads from the record root ("quote.lines" in
// "[quote.lines.{...}]"): identifiers not in strings, not $variables, not function calls.
QStringList pathTokens(const QString &e)
{
    static const QSet<QString> keywords{QStringLiteral("and"), QStringLiteral("or"),
                                        QStringLiteral("in"), QStringLiteral("true"),
                                        QStringLiteral("false"), QStringLiteral("null"),
                                        QStringLiteral("function")};
    QStringList out;
    int depth = 0;   // inside {...} or [...] predicates paths are relative: skip them
    const int n = int(e.size());
    for (int i = 0; i < n;) {
        const QChar c = e[i];
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            for (++i; i < n && e[i] != c; ++i) {
                if (e[i] == QLatin1Char('\\'))
                    ++i;
            }
            ++i;
            continue;
        }
        if (c == QLatin1Char('{') || c == QLatin1Char('(')) {
            // A block after a path step ("lines.{") is evaluated per item.
            int j = i - 1;
            while (j >= 0 && e[j].isSpace())
                --j;
            if (j >= 0 && e[j] == QLatin1Char('.'))
                ++depth;
            else if (depth > 0)
                ++depth;
            ++i;
            continue;
        }
        if ((c == QLatin1Char('}') || c == QLatin1Char(')')) && depth > 0) {
            --depth;
            ++i;
            continue;
        }
        if (!identStart(c)) {
            ++i;
            continue;
        }
        const bool afterDollar = i > 0 && e[i - 1] == QLatin1Char('$');
        const bool afterDot = i > 0 && e[i - 1] == QLatin1Char('.')
                              && !(i > 1 && e[i - 2] == QLatin1Char('$'));
        int j = i;
        QString token;
        while (j < n && identStart(e[j])) {
            int k = j;
            while (k < n && identChar(e[k]))
                ++k;
            token += (token.isEmpty() ? QString() : QStringLiteral(".")) + e.mid(j, k - j);
            j = k;
            if (j + 1 < n && e[j] == QLatin1Char('.') && identStart(e[j + 1]))
                ++j;
            else
                break;
        }
        int k = j;
        while (k < n && e[k].isSpace())
            ++k;
        const bool call = k < n && e[k] == QLatin1Char('(');
        if (!afterDollar && !afterDot && !call && depth == 0 && !keywords.contains(token))
            out << token;
        i = j;
    }
    return out;
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

QString esc(const QString &s) { return s.toHtmlEscaped(); }

// Pretty JSON as HTML with the studio's syntax colours (monospace, two-space indent).
void jsonHtml(const json &v, int indent, QString &out)
{
    const QString pad(indent * 2, QLatin1Char(' '));
    const QString inner((indent + 1) * 2, QLatin1Char(' '));
    if (v.is_object()) {
        if (v.empty()) {
            out += QStringLiteral("{}");
            return;
        }
        out += QStringLiteral("{\n");
        size_t i = 0;
        for (auto it = v.begin(); it != v.end(); ++it, ++i) {
            out += inner + QStringLiteral("<span style=\"color:#7c3aed\">\"")
                   + esc(QString::fromStdString(it.key())) + QStringLiteral("\"</span>: ");
            jsonHtml(it.value(), indent + 1, out);
            out += i + 1 < v.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += pad + QLatin1Char('}');
    } else if (v.is_array()) {
        if (v.empty()) {
            out += QStringLiteral("[]");
            return;
        }
        out += QStringLiteral("[\n");
        for (size_t i = 0; i < v.size(); ++i) {
            out += inner;
            jsonHtml(v[i], indent + 1, out);
            out += i + 1 < v.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += pad + QLatin1Char(']');
    } else if (v.is_string()) {
        out += QStringLiteral("<span style=\"color:#0f7b5f\">")
               + esc(QString::fromStdString(v.dump())) + QStringLiteral("</span>");
    } else if (v.is_number()) {
        out += QStringLiteral("<span style=\"color:#b45309\">")
               + esc(QString::fromStdString(v.dump())) + QStringLiteral("</span>");
    } else {
        out += QStringLiteral("<span style=\"color:#2f6feb\">")
               + esc(QString::fromStdString(v.dump())) + QStringLiteral("</span>");
    }
}

QString toHtml(const json &v)
{
    QString body;
    jsonHtml(v, 0, body);
    return QStringLiteral("<pre style=\"margin:0\">") + body + QStringLiteral("</pre>");
}

// Records of a data set file (.jsonl, .json array, .csv with a header row).
std::vector<json> readRecords(const QString &file, int limit)
{
    std::vector<json> out;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QString lower = file.toLower();
    if (lower.endsWith(QLatin1String(".jsonl")) || lower.endsWith(QLatin1String(".ndjson"))) {
        while (!f.atEnd() && int(out.size()) < limit) {
            const QByteArray line = f.readLine().trimmed();
            if (line.isEmpty())
                continue;
            json j = json::parse(line.constData(), line.constData() + line.size(), nullptr,
                                 false);
            if (j.is_object())
                out.push_back(std::move(j));
        }
    } else if (lower.endsWith(QLatin1String(".json"))) {
        const QByteArray all = f.readAll();
        json j = json::parse(all.constData(), all.constData() + all.size(), nullptr, false);
        if (j.is_array()) {
            for (auto &item : j) {
                if (item.is_object() && int(out.size()) < limit)
                    out.push_back(item);
            }
        } else if (j.is_object()) {
            out.push_back(std::move(j));
        }
    } else if (lower.endsWith(QLatin1String(".csv"))) {
        auto split = [](const QString &line) {
            QStringList cells;
            QString cur;
            bool quoted = false;
            for (int i = 0; i < line.size(); ++i) {
                const QChar c = line[i];
                if (quoted && c == QLatin1Char('"') && i + 1 < line.size()
                    && line[i + 1] == QLatin1Char('"')) {
                    cur += c;
                    ++i;
                } else if (c == QLatin1Char('"')) {
                    quoted = !quoted;
                } else if (c == QLatin1Char(',') && !quoted) {
                    cells << cur;
                    cur.clear();
                } else {
                    cur += c;
                }
            }
            cells << cur;
            return cells;
        };
        const QStringList header = split(QString::fromUtf8(f.readLine()).trimmed());
        while (!f.atEnd() && int(out.size()) < limit) {
            const QString line = QString::fromUtf8(f.readLine()).trimmed();
            if (line.isEmpty())
                continue;
            const QStringList cells = split(line);
            json rec = json::object();
            for (int i = 0; i < header.size() && i < cells.size(); ++i)
                rec[header[i].toStdString()] = cells[i].toStdString();
            out.push_back(std::move(rec));
        }
    }
    return out;
}

QString recordLabel(const json &r, const QString &key)
{
    QStringList parts;
    auto text = [&r](const std::string &k) -> QString {
        if (!r.is_object() || !r.contains(k))
            return QString();
        const json &v = r[k];
        return v.is_string() ? QString::fromStdString(v.get<std::string>())
                             : QString::fromStdString(v.dump());
    };
    if (!key.isEmpty())
        parts << text(key.toStdString());
    const QString name = text("name");
    if (!name.isEmpty())
        parts << name;
    parts.removeAll(QString());
    return parts.join(QStringLiteral(" \u00b7 "));
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

void MappingEditor::refresh()
{
    QVector<MappingListModel::Row> list;
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

    // Findings per mapping, and per rule of the open mapping.
    QHash<QString, int> perMapping;
    QHash<int, QVector<const Finding *>> perRule;
    if (m_findings) {
        for (const Finding &f : m_findings->findings()) {
            const QString &el = f.location.element;
            if (!el.startsWith(QLatin1String("mapping:")))
                continue;
            const int slash = int(el.indexOf(QLatin1Char('/')));
            const QString id = el.mid(8, slash < 0 ? -1 : slash - 8);
            ++perMapping[id];
            // The rule's line checks its own syntax as it is typed; no second message.
            if (f.ruleId == QLatin1String("mapping.expression-syntax"))
                continue;
            if (m && id == m->id && slash > 0 && el.mid(slash).startsWith(QLatin1String("/rule:")))
                perRule[el.mid(slash + 6).toInt()] << &f;
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
            // Which source fields the expression reads: the longest known prefix of a path.
            QSet<int> seen;
            for (QString token : pathTokens(rule.expression)) {
                if (token.startsWith(QLatin1String("$.")))
                    token = token.mid(2);
                while (!token.isEmpty() && !srcIndex.contains(token)) {
                    const int dot = int(token.lastIndexOf(QLatin1Char('.')));
                    token = dot > 0 ? token.left(dot) : QString();
                }
                if (token.isEmpty())
                    continue;
                const int s = srcIndex.value(token);
                if (seen.contains(s))
                    continue;
                seen.insert(s);
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
                if (targetRow < 0)
                    continue;
                auto &t = tgt[targetRow];
                QString mark;
                if (f->ruleId == QLatin1String("mapping.type-mismatch"))
                    mark = QStringLiteral("mismatch");
                else if (f->ruleId == QLatin1String("ownership.non-owner-write"))
                    mark = QStringLiteral("write");
                else
                    mark = QStringLiteral("unknown");
                if (t.mark.isEmpty() || mark == QLatin1String("write"))
                    t.mark = mark;
                t.markText += (t.markText.isEmpty() ? QString() : QStringLiteral("\n"))
                              + f->message;
            }
            for (int s : std::as_const(seen))
                lines.push_back(Line{i, s, targetRow, row.problem});
            if (seen.isEmpty() && targetRow >= 0)
                lines.push_back(Line{i, -1, targetRow, row.problem});  // a computed value
            rules << row;
        }

        // Coverage and required fields, as the validator sees them.
        const Project &p = m_document->project();
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
            if (!m->target.isCanonical() && !t.canonical.isEmpty()) {
                const QStringList parts = t.canonical.split(QLatin1Char('.'));
                const OwnershipRule *r =
                    parts.size() >= 2 ? p.ownershipFor(parts[0], parts[1]) : nullptr;
                if (r && !r->owners.isEmpty() && !r->owners.contains(m->target.system)
                    && !r->consumers.contains(m->target.system))
                    t.ownerHint = QStringLiteral("%1 is owned by %2")
                                      .arg(t.canonical, r->owners.join(QStringLiteral(", ")));
            }
        }
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

bool MappingEditor::setExpression(int index, const QString &text)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    m.rules[index].expression = text;
    return commit(m, QStringLiteral("Edit expression of %1").arg(m.rules[index].target),
                  QStringLiteral("mapping:%1/rule:%2/expression").arg(m.id).arg(index));
}

bool MappingEditor::setCondition(int index, const QString &text)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    m.rules[index].condition = text;
    return commit(m, QStringLiteral("Edit condition of %1").arg(m.rules[index].target),
                  QStringLiteral("mapping:%1/rule:%2/condition").arg(m.id).arg(index));
}

bool MappingEditor::setDefault(int index, const QString &text)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    m.rules[index].defaultValue = text;
    return commit(m, QStringLiteral("Edit default of %1").arg(m.rules[index].target),
                  QStringLiteral("mapping:%1/rule:%2/default").arg(m.id).arg(index));
}

bool MappingEditor::setRuleDescription(int index, const QString &text)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    m.rules[index].description = text;
    return commit(m, QStringLiteral("Describe %1").arg(m.rules[index].target),
                  QStringLiteral("mapping:%1/rule:%2/description").arg(m.id).arg(index));
}

bool MappingEditor::setRuleValueMap(int index, const QString &name)
{
    const Mapping *current = mapping();
    if (!current || index < 0 || index >= current->rules.size())
        return false;
    Mapping m = *current;
    m.rules[index].valueMap = name;
    return commit(m, name.isEmpty()
                         ? QStringLiteral("Remove value map from %1").arg(m.rules[index].target)
                         : QStringLiteral("Use value map %1 for %2")
                               .arg(name, m.rules[index].target));
}

bool MappingEditor::setMappingCondition(const QString &text)
{
    const Mapping *current = mapping();
    if (!current)
        return false;
    Mapping m = *current;
    m.condition = text;
    return commit(m, QStringLiteral("Edit condition of mapping %1").arg(m.id),
                  QStringLiteral("mapping:%1/condition").arg(m.id));
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
                  QStringLiteral("mapping:%1/valuemap:%2/%3").arg(m.id, v->name).arg(row));
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
                  QStringLiteral("mapping:%1/valuemap:%2/fallback").arg(m.id, v->name));
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

int MappingEditor::ruleForTargetRow(int row) const
{
    for (const Line &l : m_lines) {
        if (l.targetRow == row)
            return l.rule;
    }
    return -1;
}

QString MappingEditor::projectDir() const
{
    if (m_document && !m_document->fileName().isEmpty())
        return QFileInfo(m_document->fileName()).absolutePath();
    return QString();
}

void MappingEditor::loadSamples()
{
    const Mapping *m = mapping();
    const QString dir = projectDir();
    QString key;
    if (m && m_document) {
        key = m->source.display() + QLatin1Char('\n') + dir;
        for (const Dataset &d : m_document->project().datasets)
            key += QLatin1Char('\n') + d.system + d.entity + d.file;
    }
    if (key == m_samplesKey)
        return;
    m_samplesKey = key;
    m_samples.clear();
    m_sampleLabels.clear();
    m_sampleSource.clear();
    m_sampleIndex = 0;
    if (!m) {
        emit samplesChanged();
        return;
    }
    const Project &p = m_document->project();
    // Where a data set file lives: beside the project, or (for a template opened as an
    // untitled copy) beside the template it came from.
    auto locate = [&dir](const Dataset &d) -> QString {
        if (QFileInfo(d.file).isAbsolute())
            return d.file;
        if (!dir.isEmpty())
            return QDir(dir).filePath(d.file);
        QDirIterator it(TemplatesModel::templatesDir(), QDir::Dirs | QDir::NoDotAndDotDot);
        while (it.hasNext()) {
            const QString candidate = QDir(it.next()).filePath(d.file);
            if (QFileInfo::exists(candidate))
                return candidate;
        }
        return QString();
    };
    auto keyOf = [&p](const EntityRef &r) {
        if (r.isCanonical()) {
            const CanonicalEntity *c = p.canonicalEntity(r.entity);
            return c ? c->key : QString();
        }
        const System *s = p.system(r.system);
        const Entity *e = s ? s->entity(r.entity) : nullptr;
        return e ? e->key : QString();
    };
    auto fromDatasets = [&](const EntityRef &ref, QString &label) {
        std::vector<json> out;
        for (const Dataset &d : p.datasets) {
            if (d.system != ref.system || d.entity != ref.entity)
                continue;
            const QString file = locate(d);
            if (file.isEmpty())
                continue;
            std::vector<json> recs = readRecords(file, kMaxSamples - int(out.size()));
            if (recs.empty())
                continue;
            label += (label.isEmpty() ? QString() : QStringLiteral(", "))
                     + (d.name.isEmpty() ? d.id : d.name);
            for (auto &r : recs)
                out.push_back(std::move(r));
        }
        return out;
    };

    QString label;
    std::vector<json> samples = fromDatasets(m->source, label);
    if (samples.empty() && m->source.isCanonical()) {
        // Canonical records come from a system's data set through the mapping that feeds it.
        for (const Mapping &up : p.mappings) {
            if (!(up.target == m->source) || up.source.isCanonical())
                continue;
            QString upLabel;
            const std::vector<json> raw = fromDatasets(up.source, upLabel);
            if (raw.empty())
                continue;
            const sb::runtime::MappingExecutor exec(up, p);
            for (const json &r : raw) {
                const auto outcome = exec.execute(r);
                if (outcome.applied && !outcome.output.empty())
                    samples.push_back(outcome.output);
            }
            label = QStringLiteral("%1 through %2").arg(upLabel, up.name.isEmpty() ? up.id
                                                                                 : up.name);
            break;
        }
    }
    const QString key0 = keyOf(m->source);
    for (const json &r : samples)
        m_sampleLabels << recordLabel(r, key0);
    m_samples = std::move(samples);
    m_sampleSource = label;
    // Start on a record the mapping applies to (its condition may skip most of them).
    if (!m->condition.trimmed().isEmpty() && !m_samples.empty()) {
        const sb::runtime::MappingExecutor exec(*m, p);
        sb::jsonata::EvalOptions options;
        options.timeLimitMs = 200;
        for (size_t i = 0; i < m_samples.size(); ++i) {
            if (exec.execute(m_samples[i], {}, options).applied) {
                m_sampleIndex = int(i);
                break;
            }
        }
    }
    emit samplesChanged();
}

void MappingEditor::setSampleIndex(int index)
{
    if (index < 0 || index >= int(m_samples.size()) || index == m_sampleIndex)
        return;
    m_sampleIndex = index;
    updatePreview();
}

QString MappingEditor::sampleLabel() const
{
    return m_sampleIndex < m_sampleLabels.size() ? m_sampleLabels[m_sampleIndex] : QString();
}

QString MappingEditor::sampleHtml() const
{
    return m_sampleIndex < int(m_samples.size()) ? toHtml(m_samples[size_t(m_sampleIndex)])
                                                 : QString();
}

void MappingEditor::updatePreview()
{
    m_previewTimer.stop();
    m_previewHtml.clear();
    m_previewJson.clear();
    m_previewErrors.clear();
    m_previewMissing.clear();
    m_previewApplied = true;
    const Mapping *m = mapping();
    if (m && m_sampleIndex < int(m_samples.size())) {
        const sb::runtime::MappingExecutor exec(*m, m_document->project());
        sb::jsonata::EvalOptions options;
        options.timeLimitMs = 500;  // a runaway expression must not freeze the editor
        const auto outcome = exec.execute(m_samples[size_t(m_sampleIndex)], {}, options);
        m_previewApplied = outcome.applied;
        m_previewJson = QString::fromStdString(outcome.output.dump());
        m_previewHtml = toHtml(outcome.output);
        for (const auto &issue : outcome.errors)
            m_previewErrors << issue.toString();
        m_previewMissing = outcome.unmappedRequired;
    }
    emit previewChanged();
}
