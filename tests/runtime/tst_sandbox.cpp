// Sandbox systems: in-process API, then a real `switchboard-run sandbox` over loopback HTTP.
#include "model/projectjson.h"
#include "runtime/sandbox/sandbox.h"
#include "runtime/sandbox/schemacheck.h"
#include "model/entityschema.h"
#include "tests/support/http.h"
#include "tests/support/process.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <set>
#include <QSignalSpy>
#include <QtTest>

using namespace sb;
using namespace sb::runtime;

namespace {

const QString kMini = QStringLiteral(SWITCHBOARD_TEST_DATA "/mini/mini.switchboard");
const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

std::unique_ptr<Sandbox> makeSandbox(const QString &file = kMini, quint64 seed = 7)
{
    auto p = model::loadProject(file);
    if (!p.ok())
        qFatal("%s", qPrintable(p.error().toString()));
    auto s = Sandbox::create(p.value(), QFileInfo(file).absolutePath(), seed);
    if (!s.ok())
        qFatal("%s", qPrintable(s.error().toString()));
    return s.takeValue();
}

SandboxResponse call(Sandbox &s, const QString &method, const QString &path,
                     const QByteArray &body = QByteArray(), const QByteArray &idemKey = {})
{
    SandboxRequest r;
    r.method = method;
    const int q = path.indexOf(QLatin1Char('?'));
    r.path = q < 0 ? path : path.left(q);
    r.query = q < 0 ? QString() : path.mid(q + 1);
    r.body = body;
    if (!idemKey.isEmpty())
        r.headers.insert("idempotency-key", idemKey);
    return s.handle(r);
}

QJsonObject obj(const QByteArray &b) { return QJsonDocument::fromJson(b).object(); }

const QByteArray kGood =
    R"({"customerId":"C9","name":"Nine","email":"n@nine.example","creditLimit":"10.00"})";

} // namespace

class TestSandbox : public QObject
{
    Q_OBJECT
private slots:
    void schemaFromFields()
    {
        auto p = model::loadProject(kMini);
        QVERIFY(p.ok());
        const auto s = model::entityJsonSchema(*p.value().system("crm")->entity("Account"));
        QCOMPARE(s["type"], "object");
        QCOMPARE(s["required"], nlohmann::json::array({"id", "name"}));
        QCOMPARE(s["properties"]["name"]["maxLength"], 60);
        QCOMPARE(s["properties"]["address"]["required"], nlohmann::json::array({"city"}));
        QCOMPARE(s["properties"]["tags"]["items"]["type"], "string");
        QVERIFY(s["properties"]["segment"]["enum"].size() == 3); // + null: optional
    }

