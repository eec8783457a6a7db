// The ownership matrix: its model against the Quote-to-Cash template (QAbstractItemModelTester,
// cells, inheritance, findings in the cells, undo), and the real QML page offscreen (a click
// on a cell sets an owner and the gap finding goes away; a screenshot that is not blank).

#include "app/ownership/ownershipmatrixmodel.h"
#include "app/studio.h"
#include "tests/support/gui/guitestsupport.h"
#include "app/shell/studiocontroller.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QImage>
#include <QPointer>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QtTest>

using studio::findItem;

using namespace sb::model;

namespace {

const QString kTemplate = testsupport::quoteToCashProject();

int countFindings(const FindingsModel *findings, const QString &ruleId,
                  const QString &elementPrefix)
{
    int n = 0;
    for (const Finding &f : findings->findings()) {
        if (f.ruleId == ruleId && f.location.element.startsWith(elementPrefix))
            ++n;
    }
    return n;
}

QVariantMap cellOf(const OwnershipMatrixModel &m, int row, const QString &system)
{
    const QVariantList cells =
        m.data(m.index(row, 0), OwnershipMatrixModel::CellsRole).toList();
    for (const QVariant &c : cells) {
        const QVariantMap map = c.toMap();
        if (map.value(QStringLiteral("system")).toString() == system)
            return map;
    }
    return {};
}

// Findings of `ruleId` whose message names `text`.
int findingsCount(const FindingsModel *findings, const QString &ruleId, const QString &text)
{
    int n = 0;
    for (const Finding &f : findings->findings()) {
        if (f.ruleId == ruleId && f.message.contains(text))
            ++n;
    }
    return n;
}

// A copy of the Case rule without its owner: every Case field becomes a gap.
void removeCaseOwner(Document *doc)
{
    for (const OwnershipRule &r : doc->project().ownership) {
        if (r.entity == QLatin1String("Case") && r.field.isEmpty()) {
            OwnershipRule copy = r;
            copy.owners.clear();
            doc->setOwnership(copy);
            return;
        }
    }
    QFAIL("the template has no Case ownership rule");
}

const auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

} // namespace

class TestOwnership : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void modelIsConsistent();
    void setOwnerClosesGapAndUndoReopensIt();
    void fieldRowInheritsThenGetsOwnRule();
    void conflictAndNonOwnerWriteAreMarked();
    void stewardTypingIsOneUndoStep();
    void badInputIsRejected();
    void nestedFieldsAreRows();
    void nestedWriteIsMarkedOnItsRow();
    void sourcePriorityIsEditable();
    void largeMatrixStaysFast();
    void clickOnCellInStudioSetsOwner();
    void keyboardSetsRole();
    void nestedCellInStudioSetsRole();
    void priorityPopupReorders();
    void problemOpensItsRow();
    void screenshotIsNotBlank();

private:
    void openFresh();
    StudioController *m_ctl = nullptr;     // headless controller for the model tests
    QQmlApplicationEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    StudioController *m_studio = nullptr;  // the real studio's controller
};

void TestOwnership::initTestCase()
{
    testsupport::initTestApplication(QStringLiteral("SwitchboardTest"),
                                     QStringLiteral("tst_ownership"));
    m_ctl = new StudioController(this);
}

void TestOwnership::cleanupTestCase()
{
    delete m_engine;
}

void TestOwnership::openFresh()
{
    QVERIFY(m_ctl->openProject(kTemplate));
    m_ctl->validateNow();
}

void TestOwnership::modelIsConsistent()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setFindings(m_ctl->findings());
    const Project &p = m_ctl->document()->project();
    QCOMPARE(model.rowCount(), int(p.canonical.size()));
    QCOMPARE(model.systems().size(), int(p.systems.size()));

    // Expanding shows the fields below their entity; collapsing hides them again.
    const int customer = model.rowOf(QStringLiteral("Customer"));
    QVERIFY(customer >= 0);
    model.toggleExpanded(customer);
    const int fields = int(p.canonicalEntity(QStringLiteral("Customer"))->fields.size());
    QCOMPARE(model.rowCount(), int(p.canonical.size()) + fields);
    QCOMPARE(model.data(model.index(customer + 1, 0), OwnershipMatrixModel::EntityRole)
                 .toString(), QStringLiteral("Customer"));
    model.expandAll();
    model.collapseAll();
    QCOMPARE(model.rowCount(), int(p.canonical.size()));

    // Entity rule: crm owns Customer, erp consumes it.
    QCOMPARE(model.roleAt(customer, QStringLiteral("crm")), QStringLiteral("owner"));
    QCOMPARE(model.roleAt(customer, QStringLiteral("erp")), QStringLiteral("consumer"));
    model.setExpanded(QStringLiteral("Customer"), true);
    // Field with its own rule: erp owns taxId, crm contributes.
    const int taxId = model.rowOf(QStringLiteral("Customer"), QStringLiteral("taxId"));
    QCOMPARE(model.roleAt(taxId, QStringLiteral("erp")), QStringLiteral("owner"));
    QCOMPARE(model.roleAt(taxId, QStringLiteral("crm")), QStringLiteral("contributor"));
    QCOMPARE(model.data(model.index(taxId, 0), OwnershipMatrixModel::SurvivorshipRole)
                 .toString(), QStringLiteral("source-priority"));
    QCOMPARE(model.data(model.index(taxId, 0), OwnershipMatrixModel::PriorityRole)
                 .toStringList(), (QStringList{QStringLiteral("erp"), QStringLiteral("crm")}));

    // Edits and undo keep the model consistent (the tester checks every signal).
    QVERIFY(model.cycleRole(taxId, QStringLiteral("support")));
    QVERIFY(model.setSurvivorship(customer, QStringLiteral("most-recent")));
    QVERIFY(model.setFreshness(customer, QStringLiteral("within-minutes"), 5));
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->undo();
    QVERIFY(!m_ctl->isModified());
    m_ctl->validateNow();
    QCoreApplication::processEvents();
}

