#pragma once

// How validate and export print findings: "file:line:column: error [rule] message", then the
// element's label and its JSON pointer, as load errors name file, line, column and path.

#include "model/jsonlocate.h"
#include "model/validator.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace sb::cli {

class FindingsReport
{
public:
    // Reads the project file's text once (bounded) to turn pointers into line:column.
    explicit FindingsReport(const QString &projectFile);

    QString text(const model::Finding &finding) const;
    QJsonObject json(const model::Finding &finding) const;

private:
    QString m_file;
    // Remembers what it scanned: printing every finding reads the text about once.
    mutable model::PointerLocator m_locator;
};

} // namespace sb::cli
