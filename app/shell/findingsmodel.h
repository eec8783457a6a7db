#pragma once

// Governance findings of the open project for the problems panel. The controller feeds it
// the validator's output; rows are synchronised by key so an unchanged finding keeps its row.

#include "app/shell/rowlistmodel.h"
#include "model/validator.h"

#include <QtQml/qqmlregistration.h>

class FindingsModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by StudioController")
public:
    enum Role {
        SeverityRole = Qt::UserRole + 1, SeverityRankRole, RuleIdRole, MessageRole,
        ElementRole, LocationRole, SystemIdRole
    };
    Q_ENUM(Role)

    explicit FindingsModel(QObject *parent = nullptr);

    void setFindings(const QVector<sb::model::Finding> &findings);
    const QVector<sb::model::Finding> &findings() const { return m_findings; }

    // The system a location points into ("system:crm/entity:Account" gives "crm"), or empty.
    static QString systemOf(const QString &element);

signals:
    // Once per setFindings(), after the rows are in sync: views that read findings() as a
    // whole listen to this instead of the row-by-row model signals.
    void findingsUpdated();

private:
    struct Row
    {
        QString key;
        QString severity;
        int rank = 0;
        QString ruleId;
        QString message;
        QString element;
        QString display;
        bool operator==(const Row &o) const;
    };
    QVector<Row> m_rows;
    QVector<sb::model::Finding> m_findings;
};