void TestOwnership::setOwnerClosesGapAndUndoReopensIt()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setFindings(m_ctl->findings());
    const QString gapPrefix = QStringLiteral("canonical:Case/");
    QCOMPARE(countFindings(m_ctl->findings(), QStringLiteral("ownership.no-owner"), gapPrefix),
             0);
    const int caseRow = model.rowOf(QStringLiteral("Case"));
    QCOMPARE(model.roleAt(caseRow, QStringLiteral("support")), QStringLiteral("owner"));
    const int baseGaps = model.gapCount();

    // Take the owner away: every Case field is a gap, shown on the row and in its cells.
    QVERIFY(model.setRole(caseRow, QStringLiteral("support"), QStringLiteral("none")));
    m_ctl->validateNow();
    const int caseFields =
        int(m_ctl->document()->project().canonicalEntity(QStringLiteral("Case"))->fields.size());
    QCOMPARE(countFindings(m_ctl->findings(), QStringLiteral("ownership.no-owner"), gapPrefix),
             caseFields);
    QTRY_COMPARE(model.data(model.index(caseRow, 0), OwnershipMatrixModel::ProblemRole)
                     .toString(), QStringLiteral("gap"));
    QCOMPARE(model.gapCount(), baseGaps + caseFields);
    QCOMPARE(cellOf(model, caseRow, QStringLiteral("support")).value("problem").toString(),
             QStringLiteral("gap"));

    // Set the owner in the matrix: the gap finding disappears.
    const int historyBefore = m_ctl->document()->historySize();
    QVERIFY(model.setRole(caseRow, QStringLiteral("support"), QStringLiteral("owner")));
    QCOMPARE(m_ctl->document()->historySize(), historyBefore + 1);  // one undoable edit
    m_ctl->validateNow();
    QCOMPARE(countFindings(m_ctl->findings(), QStringLiteral("ownership.no-owner"), gapPrefix),
             0);
    QTRY_COMPARE(model.gapCount(), baseGaps);
    QCOMPARE(model.data(model.index(caseRow, 0), OwnershipMatrixModel::ProblemRole).toString(),
             QString());

    // Undo: the gap is back.
    m_ctl->undo();
    QCOMPARE(model.roleAt(caseRow, QStringLiteral("support")), QStringLiteral("none"));
    m_ctl->validateNow();
    QCOMPARE(countFindings(m_ctl->findings(), QStringLiteral("ownership.no-owner"), gapPrefix),
             caseFields);
    QTRY_COMPARE(model.gapCount(), baseGaps + caseFields);
}

void TestOwnership::fieldRowInheritsThenGetsOwnRule()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setExpanded(QStringLiteral("Customer"), true);
    const int name = model.rowOf(QStringLiteral("Customer"), QStringLiteral("name"));
    QVERIFY(name >= 0);
    // No rule of its own: it shows the entity's roles.
    QVERIFY(!model.data(model.index(name, 0), OwnershipMatrixModel::OwnRuleRole).toBool());
    QCOMPARE(model.roleAt(name, QStringLiteral("crm")), QStringLiteral("owner"));
    QCOMPARE(model.roleAt(name, QStringLiteral("billing")), QStringLiteral("consumer"));
    QVERIFY(!m_ctl->document()->project().ownershipFor(QStringLiteral("Customer"),
                                                        QStringLiteral("name"))
                 ->field.size());

    // Changing one cell gives the field its own rule, starting from the inherited one.
    QVERIFY(model.setRole(name, QStringLiteral("billing"), QStringLiteral("contributor")));
    const OwnershipRule *own = m_ctl->document()->project().ownershipFor(
        QStringLiteral("Customer"), QStringLiteral("name"));
    QCOMPARE(own->field, QStringLiteral("name"));
    QCOMPARE(own->owners, QStringList{QStringLiteral("crm")});
    QCOMPARE(own->contributors, QStringList{QStringLiteral("billing")});
    QVERIFY(own->consumers.contains(QStringLiteral("erp")));
    QCOMPARE(own->steward, QStringLiteral("Sales Ops"));
    QVERIFY(model.data(model.index(name, 0), OwnershipMatrixModel::OwnRuleRole).toBool());

    // Back to inheriting.
    QVERIFY(model.resetToEntity(name));
    QVERIFY(!model.data(model.index(name, 0), OwnershipMatrixModel::OwnRuleRole).toBool());
    QCOMPARE(model.roleAt(name, QStringLiteral("billing")), QStringLiteral("consumer"));
    m_ctl->undo();
    QCOMPARE(model.roleAt(name, QStringLiteral("billing")), QStringLiteral("contributor"));
}

