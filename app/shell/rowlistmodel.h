#pragma once

// Base of the studio's list models: rows are plain structs in a QVector, read through a role
// table (role, name, getter) so a model writes no rowCount/data/roleNames of its own. Rows
// rebuilt from the document are synchronised with the previous rows by key, so views receive
// fine-grained rowsInserted / rowsRemoved / dataChanged signals (a moved node changes one row)
// instead of a reset.

#include <QAbstractListModel>
#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QVariant>
#include <QVector>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <type_traits>

class RowListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;
    static constexpr int kMaxRuns = 64;

    // One role of a row: `name` is what QML reads (null: a role QML does not name, such as
    // Qt::DisplayRole); `get` reads it from a row.
    // `get` is a member of the row (&Row::name) or a function of the row.
    template <typename Row>
    struct Role
    {
        template <typename Get>
        Role(int r, const char *n, Get g) : role(r), name(n), get(reader(g))
        {}

        int role;
        const char *name;
        std::function<QVariant(const Row &)> get;

    private:
        template <typename T>
        static std::function<QVariant(const Row &)> reader(T Row::*member)
        {
            return [member](const Row &row) {
                // An enum reads as its number, as a `return row.kind;` from data() did.
                if constexpr (std::is_enum_v<T>)
                    return QVariant(int(row.*member));
                else
                    return QVariant::fromValue(row.*member);
            };
        }
        template <typename F>
        static std::function<QVariant(const Row &)> reader(F f)
        {
            return f;
        }
    };

    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() || !m_count ? 0 : m_count();
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return QVariant();
        const auto get = m_getters.constFind(role);
        return get == m_getters.constEnd() ? QVariant() : (*get)(index.row());
    }

    QHash<int, QByteArray> roleNames() const override { return m_roleNames; }

protected:
    // Binds the model to its row vector (a member of the model, so it lives as long) and its
    // role table; called once from the model's constructor.
    template <typename Row>
    void setRoles(const QVector<Row> *rows, std::initializer_list<Role<Row>> roles)
    {
        m_count = [rows] { return int(rows->size()); };
        for (const Role<Row> &r : roles) {
            if (r.name)
                m_roleNames.insert(r.role, QByteArray(r.name));
            m_getters.insert(r.role, [rows, get = r.get](int i) { return get(rows->at(i)); });
        }
    }

    // The index of the row whose `key` is `key`, -1 if none.
    template <typename Row>
    static int indexOfKey(const QVector<Row> &rows, const QString &key)
    {
        for (int i = 0; i < int(rows.size()); ++i) {
            if (rows[i].key == key)
                return i;
        }
        return -1;
    }

    // Row needs `QString key` and operator==. Keys must be unique within `next`.
    template <typename Row>
    void syncRows(QVector<Row> &rows, const QVector<Row> &next)
    {
        QSet<QString> nextKeys;
        for (const Row &r : next)
            nextKeys.insert(r.key);
        if (nextKeys.size() != next.size()) {
            resetRows(rows, next);
            return;
        }
        // Many scattered runs (a filter keystroke over 80,000 rows): every run costs a signal
        // and a shift of the vector, so past a few dozen one reset is far cheaper.
        QSet<QString> oldKeys;
        int runs = 0;
        bool inRun = false;
        for (const Row &r : rows) {
            oldKeys.insert(r.key);
            const bool gone = !nextKeys.contains(r.key);
            runs += gone && !inRun;
            inRun = gone;
        }
        inRun = false;
        for (const Row &r : next) {
            const bool added = !oldKeys.contains(r.key);
            runs += added && !inRun;
            inRun = added;
        }
        if (runs > kMaxRuns) {
            resetRows(rows, next);
            return;
        }
        // Removals, in contiguous runs from the back.
        for (int i = int(rows.size()) - 1; i >= 0; --i) {
            if (nextKeys.contains(rows[i].key))
                continue;
            int first = i;
            while (first > 0 && !nextKeys.contains(rows[first - 1].key))
                --first;
            beginRemoveRows(QModelIndex(), first, i);
            rows.remove(first, i - first + 1);
            endRemoveRows();
            i = first;
        }
        // Survivors must keep their relative order; a reordering falls back to a reset.
        oldKeys.clear();
        for (const Row &r : rows)
            oldKeys.insert(r.key);
        int k = 0;
        for (const Row &r : next) {
            if (!oldKeys.contains(r.key))
                continue;
            if (rows[k++].key != r.key) {
                resetRows(rows, next);
                return;
            }
        }
        // Insertions (runs of new keys) and updates.
        for (int i = 0; i < int(next.size()); ++i) {
            if (i < int(rows.size()) && rows[i].key == next[i].key) {
                if (!(rows[i] == next[i])) {
                    rows[i] = next[i];
                    emit dataChanged(index(i), index(i));
                }
                continue;
            }
            int last = i;
            while (last + 1 < int(next.size()) && !oldKeys.contains(next[last + 1].key))
                ++last;
            beginInsertRows(QModelIndex(), i, last);
            // One shift of the tail for the whole run, not one per row.
            rows.insert(i, last - i + 1, Row());
            std::copy(next.begin() + i, next.begin() + last + 1, rows.begin() + i);
            endInsertRows();
            i = last;
        }
    }

    template <typename Row>
    void resetRows(QVector<Row> &rows, const QVector<Row> &next)
    {
        beginResetModel();
        rows = next;
        endResetModel();
    }

private:
    std::function<int()> m_count;
    QHash<int, std::function<QVariant(int)>> m_getters;
    QHash<int, QByteArray> m_roleNames;
};
