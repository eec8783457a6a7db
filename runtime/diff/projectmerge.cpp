#include "runtime/diff/projectmerge.h"

#include <QHash>

namespace sb::runtime::diff {

namespace {

using Maybe = std::optional<Json>;

Maybe member(const Maybe &object, const std::string &key)
{
    if (!object || !object->is_object())
        return std::nullopt;
    const auto it = object->find(key);
    return it == object->end() ? Maybe() : Maybe(*it);
}

class Merger
{
public:
    explicit Merger(std::vector<Conflict> &conflicts) : m_conflicts(conflicts) {}

    // The merged value; absent when the merge removes it. On conflict: ours, recorded.
    Maybe value(const Maybe &base, const Maybe &ours, const Maybe &theirs, const QStringList &path,
                const QString &key)
    {
        if (sameJson(ours, theirs))
            return ours;
        if (sameJson(base, ours))
            return theirs;
        if (sameJson(base, theirs))
            return ours;
        const bool objects = ours && theirs && ours->is_object() && theirs->is_object() &&
                             (!base || base->is_object());
        if (objects)
            return object(base, *ours, *theirs, path, key);
        if (ours && theirs) {
            const std::string name = key.section(QLatin1Char('.'), -1).toStdString();
            const auto specOurs = keyedList(name, *ours);
            const auto specTheirs = keyedList(name, *theirs);
            const auto specBase = base ? keyedList(name, *base) : specOurs;
            if (specOurs && specTheirs && specBase)
                return list(*specOurs, base.value_or(Json::array()), *ours, *theirs, path);
        }
        m_conflicts.push_back({path, key, base, ours, theirs});
        return ours;
    }

private:
    Json object(const Maybe &base, const Json &ours, const Json &theirs, const QStringList &path,
                const QString &prefix)
    {
        std::vector<std::string> keys;
        for (auto it = ours.begin(); it != ours.end(); ++it)
            keys.push_back(it.key());
        for (auto it = theirs.begin(); it != theirs.end(); ++it)
            if (!ours.contains(it.key()))
                keys.push_back(it.key());
        if (base)
            for (auto it = base->begin(); it != base->end(); ++it)
                if (!ours.contains(it.key()) && !theirs.contains(it.key()))
                    keys.push_back(it.key());
        Json merged = Json::object();
        for (const std::string &key : keys) {
            const QString name = (prefix.isEmpty() ? QString() : prefix + QLatin1Char('.')) +
                                 QString::fromStdString(key);
            // The writer leaves an empty list out: absent and [] are the same list.
            const bool isList = keyedList(key, Json::array()).has_value();
            auto side = [&](const Maybe &object) {
                Maybe v = member(object, key);
                return !v && isList && object ? Maybe(Json::array()) : v;
            };
            Maybe result = value(side(base), side(Maybe(ours)), side(Maybe(theirs)), path, name);
            if (result)
                merged[key] = std::move(*result);
        }
        return merged;
    }

    // Elements matched by identity: ours' order, then what only theirs added, in their order.
    Json list(const ListSpec &spec, const Json &base, const Json &ours, const Json &theirs,
              const QStringList &path)
    {
        const QStringList idsBase = identities(spec, base);
        const QStringList idsOurs = identities(spec, ours);
        const QStringList idsTheirs = identities(spec, theirs);
        auto find = [](const QStringList &ids, const Json &array, const QString &id) {
            const int i = ids.indexOf(id);
            return i < 0 ? Maybe() : Maybe(array[i]);
        };
        QStringList order = idsOurs;
        for (const QString &id : idsTheirs)
            if (!order.contains(id) && !idsBase.contains(id))
                order << id;
        // What ours removed and theirs kept is looked at too (it may conflict).
        for (const QString &id : idsTheirs)
            if (!order.contains(id))
                order << id;
        Json merged = Json::array();
        for (const QString &id : order) {
            const Maybe b = find(idsBase, base, id);
            const Maybe o = find(idsOurs, ours, id);
            const Maybe t = find(idsTheirs, theirs, id);
            const Json &named = o ? *o : (t ? *t : *b);
            const QStringList elementPath = path + QStringList{elementLabel(spec, named)};
            if (!o || !t) {
                // Removed on one side: fine if the other left it alone.
                const Maybe kept = o ? o : t;
                if (b && kept && !sameJson(*kept, *b)) {
                    m_conflicts.push_back({elementPath, QString(), b, o, t});
                    merged.push_back(*kept);
                } else if (!b && kept) {
                    merged.push_back(*kept);
                }
                continue;
            }
            Maybe result = value(b, o, t, elementPath, QString());
            if (result)
                merged.push_back(std::move(*result));
        }
        return merged;
    }

    std::vector<Conflict> &m_conflicts;
};

} // namespace

MergeOutcome mergeDocuments(const Json &base, const Json &ours, const Json &theirs)
{
    MergeOutcome outcome;
    Merger merger(outcome.conflicts);
    Maybe merged = merger.value(base, ours, theirs, {}, QString());
    outcome.merged = merged ? *merged : Json::object();
    return outcome;
}

QString conflictsText(const std::vector<Conflict> &conflicts)
{
    QString out;
    for (const Conflict &c : conflicts) {
        QString where = c.element.isEmpty() ? QStringLiteral("project")
                                            : c.element.join(QStringLiteral(" › "));
        if (!c.key.isEmpty())
            where += QStringLiteral(": ") + c.key;
        out += QStringLiteral("conflict: %1\n    base:   %2\n    ours:   %3\n    theirs: %4\n")
                   .arg(where, valueText(c.base), valueText(c.ours), valueText(c.theirs));
    }
    return out;
}

Json conflictsJson(const std::vector<Conflict> &conflicts)
{
    Json list = Json::array();
    for (const Conflict &c : conflicts) {
        Json entry = Json::object();
        Json element = Json::array();
        for (const QString &part : c.element)
            element.push_back(part.toStdString());
        entry["element"] = element;
        if (!c.key.isEmpty())
            entry["key"] = c.key.toStdString();
        if (c.base)
            entry["base"] = *c.base;
        if (c.ours)
            entry["ours"] = *c.ours;
        if (c.theirs)
            entry["theirs"] = *c.theirs;
        list.push_back(std::move(entry));
    }
    return list;
}

} // namespace sb::runtime::diff