void TestOwnership::conflictAndNonOwnerWriteAreMarked()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setFindings(m_ctl->findings());
    model.setExpanded(QStringLiteral("Customer"), true);
    const int taxId = model.rowOf(QStringLiteral("Customer"), QStringLiteral("taxId"));

    // A second owner: a conflict on both owner cells.
    QVERIFY(model.setRole(taxId, QStringLiteral("billing"), QStringLiteral("owner")));
    m_ctl->validateNow();
    QCOMPARE(countFindings(m_ctl->findings(), QStringLiteral("ownership.multiple-owners"),
                           QStringLiteral("ownership:Customer.taxId")), 1);
    QTRY_COMPARE(cellOf(model, taxId, QStringLiteral("billing")).value("problem").toString(),
                 QStringLiteral("conflict"));
    QCOMPARE(cellOf(model, taxId, QStringLiteral("erp")).value("problem").toString(),
             QStringLiteral("conflict"));
    QCOMPARE(model.conflictCount(), 1);
    m_ctl->undo();

    // crm neither owns nor consumes taxId any more, but a mapping writes it into crm.
    QVERIFY(model.setRole(taxId, QStringLiteral("crm"), QStringLiteral("none")));
    OwnershipRule rule = *m_ctl->document()->project().ownershipFor(QStringLiteral("Customer"),
                                                                     QStringLiteral("taxId"));
    rule.consumers.removeAll(QStringLiteral("crm"));
    m_ctl->document()->setOwnership(rule);
    m_ctl->validateNow();
    QVERIFY(countFindings(m_ctl->findings(), QStringLiteral("ownership.non-owner-write"),
                          QStringLiteral("mapping:erp-customer-to-crm-account")) > 0);
    QTRY_COMPARE(cellOf(model, taxId, QStringLiteral("crm")).value("problem").toString(),
                 QStringLiteral("write"));
    QVERIFY(cellOf(model, taxId, QStringLiteral("crm")).value("note").toString()
                .contains(QStringLiteral("erp-customer-to-crm-account")));
    const int customer = model.rowOf(QStringLiteral("Customer"));
    QCOMPARE(cellOf(model, customer, QStringLiteral("crm")).value("problem").toString(),
             QStringLiteral("write"));
    QVERIFY(model.writeCount() >= 1);
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->validateNow();
    QTRY_COMPARE(cellOf(model, taxId, QStringLiteral("crm")).value("problem").toString(),
                 QString());
}

void TestOwnership::stewardTypingIsOneUndoStep()
{
    openFresh();
    OwnershipMatrixModel model;
    model.setDocument(m_ctl->document());
    const int row = model.rowOf(QStringLiteral("Product"));
    const int before = m_ctl->document()->historySize();
    const QString typed = QStringLiteral("Product Ops");
    for (int i = 1; i <= typed.size(); ++i)
        model.setSteward(row, typed.left(i));
    model.endEdit();
    QCOMPARE(m_ctl->document()->historySize(), before + 1);
    QCOMPARE(model.data(model.index(row, 0), OwnershipMatrixModel::StewardRole).toString(),
             typed);
    m_ctl->undo();
    QCOMPARE(model.data(model.index(row, 0), OwnershipMatrixModel::StewardRole).toString(),
             QStringLiteral("Finance Ops"));
}