    // SchemaCheck checks date, time and date-time itself: it must agree with valijson, value
    // by value, on whether a document fits and on what it says where.
    void schemaCheckFormatsAgreeWithValijson()
    {
        using nlohmann::json;
        const json schema = {
            {"type", "object"},
            {"properties",
             {{"d", {{"type", json::array({"string", "null"})}, {"format", "date"}}},
              {"t", {{"type", "string"}, {"format", "time"}}},
              {"dt", {{"type", "string"}, {"format", "date-time"}}},
              {"list", {{"type", "array"},
                        {"items", {{"type", "object"},
                                   {"properties", {{"at", {{"type", "string"},
                                                           {"format", "date-time"}}}}}}}}}}}};
        const std::vector<std::string> samples = {
            "2024-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "24-1-1", "", "2024-1-01",
            "x2024-01-01", "2024-01-01x", "2024-07-31", "2024-08-31", "2024-09-31",
            "0000-12-31", "2024-00-10", "2024-01-00", "10:00:00Z", "10:00:00.5-02:00",
            "23:59:60z", "24:00:00Z", "10:60:00Z", "10:00", "10:00:00", "10:00:00.Z",
            "10:00:00|01:00", "10:00:00+24:00", "10:00:00+01:60", "2024-01-01T10:00:00Z",
            "2024-01-01t23:59:60.123+05:30", "2024-01-01T24:00:00Z", "2024-01-01T10:00:00",
            "2024-06-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-01-01 10:00:00Z"};
        valijson::Schema reference;
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter sa(schema);
        parser.populateSchema(sa, reference);
        runtime::SchemaCheck check(schema);
        for (const std::string &v : samples) {
            for (const char *field : {"d", "t", "dt", "list"}) {
                json doc = {{field, v}};
                if (std::string(field) == "list")
                    doc = {{"list", json::array({json::object(), {{"at", v}}})}};
                valijson::Validator validator;
                valijson::ValidationResults results;
                valijson::adapters::NlohmannJsonAdapter target(doc);
                const bool expected = validator.validate(reference, target, &results);
                std::set<std::string> want;
                valijson::ValidationResults::Error e;
                while (results.popError(e)) {
                    if (e.description.rfind("Failed to validate", 0) != 0)
                        want.insert(e.description + " @"
                                    + std::to_string(e.context.size()) + e.context.back());
                }
                std::vector<runtime::SchemaIssue> issues;
                const bool got = check.validate(doc, &issues);
                std::set<std::string> have;
                for (const auto &i : issues) {
                    if (i.description.rfind("Failed to validate", 0) != 0)
                        have.insert(i.description + " @" + std::to_string(i.context.size())
                                    + i.context.back());
                }
                const QByteArray what = QByteArray(field) + " = " + v.c_str();
                QVERIFY2(got == expected, what.constData());
                QVERIFY2(have == want, what.constData());
            }
        }
    }

    void seededFromDatasets()
    {
        auto s = makeSandbox();
        QCOMPARE(s->recordCount("crm", "Account"), 3);
        QCOMPARE(s->recordCount("erp", "Customer"), 2);
        const auto c2 = s->record("erp", "Customer", "C2");
        QVERIFY(c2);
        QCOMPARE((*c2)["name"], "Borealis, Oy");   // quoted CSV cell
        QCOMPARE((*c2)["active"], false);           // typed from the schema
        QVERIFY(!c2->contains("email"));            // empty cell: absent
        QVERIFY(s->eventsSince(0).isEmpty());       // seeding is not a change
    }

    void crudValidationAndEvents()
    {
        auto s = makeSandbox();
        QSignalSpy spy(s.get(), &Sandbox::changed);
        auto r = call(*s, "POST", "/erp/Customer", kGood);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.header("Location"), QByteArray("/erp/Customer/C9"));
        QCOMPARE(call(*s, "POST", "/erp/Customer", kGood).status, 409); // no duplicates
        QCOMPARE(call(*s, "GET", "/erp/customers/C9").status, 200);    // REST spelling
        QCOMPARE(call(*s, "PATCH", "/erp/Customer/C9", R"({"active":true})").status, 200);
        QCOMPARE((*s->record("erp", "Customer", "C9"))["active"], true);
        QCOMPARE(call(*s, "PUT", "/erp/Customer/C10", R"({"name":"Ten"})").status, 201);
        QCOMPARE(call(*s, "PUT", "/erp/Customer/C10", R"({"name":"Ten!"})").status, 200);
        QCOMPARE(call(*s, "PUT", "/erp/Customer/C10", R"({"customerId":"X","name":"T"})").status,
                 400);
        QCOMPARE(call(*s, "DELETE", "/erp/Customer/C10").status, 204);
        QCOMPARE(call(*s, "DELETE", "/erp/Customer/C10").status, 404);
        QCOMPARE(call(*s, "POST", "/erp/Customer/C10", kGood).status, 405);

