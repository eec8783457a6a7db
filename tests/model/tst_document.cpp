// Document edits: every kind applies, undoes and redoes exactly; moves and typing merge.
#include "model/document.h"
#include "model/projectjson.h"
#include "sampleproject.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace sb::model;

Q_DECLARE_METATYPE(std::function<void(Document &)>)

class TestDocument : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_doc = std::make_unique<Document>();
        m_doc->reset(sb::testing::richProject());
    }

    void eachEditUndoesAndRedoesExactly_data()
    {
        using Edit = std::function<void(Document &)>;
        QTest::addColumn<Edit>("edit");
        auto system = [] {
            System s;
            s.id = QStringLiteral("support");
            s.name = QStringLiteral("Support");
            s.kind = SystemKind::Support;
            return s;
        };
        QTest::newRow("project info") << Edit([](Document &d) {
            d.setProjectInfo(QStringLiteral("Renamed"), QStringLiteral("New text"));
        });
        QTest::newRow("insert system") << Edit([system](Document &d) { d.insertSystem(system(), 1); });
        QTest::newRow("remove system") << Edit([](Document &d) { d.removeSystem("crm"); });
        QTest::newRow("move system") << Edit([](Document &d) {
            d.moveSystem(QStringLiteral("crm"), QPointF(300, 200));
        });
        QTest::newRow("rename system") << Edit([](Document &d) {
            d.renameSystem(QStringLiteral("crm"), QStringLiteral("Salesforce"));
        });
        QTest::newRow("update system entities") << Edit([](Document &d) {
            System s = *d.project().system(QStringLiteral("erp"));
            s.entities[0].fields.removeLast();
            d.updateSystem(s, QStringLiteral("Delete field"));
        });
        QTest::newRow("insert canonical") << Edit([](Document &d) {
            d.insertCanonical(CanonicalEntity{QStringLiteral("Invoice"), {}, {}, {}});
        });
        QTest::newRow("remove canonical") << Edit([](Document &d) { d.removeCanonical("Order"); });
        QTest::newRow("set ownership (new)") << Edit([](Document &d) {
            OwnershipRule r;
            r.entity = QStringLiteral("Invoice");
            r.owners = {QStringLiteral("erp")};
            d.setOwnership(r);
        });
        QTest::newRow("set ownership (change)") << Edit([](Document &d) {
            OwnershipRule r = *d.project().ownershipFor(QStringLiteral("Order"), QString());
            r.owners = {QStringLiteral("crm")};
            d.setOwnership(r);
        });
        QTest::newRow("remove ownership") << Edit([](Document &d) { d.removeOwnership("Order.id"); });
        QTest::newRow("insert mapping") << Edit([](Document &d) {
            Mapping m = *d.project().mapping(QStringLiteral("quote-to-order"));
            m.id = QStringLiteral("copy");
            d.insertMapping(m, 0);
        });
        QTest::newRow("edit mapping rule") << Edit([](Document &d) {
            Mapping m = *d.project().mapping(QStringLiteral("quote-to-order"));
            m.rules[0].expression = QStringLiteral("$uppercase(id)");
            d.updateMapping(m, QStringLiteral("Edit rule"));
        });
        QTest::newRow("remove mapping") << Edit([](Document &d) { d.removeMapping("quote-to-order"); });
        QTest::newRow("insert workflow") << Edit([](Document &d) {
            Workflow w;
            w.id = QStringLiteral("new");
            d.insertWorkflow(w);
        });
        QTest::newRow("move step") << Edit([](Document &d) {
            d.moveStep(QStringLiteral("wf"), QStringLiteral("create"), QPointF(1, 2));
        });
        QTest::newRow("remove workflow") << Edit([](Document &d) { d.removeWorkflow("wf"); });
        QTest::newRow("insert flow") << Edit([](Document &d) {
            DataFlow f;
            f.id = QStringLiteral("f2");
            f.from = QStringLiteral("erp");
            f.to = QStringLiteral("crm");
            d.insertFlow(f);
        });
        QTest::newRow("update flow") << Edit([](Document &d) {
            DataFlow f = d.project().flows[0];
            f.loopGuard = false;
            d.updateFlow(f, QStringLiteral("Edit flow"));
        });
        QTest::newRow("remove flow") << Edit([](Document &d) { d.removeFlow("f1"); });
        QTest::newRow("insert sla") << Edit([](Document &d) {
            d.insertSla(Sla{QStringLiteral("s2"), {}, QStringLiteral("wf"),
                            QStringLiteral("trigger"), QStringLiteral("create"), 5, 90});
        });
        QTest::newRow("remove sla") << Edit([](Document &d) { d.removeSla("s1"); });
        QTest::newRow("remove reconciliation")
            << Edit([](Document &d) { d.removeReconciliation("r1"); });
        QTest::newRow("insert dataset") << Edit([](Document &d) {
            d.insertDataset(Dataset{QStringLiteral("d2"), {}, {}, QStringLiteral("Quote"),
                                    QStringLiteral("x.csv"), {}});
        });
        QTest::newRow("remove dataset") << Edit([](Document &d) { d.removeDataset("d1"); });
    }

    void eachEditUndoesAndRedoesExactly()
    {
        QFETCH(std::function<void(Document &)>, edit);
        const Project before = m_doc->project();
        QSignalSpy changes(m_doc.get(), &Document::changed);
        QSignalSpy modified(m_doc.get(), &Document::modifiedChanged);

        edit(*m_doc);
        QCOMPARE(m_doc->historySize(), 1);
        QVERIFY(m_doc->canUndo());
        QVERIFY(!(m_doc->project() == before));
        QVERIFY(m_doc->isModified());
        QCOMPARE(changes.size(), 1);
        QCOMPARE(modified.size(), 1);
        const Project after = m_doc->project();

        m_doc->undo();
        QVERIFY(m_doc->project() == before);
        QVERIFY(!m_doc->isModified());
        QCOMPARE(serializeProject(m_doc->project()), serializeProject(before));
        m_doc->redo();
        QVERIFY(m_doc->project() == after);
        QCOMPARE(changes.size(), 3);
    }

    void changeNotificationsNameTheElement()
    {
        QSignalSpy changes(m_doc.get(), &Document::changed);
        m_doc->removeSystem(QStringLiteral("crm"));
        const auto c = changes.at(0).at(0).value<Change>();
        QCOMPARE(c.kind, Change::Removed);
        QCOMPARE(c.collection, Collection::Systems);
        QCOMPARE(c.id, QStringLiteral("crm"));
        QCOMPARE(c.index, 0);
        m_doc->undo();
        const auto u = changes.at(1).at(0).value<Change>();
        QCOMPARE(u.kind, Change::Inserted);
        QCOMPARE(u.index, 0); // back where it was
        QCOMPARE(m_doc->project().systems[0].id, QStringLiteral("crm"));
    }

    void repeatedMovesMergeIntoOneStep()
    {
        const QPointF start = m_doc->project().system(QStringLiteral("crm"))->position;
        for (int i = 1; i <= 20; ++i)
            m_doc->moveSystem(QStringLiteral("crm"), QPointF(i, i));
        QCOMPARE(m_doc->historySize(), 1);
        QCOMPARE(m_doc->undoText(), QStringLiteral("Move system 'CRM'"));
        m_doc->undo();
        QCOMPARE(m_doc->project().system(QStringLiteral("crm"))->position, start);
        m_doc->redo();
        QCOMPARE(m_doc->project().system(QStringLiteral("crm"))->position, QPointF(20, 20));
    }

    void typingMergesButDistinctEditsDoNot()
    {
        QString name;
        for (QChar c : QStringLiteral("Salesforce")) {
            name += c;
            m_doc->renameSystem(QStringLiteral("crm"), name);
        }
        QCOMPARE(m_doc->historySize(), 1);
        // A different system, or the same one after the field lost focus, starts a new step.
        m_doc->renameSystem(QStringLiteral("erp"), QStringLiteral("SAP"));
        QCOMPARE(m_doc->historySize(), 2);
        m_doc->endMergeGroup();
        m_doc->renameSystem(QStringLiteral("erp"), QStringLiteral("SAP S/4"));
        QCOMPARE(m_doc->historySize(), 3);
        m_doc->undo();
        QCOMPARE(m_doc->project().system(QStringLiteral("erp"))->name, QStringLiteral("SAP"));
    }

    void movesAfterSaveDoNotMergeIntoSavedState()
    {
        QTemporaryDir dir;
        m_doc->moveSystem(QStringLiteral("crm"), QPointF(1, 1));
        QVERIFY(m_doc->saveAs(dir.filePath(QStringLiteral("p.switchboard"))).ok());
        QVERIFY(!m_doc->isModified());
        m_doc->moveSystem(QStringLiteral("crm"), QPointF(2, 2));
        QCOMPARE(m_doc->historySize(), 2);
        m_doc->undo();
        QVERIFY(!m_doc->isModified()); // back at the saved state
    }

    void newEditDropsRedoBranch()
    {
        m_doc->removeFlow(QStringLiteral("f1"));
        m_doc->undo();
        QVERIFY(m_doc->canRedo());
        m_doc->removeSla(QStringLiteral("s1"));
        QVERIFY(!m_doc->canRedo());
        QCOMPARE(m_doc->historySize(), 1);
    }

    void noOpEditsAreNotRecorded()
    {
        m_doc->moveSystem(QStringLiteral("crm"),
                          m_doc->project().system(QStringLiteral("crm"))->position);
        m_doc->removeSystem(QStringLiteral("no-such-system"));
        QCOMPARE(m_doc->historySize(), 0);
        QVERIFY(!m_doc->isModified());
    }

    void failedLoadKeepsTheOpenProject()
    {
        const Project before = m_doc->project();
        m_doc->moveSystem(QStringLiteral("crm"), QPointF(5, 5));
        auto result = m_doc->load(QStringLiteral(SWITCHBOARD_TEST_DATA "/malformed/truncated.json"));
        QVERIFY(!result.ok());
        QCOMPARE(m_doc->project().system(QStringLiteral("crm"))->position, QPointF(5, 5));
        QVERIFY(m_doc->canUndo());
    }

    void uniqueIds()
    {
        QCOMPARE(m_doc->uniqueId(Collection::Systems, QStringLiteral("crm")),
                 QStringLiteral("crm-2"));
        QCOMPARE(m_doc->uniqueId(Collection::Systems, QStringLiteral("tax")),
                 QStringLiteral("tax"));
    }

private:
    std::unique_ptr<Document> m_doc;
};

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"
