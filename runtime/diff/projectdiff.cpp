#include "runtime/diff/projectdiff.h"

#include "model/projectjson.h"
#include "runtime/bundle/bundle.h"

#include <QFileInfo>
#include <QHash>

namespace sb::runtime::diff {

namespace {

Result<Json> toJson(const model::Project &project)
{
    const QByteArray text = model::serializeProject(project);
    Json document = Json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (document.is_discarded())
        return Error{QStringLiteral("internal error: the project writer wrote invalid JSON")};
    return document;
}

// A short description of an added or removed element: its type or kind when it has one.
QString summary(const Json &element)
{
    for (const char *key : {"type", "kind", "pattern"}) {
        const auto it = element.find(key);
        if (it != element.end() && it->is_string())
            return QStringLiteral(" (%1)").arg(QString::fromStdString(it->get<std::string>()));
    }
    return {};
}

class Differ
{
public:
    Differ(const DiffOptions &options, std::vector<Change> &out) : m_options(options), m_out(out)
    {
    }

    // Compares two objects that are the same element; nested objects (a mapping's source, a
    // step's retry) stay part of the element and show as dotted keys.
    void element(const Json &a, const Json &b, const QStringList &path, const QString &pointer,
                 const QString &prefix = {})
    {
        std::vector<std::string> keys;
        for (auto it = b.begin(); it != b.end(); ++it)
            keys.push_back(it.key());
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!b.contains(it.key()))
                keys.push_back(it.key());
        for (const std::string &key : keys) {
            if (!m_options.layout && isLayoutKey(key))
                continue;
            const QString name = prefix + QString::fromStdString(key);
            const auto ia = a.find(key);
            const auto ib = b.find(key);
            const Json *va = ia == a.end() ? nullptr : &*ia;
            const Json *vb = ib == b.end() ? nullptr : &*ib;
            if (va && vb && sameJson(*va, *vb))
                continue;
            const Json empty = Json::array();
            const Json &la = va ? *va : empty;
            const Json &lb = vb ? *vb : empty;
            const auto specA = keyedList(key, la);
            const auto specB = keyedList(key, lb);
            if (specA && specB) {
                list(*specB, la, lb, path, pointer + QLatin1Char('/') + pointerSegment(name));
                continue;
            }
            if (va && vb && va->is_object() && vb->is_object()) {
                element(*va, *vb, path, pointer, name + QLatin1Char('.'));
                continue;
            }
            Change change;
            change.kind = ChangeKind::Changed;
            change.element = path;
            change.pointer = pointer;
            change.key = name;
            if (va)
                change.before = *va;
            if (vb)
                change.after = *vb;
            m_out.push_back(std::move(change));
        }
    }

private:
    void list(const ListSpec &spec, const Json &a, const Json &b, const QStringList &path,
              const QString &pointer)
    {
        const QStringList idsA = identities(spec, a);
        const QStringList idsB = identities(spec, b);
        QHash<QString, int> indexA;
        for (int i = 0; i < idsA.size(); ++i)
            indexA.insert(idsA[i], i);
        QHash<QString, int> indexB;
        for (int i = 0; i < idsB.size(); ++i)
            indexB.insert(idsB[i], i);

        for (int i = 0; i < idsA.size(); ++i) {
            if (indexB.contains(idsA[i]))
                continue;
            Change change;
            change.kind = ChangeKind::Removed;
            change.element = path;
            change.element << elementLabel(spec, a[i]) + summary(a[i]);
            change.pointer = pointer + QStringLiteral("/%1").arg(i);
            change.before = a[i];
            m_out.push_back(std::move(change));
        }
        QStringList commonA;
        QStringList commonB;
        for (const QString &id : idsA)
            if (indexB.contains(id))
                commonA << id;
        for (int i = 0; i < idsB.size(); ++i) {
            const QString elementPointer = pointer + QStringLiteral("/%1").arg(i);
            const auto found = indexA.constFind(idsB[i]);
            if (found == indexA.constEnd()) {
                Change change;
                change.kind = ChangeKind::Added;
                change.element = path;
                change.element << elementLabel(spec, b[i]) + summary(b[i]);
                change.pointer = elementPointer;
                change.after = b[i];
                m_out.push_back(std::move(change));
                continue;
            }
            commonB << idsB[i];
            const Json &old = a[*found];
            if (old != b[i])
                element(old, b[i], path + QStringList{elementLabel(spec, b[i])}, elementPointer);
        }
        if (spec.ordered && commonA != commonB) {
            Change change;
            change.kind = ChangeKind::Reordered;
            change.element = path;
            change.pointer = pointer;
            change.key = QString::fromLatin1(spec.array);
            m_out.push_back(std::move(change));
        }
    }

    const DiffOptions &m_options;
    std::vector<Change> &m_out;
};

} // namespace

Result<Json> loadCanonicalDocument(const QString &fileName)
{
    if (fileName == QLatin1String("/dev/null"))
        return toJson(model::Project{});
    auto text = model::readInputFile(fileName);
    if (!text.ok())
        return text.error();
    // A bundle says so in its "format"; anything else is read as a project.
    if (text.value().contains("\"switchboard-bundle\"")) {
        auto bundle = parseBundle(text.value(), fileName);
        if (bundle.ok())
            return toJson(bundle.value().project);
        if (text.value().contains("\"project\""))
            return bundle.error();
    }
    auto project = model::parseProject(text.value(), fileName);
    if (!project.ok())
        return project.error();
    return toJson(project.value());
}

std::vector<Change> diffDocuments(const Json &before, const Json &after,
                                  const DiffOptions &options)
{
    std::vector<Change> changes;
    Differ(options, changes).element(before, after, {}, QString());
    return changes;
}

QString changesText(const std::vector<Change> &changes)
{
    const QString separator = QStringLiteral(" › ");
    QString out;
    for (const Change &c : changes) {
        const QString where =
            c.element.isEmpty() ? QStringLiteral("project") : c.element.join(separator);
        switch (c.kind) {
        case ChangeKind::Added:
            out += QStringLiteral("+ %1\n").arg(where);
            break;
        case ChangeKind::Removed:
            out += QStringLiteral("- %1\n").arg(where);
            break;
        case ChangeKind::Reordered:
            out += QStringLiteral("~ %1: order of %2 changed\n").arg(where, c.key);
            break;
        case ChangeKind::Changed:
            out += QStringLiteral("~ %1: %2: %3 → %4\n")
                       .arg(where, c.key, valueText(c.before), valueText(c.after));
            break;
        }
    }
    return out;
}

Json changesJson(const std::vector<Change> &changes)
{
    static const char *const kKinds[] = {"added", "removed", "changed", "reordered"};
    Json list = Json::array();
    for (const Change &c : changes) {
        Json entry = Json::object();
        entry["change"] = kKinds[int(c.kind)];
        Json element = Json::array();
        for (const QString &part : c.element)
            element.push_back(part.toStdString());
        entry["element"] = element;
        entry["pointer"] = c.pointer.toStdString();
        if (!c.key.isEmpty())
            entry["key"] = c.key.toStdString();
        if (c.before)
            entry["before"] = *c.before;
        if (c.after)
            entry["after"] = *c.after;
        list.push_back(std::move(entry));
    }
    return list;
}

} // namespace sb::runtime::diff
