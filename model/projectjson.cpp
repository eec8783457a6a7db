// Project files on disk: bounded reads of regular files, atomic saves.
#include "model/projectjson.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace sb::model {

Result<QByteArray> readInputFile(const QString &fileName, qint64 limit)
{
    Error e;
    e.file = fileName;
    const QFileInfo info(fileName);
    if (!info.exists()) {
        e.message = QStringLiteral("cannot open: no such file");
        return e;
    }
    if (info.isDir() || !info.isFile()) {
        e.message = QStringLiteral("cannot read: not a regular file (%1)")
                        .arg(info.isDir() ? QStringLiteral("a directory")
                                          : QStringLiteral("a FIFO, socket or device"));
        return e;
    }
    if (info.size() > limit) {
        e.message = QStringLiteral("cannot read: the file is %1 bytes, more than the limit of "
                                   "%2 bytes").arg(info.size()).arg(limit);
        return e;
    }
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        e.message = QStringLiteral("cannot open: %1").arg(file.errorString());
        return e;
    }
    // In chunks, so no buffer of the full limit is allocated up front.
    QByteArray bytes;
    bytes.reserve(qsizetype(info.size()));
    while (bytes.size() <= limit) {
        const QByteArray chunk = file.read(std::min<qint64>(limit + 1 - bytes.size(), 1 << 20));
        if (chunk.isEmpty())
            break;
        bytes += chunk;
    }
    if (bytes.size() > limit) {
        e.message = QStringLiteral("cannot read: the file grew past the limit of %1 bytes")
                        .arg(limit);
        return e;
    }
    if (file.error() != QFileDevice::NoError) {
        e.message = QStringLiteral("cannot read: %1").arg(file.errorString());
        return e;
    }
    return bytes;
}

Result<Project> loadProject(const QString &fileName)
{
    auto bytes = readInputFile(fileName);
    if (!bytes.ok())
        return bytes.error();
    return parseProject(bytes.value(), fileName);
}

Result<bool> writeFileAtomically(const QString &fileName, const QByteArray &bytes)
{
    // QSaveFile writes to a temporary file in the same folder, flushes and renames it over
    // the target on commit(); on any failure the old file is left untouched.
    QSaveFile file(fileName);
    Error e;
    e.file = fileName;
    if (!file.open(QIODevice::WriteOnly)) {
        e.message = QStringLiteral("cannot write: %1").arg(file.errorString());
        return e;
    }
    if (file.write(bytes) != bytes.size()) {
        e.message = QStringLiteral("cannot write: %1").arg(file.errorString());
        file.cancelWriting();
        return e;
    }
    if (!file.commit()) {
        e.message = QStringLiteral("cannot save: %1").arg(file.errorString());
        return e;
    }
    return true;
}

Result<bool> saveProject(const Project &project, const QString &fileName)
{
    return writeFileAtomically(fileName, serializeProject(project));
}

} // namespace sb::model
