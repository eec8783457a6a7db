#pragma once

// The HTTP face of `serve`: webhooks (/hooks/{id}), /metrics and the admin API under /api
// (bearer token), as a table of routes: method + path pattern -> handler.

#include "runtime/http/httpserver.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <map>

namespace sb::runtime {
struct Bundle;
class Engine;
class Store;
class WebhookGuard;
} // namespace sb::runtime

namespace sb::cli {

// What the handlers share; owned by runServe, alive while the server runs.
struct ServeState
{
    QString bundleFile;                    // read again before a replay (it may be fixed)
    const runtime::Bundle *bundle = nullptr;
    runtime::Store *store = nullptr;
    runtime::Engine *engine = nullptr;
    runtime::WebhookGuard *webhooks = nullptr; // remembers accepted signatures
    const runtime::http::Server *server = nullptr;
    QObject *pump = nullptr;               // runReady is queued on it after a webhook
    QByteArray adminToken;                 // empty: the admin API refuses every request
    bool draining = false;
    QString runnerId;                      // on PostgreSQL: this runner's id in `runners`
    std::map<QString, qint64> httpRequests; // by route label, for /metrics
};

// Answers one request: counts it, finds its route, checks the admin token under /api.
runtime::http::Response handleRequest(ServeState &state, const runtime::http::Request &request);

} // namespace sb::cli
