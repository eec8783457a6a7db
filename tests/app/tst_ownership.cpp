// The ownership matrix: its model against the Quote-to-Cash template (QAbstractItemModelTester,
// cells, inheritance, findings in the cells, undo), and the real QML page offscreen (a click
// on a cell sets an owner and the gap finding goes away; a screenshot that is not blank).

#include "app/ownershipmatrixmodel.h"
#include "app/studio.h"
#include "app/studiocontroller.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPointer>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(SwitchboardPlugin)

using namespace sb::model;

namespace {

const QString kTemplate = QStringLiteral(
    SWITCHBOARD_SOURCE_DIR "/templates/quote-to-cash/quote-to-cash.switchboard");

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

QQuickItem *findItem(QQuickItem *root, const QString &name)
{
    if (!root)
        return nullptr;
    if (root->objectName() == name)
        return root;
    const auto children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, name))
            return found;
    }
    return nullptr;
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
    void clickOnCellInStudioSetsOwner();
    void keyboardSetsRole();
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
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_ownership"));
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

void TestOwnership::clickOnCellInStudioSetsOwner()
{
    studio::prepareApplication();
    m_engine = new QQmlApplicationEngine;
    QVERIFY(studio::loadStudio(*m_engine, kTemplate));
    m_window = studio::mainWindow(*m_engine);
    QVERIFY(m_window);
    m_studio = studio::controller(*m_engine);
    m_window->resize(1440, 900);
    m_studio->setCurrentView(QStringLiteral("ownership"));
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

void TestOwnership::problemOpensItsRow()
{
    QVERIFY(m_window);
    removeCaseOwner(m_studio->document());
    m_studio->validateNow();
    m_studio->setCurrentView(QStringLiteral("landscape"));
    int finding = -1;
    const auto &all = m_studio->findings()->findings();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].location.element == QLatin1String("canonical:Case/field:subject"))
            finding = i;
    }
    QVERIFY(finding >= 0);
    // Clicking the problem shows the matrix with the field's row expanded.
    m_studio->activateFinding(finding);
    QCOMPARE(m_studio->currentView(), QStringLiteral("ownership"));
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
