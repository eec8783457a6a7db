#pragma once

// The edges of the landscape: data flows (Project::flows) and the system-to-system hops of
// each workflow. Geometry (end points on the card borders, a curve control point that fans
// out parallel edges, the arrow head, the label position) is computed here, so the QML edge
// layer only binds to roles.

#include "app/shell/rowlistmodel.h"
#include "model/document.h"

#include <QPointF>
#include <QtQml/qqmlregistration.h>

class FlowsModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by StudioController")
public:
    enum Role {
        EdgeIdRole = Qt::UserRole + 1, EdgeKindRole, ElementRole, FromSystemRole, ToSystemRole,
        LabelRole, ModeRole, StartXRole, StartYRole, ControlXRole, ControlYRole, EndXRole,
        EndYRole, ArrowLeftXRole, ArrowLeftYRole, ArrowRightXRole, ArrowRightYRole,
        LabelXRole, LabelYRole, LabelRoomRole
    };
    Q_ENUM(Role)

    explicit FlowsModel(sb::model::Document *document, QObject *parent = nullptr);

private:
    struct Row
    {
        QString key;
        QString kind;        // "flow" or "workflow"
        QString element;     // flow:<id> or workflow:<id>
        QString from;
        QString to;
        QString label;
        QString mode;
        QPointF start, control, end, arrowLeft, arrowRight, labelPos;
        // How wide the label may be, centred on labelPos, and stay clear of the two cards
        // it connects (a large number where nothing limits it).
        qreal labelRoom = 0;
        int lane = 0;   // among the parallel edges between the same two systems
        int lanes = 1;
        bool operator==(const Row &o) const;
    };
    QVector<Row> buildRows() const;
    void refresh();
    // The curve of a row from its systems' cards and its lane.
    void placeRow(Row &row) const;
    // A card moved: only the edges at that system change shape.
    void moveEdgesOf(const QString &systemId);

    sb::model::Document *m_document;
    QVector<Row> m_rows;
};
