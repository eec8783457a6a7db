#pragma once

// Line:column of many JSON pointers in one JSON text, each part of the text scanned about
// once: the offset of every pointer prefix looked up is remembered, so the next pointer
// starts at its deepest known ancestor, and lines are found in an index of line starts.
// `validate` on a project of tens of megabytes with hundreds of findings stays linear.

#include "model/elementpointer.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace sb::model {

class PointerLocator
{
public:
    explicit PointerLocator(QByteArray text);

    // As positionOfPointer: the value's 1-based line and column, what encloses it where the
    // text lacks a part, 0:0 for an empty pointer.
    TextPosition position(const QString &pointer);

private:
    // Offset of the value at `segments`, or of its nearest ancestor the text has.
    qsizetype locate(const QStringList &segments);

    QByteArray m_text;
    QVector<qsizetype> m_lineStarts;
    QHash<QString, qsizetype> m_offsets; // joined segments -> offset, or -1 when absent
};

} // namespace sb::model
