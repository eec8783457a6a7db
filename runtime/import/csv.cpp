#include "runtime/import/csv.h"

#include <QSet>

namespace sb::runtime {

namespace {

constexpr int kMaxCsvRows = 10000; // rows looked at for type inference

// Splits CSV text into records (RFC 4180: quotes, doubled quotes, newlines in quotes).
QVector<QStringList> splitCsv(const QString &text, QChar delimiter)
{
    QVector<QStringList> records;
    QStringList record;
    QString cell;
    bool quoted = false;
    bool any = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    cell += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"') && cell.trimmed().isEmpty()) {
            cell.clear();
            quoted = true;
            any = true;
        } else if (c == delimiter) {
            record << cell;
            cell.clear();
            any = true;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            if (any || !cell.isEmpty()) {
                record << cell;
                records << record;
            }
            record.clear();
            cell.clear();
            any = false;
            if (records.size() > kMaxCsvRows)
                return records;
        } else {
            cell += c;
            any = true;
        }
    }
    if (any || !cell.isEmpty()) {
        record << cell;
        records << record;
    }
    return records;
}

} // namespace

Result<CsvTable> parseCsv(const QByteArray &bytes, const QString &fileName)
{
    QByteArray raw = bytes;
    if (raw.startsWith("\xEF\xBB\xBF"))
        raw.remove(0, 3);
    const QString text = QString::fromUtf8(raw);
    // Delimiter: whichever of ; , tab occurs most in the header line outside quotes.
    const int end = text.indexOf(QLatin1Char('\n'));
    const QString headerLine = end < 0 ? text : text.left(end);
    int counts[3] = {0, 0, 0};
    const QChar candidates[3] = {QLatin1Char(','), QLatin1Char(';'), QLatin1Char('\t')};
    bool quoted = false;
    for (const QChar c : headerLine) {
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        for (int i = 0; i < 3 && !quoted; ++i)
            counts[i] += c == candidates[i];
    }
    CsvTable table;
    int best = 0;
    for (int i = 1; i < 3; ++i)
        if (counts[i] > counts[best])
            best = i;
    table.delimiter = candidates[best];

    QVector<QStringList> records = splitCsv(text, table.delimiter);
    if (records.isEmpty())
        return Error{QStringLiteral("empty CSV file: no header row"), fileName};
    const QStringList header = records.takeFirst();
    QSet<QString> seen;
    for (int i = 0; i < header.size(); ++i) {
        QString name = header[i].trimmed();
        if (name.isEmpty())
            name = QStringLiteral("column%1").arg(i + 1);
        QString unique = name;
        for (int n = 2; seen.contains(unique); ++n)
            unique = name + QLatin1Char('_') + QString::number(n);
        seen.insert(unique);
        table.header << unique;
    }
    table.rows = records;
    return table;
}

} // namespace sb::runtime
