#pragma once

// Base of the studio's list models: rows are plain structs rebuilt from the document, then
// synchronised with the previous rows by key, so views receive fine-grained rowsInserted /
// rowsRemoved / dataChanged signals (a moved node changes one row) instead of a reset.

#include <QAbstractListModel>
#include <QHash>
#include <QSet>
#include <QVector>

#include <algorithm>

class RowListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;
    static constexpr int kMaxRuns = 64;

protected:
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
};
