// jsonPointerOf: for every element of the bundled template, the pointer derived from its
// address leads, in the file itself, to the object with that element's id or name; an address
// the project does not have gives the deepest pointer that exists, or none.

#include "model/elementpointer.h"
#include "model/jsonlocate.h"
#include "model/projectjson.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QtTest>

using namespace sb::model;

namespace {

const QString kTemplate =
    QStringLiteral(SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

} // namespace

class TstElementPointer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        auto loaded = loadProject(kTemplate);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        m_project = loaded.takeValue();
        QFile f(kTemplate);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_text = f.readAll();
        m_json = nlohmann::json::parse(m_text.constData());
        m_locator = std::make_unique<PointerLocator>(m_text);
    }

    void everyElementLeadsToItself()
    {
        int checked = 0;
        auto expect = [&](const QString &element, const char *key, const QString &value) {
            const QString pointer = jsonPointerOf(m_project, element);
            QVERIFY2(!pointer.isEmpty(), qPrintable(element));
            const nlohmann::json &at = m_json.at(nlohmann::json::json_pointer(
                pointer.toStdString()));
            QCOMPARE(QString::fromStdString(at.at(key).get<std::string>()), value);
            const TextPosition position = positionOfPointer(m_text, pointer);
            QVERIFY(position.line > 0);
            // The locator, which remembers what it scanned, agrees with a fresh scan.
            const TextPosition remembered = m_locator->position(pointer);
            QCOMPARE(remembered.line, position.line);
            QCOMPARE(remembered.column, position.column);
            ++checked;
        };
        for (const System &s : m_project.systems) {
            const QString sys = QStringLiteral("system:") + s.id;
            expect(sys, "id", s.id);
            for (const Entity &e : s.entities) {
                const QString entity = sys + QStringLiteral("/entity:") + e.name;
                expect(entity, "name", e.name);
                for (const Field &f : e.fields) {
                    expect(entity + QStringLiteral("/field:") + f.name, "name", f.name);
                    for (const Field &child : f.fields)
                        expect(entity + QStringLiteral("/field:") + f.name + '.' + child.name,
                               "name", child.name);
                }
            }
        }
        for (const Mapping &m : m_project.mappings) {
            expect(QStringLiteral("mapping:") + m.id, "id", m.id);
            for (int i = 0; i < m.rules.size(); ++i)
                expect(QStringLiteral("mapping:%1/rule:%2").arg(m.id).arg(i), "target",
                       m.rules[i].target);
        }
        for (const Workflow &w : m_project.workflows) {
            expect(QStringLiteral("workflow:") + w.id, "id", w.id);
            for (const Step &s : w.steps)
                expect(QStringLiteral("workflow:%1/step:%2").arg(w.id, s.id), "id", s.id);
            for (int i = 0; i < w.edges.size(); ++i)
                expect(QStringLiteral("workflow:%1/edge:%2").arg(w.id).arg(i), "to",
                       w.edges[i].to);
        }
        for (const DataFlow &f : m_project.flows)
            expect(QStringLiteral("flow:") + f.id, "id", f.id);
        QVERIFY(checked > 100);
    }

    void partsAndMisses()
    {
        const Mapping &m = m_project.mappings.first();
        QCOMPARE(jsonPointerOf(m_project, QStringLiteral("mapping:%1/rule:0/expression")
                                              .arg(m.id)),
                 QStringLiteral("/mappings/0/rules/0/expression"));
        const Workflow &w = m_project.workflows.first();
        QCOMPARE(jsonPointerOf(m_project, QStringLiteral("workflow:%1/trigger").arg(w.id)),
                 QStringLiteral("/workflows/0/trigger"));
        // A rule beyond the list stops at the mapping; an unknown step at the workflow.
        QCOMPARE(jsonPointerOf(m_project, QStringLiteral("mapping:%1/rule:99999").arg(m.id)),
                 QStringLiteral("/mappings/0"));
        QCOMPARE(jsonPointerOf(m_project, QStringLiteral("workflow:%1/step:nope").arg(w.id)),
                 QStringLiteral("/workflows/0"));
        QVERIFY(jsonPointerOf(m_project, QStringLiteral("mapping:nope")).isEmpty());
        QVERIFY(jsonPointerOf(m_project, QStringLiteral("not an address")).isEmpty());
        QVERIFY(jsonPointerOf(m_project, QString()).isEmpty());
        // A pointer the text lacks (a file migrated on load) falls back to what encloses it.
        QCOMPARE(positionOfPointer(m_text, QStringLiteral("/nope/0")).line, 1);
        QCOMPARE(positionOfPointer(m_text, QString()).line, 0);
        for (const char *missing : {"/nope/0", "/mappings/0/rules/99999/expression",
                                    "/workflows/0/nope", "/", ""}) {
            const TextPosition fresh = positionOfPointer(m_text, QLatin1String(missing));
            const TextPosition remembered = m_locator->position(QLatin1String(missing));
            QCOMPARE(remembered.line, fresh.line);
            QCOMPARE(remembered.column, fresh.column);
        }
    }

private:
    Project m_project;
    QByteArray m_text;
    nlohmann::json m_json;
    std::unique_ptr<PointerLocator> m_locator;
};

QTEST_GUILESS_MAIN(TstElementPointer)
#include "tst_elementpointer.moc"