void TestOwnership::badInputIsRejected()
{
    openFresh();
    OwnershipMatrixModel model;
    model.setDocument(m_ctl->document());
    const int before = m_ctl->document()->historySize();
    QVERIFY(!model.setRole(-1, QStringLiteral("crm"), QStringLiteral("owner")));
    QVERIFY(!model.setRole(0, QStringLiteral("no-such-system"), QStringLiteral("owner")));
    QVERIFY(!model.setRole(0, QStringLiteral("crm"), QStringLiteral("emperor")));
    QVERIFY(!model.setSurvivorship(0, QStringLiteral("coin-toss")));
    QVERIFY(!model.setFreshness(0, QStringLiteral("yearly"), 1));
    QVERIFY(!model.resetToEntity(0));  // an entity row has nothing to inherit from
    // Setting the role a cell already has is not an edit.
    QVERIFY(!model.setRole(model.rowOf(QStringLiteral("Customer")), QStringLiteral("crm"),
                           QStringLiteral("owner")));
    QCOMPARE(m_ctl->document()->historySize(), before);
    model.setDocument(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestOwnership::nestedFieldsAreRows()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setFindings(m_ctl->findings());
    model.setExpanded(QStringLiteral("Order"), true);
    const int lines = model.rowOf(QStringLiteral("Order"), QStringLiteral("lines"));
    QVERIFY(lines >= 0);
    auto at = [&model](int row, int role) { return model.data(model.index(row, 0), role); };
    QVERIFY(at(lines, OwnershipMatrixModel::HasChildrenRole).toBool());
    QCOMPARE(at(lines, OwnershipMatrixModel::DepthRole).toInt(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku")), -1);

    // Expanding the array shows its item fields, indented one level deeper.
    const int before = model.rowCount();
    model.toggleExpanded(lines);
    QCOMPARE(model.rowCount(), before + 5);
    const int sku = model.rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku"));
    QCOMPARE(sku, lines + 1);
    QCOMPARE(at(sku, OwnershipMatrixModel::DepthRole).toInt(), 2);
    QCOMPARE(at(sku, OwnershipMatrixModel::NameRole).toString(), QStringLiteral("sku"));
    QCOMPARE(at(sku, OwnershipMatrixModel::FieldRole).toString(), QStringLiteral("lines.sku"));
    QCOMPARE(at(sku, OwnershipMatrixModel::ElementRole).toString(),
             QStringLiteral("canonical:Order/field:lines.sku"));
    QVERIFY(!at(sku, OwnershipMatrixModel::HasChildrenRole).toBool());
    // Inherited from the entity (no rule for lines): erp owns, billing consumes.
    QVERIFY(!at(sku, OwnershipMatrixModel::OwnRuleRole).toBool());
    QCOMPARE(model.roleAt(sku, QStringLiteral("erp")), QStringLiteral("owner"));
    QCOMPARE(model.roleAt(sku, QStringLiteral("billing")), QStringLiteral("consumer"));

    // A rule on the array field is inherited by its item fields (as the validator does).
    const int history = m_ctl->document()->historySize();
    QVERIFY(model.setRole(lines, QStringLiteral("billing"), QStringLiteral("contributor")));
    QCOMPARE(model.roleAt(sku, QStringLiteral("billing")), QStringLiteral("contributor"));
    QCOMPARE(at(sku, OwnershipMatrixModel::RuleIdRole).toString(),
             QStringLiteral("Order.lines"));
    // A cell of the nested row: its own rule "Order.lines.sku", from the inherited one.
    QVERIFY(model.setRole(sku, QStringLiteral("support"), QStringLiteral("consumer")));
    QCOMPARE(m_ctl->document()->historySize(), history + 2);
    const OwnershipRule *own = m_ctl->document()->project().ownershipFor(
        QStringLiteral("Order"), QStringLiteral("lines.sku"));
    QVERIFY(own);
    QCOMPARE(own->field, QStringLiteral("lines.sku"));
    QCOMPARE(own->owners, QStringList{QStringLiteral("erp")});
    QVERIFY(own->contributors.contains(QStringLiteral("billing")));
    QVERIFY(own->consumers.contains(QStringLiteral("support")));
    QVERIFY(at(sku, OwnershipMatrixModel::OwnRuleRole).toBool());
    QCOMPARE(model.roleAt(lines, QStringLiteral("support")), QStringLiteral("none"));
    // The validator knows the path: no unknown-field finding for the new rule.
    m_ctl->validateNow();
    for (const Finding &f : m_ctl->findings()->findings())
        QVERIFY2(!f.location.element.startsWith(QStringLiteral("ownership:Order.lines")),
                 qPrintable(f.message));

    // Survivorship, steward and freshness of a nested row go to its own rule too.
    QVERIFY(model.setSurvivorship(sku, QStringLiteral("most-recent")));
    QVERIFY(m_ctl->document()->project().ownershipFor(QStringLiteral("Order"),
                                                      QStringLiteral("lines.sku"))
                ->survivorship == Survivorship::MostRecent);
    // Dropping its own rule: it inherits the array field's again.
    QVERIFY(model.resetToEntity(sku));
    QCOMPARE(model.roleAt(sku, QStringLiteral("support")), QStringLiteral("none"));
    QCOMPARE(at(sku, OwnershipMatrixModel::RuleIdRole).toString(),
             QStringLiteral("Order.lines"));

    // Collapsing the entity hides the nested rows; reopening keeps the array open.
    model.setExpanded(QStringLiteral("Order"), false);
    QCOMPARE(model.rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku")), -1);
    model.setExpanded(QStringLiteral("Order"), true);
    QVERIFY(model.rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku")) > 0);
    // Expand all reaches nested objects (Customer.address).
    model.collapseAll();
    model.expandAll();
    QVERIFY(model.rowOf(QStringLiteral("Customer"), QStringLiteral("address.city")) > 0);
    while (m_ctl->document()->historySize() > history && m_ctl->document()->canUndo())
        m_ctl->undo();
    QVERIFY(!m_ctl->isModified());
}

void TestOwnership::nestedWriteIsMarkedOnItsRow()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setFindings(m_ctl->findings());
    model.setExpanded(QStringLiteral("Order"), true);
    model.setExpanded(QStringLiteral("Order.lines"), true);
    const int sku = model.rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku"));
    const int lines = model.rowOf(QStringLiteral("Order"), QStringLiteral("lines"));
    const int order = model.rowOf(QStringLiteral("Order"));
    const int writesBefore = model.writeCount();

    // crm owns lines.sku, erp is nothing: the opportunity mapping writes lines into erp.
    QVERIFY(model.setRole(sku, QStringLiteral("crm"), QStringLiteral("owner")));
    QVERIFY(model.setRole(sku, QStringLiteral("erp"), QStringLiteral("none")));
    m_ctl->validateNow();
    QVERIFY(findingsCount(m_ctl->findings(), QStringLiteral("ownership.non-owner-write"),
                          QStringLiteral("Order.lines.sku")) > 0);
    QTRY_COMPARE(cellOf(model, sku, QStringLiteral("erp")).value("problem").toString(),
                 QStringLiteral("write"));
    // The enclosing field and the entity show it as well; a sibling does not.
    QCOMPARE(cellOf(model, lines, QStringLiteral("erp")).value("problem").toString(),
             QStringLiteral("write"));
    QCOMPARE(cellOf(model, order, QStringLiteral("erp")).value("problem").toString(),
             QStringLiteral("write"));
    const int quantity = model.rowOf(QStringLiteral("Order"), QStringLiteral("lines.quantity"));
    QCOMPARE(cellOf(model, quantity, QStringLiteral("erp")).value("problem").toString(),
             QString());
    QVERIFY(model.writeCount() > writesBefore);
    m_ctl->undo();
    m_ctl->undo();
    m_ctl->validateNow();
    QTRY_COMPARE(cellOf(model, sku, QStringLiteral("erp")).value("problem").toString(),
                 QString());
    QCOMPARE(model.writeCount(), writesBefore);
}

void TestOwnership::sourcePriorityIsEditable()
{
    openFresh();
    OwnershipMatrixModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setDocument(m_ctl->document());
    model.setExpanded(QStringLiteral("Customer"), true);
    const int taxId = model.rowOf(QStringLiteral("Customer"), QStringLiteral("taxId"));
    auto priority = [&model, taxId] {
        return model.data(model.index(taxId, 0), OwnershipMatrixModel::PriorityRole)
            .toStringList();
    };
    auto stored = [this] {
        return m_ctl->document()->project().ownershipFor(QStringLiteral("Customer"),
                                                         QStringLiteral("taxId"))->priority;
    };
    const QStringList original{QStringLiteral("erp"), QStringLiteral("crm")};
    QCOMPARE(priority(), original);
    const int history = m_ctl->document()->historySize();

    // Moves while the popup is open (crm up, billing added, billing up) are one undo step.
    QVERIFY(model.movePriority(taxId, QStringLiteral("crm"), -1));
    QVERIFY(!model.movePriority(taxId, QStringLiteral("crm"), -1));  // already first
    QVERIFY(model.movePriority(taxId, QStringLiteral("billing"), 1)); // appended
    QVERIFY(model.movePriority(taxId, QStringLiteral("billing"), -1));
    model.endEdit();
    const QStringList moved{QStringLiteral("crm"), QStringLiteral("billing"),
                            QStringLiteral("erp")};
    QCOMPARE(priority(), moved);
    QCOMPARE(stored(), moved);
    QCOMPARE(m_ctl->document()->historySize(), history + 1);
    m_ctl->undo();
    QCOMPARE(priority(), original);
    QCOMPARE(stored(), original);
    m_ctl->redo();
    QCOMPARE(priority(), moved);
    m_ctl->undo();

    // A whole order at once; removing one; bad orders are refused.
    QVERIFY(model.setPriority(taxId, {QStringLiteral("crm"), QStringLiteral("erp")}));
    QCOMPARE(stored(), (QStringList{QStringLiteral("crm"), QStringLiteral("erp")}));
    model.endEdit();
    QVERIFY(model.unrankPriority(taxId, QStringLiteral("erp")));
    QCOMPARE(stored(), QStringList{QStringLiteral("crm")});
    model.endEdit();
    QVERIFY(!model.setPriority(taxId, {QStringLiteral("crm"), QStringLiteral("crm")}));
    QVERIFY(!model.setPriority(taxId, {QStringLiteral("nowhere")}));
    QVERIFY(!model.movePriority(taxId, QStringLiteral("nowhere"), 1));
    QVERIFY(!model.movePriority(taxId, QStringLiteral("crm"), 3));
    QVERIFY(!model.unrankPriority(taxId, QStringLiteral("billing")));
    QVERIFY(!model.setPriority(-1, {}));
    QCOMPARE(m_ctl->document()->historySize(), history + 2);
    m_ctl->undo();
    m_ctl->undo();
    QCOMPARE(stored(), original);
    QVERIFY(!m_ctl->isModified());

    // An inherited row gets its own rule with the new order; the entity's stays as it was.
    const int email = model.rowOf(QStringLiteral("Customer"), QStringLiteral("name"));
    QVERIFY(model.movePriority(email, QStringLiteral("billing"), 1));
    model.endEdit();
    QCOMPARE(m_ctl->document()->project().ownershipFor(QStringLiteral("Customer"),
                                                       QStringLiteral("name"))->field,
             QStringLiteral("name"));
    QVERIFY(m_ctl->document()->project().ownershipFor(QStringLiteral("Customer"), QString())
                ->priority.isEmpty());
    m_ctl->undo();
}

void TestOwnership::largeMatrixStaysFast()
{
    // 200 entities of 40 fields, one an object of 5 sub-fields: 9,200 rows expanded and
    // 8,200 ownership rules. An edit refreshes the matrix in well under a second.
    Project p;
    for (int s = 0; s < 6; ++s) {
        System sys;
        sys.id = QStringLiteral("s%1").arg(s);
        p.systems << sys;
    }
    for (int e = 0; e < 200; ++e) {
        CanonicalEntity c;
        c.id = QStringLiteral("E%1").arg(e);
        for (int f = 0; f < 40; ++f) {
            Field field;
            field.name = QStringLiteral("f%1").arg(f);
            if (f == 0) {
                field.type = FieldType::Object;
                for (int k = 0; k < 5; ++k) {
                    Field sub;
                    sub.name = QStringLiteral("g%1").arg(k);
                    field.fields << sub;
                }
            }
            c.fields << field;
            OwnershipRule r;
            r.entity = c.id;
            r.field = field.name;
            r.owners << QStringLiteral("s%1").arg(f % 6);
            p.ownership << r;
        }
        OwnershipRule r;
        r.entity = c.id;
        r.owners << QStringLiteral("s0");
        p.ownership << r;
        p.canonical << c;
    }
    Document doc;
    doc.reset(p);
    OwnershipMatrixModel model;
    model.setDocument(&doc);
    QElapsedTimer t;
    t.start();
    model.expandAll();
    const qint64 expand = t.elapsed();
    QCOMPARE(model.rowCount(), 200 * (1 + 40 + 5));
    const int row = model.rowOf(QStringLiteral("E150"), QStringLiteral("f0.g3"));
    QVERIFY(row > 0);
    t.restart();
    QVERIFY(model.setRole(row, QStringLiteral("s5"), QStringLiteral("contributor")));
    QVERIFY(model.movePriority(row, QStringLiteral("s5"), 1));
    const qint64 edits = t.elapsed();
    QCOMPARE(model.roleAt(row, QStringLiteral("s5")), QStringLiteral("contributor"));
    qInfo("matrix of %d rows: expand all %lld ms, two edits %lld ms", model.rowCount(), expand,
          edits);
    QVERIFY2(edits < 2000, qPrintable(QString::number(edits)));
}

void TestOwnership::clickOnCellInStudioSetsOwner()
{
    const auto opened = testsupport::openStudio(kTemplate, StudioController::Ownership);
    m_engine = opened.engine;
    m_window = opened.window;
    m_studio = opened.controller;
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));

    removeCaseOwner(m_studio->document());
    m_studio->validateNow();
    const QString gapPrefix = QStringLiteral("canonical:Case/");
    QVERIFY(countFindings(m_studio->findings(), QStringLiteral("ownership.no-owner"),
                          gapPrefix) > 0);

    QPointer<QQuickItem> cell;
    QTRY_VERIFY((cell = findItem(m_window->contentItem(),
                                 QStringLiteral("ownershipCell_Case_support"))));
    QTRY_VERIFY(cell->isVisible() && cell->width() > 0);
    QTRY_COMPARE(cell->property("cellProblem").toString(), QStringLiteral("gap"));
    QCOMPARE(cell->property("role").toString(), QStringLiteral("none"));

    const QPoint centre = cell->mapToScene(QPointF(cell->width() / 2, cell->height() / 2))
                              .toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre);
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("owner"));
    QCOMPARE(m_studio->document()->project().ownershipFor(QStringLiteral("Case"), QString())
                 ->owners, QStringList{QStringLiteral("support")});
    // The problems panel (debounced validation) loses the gaps.
    QTRY_COMPARE(countFindings(m_studio->findings(), QStringLiteral("ownership.no-owner"),
                               gapPrefix), 0);
    QTRY_COMPARE(cell->property("cellProblem").toString(), QString());

    m_studio->undo();
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("none"));
    QTRY_VERIFY(countFindings(m_studio->findings(), QStringLiteral("ownership.no-owner"),
                              gapPrefix) > 0);
    m_studio->undo();  // the owner removed by this test
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("owner"));
}

