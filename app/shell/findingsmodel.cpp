#include "app/shell/findingsmodel.h"

#include "model/elementref.h"

#include <QHash>

using namespace sb::model;

bool FindingsModel::Row::operator==(const Row &o) const
{
    return key == o.key && severity == o.severity && ruleId == o.ruleId && message == o.message
           && element == o.element && display == o.display;
}

FindingsModel::FindingsModel(QObject *parent) : RowListModel(parent)
{
    setRoles(&m_rows, {{Qt::DisplayRole, nullptr, &Row::message},
                       {MessageRole, "message", &Row::message},
                       {SeverityRole, "severity", &Row::severity},
                       {SeverityRankRole, "severityRank", &Row::rank},
                       {RuleIdRole, "ruleId", &Row::ruleId},
                       {ElementRole, "element", &Row::element},
                       {LocationRole, "locationText", &Row::display},
                       {SystemIdRole, "systemId",
                        [](const Row &r) -> QVariant { return systemOf(r.element); }}});
}

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

