#pragma once

// CSV text as a header and rows (RFC 4180 quoting; delimiter `,`, `;` or tab, the most
// frequent in the header outside quotes; UTF-8 BOM stripped), at most 10,000 records. The
// importer infers fields from it; simulations read data sets with it.

#include "model/result.h"

#include <QByteArray>
#include <QChar>
#include <QString>
#include <QStringList>
#include <QVector>

namespace sb::runtime {

struct CsvTable
{
    QChar delimiter = QLatin1Char(',');
    QStringList header;
    QVector<QStringList> rows;
};

Result<CsvTable> parseCsv(const QByteArray &text, const QString &fileName);

} // namespace sb::runtime
