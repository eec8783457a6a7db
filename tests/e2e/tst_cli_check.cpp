// validate and export run one check pipeline: a JSONata text that does not parse, wherever it
// sits in the project, is an error naming the element, its JSON pointer and file:line:column,
// and export refuses to write a bundle that would dead-letter every record.
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace sb::testsupport;

namespace {

const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

QJsonValue setAt(const QJsonValue &node, const QStringList &path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    const QStringList rest = path.mid(1);
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        const int i = path.first().toInt();
        a[i] = setAt(a.at(i), rest, value);
        return a;
    }
    QJsonObject o = node.toObject();
    o[path.first()] = setAt(o.value(path.first()), rest, value);
    return o;
}

QJsonObject loadTemplate()
{
    QFile f(kTemplate);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The first place of each kind of expression in the template: a pointer whose value (or
// part of it, for a path template) becomes a broken expression.
struct Spot
{
    QString kind;
    QString pointer;
    QString rule;
};

QVector<Spot> spots(const QJsonObject &project)
{
    QVector<Spot> out;
    const QString mappingRule = QStringLiteral("mapping.expression-syntax");
    const QString workflowRule = QStringLiteral("workflow.expression-syntax");
    out << Spot{QStringLiteral("mapping-condition"), QStringLiteral("/mappings/0/condition"),
                mappingRule}
        << Spot{QStringLiteral("rule-expression"),
                QStringLiteral("/mappings/0/rules/0/expression"), mappingRule}
        << Spot{QStringLiteral("rule-condition"), QStringLiteral("/mappings/1/rules/0/condition"),
                mappingRule}
        << Spot{QStringLiteral("trigger-filter"), QStringLiteral("/workflows/0/trigger/filter"),
                workflowRule}
        << Spot{QStringLiteral("trigger-event-id"),
                QStringLiteral("/workflows/0/trigger/eventId"), workflowRule};
    const QJsonArray workflows = project.value(QLatin1String("workflows")).toArray();
    auto firstStep = [&](const char *key, const char *kind) {
        for (int w = 0; w < workflows.size(); ++w) {
            const QJsonArray steps =
                workflows[w].toObject().value(QLatin1String("steps")).toArray();
            for (int s = 0; s < steps.size(); ++s) {
                if (steps[s].toObject().contains(QLatin1String(key))) {
                    out << Spot{QLatin1String(kind),
                                QStringLiteral("/workflows/%1/steps/%2/%3").arg(w).arg(s).arg(
                                    QLatin1String(key)),
                                workflowRule};
                    return;
                }
            }
        }
    };
    firstStep("path", "step-path");
    firstStep("idempotencyKey", "idempotency-key");
    firstStep("rules", "validate-rule");
    firstStep("correlation", "wait-correlation");
    for (int w = 0; w < workflows.size(); ++w) {
        const QJsonArray edges = workflows[w].toObject().value(QLatin1String("edges")).toArray();
        for (int e = 0; e < edges.size(); ++e) {
            if (edges[e].toObject().contains(QLatin1String("condition"))) {
                out << Spot{QStringLiteral("edge-condition"),
                            QStringLiteral("/workflows/%1/edges/%2/condition").arg(w).arg(e),
                            workflowRule};
                w = int(workflows.size());
                break;
            }
        }
    }
    return out;
}

} // namespace

class TestCliCheck : public QObject
{
    Q_OBJECT
private slots:
    void brokenExpressionIsNamedAndRefused_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("rule");
        const QVector<Spot> all = spots(loadTemplate());
        // Every kind the template has; the template has them all today, and losing one
        // would silently weaken this test.
        QCOMPARE(all.size(), 10);
        for (const Spot &s : all)
            QTest::newRow(qPrintable(s.kind)) << s.pointer << s.rule;
    }

    void brokenExpressionIsNamedAndRefused()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, rule);
        const QString marker = QStringLiteral("broken") + QString(pointer).replace('/', '-');
        const QString broken = QStringLiteral("(\"%1\" &").arg(marker);
        QJsonObject project = loadTemplate();
        const QStringList path = pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        QJsonValue value = broken;
        if (path.last() == QLatin1String("path")) // a template: break one placeholder
            value = QStringLiteral("/records/{%1}").arg(broken);
        else if (path.last() == QLatin1String("rules"))
            value = QJsonArray{broken};
        project = setAt(project, path, value).toObject();

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("broken.switchboard"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(project).toJson(QJsonDocument::Indented));
        out.close();

        const Run r = run({QStringLiteral("validate"), file});
        QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
        const QString expectedPointer =
            pointer.endsWith(QLatin1String("rules")) ? pointer + QStringLiteral("/0") : pointer;
        // "file:line:column: error [rule] ... at <element label> (<pointer>)"
        const QRegularExpression head(QRegularExpression::escape(file)
                                      + QStringLiteral(":(\\d+):(\\d+): error \\[")
                                      + QRegularExpression::escape(rule) + QStringLiteral("\\]"));
        const QRegularExpressionMatch m = head.match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1Char('(') + expectedPointer + QLatin1Char(')')),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("JSONata syntax error")), qPrintable(r.out));
        // The line named holds the broken text, and the column is where its value starts.
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = written.readAll().split('\n');
        const int line = m.captured(1).toInt();
        const int column = m.captured(2).toInt();
        QVERIFY(line >= 1 && line <= lines.size());
        const QByteArray text = lines.at(line - 1);
        QVERIFY2(text.contains(marker.toUtf8()), qPrintable(QString::fromUtf8(text)));
        QVERIFY2(column >= 1 && column <= text.size(), qPrintable(QString::number(column)));
        QCOMPARE(text.at(column - 1), '"');

        // --json carries the same place.
        const Run json = run({QStringLiteral("validate"), file, QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 1);
        bool found = false;
        const QJsonArray findings =
            QJsonDocument::fromJson(json.out.toUtf8()).object().value("findings").toArray();
        for (const QJsonValue &f : findings) {
            const QJsonObject o = f.toObject();
            if (o.value("rule").toString() == rule
                && o.value("pointer").toString() == expectedPointer) {
                found = o.value("line").toInt() == line && o.value("column").toInt() == column
                        && !o.value("element").toString().isEmpty();
            }
        }
        QVERIFY2(found, qPrintable(json.out));

        const QString bundle = dir.filePath(QStringLiteral("out.bundle.json"));
        const Run exported = run({QStringLiteral("export"), file, QStringLiteral("-o"), bundle});
        QVERIFY2(exported.exitCode == 1, qPrintable(exported.out + exported.err));
        QVERIFY(exported.err.contains(QLatin1String("export refused")));
        QVERIFY(exported.err.contains(expectedPointer));
        QVERIFY(!QFile::exists(bundle));
    }

    void governanceFindingsCarryAPointerToo()
    {
        const QString conflict =
            QStringLiteral(SWITCHBOARD_TEST_DATA "/ownership-conflict.switchboard");
        const Run r = run({QStringLiteral("validate"), conflict, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray findings =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("findings").toArray();
        bool located = false;
        for (const QJsonValue &f : findings) {
            const QJsonObject o = f.toObject();
            if (o.value("rule").toString() == QLatin1String("ownership.multiple-owners"))
                located = o.value("pointer").toString().startsWith(QLatin1String("/ownership/"))
                          && o.value("line").toInt() > 0;
        }
        QVERIFY2(located, qPrintable(r.out));
    }

    void cleanTemplateExports()
    {
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("q2c.bundle.json"));
        const Run r = run({QStringLiteral("export"), kTemplate, QStringLiteral("-o"), bundle});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(QFile::exists(bundle));
    }
};

QTEST_GUILESS_MAIN(TestCliCheck)
#include "tst_cli_check.moc"
