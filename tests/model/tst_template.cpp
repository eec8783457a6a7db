// The bundled Quote-to-Cash example (templates/quote-to-cash): it loads, round-trips byte for
// byte, its data sets are present and well-formed with the documented defects, and the
// validator finds no errors in it.

#include "model/projectjson.h"
#include "model/validator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::model;

namespace {

QString templateDir()
{
    return QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash");
}

QString projectPath()
{
    return templateDir() + QStringLiteral("/quote-to-cash.switchboard");
}

QStringList entityNames(const System &s)
{
    QStringList names;
    for (const Entity &e : s.entities)
        names << e.name;
    return names;
}

// Reads a JSON Lines file; fails the calling test (via the returned flag) on a bad line.
bool readJsonLines(const QString &fileName, QVector<QJsonObject> &records, QString &problem)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        problem = fileName + QStringLiteral(": ") + file.errorString();
        return false;
    }
    int lineNo = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNo;
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            problem = QStringLiteral("%1:%2: %3").arg(fileName).arg(lineNo).arg(
                error.error != QJsonParseError::NoError ? error.errorString()
                                                        : QStringLiteral("not an object"));
            return false;
        }
        records.push_back(doc.object());
    }
    return true;
}

} // namespace

class TstTemplate : public QObject
{
    Q_OBJECT

private:
    Project m_project;
    QHash<QString, QVector<QJsonObject>> m_data; // dataset id -> records

private slots:
    void initTestCase();
    void loads();
    void hasSystemsAndEntities();
    void hasWorkflowsSlaAndReconciliation();
    void ownershipIsComplete();
    void serializeIsByteIdentical();
    void saveAndReloadIsEqual();
    void datasetsExistAndParse();
    void deliberateDefectsArePresent();
    void validatorFindsNoErrors();
};

void TstTemplate::initTestCase()
{
    auto loaded = loadProject(projectPath());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    m_project = loaded.value();
}

void TstTemplate::loads()
{
    QCOMPARE(m_project.name, QStringLiteral("Quote-to-Cash"));
    QVERIFY(!m_project.description.isEmpty());
}

void TstTemplate::hasSystemsAndEntities()
{
    QCOMPARE(m_project.systems.size(), 4);
    const QHash<QString, QStringList> expected = {
        {QStringLiteral("crm"), {"Account", "Contact", "Opportunity", "Quote"}},
        {QStringLiteral("billing"),
         {"BillingAccount", "Plan", "Subscription", "Invoice", "Payment"}},
        {QStringLiteral("erp"), {"Customer", "SalesOrder", "Invoice", "Payment", "JournalEntry"}},
        {QStringLiteral("support"), {"Organization", "Entitlement", "Ticket"}},
    };
    QSet<QString> colors;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const System *s = m_project.system(it.key());
        QVERIFY2(s, qPrintable(it.key()));
        QCOMPARE(entityNames(*s), it.value());
        QVERIFY(!s->color.isEmpty());
        colors.insert(s->color);
        // sandbox plus a live profile whose secret is a reference
        QVERIFY(s->profiles.size() >= 2);
        QVERIFY(s->profiles[0].sandbox);
        for (const EndpointProfile &p : s->profiles) {
            if (!p.sandbox) {
                QVERIFY(p.baseUrl.startsWith(QLatin1String("https://")));
                QVERIFY2(p.secretRef.startsWith(QLatin1String("env:")), qPrintable(p.secretRef));
                QVERIFY(p.timeoutMs > 0);
            }
        }
    }
    QCOMPARE(colors.size(), 4);

    // Quote lines are an array of objects.
    const Entity *quote = m_project.system(QStringLiteral("crm"))->entity(QStringLiteral("Quote"));
    const Field *lines = quote->field(QStringLiteral("lines"));
    QVERIFY(lines);
    QVERIFY(lines->type == FieldType::Array);
    QVERIFY(lines->itemType == FieldType::Object);
    QVERIFY(!lines->fields.isEmpty());

    for (const char *id : {"Customer", "Contact", "Product", "Order", "Subscription", "Invoice",
                           "Payment", "Entitlement", "Case"})
        QVERIFY2(m_project.canonicalEntity(QLatin1String(id)), id);
}

