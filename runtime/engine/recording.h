#pragma once

// Recorded traffic: connector decorators that write every exchange with a system to a JSON
// Lines file (RecordingConnector) and answer calls from such a file instead of a system
// (ReplayConnector), so a run against production-shaped answers repeats offline. The file
// format is documented in docs/recording.md. Secrets never reach the file: credential
// headers and the resolved values of the profile's secret references are redacted.

#include "model/result.h"
#include "runtime/engine/connector.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace sb::runtime {

inline constexpr char kRecordingFormat[] = "switchboard-recording";

// The first line of a recording.
struct RecordingHeader
{
    QString profile;         // the endpoint profile the run used ("sandbox" when none)
    QString project;         // the project's name, for readers
};

class RecordingConnector : public Connector
{
public:
    // Truncates `file` and writes the header line; `secrets` are values redacted wherever
    // they appear (header values, bodies, URLs).
    static Result<std::unique_ptr<RecordingConnector>>
    open(std::unique_ptr<Connector> inner, const QString &file, const RecordingHeader &header,
         QList<QByteArray> secrets);

    OutboundResponse send(const OutboundRequest &request) override;
    bool canSendAsync() const override { return m_inner->canSendAsync(); }
    void sendAsync(const OutboundRequest &request, Completion done) override;

    int recorded() const { return m_count; }
    // The first write error, if any: a recording with holes must not pass for complete.
    Result<void> status() const;

private:
    RecordingConnector() = default;
    void write(const OutboundRequest &request, const OutboundResponse &response);

    std::unique_ptr<Connector> m_inner;
    QFile m_file;
    QList<QByteArray> m_secrets;
    int m_count = 0;
    QString m_error;
};

class ReplayConnector : public Connector
{
public:
    // Reads a whole recording; errors name the file and line. Bounded: a file over
    // kMaxReplayBytes is refused.
    static Result<std::unique_ptr<ReplayConnector>> load(const QString &file);
    static constexpr qint64 kMaxReplayBytes = 256LL * 1024 * 1024;

    // The next unused recorded answer to this method, path and body; none left: a transport
    // error naming the call (the engine retries and then dead-letters with it).
    OutboundResponse send(const OutboundRequest &request) override;

    // Secrets redacted from a call before it is matched, as the recorder redacted them.
    void setSecrets(const QList<QByteArray> &secrets);

    const RecordingHeader &header() const { return m_header; }
    int exchanges() const { return m_total; }
    // The calls the recording could not answer, one readable line each.
    const QStringList &unmatched() const { return m_unmatched; }

private:
    ReplayConnector() = default;

    RecordingHeader m_header;
    QString m_file;
    QHash<QByteArray, QList<OutboundResponse>> m_answers; // match key -> answers in order
    QHash<QByteArray, int> m_used;
    int m_total = 0;
    QStringList m_unmatched;
    QList<QByteArray> m_secrets;
};

// What a replay matches on: method, path (with its query) and the body (JSON normalised).
QByteArray replayKey(const QString &method, const QString &path, const QByteArray &body);
// The secrets a recording redacts: values of at least 4 bytes (shorter ones would redact half
// the traffic and guard nothing real).
QList<QByteArray> redactableSecrets(const QList<QByteArray> &secrets);

} // namespace sb::runtime
