#pragma once

// The project file format: JSON with "format": "switchboard-project" and "version".
// Saving is deterministic (fixed key order, document order for lists, defaults omitted), so
// the same document always gives byte-identical output. Loading checks every value and
// reports the first problem with file, line, column and JSON path; it never half-loads.

#include "model/project.h"
#include "model/result.h"

#include <QByteArray>

namespace sb::model {

inline constexpr const char *kProjectFormat = "switchboard-project";

// Parses project JSON text. `fileName` only labels errors.
Result<Project> parseProject(const QByteArray &text, const QString &fileName = QString());
QByteArray serializeProject(const Project &project);

// Largest project or bundle file the loaders read.
inline constexpr qint64 kMaxInputFileBytes = 256LL * 1024 * 1024;

// Reads a whole input file: refuses anything but a regular file (a FIFO would block, a
// device never end) and files over `limit` bytes, checked before reading (never more than
// limit + 1 bytes are read, in case the file grows meanwhile). Errors name the file.
Result<QByteArray> readInputFile(const QString &fileName, qint64 limit = kMaxInputFileBytes);

Result<Project> loadProject(const QString &fileName);
// Writes beside the target and renames over it, so a crash mid-save leaves the old file whole.
Result<bool> saveProject(const Project &project, const QString &fileName);
// The same atomic write for any bytes (used by autosave and exports).
Result<bool> writeFileAtomically(const QString &fileName, const QByteArray &bytes);

// Line and column (1-based) of a byte offset in `text`.
std::pair<int, int> lineColumnAt(const QByteArray &text, qsizetype offset);
// Byte offset of the value at a JSON pointer in well-formed JSON text; -1 if absent.
qsizetype locateJsonPointer(const QByteArray &text, const QString &pointer);

} // namespace sb::model