void TstTemplate::hasWorkflowsSlaAndReconciliation()
{
    QCOMPARE(m_project.workflows.size(), 4);
    for (const char *id : {"closed-won-to-cash", "payment-failure-to-credit-hold",
                           "customer-master-sync", "nightly-reconciliation"})
        QVERIFY2(m_project.workflow(QLatin1String(id)), id);

    const Workflow *q2c = m_project.workflow(QStringLiteral("closed-won-to-cash"));
    QVERIFY(q2c->trigger.type == TriggerType::Webhook);
    QCOMPARE(q2c->trigger.deadLetter, QStringLiteral("dlq"));
    bool hasApprove = false, hasWait = false, hasCompensate = false;
    for (const Step &s : q2c->steps) {
        hasApprove |= s.type == StepType::Approve;
        hasWait |= s.type == StepType::Wait;
        hasCompensate |= s.type == StepType::Compensate;
    }
    QVERIFY(hasApprove && hasWait && hasCompensate);

    const Workflow *nightly = m_project.workflow(QStringLiteral("nightly-reconciliation"));
    QVERIFY(nightly->trigger.type == TriggerType::Schedule);
    QCOMPARE(nightly->trigger.schedule, QStringLiteral("0 2 * * *"));

    // The two directions of the customer sync are loop-guarded.
    int guarded = 0;
    for (const DataFlow &f : m_project.flows)
        if (f.entity == QLatin1String("Customer") && f.workflow == QLatin1String("customer-master-sync"))
            guarded += f.loopGuard ? 1 : -100;
    QCOMPARE(guarded, 2);

    QCOMPARE(m_project.slas.size(), 1);
    const Sla &sla = m_project.slas.first();
    QCOMPARE(sla.id, QStringLiteral("closed-won-to-order"));
    QCOMPARE(sla.workflow, QStringLiteral("closed-won-to-cash"));
    QCOMPARE(sla.fromMilestone, QStringLiteral("trigger"));
    QVERIFY(q2c->step(sla.toMilestone));
    QCOMPARE(sla.targetMinutes, 15);

    QCOMPARE(m_project.reconciliations.size(), 1);
    const Reconciliation &r = m_project.reconciliations.first();
    QCOMPARE(r.id, QStringLiteral("crm-accounts-vs-erp-customers"));
    QVERIFY(r.left == (EntityRef{QStringLiteral("crm"), QStringLiteral("Account")}));
    QVERIFY(r.right == (EntityRef{QStringLiteral("erp"), QStringLiteral("Customer")}));
    QVERIFY(!r.fields.isEmpty());
}

void TstTemplate::ownershipIsComplete()
{
    for (const CanonicalEntity &c : m_project.canonical) {
        for (const Field &f : c.fields) {
            const OwnershipRule *rule = m_project.ownershipFor(c.id, f.name);
            QVERIFY2(rule, qPrintable(c.id + QLatin1Char('.') + f.name));
            QCOMPARE(rule->owners.size(), 1);
        }
    }
}

void TstTemplate::serializeIsByteIdentical()
{
    QFile file(projectPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray onDisk = file.readAll();
    const QByteArray written = serializeProject(m_project);
    if (written != onDisk) {
        // Point at the first difference to make a failure easy to read.
        qsizetype i = 0;
        while (i < written.size() && i < onDisk.size() && written[i] == onDisk[i])
            ++i;
        const auto [line, column] = lineColumnAt(onDisk, i);
        QFAIL(qPrintable(QStringLiteral("first difference at line %1, column %2:\n file: %3\n "
                                        "saved: %4")
                             .arg(line)
                             .arg(column)
                             .arg(QString::fromUtf8(onDisk.mid(i, 80)),
                                  QString::fromUtf8(written.mid(i, 80)))));
    }
}

void TstTemplate::saveAndReloadIsEqual()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("copy.switchboard"));
    auto saved = saveProject(m_project, copy);
    QVERIFY(saved.ok());
    auto reloaded = loadProject(copy);
    QVERIFY2(reloaded.ok(), qPrintable(reloaded.ok() ? QString() : reloaded.error().toString()));
    QVERIFY(reloaded.value() == m_project);
}