void TestOwnership::keyboardSetsRole()
{
    QVERIFY(m_window);
    QPointer<QQuickItem> cell = findItem(m_window->contentItem(),
                                         QStringLiteral("ownershipCell_Product_support"));
    QVERIFY(cell);
    QCOMPARE(cell->property("role").toString(), QStringLiteral("consumer"));
    // A click focuses the cell (and cycles consumer -> none); keys then set roles.
    const QPoint centre = cell->mapToScene(QPointF(cell->width() / 2, cell->height() / 2))
                              .toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre);
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("none"));
    QTest::keyClick(m_window, Qt::Key_C);
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("contributor"));
    QTest::keyClick(m_window, Qt::Key_R);
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("consumer"));
    m_studio->undo();
    m_studio->undo();
    m_studio->undo();
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("consumer"));
    QVERIFY(!m_studio->isModified());
}

void TestOwnership::nestedCellInStudioSetsRole()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("ownershipPage"));
    auto *matrix = page->findChild<OwnershipMatrixModel *>(QStringLiteral("ownershipMatrix"));
    QVERIFY(matrix);
    matrix->collapseAll();
    QMetaObject::invokeMethod(findItem(page, QStringLiteral("ownershipList")),
                              "positionViewAtBeginning");
    // Clicks on the names open the entity, then the array field.
    QQuickItem *orderRow = nullptr;
    QTRY_VERIFY((orderRow = findItem(m_window->contentItem(),
                                     QStringLiteral("ownershipRow_Order"))));
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                      orderRow->mapToScene(QPointF(60, orderRow->height() / 2)).toPoint());
    QQuickItem *linesRow = nullptr;
    QTRY_VERIFY((linesRow = findItem(m_window->contentItem(),
                                     QStringLiteral("ownershipRow_Order.lines"))));
    QTRY_VERIFY(linesRow->isVisible());
    // Scroll so that Order is the first row (lines is below the fold).
    QQuickItem *list = findItem(page, QStringLiteral("ownershipList"));
    list->setProperty("contentY", list->property("originY").toReal() + orderRow->y() - 40);
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                      linesRow->mapToScene(QPointF(80, linesRow->height() / 2)).toPoint());
    QTRY_VERIFY(matrix->rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku")) > 0);
    QPointer<QQuickItem> cell;
    QTRY_VERIFY((cell = findItem(m_window->contentItem(),
                                 QStringLiteral("ownershipCell_Order.lines.sku_billing"))));
    QTRY_VERIFY(cell->isVisible() && cell->width() > 0);
    QCOMPARE(cell->property("role").toString(), QStringLiteral("consumer"));
    // The nested row is indented below its field.
    QQuickItem *skuRow = findItem(m_window->contentItem(),
                                  QStringLiteral("ownershipRow_Order.lines.sku"));
    QVERIFY(skuRow);
    QCOMPARE(skuRow->property("depth").toInt(), 2);

    const QPoint centre = cell->mapToScene(QPointF(cell->width() / 2, cell->height() / 2))
                              .toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre);
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("none"));
    const OwnershipRule *own = m_studio->document()->project().ownershipFor(
        QStringLiteral("Order"), QStringLiteral("lines.sku"));
    QVERIFY(own && own->field == QLatin1String("lines.sku"));
    QVERIFY(!own->consumers.contains(QStringLiteral("billing")));

    // A picture: crm owns lines.sku, so the mapping writing lines into erp is marked on the
    // nested row, its array field and its entity.
    const int sku = matrix->rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku"));
    QVERIFY(matrix->setRole(sku, QStringLiteral("crm"), QStringLiteral("owner")));
    QVERIFY(matrix->setRole(sku, QStringLiteral("erp"), QStringLiteral("none")));
    m_studio->validateNow();
    QPointer<QQuickItem> erpCell = findItem(m_window->contentItem(),
                                            QStringLiteral("ownershipCell_Order.lines.sku_erp"));
    QVERIFY(erpCell);
    QTRY_COMPARE(erpCell->property("cellProblem").toString(), QStringLiteral("write"));
    QTest::mouseMove(m_window, QPoint(700, 5));
    // The offscreen software renderer repaints dirty regions only and can leave traces of
    // scrolled rows in a grab (the rows themselves are in place): repaint it all first.
    m_window->resize(1441, 900);
    QTest::qWait(50);
    m_window->resize(1440, 900);
    QVERIFY(studio::grabToFile(m_window,
                               QDir(QCoreApplication::applicationDirPath())
                                   .filePath(QStringLiteral("tst_ownership-nested.png"))));
    m_studio->undo();
    m_studio->undo();
    m_studio->undo();
    QTRY_COMPARE(cell->property("role").toString(), QStringLiteral("consumer"));
    QVERIFY(!m_studio->isModified());

    // Keys on the focused nested row: Ctrl+Left closes its array field, Ctrl+Right reopens.
    QTRY_VERIFY(list->hasActiveFocus());
    QTest::keyClick(m_window, Qt::Key_Left, Qt::ControlModifier);
    QTRY_COMPARE(matrix->rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku")), -1);
    QCOMPARE(page->property("currentRow").toInt(),
             matrix->rowOf(QStringLiteral("Order"), QStringLiteral("lines")));
    QTest::keyClick(m_window, Qt::Key_Right, Qt::ControlModifier);
    QTRY_VERIFY(matrix->rowOf(QStringLiteral("Order"), QStringLiteral("lines.sku")) > 0);
}

