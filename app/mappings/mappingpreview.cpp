#include "app/mappings/mappingeditor.h"

#include "app/shell/templatesmodel.h"
#include "runtime/mapping/mappingexecutor.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

using namespace sb::model;
using json = nlohmann::ordered_json;

// MappingEditor's live preview: sample records of the source entity from the project's data
// sets, run through the runtime's mapping executor, shown as HTML.

namespace {

constexpr int kMaxSamples = 200;       // records offered in the preview

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
