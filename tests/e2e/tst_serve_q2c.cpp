// Quote-to-Cash end to end over loopback: `export` the example, `sandbox` on the project and
// `serve` on the bundle with --sandbox-url (serve follows the sandbox's change events over
// HTTP). 500 closed-won webhooks built from the example's opportunities: every closed-won one,
// closed-won variants of the opportunities of the deliberately bad accounts, and duplicates
// (same id and lastModifiedAt: the trigger's event id). The test plays the billing system (an
// invoice for each new subscription, so `wait-invoice` resumes) and the deal desk (approves
// discount tasks through the admin API). Every expectation is computed from the data.
#include "serve_harness.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace e2e;

namespace {

const QString kDir = QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash");
constexpr int kPosts = 500;
constexpr int kWorkTimeoutMs = 150000;

QVector<QJsonObject> readJsonl(const QString &file)
{
    QFile f(file);
    QVector<QJsonObject> out;
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QString str(const QJsonObject &o, const char *key) { return o[QLatin1String(key)].toString(); }

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Where a bad opportunity must fail, and the word its reason must name.
struct Defect
{
    QString step;
    QString word;
};

// Counts of `field` over the records of a sandbox collection.
QHash<QString, int> countBy(const QString &url, const QString &field, bool *ok)
{
    const Http h = getJson(url);
    *ok = h.status == 200 && h.json().isArray();
    QHash<QString, int> out;
    for (const auto &v : h.json().array())
        out[v.toObject()[field].toVariant().toString()] += 1;
    return out;
}

} // namespace

class TestServeQ2c : public QObject
{
    Q_OBJECT
private slots:
    void quoteToCashOverHttp();
    void waitResumesAfterRestart();

private:
    void tick();
    // Plays billing and the deal desk until every instance in `ids` is terminal.
    QHash<QString, QString> settle(const QSet<QString> &ids, int timeoutMs);