void TestOwnership::priorityPopupReorders()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("ownershipPage"));
    auto *matrix = page->findChild<OwnershipMatrixModel *>(QStringLiteral("ownershipMatrix"));
    matrix->collapseAll();
    matrix->setExpanded(QStringLiteral("Customer"), true);
    matrix->setExpanded(QStringLiteral("Order"), true);
    matrix->setExpanded(QStringLiteral("Order.lines"), true);
    QQuickItem *list = findItem(page, QStringLiteral("ownershipList"));
    QMetaObject::invokeMethod(list, "positionViewAtBeginning");
    auto stored = [this] {
        return m_studio->document()->project().ownershipFor(QStringLiteral("Customer"),
                                                            QStringLiteral("taxId"))->priority;
    };
    const QStringList original{QStringLiteral("erp"), QStringLiteral("crm")};
    QCOMPARE(stored(), original);

    QQuickItem *button = nullptr;
    QTRY_VERIFY((button = findItem(m_window->contentItem(),
                                   QStringLiteral("priorityButton_Customer.taxId"))));
    QTRY_VERIFY(button->isVisible() && button->width() > 0);
    auto click = [this](QQuickItem *item) {
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                          item->mapToScene(QPointF(item->width() / 2, item->height() / 2))
                              .toPoint());
    };
    click(button);
    auto *popup = page->findChild<QObject *>(QStringLiteral("priorityPopup"));
    QVERIFY(popup);
    QTRY_VERIFY(popup->property("opened").toBool());

    // crm up one place, then support added at the end: one undo step once it closes.
    QQuickItem *up = nullptr;
    QTRY_VERIFY((up = findItem(m_window->contentItem(), QStringLiteral("priorityUp_crm"))));
    QTRY_VERIFY(up->isVisible() && up->isEnabled());
    click(up);
    QTRY_COMPARE(stored(), (QStringList{QStringLiteral("crm"), QStringLiteral("erp")}));
    QQuickItem *add = nullptr;
    QTRY_VERIFY((add = findItem(m_window->contentItem(), QStringLiteral("priorityAdd_support"))));
    QTRY_VERIFY(add->isVisible());
    click(add);
    const QStringList moved{QStringLiteral("crm"), QStringLiteral("erp"),
                            QStringLiteral("support")};
    QTRY_COMPARE(stored(), moved);
    QTRY_VERIFY(findItem(m_window->contentItem(), QStringLiteral("priorityEntry_support")));
    QTest::mouseMove(m_window, QPoint(700, 5));
    QTest::qWait(50);
    QVERIFY(studio::grabToFile(m_window,
                               QDir(QCoreApplication::applicationDirPath())
                                   .filePath(QStringLiteral("tst_ownership-priority.png"))));
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_VERIFY(!popup->property("opened").toBool());
    // One undo restores the order from before the popup opened.
    m_studio->undo();
    QCOMPARE(stored(), original);
    QVERIFY(!m_studio->isModified());
}

