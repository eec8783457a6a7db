#pragma once

// The primitives of the project reader, shared by its files: typed reads that throw a
// DecodeError (never beyond the reader: parseProject turns it into an sb::Error with line
// and column) naming the JSON pointer of the offending value.

#include "model/project.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <set>
#include <string>

namespace sb::model::readdetail {

using json = nlohmann::ordered_json;

struct DecodeError
{
    QString message;
    std::string path;
};

inline std::string child(const std::string &path, const std::string &key)
{
    std::string escaped;
    for (char c : key) {
        if (c == '~')
            escaped += "~0";
        else if (c == '/')
            escaped += "~1";
        else
            escaped += c;
    }
    return path + "/" + escaped;
}

inline std::string child(const std::string &path, size_t index)
{
    return path + "/" + std::to_string(index);
}

inline const char *typeName(const json &j)
{
    switch (j.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "a number";
    default:
        return "an unsupported value";
    }
}

[[noreturn]] inline void fail(const std::string &path, const QString &message)
{
    throw DecodeError{message, path};
}

inline void expectObject(const json &j, const std::string &path,
                         std::initializer_list<const char *> keys)
{
    if (!j.is_object())
        fail(path, QStringLiteral("expected an object, found %1").arg(typeName(j)));
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char *k : keys) {
            if (it.key() == k) {
                known = true;
                break;
            }
        }
        if (!known)
            fail(child(path, it.key()),
                 QStringLiteral("unknown key '%1'").arg(QString::fromStdString(it.key())));
    }
}

inline const json *member(const json &o, const char *key)
{
    auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
}

inline QString readString(const json &o, const char *key, const std::string &path,
                          bool required = false)
{
    const json *v = member(o, key);
    if (!v) {
        if (required)
            fail(path, QStringLiteral("missing required key '%1'").arg(QLatin1String(key)));
        return QString();
    }
    if (!v->is_string())
        fail(child(path, key), QStringLiteral("'%1' must be a string, found %2")
                                   .arg(QLatin1String(key), typeName(*v)));
    return QString::fromStdString(v->get<std::string>());
}

inline bool readBool(const json &o, const char *key, const std::string &path,
                     bool fallback = false)
{
    const json *v = member(o, key);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        fail(child(path, key), QStringLiteral("'%1' must be true or false, found %2")
                                   .arg(QLatin1String(key), typeName(*v)));
    return v->get<bool>();
}

inline double readNumber(const json &o, const char *key, const std::string &path, double fallback)
{
    const json *v = member(o, key);
    if (!v)
        return fallback;
    if (!v->is_number())
        fail(child(path, key), QStringLiteral("'%1' must be a number, found %2")
                                   .arg(QLatin1String(key), typeName(*v)));
    return v->get<double>();
}

inline int readInt(const json &o, const char *key, const std::string &path, int fallback = 0)
{
    const json *v = member(o, key);
    if (!v)
        return fallback;
    if (!v->is_number_integer() || v->get<long long>() < 0 || v->get<long long>() > 2147483647LL)
        fail(child(path, key), QStringLiteral("'%1' must be a non-negative integer, found %2")
                                   .arg(QLatin1String(key), typeName(*v)));
    return int(v->get<long long>());
}

inline QStringList readStringList(const json &o, const char *key, const std::string &path)
{
    QStringList out;
    const json *v = member(o, key);
    if (!v)
        return out;
    const std::string p = child(path, key);
    if (!v->is_array())
        fail(p, QStringLiteral("'%1' must be an array of strings, found %2")
                    .arg(QLatin1String(key), typeName(*v)));
    for (size_t i = 0; i < v->size(); ++i) {
        const json &item = (*v)[i];
        if (!item.is_string())
            fail(child(p, i), QStringLiteral("expected a string, found %1").arg(typeName(item)));
        out << QString::fromStdString(item.get<std::string>());
    }
    return out;
}

inline QVector<int> readIntList(const json &o, const char *key, const std::string &path)
{
    QVector<int> out;
    const json *v = member(o, key);
    if (!v)
        return out;
    const std::string p = child(path, key);
    if (!v->is_array())
        fail(p, QStringLiteral("'%1' must be an array of integers").arg(QLatin1String(key)));
    for (size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_number_integer())
            fail(child(p, i),
                 QStringLiteral("expected an integer, found %1").arg(typeName((*v)[i])));
        out << (*v)[i].get<int>();
    }
    return out;
}

inline QPointF readPosition(const json &o, const std::string &path)
{
    const json *v = member(o, "position");
    if (!v)
        return {};
    const std::string p = child(path, "position");
    if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number() || !(*v)[1].is_number())
        fail(p, QStringLiteral("'position' must be [x, y]"));
    return QPointF((*v)[0].get<double>(), (*v)[1].get<double>());
}

template <typename E, typename Parse>
E readEnum(const json &o, const char *key, const std::string &path, E fallback, Parse parse,
           const char *choices)
{
    const json *v = member(o, key);
    if (!v)
        return fallback;
    if (!v->is_string())
        fail(child(path, key), QStringLiteral("'%1' must be a string, found %2")
                                   .arg(QLatin1String(key), typeName(*v)));
    const QString s = QString::fromStdString(v->get<std::string>());
    auto parsed = parse(s);
    if (!parsed)
        fail(child(path, key), QStringLiteral("unknown %1 '%2' (expected one of: %3)")
                                   .arg(QLatin1String(key), s, QLatin1String(choices)));
    return *parsed;
}

template <typename T, typename ReadOne>
QVector<T> readList(const json &o, const char *key, const std::string &path, ReadOne readOne)
{
    QVector<T> out;
    const json *v = member(o, key);
    if (!v)
        return out;
    const std::string p = child(path, key);
    if (!v->is_array())
        fail(p, QStringLiteral("'%1' must be an array, found %2")
                    .arg(QLatin1String(key), typeName(*v)));
    out.reserve(qsizetype(v->size()));
    for (size_t i = 0; i < v->size(); ++i)
        out.push_back(readOne((*v)[i], child(p, i)));
    return out;
}

// Ids must be present, non-empty and unique within their list.
template <typename T, typename GetId>
void requireUniqueIds(const QVector<T> &items, const std::string &listPath, GetId getId,
                      const char *what)
{
    std::set<QString> seen;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString id = getId(items[i]);
        const std::string p = child(listPath, size_t(i));
        if (id.isEmpty())
            fail(p, QStringLiteral("%1 without an id").arg(QLatin1String(what)));
        if (!seen.insert(id).second)
            fail(p, QStringLiteral("duplicate %1 id '%2'").arg(QLatin1String(what), id));
    }
}

// One element of the project's "tests" (projectread_tests.cpp).
ProjectTest readProjectTest(const json &j, const std::string &path);

} // namespace sb::model::readdetail