void TstTemplate::datasetsExistAndParse()
{
    QVERIFY(m_project.datasets.size() >= 4);
    const QDir base = QFileInfo(projectPath()).dir();
    for (const Dataset &d : m_project.datasets) {
        const QString path = base.filePath(d.file);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        QVERIFY2(!d.description.isEmpty(), qPrintable(d.id));
        if (!d.system.isEmpty()) {
            const System *s = m_project.system(d.system);
            QVERIFY2(s && s->entity(d.entity), qPrintable(d.id));
        }
        QVector<QJsonObject> records;
        QString problem;
        QVERIFY2(readJsonLines(path, records, problem), qPrintable(problem));
        QVERIFY2(!records.isEmpty(), qPrintable(path));
        m_data.insert(d.id, records);
    }
    QVERIFY(m_data.value(QStringLiteral("crm-accounts")).size() >= 200);
    QVERIFY(m_data.value(QStringLiteral("crm-opportunities")).size() >= 300);
    QVERIFY(!m_data.value(QStringLiteral("erp-customers")).isEmpty());

    // Every opportunity carries a quote with lines.
    for (const QJsonObject &o : m_data.value(QStringLiteral("crm-opportunities"))) {
        const QJsonObject quote = o.value(QStringLiteral("quote")).toObject();
        QVERIFY2(!quote.value(QStringLiteral("lines")).toArray().isEmpty(),
                 qPrintable(o.value(QStringLiteral("id")).toString()));
    }
}

void TstTemplate::deliberateDefectsArePresent()
{
    const QVector<QJsonObject> accounts = m_data.value(QStringLiteral("crm-accounts"));
    QVERIFY(!accounts.isEmpty());
    int withoutTaxId = 0;
    int unknownCountry = 0;
    QHash<QString, QSet<QString>> idsByNameAndTaxId;
    for (const QJsonObject &a : accounts) {
        const QString taxId = a.value(QStringLiteral("taxId")).toString();
        if (taxId.isEmpty())
            ++withoutTaxId;
        const QString country = a.value(QStringLiteral("billingAddress"))
                                    .toObject()
                                    .value(QStringLiteral("country"))
                                    .toString();
        if (country == QLatin1String("XX"))
            ++unknownCountry;
        if (!taxId.isEmpty())
            idsByNameAndTaxId[a.value(QStringLiteral("name")).toString() + QLatin1Char('|') + taxId]
                .insert(a.value(QStringLiteral("id")).toString());
    }
    QVERIFY(withoutTaxId >= 1);
    QVERIFY(unknownCountry >= 1);
    int duplicates = 0;
    for (const QSet<QString> &ids : idsByNameAndTaxId)
        duplicates += ids.size() > 1 ? 1 : 0;
    QVERIFY(duplicates >= 1);

    int wrongCurrency = 0;
    for (const QJsonObject &o : m_data.value(QStringLiteral("crm-opportunities"))) {
        const QString quoteCurrency =
            o.value(QStringLiteral("quote")).toObject().value(QStringLiteral("currency")).toString();
        if (o.value(QStringLiteral("currency")).toString() != quoteCurrency)
            ++wrongCurrency;
    }
    QVERIFY(wrongCurrency >= 1);

    // The description of the accounts data set names its defects.
    for (const Dataset &d : m_project.datasets) {
        if (d.id == QLatin1String("crm-accounts")) {
            QVERIFY(d.description.contains(QLatin1String("no tax id")));
            QVERIFY(d.description.contains(QLatin1String("\"XX\"")));
            QVERIFY(d.description.contains(QLatin1String("duplicate")));
        }
        if (d.id == QLatin1String("crm-opportunities"))
            QVERIFY(d.description.contains(QLatin1String("wrong currency")));
    }
}

void TstTemplate::validatorFindsNoErrors()
{
    const QVector<Finding> findings = validateProject(m_project);
    QStringList errors;
    for (const Finding &f : findings) {
        const QString line = QStringLiteral("%1 [%2] %3 (%4)")
                                 .arg(toString(f.severity), f.ruleId, f.message,
                                      f.location.element);
        if (f.severity == Severity::Error)
            errors << line;
        else
            qInfo().noquote() << line;
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TstTemplate)
#include "tst_template.moc"
