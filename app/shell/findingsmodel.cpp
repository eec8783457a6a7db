#include "app/shell/findingsmodel.h"

#include "model/elementref.h"

#include <QHash>

using namespace sb::model;

bool FindingsModel::Row::operator==(const Row &o) const
{
    return key == o.key && severity == o.severity && ruleId == o.ruleId && message == o.message
           && element == o.element && display == o.display;
}

FindingsModel::FindingsModel(QObject *parent) : RowListModel(parent) {}

void FindingsModel::setFindings(const QVector<Finding> &findings)
{
    m_findings = findings;
    QVector<Row> next;
    next.reserve(findings.size());
    QHash<QString, int> occurrences;  // identical findings stay distinct rows
    for (const Finding &f : findings) {
        Row r;
        r.severity = toString(f.severity);
        r.rank = int(f.severity);
        r.ruleId = f.ruleId;
        r.message = f.message;
        r.element = f.location.element;
        r.display = f.location.display.isEmpty() ? f.location.element : f.location.display;
        const QString base = f.ruleId + QLatin1Char('|') + f.location.element
                             + QLatin1Char('|') + f.message;
        r.key = base + QLatin1Char('#') + QString::number(occurrences[base]++);
        next << r;
    }
    syncRows(m_rows, next);
    emit findingsUpdated();
}

QString FindingsModel::systemOf(const QString &element)
{
    const ElementRef ref = ElementRef::parse(element);
    return ref.kind() == ElementRef::Kind::System ? ref.system() : QString();
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case MessageRole: return r.message;
    case SeverityRole: return r.severity;
    case SeverityRankRole: return r.rank;
    case RuleIdRole: return r.ruleId;
    case ElementRole: return r.element;
    case LocationRole: return r.display;
    case SystemIdRole: return systemOf(r.element);
    }
    return QVariant();
}

QHash<int, QByteArray> FindingsModel::roleNames() const
{
    return {{SeverityRole, "severity"}, {SeverityRankRole, "severityRank"},
            {RuleIdRole, "ruleId"},     {MessageRole, "message"},
            {ElementRole, "element"},   {LocationRole, "locationText"},
            {SystemIdRole, "systemId"}};
}
