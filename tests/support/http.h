#pragma once

// Bounded HTTP requests on loopback for tests: the answer, or status 0 with the reason
// when the server is gone or the wait (15 s unless told) runs out.

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>

namespace sb::testsupport {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Http
{
    int status = 0;          // 0: transport error (e.g. the server was killed)
    QByteArray body;
    QByteArray type;         // Content-Type
    QByteArray authenticate; // WWW-Authenticate
    Headers headers;         // all of the answer's headers
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QByteArray header(const QByteArray &name) const;
};

// One manager for the whole test run (Qt caches connections per manager).
QNetworkAccessManager &nam();

// `body` goes as application/json; `bearer`, when given, as an Authorization header.
Http request(const QByteArray &method, const QString &url, const QByteArray &body = {},
             const Headers &headers = {}, const QByteArray &bearer = {},
             int timeoutMs = 15000);

} // namespace sb::testsupport