    QString m_sb;     // sandbox base URL
    QString m_base;   // serve base URL
    qint64 m_cursor = 0;
    QSet<QString> m_invoiced;        // subscription ids
    QSet<qint64> m_approved;         // task ids
    QStringList m_tickErrors;
};

// One round of the outside world: billing issues the first invoice of every new subscription;
// the deal desk approves every open task. A request that timed out (status 0, a loaded machine)
// is tried again next round; any other failure is recorded.
void TestServeQ2c::tick()
{
    const Http e = getJson(m_sb + QStringLiteral("/_sandbox/events?since=%1").arg(m_cursor));
    if (e.status == 0)
        return;
    if (e.status != 200) {
        m_tickErrors << QStringLiteral("events: %1 %2").arg(e.status).arg(
            QString::fromUtf8(e.body));
        return;
    }
    for (const auto &v : e.json().object()[QStringLiteral("events")].toArray()) {
        const QJsonObject ev = v.toObject();
        m_cursor = std::max(m_cursor, str(ev, "sequence").toLongLong());
        if (str(ev, "type") != QLatin1String("billing.subscription.created"))
            continue;
        const QJsonObject sub = ev[QStringLiteral("data")].toObject();
        const QString id = str(sub, "id");
        if (m_invoiced.contains(id))
            continue;
        const QJsonObject invoice{
            {QStringLiteral("number"), QStringLiteral("INV-") + id},
            {QStringLiteral("accountRef"), sub[QStringLiteral("accountRef")]},
            {QStringLiteral("subscriptionRef"), id},
            {QStringLiteral("issueDate"), sub[QStringLiteral("startDate")]},
            {QStringLiteral("currency"), sub[QStringLiteral("currency")]},
            {QStringLiteral("total"), 100.0 * sub[QStringLiteral("quantity")].toDouble()},
            {QStringLiteral("status"), QStringLiteral("open")}};
        const Http r = request("POST", m_sb + QStringLiteral("/billing/Invoice"),
                               compact(invoice));
        if (r.status == 201) {
            m_invoiced.insert(id);
        } else if (r.status == 0) {
            m_cursor = str(ev, "sequence").toLongLong() - 1; // from this event, next round
            break;
        } else {
            m_tickErrors << QStringLiteral("invoice: %1 %2").arg(r.status).arg(
                QString::fromUtf8(r.body));
        }
    }
    const Http t = getJson(m_base + QStringLiteral("/api/tasks"), true);
    for (const auto &v : t.json().array()) {
        const QJsonObject task = v.toObject();
        const qint64 id = task[QStringLiteral("id")].toVariant().toLongLong();
        if (str(task, "status") != QLatin1String("open") || m_approved.contains(id))
            continue;
        const Http r = request("POST", m_base + QStringLiteral("/api/tasks/%1/approve").arg(id),
                               R"({"by":"deal-desk","note":"e2e"})", true);
        // 409: decided meanwhile (an earlier attempt that timed out went through).
        if (r.status == 200 || r.status == 409)
            m_approved.insert(id);
        else if (r.status != 0)
            m_tickErrors << QStringLiteral("approve: %1 %2").arg(r.status).arg(
                QString::fromUtf8(r.body));
    }
}

QHash<QString, QString> TestServeQ2c::settle(const QSet<QString> &ids, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QHash<QString, QString> status;
    while (clock.elapsed() < timeoutMs) {
        tick();
        const Http h = getJson(m_base + QStringLiteral("/api/instances"), true);
        status.clear();
        for (const auto &v : h.json().array()) {
            const QJsonObject o = v.toObject();
            if (ids.contains(str(o, "id")))
                status.insert(str(o, "id"), str(o, "status"));
        }
        bool done = status.size() == ids.size();
        for (const QString &s : std::as_const(status))
            done = done && terminal(s);
        if (done)
            break;
        QTest::qWait(250);
    }
    return status;
}

void TestServeQ2c::quoteToCashOverHttp()
{
    QElapsedTimer total;
    total.start();
    const QString projectFile = kDir + QStringLiteral("/quote-to-cash.switchboard");
    QFile pf(projectFile);
    QVERIFY(pf.open(QIODevice::ReadOnly));
    const QJsonObject project = QJsonDocument::fromJson(pf.readAll()).object();
    const QVector<QJsonObject> accounts =
        readJsonl(kDir + QStringLiteral("/data/crm-accounts.jsonl"));
    const QVector<QJsonObject> opportunities =
        readJsonl(kDir + QStringLiteral("/data/crm-opportunities.jsonl"));
    QVERIFY(accounts.size() > 100 && opportunities.size() > 100);

    // The country names the Customer mapping knows (its value map): others are defects.
    QHash<QString, QString> countryCodes;
    for (const auto &m : project[QStringLiteral("mappings")].toArray()) {
        if (str(m.toObject(), "id") != QLatin1String("crm-account-to-customer"))
            continue;
        for (const auto &vm : m.toObject()[QStringLiteral("valueMaps")].toArray()) {
            for (const auto &e : vm.toObject()[QStringLiteral("entries")].toArray())
                countryCodes.insert(e.toArray()[0].toString(), e.toArray()[1].toString());
        }
    }
    QVERIFY(!countryCodes.isEmpty());
    QHash<QString, QJsonObject> accountById;
    for (const QJsonObject &a : accounts)
        accountById.insert(str(a, "id"), a);
    // A bad opportunity fails at the first check of the workflow that it breaks.
    auto defect = [&](const QJsonObject &o) -> std::optional<Defect> {
        if (o[QStringLiteral("quote")].toObject()[QStringLiteral("currency")]
            != o[QStringLiteral("currency")])
            return Defect{QStringLiteral("validate-opportunity"), QStringLiteral("currency")};
        const QJsonObject a = accountById.value(str(o, "accountId"));
        const QString country =
            a[QStringLiteral("billingAddress")].toObject()[QStringLiteral("country")].toString();
        if (!countryCodes.contains(country))
            return Defect{QStringLiteral("map-customer"), QStringLiteral("country")};
        if (str(a, "taxId").isEmpty())
            return Defect{QStringLiteral("validate-customer"), QStringLiteral("taxId")};
        return std::nullopt;
    };

    // Distinct webhooks: every closed-won opportunity, and a closed-won variant of every other
    // opportunity of a defective account (the data has none of those closed-won).
    QVector<QJsonObject> distinct;
    for (const QJsonObject &o : opportunities) {
        if (str(o, "stage") == QLatin1String("closed-won")) {
            distinct.append(o);
        } else if (defect(o)) {
            QJsonObject won = o;
            won[QStringLiteral("stage")] = QStringLiteral("closed-won");
            won[QStringLiteral("probability")] = 100;
            distinct.append(won);
        }
    }
    QHash<QString, Defect> defects; // opportunity id -> expected failure
    for (const QJsonObject &o : distinct) {
        if (auto d = defect(o))
            defects.insert(str(o, "id"), *d);
    }
    QSet<QString> defectSteps;
    for (const Defect &d : std::as_const(defects))
        defectSteps.insert(d.step);
    qInfo() << distinct.size() << "distinct closed-won webhooks," << defects.size()
            << "of them bad:" << defects.keys();
    QVERIFY2(defectSteps.size() == 3, "the data should have a currency, a country and a tax "
                                      "id defect");
    QVERIFY(distinct.size() < kPosts / 2);

    // Export, then the sandbox (the project with its seed data) and serve (the bundle).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bundle = dir.filePath(QStringLiteral("q2c.json"));
    QVERIFY(exportBundle(projectFile, bundle));
    Runner sandbox;
    m_sb = sandbox.start({QStringLiteral("sandbox"), projectFile, QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0")});
    QVERIFY2(!m_sb.isEmpty(), qPrintable(sandbox.errors()));
    Runner serve;
    m_base = serve.start({QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                          dir.filePath(QStringLiteral("serve.db")), QStringLiteral("--init"),
                          QStringLiteral("--sandbox-url"),
                          m_sb, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY2(!m_base.isEmpty(), qPrintable(serve.errors()));
    bool ok = false;
    const QHash<QString, int> customersBefore =
        countBy(m_sb + QStringLiteral("/erp/Customer"), QStringLiteral("externalRef"), &ok);
    QVERIFY(ok && !customersBefore.isEmpty());
    const QHash<QString, int> ordersBefore =
        countBy(m_sb + QStringLiteral("/erp/SalesOrder"), QStringLiteral("externalRef"), &ok);
    QVERIFY(ok);
    const QHash<QString, int> subscriptionsBefore =
        countBy(m_sb + QStringLiteral("/billing/Subscription"), QStringLiteral("id"), &ok);
    QVERIFY(ok);

    // 500 posts: each distinct webhook once, interleaved with duplicates of earlier ones
    // (some while the original still runs, some long after), the billing and deal desk
    // playing along every few posts.
    const QString hook = m_base + QStringLiteral("/hooks/closed-won-to-cash");
    QHash<QString, QString> instanceOf; // opportunity id -> instance
    const int duplicates = kPosts - int(distinct.size());
    int posted = 0, duplicatesPosted = 0, next = 0;
    quint32 lcg = 12345; // deterministic choice of which earlier webhook to repeat
    while (posted < kPosts) {
        const bool original = next < distinct.size()
                              && (duplicatesPosted >= duplicates || next == 0
                                  || qint64(posted) * distinct.size()
                                         >= qint64(next) * kPosts);
        if (original) {
            const QJsonObject &o = distinct[next++];
            const Http h = signedPost(hook, compact(o));
            QVERIFY2(h.status == 202, qPrintable(QStringLiteral("%1: %2 %3; serve %4")
                                                     .arg(str(o, "id")).arg(h.status)
                                                     .arg(QString::fromUtf8(h.body),
                                                          serve.describe())));
            const QJsonObject r = h.json().object();
            QCOMPARE(r[QStringLiteral("duplicate")].toBool(), false);
            instanceOf.insert(str(o, "id"), str(r, "instanceId"));
        } else {
            lcg = lcg * 1103515245u + 12345u;
            const QJsonObject &o = distinct[int((lcg >> 8) % quint32(next))];
            const Http h = signedPost(hook, compact(o));
            QVERIFY2(h.status == 200, qPrintable(QStringLiteral("duplicate %1: %2 %3")
                                                     .arg(str(o, "id")).arg(h.status)
                                                     .arg(QString::fromUtf8(h.body))));
            const QJsonObject r = h.json().object();
            QCOMPARE(r[QStringLiteral("duplicate")].toBool(), true);
            QCOMPARE(str(r, "instanceId"), instanceOf.value(str(o, "id")));
            ++duplicatesPosted;
        }
        if (++posted % 25 == 0)
            tick();
    }
    QCOMPARE(instanceOf.size(), distinct.size());
    QCOMPARE(duplicatesPosted, duplicates);
    qInfo() << "posted" << posted << "webhooks (" << duplicatesPosted << "duplicates) in"
            << total.elapsed() << "ms";

    // Every good one completes; every bad one is dead-lettered.
    const QSet<QString> all(instanceOf.cbegin(), instanceOf.cend());
    QHash<QString, QString> status = settle(all, kWorkTimeoutMs);
    QVERIFY2(m_tickErrors.isEmpty(), qPrintable(m_tickErrors.join(QLatin1Char('\n'))));
    QStringList wrong;
    for (auto it = instanceOf.cbegin(); it != instanceOf.cend(); ++it) {
        const QString want = defects.contains(it.key()) ? QStringLiteral("dead-lettered")
                                                         : QStringLiteral("completed");
        if (status.value(it.value()) != want)
            wrong << QStringLiteral("%1 (%2): %3, want %4").arg(it.key(), it.value(),
                                                               status.value(it.value()), want);
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(QStringLiteral("%1 of %2 wrong, e.g. %3; serve %4")
                                             .arg(wrong.size()).arg(instanceOf.size())
                                             .arg(wrong.mid(0, 5).join(QLatin1String("; ")),
                                                  serve.describe())));
    qInfo() << "all terminal after" << total.elapsed() << "ms;" << m_invoiced.size()
            << "invoices issued," << m_approved.size() << "approvals";

    // Each bad one in the dead-letter queue at the expected step, its reason naming the
    // problem.
    const QJsonArray letters = getJson(m_base + QStringLiteral("/api/dead-letters"), true)
                                   .json().array();
    QCOMPARE(letters.size(), defects.size());
    QHash<QString, QJsonObject> letterOf; // opportunity id -> dead letter
    for (const auto &v : letters) {
        const QJsonObject d = v.toObject();
        const QString opp = instanceOf.key(str(d, "instanceId"));
        QVERIFY2(defects.contains(opp), qPrintable(compact(d)));
        const Defect want = defects.value(opp);
        QCOMPARE(str(d, "step"), want.step);
        QVERIFY2(str(d, "error").contains(want.word), qPrintable(str(d, "error")));
        letterOf.insert(opp, d);
    }

    // Exactly once in the systems: one sales order per good opportunity, one subscription per
    // order, one entitlement per subscription, one billing account per customer, and no ERP
    // customer duplicated (the seed's own double entry stays as it was).
    auto checkEffects = [&](const QSet<QString> &done) -> QString {
        bool okAll = true, okOne = false;
        const auto orders = countBy(m_sb + QStringLiteral("/erp/SalesOrder"),
                                    QStringLiteral("externalRef"), &okOne);
        okAll &= okOne;
        const Http so = getJson(m_sb + QStringLiteral("/erp/SalesOrder"));
        QHash<QString, QString> orderNumberOf; // opportunity -> order number
        for (const auto &v : so.json().array())
            orderNumberOf.insert(str(v.toObject(), "externalRef"), str(v.toObject(),
                                                                      "orderNumber"));
        const auto subsByOrder = countBy(m_sb + QStringLiteral("/billing/Subscription"),
                                         QStringLiteral("orderRef"), &okOne);
        okAll &= okOne;
        const Http subs = getJson(m_sb + QStringLiteral("/billing/Subscription"));
        const auto entitlements = countBy(m_sb + QStringLiteral("/support/Entitlement"),
                                          QStringLiteral("externalRef"), &okOne);
        okAll &= okOne;
        const auto customers = countBy(m_sb + QStringLiteral("/erp/Customer"),
                                       QStringLiteral("externalRef"), &okOne);
        okAll &= okOne;
        const auto billingAccounts = countBy(m_sb + QStringLiteral("/billing/BillingAccount"),
                                             QStringLiteral("externalKey"), &okOne);
        okAll &= okOne;
        if (!okAll)
            return QStringLiteral("cannot list sandbox records; sandbox ") + sandbox.describe();
        QStringList problems;
        int newOrders = 0;
        for (auto it = orders.cbegin(); it != orders.cend(); ++it) {
            const int extra = it.value() - ordersBefore.value(it.key());
            newOrders += extra;
            if (extra > 0 && !done.contains(it.key()))
                problems << QStringLiteral("order for unfinished %1").arg(it.key());
        }
        if (newOrders != done.size())
            problems << QStringLiteral("%1 new sales orders for %2 opportunities")
                            .arg(newOrders).arg(done.size());
        QSet<QString> accountsDone;
        for (const QString &opp : done) {
            if (orders.value(opp) != 1 + ordersBefore.value(opp))
                problems << QStringLiteral("%1 sales orders for %2").arg(orders.value(opp))
                                .arg(opp);
            if (subsByOrder.value(orderNumberOf.value(opp)) != 1)
                problems << QStringLiteral("%1 subscriptions for %2")
                                .arg(subsByOrder.value(orderNumberOf.value(opp))).arg(opp);
            for (const QJsonObject &o : distinct) {
                if (str(o, "id") == opp)
                    accountsDone.insert(str(o, "accountId"));
            }
        }
        int newSubscriptions = 0;
        for (const auto &v : subs.json().array()) {
            const QString id = str(v.toObject(), "id");
            if (subscriptionsBefore.contains(id))
                continue;
            ++newSubscriptions;
            if (entitlements.value(id) != 1)
                problems << QStringLiteral("%1 entitlements for subscription %2")
                                .arg(entitlements.value(id)).arg(id);
        }
        if (newSubscriptions != done.size())
            problems << QStringLiteral("%1 new subscriptions for %2 opportunities")
                            .arg(newSubscriptions).arg(done.size());
        for (const QString &a : accountsDone) {
            if (customers.value(a) != std::max(1, customersBefore.value(a)))
                problems << QStringLiteral("%1 ERP customers for %2 (%3 before)")
                                .arg(customers.value(a)).arg(a).arg(customersBefore.value(a));
            if (billingAccounts.value(a) != 1)
                problems << QStringLiteral("%1 billing accounts for %2")
                                .arg(billingAccounts.value(a)).arg(a);
        }
        for (auto it = customers.cbegin(); it != customers.cend(); ++it) {
            if (!accountsDone.contains(it.key()) && it.value() != customersBefore.value(it.key()))
                problems << QStringLiteral("ERP customer %1 changed count").arg(it.key());
        }
        return problems.mid(0, 8).join(QLatin1String("; "));
    };
    QSet<QString> good;
    for (auto it = instanceOf.cbegin(); it != instanceOf.cend(); ++it) {
        if (!defects.contains(it.key()))
            good.insert(it.key());
    }
    QString problems = checkEffects(good);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));

    // Completed exactly once: one final result in each good instance's journal.
    for (const QString &opp : std::as_const(good)) {
        const Http h = getJson(m_base + QStringLiteral("/api/instances/") + instanceOf[opp], true);
        QCOMPARE(h.status, 200);
        int finals = 0;
        for (const auto &e : h.json().object()[QStringLiteral("journal")].toArray()) {
            const QJsonObject j = e.toObject();
            if (str(j, "kind") == QLatin1String("result")
                && str(j[QStringLiteral("payload")].toObject(), "status")
                       == QLatin1String("completed"))
                ++finals;
        }
        QVERIFY2(finals == 1, qPrintable(opp + QStringLiteral(": ") + h.body.left(3000)));
    }

    // Fix each bad payload and replay its dead letter: it completes.
    for (auto it = letterOf.cbegin(); it != letterOf.cend(); ++it) {
        QJsonObject vars = it.value()[QStringLiteral("context")].toObject()
                               [QStringLiteral("variables")].toObject();
        QVERIFY2(!vars.isEmpty(), qPrintable(compact(it.value())));
        const Defect d = defects.value(it.key());
        if (d.word == QLatin1String("currency")) {
            vars[QStringLiteral("currency")] =
                vars[QStringLiteral("quote")].toObject()[QStringLiteral("currency")];
        } else if (d.word == QLatin1String("country")) {
            // The country whose code prefixes the account's tax id, named as the CRM does.
            QJsonObject account = vars[QStringLiteral("account")].toObject();
            QJsonObject address = account[QStringLiteral("billingAddress")].toObject();
            const QString prefix = str(account, "taxId").left(2);
            QString name = countryCodes.key(prefix);
            if (name.isEmpty())
                name = countryCodes.keys().constFirst();
            address[QStringLiteral("country")] = name;
            account[QStringLiteral("billingAddress")] = address;
            vars[QStringLiteral("account")] = account;
        } else {
            QJsonObject customer = vars[QStringLiteral("customer")].toObject();
            QVERIFY2(!customer.isEmpty(), qPrintable(compact(vars)));
            customer[QStringLiteral("taxId")] = QStringLiteral("%1TAX%2")
                                                    .arg(str(customer, "country"))
                                                    .arg(qHash(it.key()) % 1000000);
            vars[QStringLiteral("customer")] = customer;
        }
        const Http r = request("POST", m_base + QStringLiteral("/api/dead-letters/%1/replay")
                                                  .arg(it.value()[QStringLiteral("id")].toInt()),
                               compact(vars), true);
        QVERIFY2(r.status == 202, qPrintable(QString::fromUtf8(r.body) + QStringLiteral(
                                                 "; serve ") + serve.describe()));
        QCOMPARE(str(r.json().object(), "instanceId"), instanceOf.value(it.key()));
    }
    status = settle(all, kWorkTimeoutMs);
    QVERIFY2(m_tickErrors.isEmpty(), qPrintable(m_tickErrors.join(QLatin1Char('\n'))));
    for (auto it = instanceOf.cbegin(); it != instanceOf.cend(); ++it)
        QVERIFY2(status.value(it.value()) == QLatin1String("completed"),
                 qPrintable(it.key() + QLatin1Char(' ') + status.value(it.value())));
    const QSet<QString> allOpps(instanceOf.keyBegin(), instanceOf.keyEnd());
    problems = checkEffects(allOpps);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));

    // A duplicate of a replayed one still names the original; nothing new starts.
    const QString someBad = defects.keys().constFirst();
    for (const QJsonObject &o : distinct) {
        if (str(o, "id") != someBad)
            continue;
        const Http h = signedPost(hook, compact(o));
        QCOMPARE(h.status, 200);
        QCOMPARE(str(h.json().object(), "instanceId"), instanceOf.value(someBad));
    }
    QVERIFY(serve.running());
    qInfo() << "total" << total.elapsed() << "ms";
    serve.stop();
    sandbox.stop();
}

// serve keeps its event cursor in memory: killed while instances wait for their invoice, and
// restarted after billing issued them, it reads the sandbox's events again and every wait
// resumes; each instance completes once, with one entitlement.
void TestServeQ2c::waitResumesAfterRestart()
{
    m_cursor = 0;
    m_invoiced.clear();
    m_approved.clear();
    m_tickErrors.clear();
    const QString projectFile = kDir + QStringLiteral("/quote-to-cash.switchboard");
    QVector<QJsonObject> plain; // closed-won, clean, no approval needed
    const auto opportunities = readJsonl(kDir + QStringLiteral("/data/crm-opportunities.jsonl"));
    for (const QJsonObject &o : opportunities) {
        const QJsonObject q = o[QStringLiteral("quote")].toObject();
        if (str(o, "stage") == QLatin1String("closed-won")
            && q[QStringLiteral("currency")] == o[QStringLiteral("currency")]
            && q[QStringLiteral("discountPercent")].toDouble() <= 20 && plain.size() < 6)
            plain.append(o);
    }
    QCOMPARE(plain.size(), 6);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bundle = dir.filePath(QStringLiteral("q2c.json"));
    QVERIFY(exportBundle(projectFile, bundle));
    Runner sandbox;
    m_sb = sandbox.start({QStringLiteral("sandbox"), projectFile, QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0")});
    QVERIFY2(!m_sb.isEmpty(), qPrintable(sandbox.errors()));
    const QStringList args{QStringLiteral("serve"), bundle, QStringLiteral("--db"),
                           dir.filePath(QStringLiteral("serve.db")), QStringLiteral("--init"),
                           QStringLiteral("--sandbox-url"), m_sb, QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:0")};
    Runner serve;
    m_base = serve.start(args);
    QVERIFY2(!m_base.isEmpty(), qPrintable(serve.errors()));
    QSet<QString> ids;
    for (const QJsonObject &o : plain) {
        const Http h = signedPost(m_base + QStringLiteral("/hooks/closed-won-to-cash"),
                                  compact(o));
        QCOMPARE(h.status, 202);
        ids.insert(str(h.json().object(), "instanceId"));
    }
    // All waiting for their invoice.
    QElapsedTimer clock;
    clock.start();
    int waiting = 0;
    while (waiting < ids.size() && clock.elapsed() < 60000) {
        waiting = 0;
        for (const auto &v : getJson(m_base + QStringLiteral("/api/instances"), true)
                                 .json().array()) {
            const QJsonObject o = v.toObject();
            waiting += ids.contains(str(o, "id")) && str(o, "status") == QLatin1String("waiting")
                       && str(o, "currentStep") == QLatin1String("wait-invoice");
        }
        if (waiting < ids.size())
            QTest::qWait(200);
    }
    QCOMPARE(waiting, ids.size());
    serve.kill();
    tick(); // billing issues the invoices while serve is down
    QCOMPARE(m_invoiced.size(), ids.size());
    m_base = serve.start(args);
    QVERIFY2(!m_base.isEmpty(), qPrintable(serve.errors()));
    const QHash<QString, QString> status = settle(ids, 60000);
    for (const QString &id : ids)
        QVERIFY2(status.value(id) == QLatin1String("completed"),
                 qPrintable(id + QLatin1Char(' ') + status.value(id) + QStringLiteral("; serve ")
                            + serve.describe()));
    bool ok = false;
    const auto entitlements = countBy(m_sb + QStringLiteral("/support/Entitlement"),
                                      QStringLiteral("externalRef"), &ok);
    QVERIFY(ok);
    QCOMPARE(entitlements.size(), ids.size());
    for (const int n : entitlements)
        QCOMPARE(n, 1);
    serve.stop();
    sandbox.stop();
}

QTEST_GUILESS_MAIN(TestServeQ2c)
#include "tst_serve_q2c.moc"