void TestOwnership::problemOpensItsRow()
{
    QVERIFY(m_window);
    removeCaseOwner(m_studio->document());
    m_studio->validateNow();
    m_studio->setCurrentView(StudioController::Landscape);
    int finding = -1;
    const auto &all = m_studio->findings()->findings();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].location.element == QLatin1String("canonical:Case/field:subject"))
            finding = i;
    }
    QVERIFY(finding >= 0);
    // Clicking the problem shows the matrix with the field's row expanded.
    m_studio->activateFinding(finding);
    QCOMPARE(m_studio->currentView(), StudioController::Ownership);
    QQuickItem *row = nullptr;
    QTRY_VERIFY((row = findItem(m_window->contentItem(),
                                QStringLiteral("ownershipRow_Case.subject"))));
    QTRY_VERIFY(row->isVisible());
    m_studio->undo();
    m_studio->select(QString());
}

void TestOwnership::screenshotIsNotBlank()
{
    QVERIFY(m_window);
    QQuickItem *page = findItem(m_window->contentItem(), QStringLiteral("ownershipPage"));
    QVERIFY(page);
    auto *matrix = page->findChild<OwnershipMatrixModel *>(QStringLiteral("ownershipMatrix"));
    QVERIFY(matrix);
    matrix->collapseAll();
    matrix->setExpanded(QStringLiteral("Customer"), true);
    QQuickItem *list = findItem(page, QStringLiteral("ownershipList"));
    QVERIFY(list);
    QMetaObject::invokeMethod(list, "positionViewAtBeginning");
    // Show one of each problem: a conflict on taxId, a gap on Case.
    const int taxId = matrix->rowOf(QStringLiteral("Customer"), QStringLiteral("taxId"));
    QVERIFY(matrix->setRole(taxId, QStringLiteral("billing"), QStringLiteral("owner")));
    removeCaseOwner(m_studio->document());
    m_studio->validateNow();
    QTest::mouseMove(m_window, QPoint(700, 5));  // no tooltip in the picture

    const QString file = QDir(QCoreApplication::applicationDirPath())
                             .filePath(QStringLiteral("tst_ownership.png"));
    QVERIFY(studio::grabToFile(m_window, file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1440, 900));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 32, qPrintable(QString::number(colours.size())));
    m_studio->undo();
    m_studio->undo();
}

QTEST_MAIN(TestOwnership)
#include "tst_ownership.moc"
