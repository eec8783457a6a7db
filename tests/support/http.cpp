#include "tests/support/http.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace sb::testsupport {

QByteArray Http::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QNetworkAccessManager &nam()
{
    // Leaked on purpose: a static destroyed after QCoreApplication would crash at exit.
    static auto *m = new QNetworkAccessManager;
    return *m;
}

Http request(const QByteArray &method, const QString &url, const QByteArray &body,
             const Headers &headers, const QByteArray &bearer, int timeoutMs)
{
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer);
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam().sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    if (!reply->isFinished())
        reply->abort();
    Http h;
    h.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    h.body = reply->readAll();
    h.type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    h.authenticate = reply->rawHeader("WWW-Authenticate");
    h.headers = reply->rawHeaderPairs();
    if (h.status == 0) // say why, for the failure message
        h.body = "transport error: " + reply->errorString().toUtf8();
    reply->deleteLater();
    return h;
}

} // namespace sb::testsupport
