#include "runtime/engine/analysis.h"

#include <QHash>
#include <QSet>

namespace sb::runtime {

using ojson = nlohmann::ordered_json;

namespace {

QDateTime entryTime(const JournalEntry &e)
{
    const ojson p = ojson::parse(e.payload.constData(), e.payload.constData() + e.payload.size(),
                                 nullptr, false);
    if (p.is_object() && p.contains("at") && p["at"].is_string()) {
        const QDateTime t = QDateTime::fromString(QString::fromStdString(p["at"].get<std::string>()),
                                                  Qt::ISODateWithMs);
        if (t.isValid())
            return t;
    }
    return e.at;
}

const ojson *at(const ojson &record, const QString &path)
{
    const ojson *cur = &record;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (!cur->is_object() || !cur->contains(part.toStdString()))
            return nullptr;
        cur = &(*cur)[part.toStdString()];
    }
    return cur;
}

QString text(const ojson *v)
{
    if (!v || v->is_null())
        return QString();
    return v->is_string() ? QString::fromStdString(v->get<std::string>())
                          : QString::fromStdString(v->dump());
}

QDateTime updatedAt(const ojson &r)
{
    for (const char *f : {"updatedAt", "lastModifiedAt", "changedAt", "modifiedAt"}) {
        if (const ojson *v = at(r, QString::fromLatin1(f))) {
            const QDateTime t = QDateTime::fromString(text(v), Qt::ISODateWithMs);
            if (t.isValid())
                return t;
        }
    }
    return {};
}

} // namespace

Result<SlaReport> measureSla(const model::Sla &sla, const Store &store)
{
    SlaReport r;
    r.slaId = sla.id;
    r.targetPercent = sla.targetPercent;
    auto list = store.instances();
    if (!list.ok())
        return list.error();
    for (const InstanceRecord &in : list.value()) {
        if (in.workflowId != sla.workflow)
            continue;
        auto j = store.journal(in.id);
        if (!j.ok())
            return j.error();
        QDateTime from, to;
        for (const JournalEntry &e : j.value()) {
            if (!from.isValid()) {
                if (sla.fromMilestone == QLatin1String("trigger") || sla.fromMilestone.isEmpty()
                    || (e.stepId == sla.fromMilestone && e.kind == JournalKind::Result))
                    from = entryTime(e);
            }
            if (from.isValid() && !to.isValid() && e.stepId == sla.toMilestone
                && e.kind == JournalKind::Result)
                to = entryTime(e);
        }
        if (!from.isValid())
            continue;
        if (!to.isValid()) {
            // Pending means it may still get there: a failed, compensated or dead-lettered
            // instance never will.
            if (in.status == InstanceStatus::Running || in.status == InstanceStatus::Waiting)
                ++r.pending;
            continue;
        }
        const qint64 ms = from.msecsTo(to);
        r.durationsMs.append(ms);
        ++r.measured;
        if (ms <= qint64(sla.targetMinutes) * 60000)
            ++r.met;
    }
    return r;
}

ojson ReconciliationReport::toJson() const
{
    auto list = [](const QStringList &l) {
        ojson a = ojson::array();
        for (const QString &s : l)
            a.push_back(s.toStdString());
        return a;
    };
    return ojson{{"id", id.toStdString()}, {"left", left}, {"right", right},
                 {"matched", matched}, {"leftOnly", list(leftOnly)},
                 {"rightOnly", list(rightOnly)}, {"duplicatesLeft", list(duplicatesLeft)},
                 {"duplicatesRight", list(duplicatesRight)},
                 {"outOfSequence", list(outOfSequence)}, {"mismatches", mismatches}};
}

ReconciliationReport reconcile(const model::Reconciliation &spec, const QVector<ojson> &left,
                               const QVector<ojson> &right)
{
    ReconciliationReport r;
    r.id = spec.id;
    r.left = left.size();
    r.right = right.size();
    auto index = [](const QVector<ojson> &records, const QString &key, QStringList &dups) {
        QHash<QString, int> idx;
        QStringList order;
        for (int i = 0; i < records.size(); ++i) {
            const QString k = text(at(records[i], key));
            if (k.isEmpty())
                continue;
            if (idx.contains(k)) {
                if (!dups.contains(k))
                    dups << k;
                continue;
            }
            idx.insert(k, i);
        }
        return idx;
    };
    const QHash<QString, int> li = index(left, spec.leftKey, r.duplicatesLeft);
    const QHash<QString, int> ri = index(right, spec.rightKey, r.duplicatesRight);
    QStringList keys = li.keys();
    keys.sort();
    for (const QString &k : keys) {
        auto it = ri.constFind(k);
        if (it == ri.constEnd()) {
            r.leftOnly << k;
            continue;
        }
        ++r.matched;
        const ojson &a = left[li.value(k)];
        const ojson &b = right[*it];
        const QDateTime ta = updatedAt(a), tb = updatedAt(b);
        if (ta.isValid() && tb.isValid() && ta < tb)
            r.outOfSequence << k;
        for (const auto &f : spec.fields) {
            const QString va = text(at(a, f.first)), vb = text(at(b, f.second));
            if (va != vb) {
                r.mismatches.push_back({{"key", k.toStdString()},
                                        {"field", f.first.toStdString()},
                                        {"left", va.toStdString()},
                                        {"right", vb.toStdString()}});
            }
        }
    }
    QStringList rk = ri.keys();
    rk.sort();
    for (const QString &k : rk) {
        if (!li.contains(k))
            r.rightOnly << k;
    }
    return r;
}

} // namespace sb::runtime