        auto bad = call(*s, "POST", "/crm/Account",
                        R"({"id":"A9","name":12,"segment":"galactic","email":"nope",)"
                        R"("address":{"country":"DEU"},"tags":[1]})");
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.header("Content-Type"), QByteArray("application/problem+json"));
        const QJsonObject p = obj(bad.body);
        QCOMPARE(p["status"].toInt(), 400);
        QVERIFY(!p["title"].toString().isEmpty());
        QVERIFY(p["detail"].toString().contains("crm.Account"));
        QStringList pointers;
        for (const auto &e : p["errors"].toArray())
            pointers << e.toObject()["pointer"].toString();
        for (const char *want : {"/name", "/segment", "/email", "/address/country", "/tags/0"})
            QVERIFY2(pointers.contains(want), qPrintable(pointers.join(' ') + " lacks " + want));
        QVERIFY2(pointers.contains("/address"), qPrintable(pointers.join(' '))); // city required

        QCOMPARE(call(*s, "POST", "/crm/Account", "{not json").status, 400);
        QCOMPARE(call(*s, "POST", "/crm/Account", "[1]").status, 400);
        QCOMPARE(call(*s, "GET", "/nosuch/Account").status, 404);
        QCOMPARE(call(*s, "GET", "/crm/Nosuch").status, 404);
        QCOMPARE(call(*s, "GET", "/crm").status, 404);
        QCOMPARE(call(*s, "GET", "/crm/Account/A1/x/y").status, 404);

        const auto events = s->eventsSince(0);
        QCOMPARE(events.size(), 5); // created, updated, created, updated, deleted
        QCOMPARE(spy.count(), 5);
        const auto &e = events[0];
        QCOMPARE(e["specversion"], "1.0");
        QCOMPARE(e["type"], "erp.customer.created");
        QCOMPARE(e["subject"], "C9");
        QCOMPARE(e["source"], "/sandbox/erp");
        QCOMPARE(e["datacontenttype"], "application/json");
        QVERIFY(e.contains("time") && e.contains("id") && e.contains("data"));
        QCOMPARE(events[4]["type"], "erp.customer.deleted");
        // Numbered on from the clock, so a restarted sandbox never repeats a number.
        const qint64 b = std::stoll(events[0]["sequence"].get<std::string>()) - 1;
        QVERIFY(b >= (QDateTime::currentMSecsSinceEpoch() - 600000) * 1000);
        QCOMPARE(std::stoll(events[4]["sequence"].get<std::string>()), b + 5);
        QCOMPARE(s->eventsSince(b + 4).size(), 1);
        const auto list = obj(call(*s, "GET", QStringLiteral("/_sandbox/events?since=%1")
                                                   .arg(b + 3)).body);
        QCOMPARE(list["events"].toArray().size(), 2);
        QCOMPARE(call(*s, "GET", "/_sandbox/events?since=x").status, 400);
        // Paged: the oldest `limit` after the cursor; `last` is still the newest.
        const auto page = obj(call(*s, "GET", QStringLiteral("/_sandbox/events?since=%1&limit=2")
                                                   .arg(b + 1)).body);
        QCOMPARE(page["events"].toArray().size(), 2);
        QCOMPARE(page["events"].toArray()[0].toObject()["sequence"].toString(),
                 QString::number(b + 2));
        QCOMPARE(page["last"].toInteger(), b + 5);
        QCOMPARE(s->eventsSince(b + 5).size(), 0);
        QCOMPARE(call(*s, "GET", "/_sandbox/events?since=0&limit=0").status, 400);
        const auto filtered = QJsonDocument::fromJson(
            call(*s, "GET", "/crm/Account?segment=smb").body).array();
        QCOMPARE(filtered.size(), 1);
    }

    void idempotencyKeys()
    {
        auto s = makeSandbox();
        auto first = call(*s, "POST", "/erp/Customer", kGood, "key-1");
        QCOMPARE(first.status, 201);
        QVERIFY(first.header("Idempotent-Replayed").isEmpty());
        // Same key, same body (reformatted): the original answer, flagged as a replay.
        const QByteArray reformatted = QJsonDocument::fromJson(kGood).toJson();
        auto again = call(*s, "POST", "/erp/Customer", reformatted, "key-1");
        QCOMPARE(again.status, 201);
        QCOMPARE(again.body, first.body);
        QCOMPARE(again.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(s->recordCount("erp", "Customer"), 3);
        QCOMPARE(s->eventsSince(0).size(), 1);
        auto other = call(*s, "POST", "/erp/Customer", R"({"customerId":"C8","name":"E"})",
                          "key-1");
        QCOMPARE(other.status, 422);
        QVERIFY(obj(other.body)["detail"].toString().contains("key-1"));
        // Keys are per system.
        QCOMPARE(call(*s, "POST", "/crm/Account", R"({"id":"A7","name":"Seven"})", "key-1")
                     .status, 201);
    }

    void faultInjection()
    {
        auto s = makeSandbox();
        QVERIFY(!s->setFaultsJson(R"({"system":"nope","outage":true})").ok());
        QVERIFY(!s->setFaultsJson(R"({"system":"erp","errorRate":2})").ok());
        QVERIFY(!s->setFaultsJson("{").ok());

        QVERIFY(s->setFaultsJson(R"({"system":"erp","outage":true,"retryAfterSeconds":3})").ok());
        auto down = call(*s, "GET", "/erp/Customer");
        QCOMPARE(down.status, 503);
        QCOMPARE(down.header("Retry-After"), QByteArray("3"));
        QCOMPARE(call(*s, "GET", "/crm/Account").status, 200); // other systems unaffected
        QVERIFY(s->setFaultsJson(R"({"system":"erp","outage":false})").ok());
        QCOMPARE(call(*s, "GET", "/erp/Customer").status, 200);

        QVERIFY(s->setFaultsJson(R"({"system":"erp","rateLimitPerSecond":5})").ok());
        int ok = 0, limited = 0;
        for (int i = 0; i < 20; ++i) {
            auto r = call(*s, "GET", "/erp/Customer");
            if (r.status == 200)
                ++ok;
            if (r.status == 429) {
                ++limited;
                QVERIFY(r.header("Retry-After").toInt() >= 1);
            }
        }
        QCOMPARE(ok, 5);
        QCOMPARE(limited, 15);

        // Error rate: reproducible for a given seed, close to the rate asked for.
        auto countFailures = [](quint64 seed) {
            auto sb = makeSandbox(kMini, seed);
            if (!sb->setFaultsJson(R"({"system":"crm","errorRate":0.3,"latencyMs":25})").ok())
                return QString("faults refused");
            QString pattern;
            for (int i = 0; i < 400; ++i) {
                auto r = call(*sb, "GET", "/crm/Account/A1");
                if (r.delayMs != 25)
                    return QString("bad delay");
                pattern += r.status >= 500 ? 'x' : '.';
            }
            return pattern;
        };
        const QString a = countFailures(42);
        QCOMPARE(countFailures(42), a);
        QVERIFY(countFailures(43) != a);
        const int failures = int(a.count('x'));
        QVERIFY2(failures > 80 && failures < 160, qPrintable(QString::number(failures)));

        QVERIFY(s->setFaultsJson(R"([{"system":"erp","rateLimitPerSecond":0},)"
                                 R"({"system":"crm","outageWindows":[[0, 600000]]}])").ok());
        QCOMPARE(call(*s, "GET", "/crm/Account").status, 503);
        QCOMPARE(call(*s, "GET", "/erp/Customer").status, 200);
        const auto faults = obj(call(*s, "GET", "/_sandbox/faults").body);
        QCOMPARE(faults["crm"].toObject()["outageWindows"].toArray().size(), 1);
    }

    void quoteToCashSeeds()
    {
        if (!QFile::exists(kTemplate))
            QSKIP("the Quote-to-Cash template is not there yet");
        auto s = makeSandbox(kTemplate);
        QVERIFY(s->recordCount("crm", "Account") > 100);
        QVERIFY(s->recordCount("crm", "Opportunity") > 100);
    }

    // ---- over HTTP, as a separate process --------------------------------------------

    void overHttp()
    {
        QProcess proc;
        proc.start(testsupport::runnerPath(),
                   {"sandbox", kMini, "--listen", "127.0.0.1:0", "--seed", "5"});
        QVERIFY(proc.waitForStarted());
        const QString line = testsupport::readFirstLine(proc);
        QVERIFY2(line.startsWith("listening on http://127.0.0.1:"),
                 qPrintable(line + proc.readAllStandardError()));
        const QString base = line.trimmed().mid(QStringLiteral("listening on ").size());

        auto send = [&](const QByteArray &verb, const QString &path, const QByteArray &body,
                        const QByteArray &key = {}) {
            testsupport::Headers headers;
            if (!key.isEmpty())
                headers.append({"Idempotency-Key", key});
            return testsupport::request(verb, base + path, body, headers, {}, 10000);
        };

        auto created = send("POST", "/erp/Customer", kGood, "h-1");
        QCOMPARE(created.status, 201);
        auto replay = send("POST", "/erp/Customer", kGood, "h-1");
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(replay.body, created.body);
        QCOMPARE(send("POST", "/erp/Customer", R"({"name":"x"})", "h-1").status, 422);

        auto invalid = send("POST", "/erp/Customer", R"({"customerId":"C5","name":5})");
        QCOMPARE(invalid.status, 400);
        QCOMPARE(invalid.type, QByteArray("application/problem+json"));
        QCOMPARE(obj(invalid.body)["errors"].toArray()[0].toObject()["pointer"].toString(),
                 QStringLiteral("/name"));
        QCOMPARE(send("POST", "/erp/Customer", "{oops").status, 400);
        QCOMPARE(send("GET", "/erp/Customer/none", {}).status, 404);
        QCOMPARE(send("GET", "/mars/rover", {}).status, 404);
        QCOMPARE(send("PATCH", "/erp/Customer/C9", R"({"active":true})").status, 200);

        auto events = obj(send("GET", "/_sandbox/events?since=0", {}).body);
        QCOMPARE(events["events"].toArray().size(), 2);

        QCOMPARE(send("POST", "/_sandbox/faults", R"({"system":"erp","rateLimitPerSecond":1,)"
                                                  R"("retryAfterSeconds":2})").status, 200);
        int limited = 0;
        for (int i = 0; i < 6; ++i) {
            auto r = send("GET", "/erp/Customer", {});
            if (r.status == 429) {
                ++limited;
                QCOMPARE(r.header("Retry-After").toInt(), 2);
            }
        }
        QVERIFY2(limited >= 3, qPrintable(QString::number(limited)));
        QCOMPARE(send("POST", "/_sandbox/faults", R"({"system":"erp","outage":true,)"
                                                  R"("rateLimitPerSecond":0})").status, 200);
        auto down = send("GET", "/erp/Customer", {});
        QCOMPARE(down.status, 503);
        QVERIFY(!down.header("Retry-After").isEmpty());
        QCOMPARE(send("POST", "/_sandbox/faults", R"({"system":"erp","latencyMs":"x"})").status,
                 400);
        const auto faults = obj(send("GET", "/_sandbox/faults", {}).body);
        QCOMPARE(faults["erp"].toObject()["outage"].toBool(), true);
        QCOMPARE(send("POST", "/_sandbox/faults", R"({"system":"crm","latencyMs":300})").status,
                 200);
        QElapsedTimer t;
        t.start();
        QCOMPARE(send("GET", "/crm/Account/A1", {}).status, 200);
        QVERIFY(t.elapsed() >= 280);

        QVERIFY(proc.state() == QProcess::Running); // survived every bad request
        proc.terminate();                             // SIGTERM
        QVERIFY(proc.waitForFinished(10000));
        QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
        QCOMPARE(proc.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
