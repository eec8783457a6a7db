#pragma once

// Combo box entries for elements chosen by id but shown by name: [{value: id, text: name}].
// A name used twice gets its id in brackets, so every entry reads differently; an element
// without a name shows its id.

#include <QHash>
#include <QVariantList>
#include <QVector>

namespace studio {

template <typename T>
QVariantList namedChoices(const QVector<T> &items)
{
    QHash<QString, int> uses;
    for (const T &item : items)
        ++uses[item.name.isEmpty() ? item.id : item.name];
    QVariantList out;
    out.reserve(items.size());
    for (const T &item : items) {
        const QString name = item.name.isEmpty() ? item.id : item.name;
        const QString text = uses.value(name) > 1 && name != item.id
                                 ? name + QStringLiteral(" (") + item.id + QLatin1Char(')')
                                 : name;
        out << QVariantMap{{QStringLiteral("value"), item.id}, {QStringLiteral("text"), text}};
    }
    return out;
}

} // namespace studio
