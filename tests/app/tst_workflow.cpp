// The workflow editor: its models stay consistent (QAbstractItemModelTester) while the
// workflow is edited; palette, connect, branch condition, retry policy, delete and arrange
// are undoable Document edits; findings reach the steps; and in the real studio (offscreen)
// dragging a step is one undo step, a finding selects its step, and the Quote-to-Cash page
// renders (screenshot checked not to be blank).

#include "app/studio.h"
#include "app/shell/studiocontroller.h"
#include "app/workflows/workfloweditor.h"
#include "app/workflows/workflowgeometry.h"
#include "model/document.h"
#include "model/projectjson.h"
#include "model/validator.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using studio::findItem;

using namespace sb::model;

namespace {

const QString kQ2C = QStringLiteral(SWITCHBOARD_SOURCE_DIR
                                    "/templates/quote-to-cash/quote-to-cash.switchboard");
const QString kClosedWon = QStringLiteral("closed-won-to-cash");

Project loadQ2C()
{
    auto loaded = loadProject(kQ2C);
    if (!loaded.ok())
        qFatal("template: %s", qPrintable(loaded.error().toString()));
    return loaded.takeValue();
}

int countEdges(const Workflow &w, const QString &from, const QString &to)
{
    int n = 0;
    for (const Edge &e : w.edges)
        n += e.from == from && e.to == to ? 1 : 0;
    return n;
}

// Every structural signal of a model: edits must never reset it.
struct Resets
{
    explicit Resets(QAbstractItemModel *m) : spy(m, &QAbstractItemModel::modelReset) {}
    QSignalSpy spy;
};

} // namespace

class TestWorkflow : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void modelsStayConsistent();
    void listsWorkflowsAndNodes();
    void addStepFromPalette();
    void connectTwoSteps();
    void branchConditionMergesTyping();
    void editRetryPolicy();
    void rejectsBadValues();
    void editWebhookAuth();
    void removeStepCleansReferences();
    void removeSelectedEdge();
    void addRenameRemoveWorkflow();
    void autoArrangeIsOneUndoStep();
    void arrangeLongChainAndCycles();
    void findingsOnSteps();
    void selectionFromElement();
    void durations();
    void expressionSyntax();
    void edgeHitTesting();

    void studioDragStep();
    void studioConnectByDrag();
    void studioPaletteDrag();
    void studioFindingSelectsStep();
    void studioInspectorTyping();
    void studioRenameBoxCloses();
    void studioNewWorkflowDrawsOnlyItsEdges();
    void studioBannersHoldStillWhileTyping();
    void studioScreenshot();

private:
    Document *m_doc = nullptr;
    WorkflowEditor *m_editor = nullptr;
    const Workflow &wf() const { return *m_doc->project().workflow(m_editor->workflowId()); }
};

void TestWorkflow::init()
{
    m_doc = new Document;
    m_doc->reset(loadQ2C(), kQ2C);
    m_editor = new WorkflowEditor;
    m_editor->setDocument(m_doc);
}

void TestWorkflow::cleanup()
{
    delete m_editor;
    delete m_doc;
    m_editor = nullptr;
    m_doc = nullptr;
}

void TestWorkflow::modelsStayConsistent()
{
    using Mode = QAbstractItemModelTester::FailureReportingMode;
    QAbstractItemModelTester t1(m_editor->workflows(), Mode::QtTest);
    QAbstractItemModelTester t2(m_editor->steps(), Mode::QtTest);
    QAbstractItemModelTester t3(m_editor->edges(), Mode::QtTest);
    QAbstractItemModelTester t4(m_editor->palette(), Mode::QtTest);
    Resets stepResets(m_editor->steps());
    Resets edgeResets(m_editor->edges());

    // Edits of the open workflow are fine-grained: no resets.
    const QString id = m_editor->addStep(QStringLiteral("publish"), 300, 300,
                                         QStringLiteral("map-customer"));
    QVERIFY(!id.isEmpty());
    m_editor->moveStep(id, 320, 320);
    m_editor->endEdit();
    m_editor->setStepValue(id, QStringLiteral("name"), QStringLiteral("Announce"));
    m_editor->connectSteps(id, QStringLiteral("erp-sales-order"));
    m_editor->removeStep(QStringLiteral("support-entitlement"));
    QCOMPARE(stepResets.spy.count(), 0);
    QCOMPARE(edgeResets.spy.count(), 0);
    while (m_doc->canUndo())
        m_doc->undo();
    m_editor->autoArrange();
    m_doc->undo();
    // Switching workflows and removing one keep every model consistent too.
    m_editor->setWorkflowId(QStringLiteral("customer-master-sync"));
    QCOMPARE(m_editor->steps()->rowCount(), int(wf().steps.size()) + 1);
    m_editor->removeWorkflow(QStringLiteral("customer-master-sync"));
    QVERIFY(!m_editor->workflowId().isEmpty());
    m_doc->undo();
    m_doc->reset(Project());
    QCOMPARE(m_editor->steps()->rowCount(), 0);
    QCOMPARE(m_editor->workflows()->rowCount(), 0);
    QVERIFY(m_editor->palette()->rowCount() == 13);
    // The document going away first leaves an empty, harmless editor.
    delete m_doc;
    m_doc = nullptr;
    QCOMPARE(m_editor->steps()->rowCount(), 0);
    QVERIFY(m_editor->addStep(QStringLiteral("call"), 0, 0).isEmpty());
    QVERIFY(m_editor->contentBounds().isNull());
}

void TestWorkflow::listsWorkflowsAndNodes()
{
    QCOMPARE(m_editor->workflows()->rowCount(), int(m_doc->project().workflows.size()));
    QCOMPARE(m_editor->workflowId(), kClosedWon);
    const Workflow &w = wf();
    // The trigger, then one node per step.
    QCOMPARE(m_editor->steps()->rowCount(), int(w.steps.size()) + 1);
    const QModelIndex trigger = m_editor->steps()->index(0);
    QVERIFY(trigger.data(WorkflowStepsModel::IsTriggerRole).toBool());
    QCOMPARE(trigger.data(WorkflowStepsModel::NameRole).toString(), QStringLiteral("Webhook"));
    QCOMPARE(trigger.data(WorkflowStepsModel::SubtitleRole).toString(),
             QStringLiteral("crm.Opportunity"));
    const int order = m_editor->steps()->indexOf(QStringLiteral("erp-sales-order"));
    QVERIFY(order > 0);
    const QModelIndex so = m_editor->steps()->index(order);
    QCOMPARE(so.data(WorkflowStepsModel::TypeRole).toString(), QStringLiteral("call"));
    QCOMPARE(so.data(WorkflowStepsModel::SubtitleRole).toString(),
             QStringLiteral("POST erp /sales-orders"));
    QVERIFY(so.data(WorkflowStepsModel::IconRole).toString().endsWith("step-call.svg"));
    // The SLA "closed-won to ERP order within 15 minutes" marks its two milestones.
    QCOMPARE(so.data(WorkflowStepsModel::SlaRole).toString(), QStringLiteral("SLA 15 min"));
    QCOMPARE(trigger.data(WorkflowStepsModel::SlaRole).toString(), QStringLiteral("SLA start"));
    // Edges, plus the compensation link of the sales order.
    QCOMPARE(m_editor->edges()->rowCount(), int(w.edges.size()) + 1);
    bool sawBranchLabel = false;
    for (int i = 0; i < m_editor->edges()->rowCount(); ++i) {
        const QModelIndex e = m_editor->edges()->index(i);
        QVERIFY(e.data(WorkflowEdgesModel::PathRole).toString().startsWith("M "));
        sawBranchLabel = sawBranchLabel
                         || e.data(WorkflowEdgesModel::LabelRole).toString()
                                == QStringLiteral("discount > 20 %");
    }
    QVERIFY(sawBranchLabel);
}

void TestWorkflow::addStepFromPalette()
{
    const int history = m_doc->historySize();
    const int steps = int(wf().steps.size());
    // A click on "Wait" in the palette with "Create subscription" selected.
    m_editor->setSelectedElement(QStringLiteral("workflow:%1/step:billing-subscription")
                                     .arg(kClosedWon));
    const QPointF at = m_editor->suggestedPosition(m_editor->selectedStep());
    const QString id = m_editor->addStep(QStringLiteral("wait"), at.x(), at.y(),
                                         m_editor->selectedStep());
    QCOMPARE(id, QStringLiteral("wait"));
    QCOMPARE(m_doc->historySize(), history + 1);
    const Step *s = wf().step(id);
    QVERIFY(s);
    QCOMPARE(toString(s->type), toString(StepType::Wait));
    QCOMPARE(s->name, QStringLiteral("Wait"));
    // Not on top of the existing "Wait for first invoice" right of it.
    QVERIFY(s->position != wf().step(QStringLiteral("wait-invoice"))->position);
    QCOMPARE(countEdges(wf(), QStringLiteral("billing-subscription"), id), 1);
    QVERIFY(m_editor->steps()->indexOf(id) > 0);
    // A second one gets its own id; an unknown type adds nothing.
    QCOMPARE(m_editor->addStep(QStringLiteral("wait"), 0, 0), QStringLiteral("wait-2"));
    QVERIFY(m_editor->addStep(QStringLiteral("teleport"), 0, 0).isEmpty());
    m_doc->undo();
    m_doc->undo();
    QCOMPARE(int(wf().steps.size()), steps);
    QVERIFY(!wf().step(id));
    QCOMPARE(countEdges(wf(), QStringLiteral("billing-subscription"), id), 0);
    QCOMPARE(m_editor->steps()->indexOf(id), -1);
    // A trigger type from the palette replaces the trigger.
    m_editor->setTriggerType(QStringLiteral("event"));
    QCOMPARE(toString(wf().trigger.type), toString(TriggerType::Event));
    m_doc->undo();
    QCOMPARE(toString(wf().trigger.type), toString(TriggerType::Webhook));
}

void TestWorkflow::connectTwoSteps()
{
    const QString from = QStringLiteral("approve-discount");
    const QString to = QStringLiteral("invoice-missing");
    const int edges = int(wf().edges.size());
    const int edge = m_editor->connectSteps(from, to);
    QCOMPARE(edge, edges);
    QCOMPARE(countEdges(wf(), from, to), 1);
    QCOMPARE(toString(wf().edges[edge].kind), toString(EdgeKind::Next));
    QCOMPARE(m_editor->edges()->rowCount(), edges + 2);
    // Refused: duplicates, self loops, into the trigger, unknown steps.
    QCOMPARE(m_editor->connectSteps(from, to), -1);
    QCOMPARE(m_editor->connectSteps(from, from), -1);
    QCOMPARE(m_editor->connectSteps(from, QStringLiteral("trigger")), -1);
    QCOMPARE(m_editor->connectSteps(from, QStringLiteral("nowhere")), -1);
    QCOMPARE(int(wf().edges.size()), edges + 1);
    m_doc->undo();
    QCOMPARE(countEdges(wf(), from, to), 0);
    QCOMPARE(int(wf().edges.size()), edges);
}

void TestWorkflow::branchConditionMergesTyping()
{
    int edge = -1;
    for (int i = 0; i < wf().edges.size(); ++i) {
        if (wf().edges[i].from == QLatin1String("discount-check")
            && wf().edges[i].to == QLatin1String("approve-discount"))
            edge = i;
    }
    QVERIFY(edge >= 0);
    const QString before = wf().edges[edge].condition;
    m_editor->setSelectedElement(m_editor->edgeElement(edge));
    QCOMPARE(m_editor->selectedEdge(), edge);
    QCOMPARE(m_editor->edgeDetails().value("condition").toString(), before);

    const int history = m_doc->historySize();
    const QString typed = QStringLiteral("quote.discountPercent > 25");
    for (int n = 1; n <= typed.size(); ++n)
        QVERIFY(m_editor->setEdgeValue(edge, QStringLiteral("condition"), typed.left(n)));
    m_editor->endEdit();
    QCOMPARE(wf().edges[edge].condition, typed);
    QCOMPARE(m_doc->historySize(), history + 1);  // typing is one undo step
    QCOMPARE(m_editor->edgeDetails().value("condition").toString(), typed);
    auto edgeRow = [&] {
        for (int i = 0; i < m_editor->edges()->rowCount(); ++i) {
            const QModelIndex idx = m_editor->edges()->index(i);
            if (idx.data(WorkflowEdgesModel::EdgeIndexRole).toInt() == edge)
                return idx;
        }
        return QModelIndex();
    };
    QVERIFY(!edgeRow().data(WorkflowEdgesModel::ConditionErrorRole).toBool());
    // A broken condition is marked on the canvas (and stays editable).
    QVERIFY(m_editor->setEdgeValue(edge, QStringLiteral("condition"), QStringLiteral("a >")));
    QVERIFY(edgeRow().data(WorkflowEdgesModel::ConditionErrorRole).toBool());
    m_doc->undo();
    QCOMPARE(wf().edges[edge].condition, typed);
    QVERIFY(m_editor->setEdgeValue(edge, QStringLiteral("kind"), QStringLiteral("on-error")));
    QCOMPARE(toString(wf().edges[edge].kind), toString(EdgeKind::OnError));
    m_doc->undo();
    m_doc->undo();
    QCOMPARE(wf().edges[edge].condition, before);
    QCOMPARE(toString(wf().edges[edge].kind), toString(EdgeKind::Next));
}

void TestWorkflow::editRetryPolicy()
{
    const QString id = QStringLiteral("erp-sales-order");
    const Step original = *wf().step(id);
    m_editor->setSelectedElement(m_editor->stepElement(id));
    QCOMPARE(m_editor->stepDetails().value("retry.maxAttempts").toInt(), 5);
    const int history = m_doc->historySize();
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("retry.maxAttempts"), 8));
    m_editor->endEdit();
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("retry.initialBackoffMs"),
                                   m_editor->parseDuration(QStringLiteral("2 s"))));
    m_editor->endEdit();
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("retry.multiplier"), 3.0));
    m_editor->endEdit();
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("retry.jitter"), false));
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("businessErrorStatuses"),
                                   QStringLiteral("400, 409 422;404")));
    m_editor->endEdit();
    const Step &s = *wf().step(id);
    QCOMPARE(s.retry.maxAttempts, 8);
    QCOMPARE(s.retry.initialBackoffMs, 2000);
    QCOMPARE(s.retry.multiplier, 3.0);
    QCOMPARE(s.retry.jitter, false);
    QCOMPARE(s.businessErrorStatuses, (QVector<int>{400, 409, 422, 404}));
    QCOMPARE(m_doc->historySize(), history + 5);
    QCOMPARE(m_editor->stepDetails().value("retry.initialBackoff").toString(),
             QStringLiteral("2 s"));
    while (m_doc->historySize() > history && m_doc->canUndo()
           && !(*wf().step(id) == original))
        m_doc->undo();
    QVERIFY(*wf().step(id) == original);

    // Other settings of the inspector, each reaching the Document.
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("idempotencyKey"), "\"so-\" & id"));
    QCOMPARE(wf().step(id)->idempotencyKey, QStringLiteral("\"so-\" & id"));
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("timeoutMs"), 15000));
    QCOMPARE(wf().step(id)->timeoutMs, 15000);
    QVERIFY(m_editor->setStepValue(id, QStringLiteral("system"), QStringLiteral("billing")));
    QCOMPARE(wf().step(id)->entity, QString());  // the ERP entity does not follow
    QVERIFY(m_editor->setStepValue(QStringLiteral("approve-discount"), QStringLiteral("role"),
                                   QStringLiteral("CFO")));
    QCOMPARE(wf().step(QStringLiteral("approve-discount"))->role, QStringLiteral("CFO"));
    QVERIFY(m_editor->setStepValue(QStringLiteral("wait-invoice"),
                                   QStringLiteral("correlation"), QStringLiteral("sub.id")));
    QCOMPARE(wf().step(QStringLiteral("wait-invoice"))->correlation, QStringLiteral("sub.id"));
}

void TestWorkflow::rejectsBadValues()
{
    const QString id = QStringLiteral("erp-sales-order");
    const int history = m_doc->historySize();
    QVERIFY(!m_editor->setStepValue(id, QStringLiteral("businessErrorStatuses"),
                                    QStringLiteral("400, teapot")));
    QVERIFY(!m_editor->setStepValue(id, QStringLiteral("transientStatuses"),
                                    QStringLiteral("42")));
    QVERIFY(!m_editor->setStepValue(id, QStringLiteral("retry.maxAttempts"), -1));
    QVERIFY(!m_editor->setStepValue(id, QStringLiteral("retry.multiplier"), 0.5));
    QVERIFY(!m_editor->setStepValue(id, QStringLiteral("method"), QStringLiteral("BREW")));
    QVERIFY(!m_editor->setStepValue(id, QStringLiteral("noSuchKey"), 1));
    QVERIFY(!m_editor->setStepValue(QStringLiteral("ghost"), QStringLiteral("name"), "x"));
    QVERIFY(!m_editor->setEdgeValue(999, QStringLiteral("condition"), "true"));
    QVERIFY(!m_editor->setEdgeValue(0, QStringLiteral("kind"), QStringLiteral("sideways")));
    QVERIFY(!m_editor->setWorkflowValue(QStringLiteral("pattern"), QStringLiteral("spaghetti")));
    QVERIFY(!m_editor->setTriggerValue(QStringLiteral("type"), QStringLiteral("telepathy")));
    QCOMPARE(m_doc->historySize(), history);
}

// The trigger inspector's authentication settings: each edit one undo step in the document.
void TestWorkflow::editWebhookAuth()
{
    m_editor->setWorkflowId(kClosedWon);
    const WebhookAuth original = wf().trigger.auth;
    QVERIFY(original.type == WebhookAuthType::HmacSha256);
    QCOMPARE(m_editor->workflowDetails().value("trigger.authType").toString(),
             QStringLiteral("hmac-sha256"));
    QCOMPARE(m_editor->workflowDetails().value("trigger.authSecret").toString(),
             QStringLiteral("env:Q2C_WEBHOOK_SECRET"));
    const int history = m_doc->historySize();
    QVERIFY(m_editor->setTriggerValue(QStringLiteral("authType"), QStringLiteral("bearer")));
    QVERIFY(m_editor->setTriggerValue(QStringLiteral("authSecret"),
                                      QStringLiteral("env:CRM_HOOK_TOKEN")));
    m_editor->endEdit();
    QVERIFY(wf().trigger.auth.type == WebhookAuthType::Bearer);
    QCOMPARE(wf().trigger.auth.secretRef, QStringLiteral("env:CRM_HOOK_TOKEN"));
    QVERIFY(m_editor->setTriggerValue(QStringLiteral("authType"), QStringLiteral("hmac-sha256")));
    QVERIFY(m_editor->setTriggerValue(QStringLiteral("authTolerance"), 60));
    m_editor->endEdit();
    QCOMPARE(wf().trigger.auth.toleranceSeconds, 60);
    QCOMPARE(m_doc->historySize(), history + 4);
    // A literal is stored (the user is typing) but flagged, without repeating it.
    const QString why = m_editor->webhookSecretError(QStringLiteral("hmac-sha256"),
                                                     QStringLiteral("sk_live_123"));
    QVERIFY(why.contains(QLatin1String("literal")));
    QVERIFY(!why.contains(QLatin1String("sk_live")));
    QVERIFY(m_editor->webhookSecretError(QStringLiteral("bearer"),
                                         QStringLiteral("env:X")).isEmpty());
    // Rejected: unknown types and tolerances below one second.
    QVERIFY(!m_editor->setTriggerValue(QStringLiteral("authType"), QStringLiteral("md5")));
    QVERIFY(!m_editor->setTriggerValue(QStringLiteral("authTolerance"), 0));
    QCOMPARE(m_doc->historySize(), history + 4);
    for (int i = 0; i < 4; ++i)
        m_doc->undo();
    QVERIFY(wf().trigger.auth == original);
    // Explicitly unsigned, and back to "not configured".
    QVERIFY(m_editor->setTriggerValue(QStringLiteral("authType"), QStringLiteral("none")));
    QVERIFY(wf().trigger.auth.type == WebhookAuthType::None);
    QVERIFY(m_editor->setTriggerValue(QStringLiteral("authType"), QString()));
    QVERIFY(wf().trigger.auth.type == WebhookAuthType::Unset);
}

void TestWorkflow::removeStepCleansReferences()
{
    const Workflow before = wf();
    const QString comp = QStringLiteral("cancel-erp-order");
    QCOMPARE(wf().step(QStringLiteral("erp-sales-order"))->compensation, comp);
    m_editor->setSelectedElement(m_editor->stepElement(comp));
    QVERIFY(m_editor->removeSelected());
    QVERIFY(!wf().step(comp));
    QVERIFY(wf().step(QStringLiteral("erp-sales-order"))->compensation.isEmpty());
    QVERIFY(m_editor->selectedStep().isEmpty());

    const QString mid = QStringLiteral("map-customer");
    m_editor->removeStep(mid);
    for (const Edge &e : wf().edges)
        QVERIFY(e.from != mid && e.to != mid);
    m_doc->undo();
    m_doc->undo();
    QVERIFY(wf() == before);
}

void TestWorkflow::removeSelectedEdge()
{
    const int edges = int(wf().edges.size());
    m_editor->setSelectedElement(m_editor->edgeElement(2));
    const Edge e = wf().edges[2];
    QVERIFY(m_editor->removeSelected());
    QCOMPARE(int(wf().edges.size()), edges - 1);
    QCOMPARE(countEdges(wf(), e.from, e.to), 0);
    QCOMPARE(m_editor->selectedEdge(), -1);
    m_doc->undo();
    QCOMPARE(countEdges(wf(), e.from, e.to), 1);
    m_editor->setSelectedElement(QString());
    QVERIFY(!m_editor->removeSelected());
}

void TestWorkflow::addRenameRemoveWorkflow()
{
    const int n = int(m_doc->project().workflows.size());
    const QString id = m_editor->addWorkflow(QStringLiteral("Refund to credit note"));
    QCOMPARE(id, QStringLiteral("refund-to-credit-note"));
    QCOMPARE(m_editor->workflowId(), id);
    QCOMPARE(int(m_doc->project().workflows.size()), n + 1);
    QCOMPARE(m_editor->workflows()->indexOf(id), n);
    QCOMPARE(m_editor->steps()->rowCount(), 1);  // just the trigger
    QVERIFY(m_editor->setWorkflowValue(QStringLiteral("pattern"),
                                       QStringLiteral("human-in-the-loop")));
    QCOMPARE(toString(m_doc->project().workflow(id)->pattern),
             toString(WorkflowPattern::HumanInTheLoop));
    m_editor->renameWorkflow(id, QStringLiteral("Refunds"));
    QCOMPARE(m_doc->project().workflow(id)->name, QStringLiteral("Refunds"));
    QCOMPARE(m_editor->workflows()->index(n).data(WorkflowListModel::NameRole).toString(),
             QStringLiteral("Refunds"));
    m_editor->removeWorkflow(id);
    QVERIFY(!m_doc->project().workflow(id));
    QVERIFY(m_editor->workflowId() != id);
    QVERIFY(!m_editor->workflowId().isEmpty());
    m_doc->undo();
    QCOMPARE(m_doc->project().workflow(id)->name, QStringLiteral("Refunds"));
    m_doc->undo();
    m_doc->undo();
    m_doc->undo();
    QVERIFY(!m_doc->project().workflow(id));
    QCOMPARE(int(m_doc->project().workflows.size()), n);
}

void TestWorkflow::autoArrangeIsOneUndoStep()
{
    // Positions missing (all at the origin), as in a hand-written or imported file.
    Workflow w = wf();
    for (Step &s : w.steps)
        s.position = QPointF();
    m_doc->updateWorkflow(w, QStringLiteral("reset positions"));
    const int history = m_doc->historySize();
    QVERIFY(m_editor->needsArrange());
    m_editor->autoArrange();
    QCOMPARE(m_doc->historySize(), history + 1);
    QVERIFY(!m_editor->needsArrange());
    const Workflow &a = wf();
    // Every step has its own place, and every forward edge goes left to right.
    QSet<QPair<qreal, qreal>> places;
    for (const Step &s : a.steps)
        places.insert({s.position.x(), s.position.y()});
    QCOMPARE(places.size(), int(a.steps.size()));
    for (const Edge &e : a.edges) {
        const Step *to = a.step(e.to);
        const Step *from = a.step(e.from);
        QVERIFY(to);
        if (from)
            QVERIFY2(from->position.x() < to->position.x(),
                     qPrintable(e.from + " -> " + e.to));
    }
    // The compensate step sits under the step it undoes.
    const Step *so = a.step(QStringLiteral("erp-sales-order"));
    const Step *cancel = a.step(QStringLiteral("cancel-erp-order"));
    QCOMPARE(cancel->position.x(), so->position.x());
    QVERIFY(cancel->position.y() > so->position.y());
    // The trigger sits left of everything.
    const QPointF trigger = studio::workflow::triggerPosition(a);
    for (const Step &s : a.steps)
        QVERIFY(trigger.x() < s.position.x());
    m_doc->undo();
    for (const Step &s : wf().steps)
        QCOMPARE(s.position, QPointF());
}

void TestWorkflow::arrangeLongChainAndCycles()
{
    // 5,000 steps in a chain with a loop back to the start, and an unreachable pair.
    Workflow w;
    w.id = QStringLiteral("chain");
    const int n = 5000;
    for (int i = 0; i < n; ++i) {
        Step s;
        s.id = QStringLiteral("s%1").arg(i);
        s.type = StepType::Publish;
        w.steps << s;
        w.edges << Edge{i == 0 ? QStringLiteral("trigger") : QStringLiteral("s%1").arg(i - 1),
                        s.id, EdgeKind::Next, QString(), QString()};
    }
    w.edges << Edge{QStringLiteral("s%1").arg(n - 1), QStringLiteral("s0"), EdgeKind::OnError,
                    QString(), QString()};
    Step a, b;
    a.id = QStringLiteral("lonely-a");
    b.id = QStringLiteral("lonely-b");
    w.steps << a << b;
    w.edges << Edge{a.id, b.id, EdgeKind::Next, QString(), QString()};
    const QHash<QString, QPointF> pos = studio::workflow::arrange(w);
    QCOMPARE(pos.size(), int(w.steps.size()));
    for (int i = 1; i < n; ++i)
        QVERIFY(pos[QStringLiteral("s%1").arg(i - 1)].x() < pos[QStringLiteral("s%1").arg(i)].x());
    QVERIFY(pos[a.id].x() < pos[b.id].x());
    QVERIFY(pos[a.id] != pos[QStringLiteral("s0")]);
}

void TestWorkflow::findingsOnSteps()
{
    FindingsModel findings;
    m_editor->setFindings(&findings);
    auto validate = [&] { findings.setFindings(validateProject(m_doc->project())); };
    validate();
    const QString id = QStringLiteral("erp-sales-order");
    auto counts = [&] {
        const QModelIndex idx = m_editor->steps()->index(m_editor->steps()->indexOf(id));
        return idx.data(WorkflowStepsModel::ErrorCountRole).toInt()
               + idx.data(WorkflowStepsModel::WarningCountRole).toInt();
    };
    const int before = counts();
    // A POST without idempotency key, timeout or retry policy is three findings more.
    m_editor->setStepValue(id, QStringLiteral("idempotencyKey"), QString());
    m_editor->setStepValue(id, QStringLiteral("timeoutMs"), 0);
    m_editor->setStepValue(id, QStringLiteral("retry.maxAttempts"), 0);
    validate();
    QTRY_COMPARE(counts(), before + 3);
    m_editor->setSelectedElement(m_editor->stepElement(id));
    QVERIFY(m_editor->stepDetails().value("findings").toList().size() >= 3);
    const int listRow = m_editor->workflows()->indexOf(kClosedWon);
    QVERIFY(m_editor->workflows()->index(listRow)
                .data(WorkflowListModel::WarningCountRole).toInt()
            + m_editor->workflows()->index(listRow)
                  .data(WorkflowListModel::ErrorCountRole).toInt()
            >= 3);
    while (m_doc->canUndo())
        m_doc->undo();
    validate();
    QTRY_COMPARE(counts(), before);
}

void TestWorkflow::selectionFromElement()
{
    QSignalSpy reveal(m_editor, &WorkflowEditor::revealRequested);
    m_editor->setSelectedElement(
        QStringLiteral("workflow:customer-master-sync/step:upsert-erp-customer"));
    QCOMPARE(m_editor->workflowId(), QStringLiteral("customer-master-sync"));
    QCOMPARE(m_editor->selectedStep(), QStringLiteral("upsert-erp-customer"));
    QCOMPARE(m_editor->stepDetails().value("system").toString(), QStringLiteral("erp"));
    QCOMPARE(reveal.count(), 1);
    m_editor->setSelectedElement(QStringLiteral("workflow:closed-won-to-cash/trigger"));
    QCOMPARE(m_editor->workflowId(), kClosedWon);
    QVERIFY(m_editor->triggerSelected());
    QVERIFY(m_editor->selectedStep().isEmpty());
    m_editor->setSelectedElement(QStringLiteral("sla:closed-won-to-order"));
    QCOMPARE(m_editor->workflowId(), kClosedWon);
    QCOMPARE(m_editor->workflowDetails().value("slas").toList().size(), 1);
    // Another view's selection leaves the workflow open, with nothing selected in it.
    m_editor->setSelectedElement(QStringLiteral("system:crm"));
    QCOMPARE(m_editor->workflowId(), kClosedWon);
    QVERIFY(m_editor->stepDetails().isEmpty());
    QVERIFY(!m_editor->triggerSelected());
    // An unknown step selects nothing.
    m_editor->setSelectedElement(QStringLiteral("workflow:closed-won-to-cash/step:ghost"));
    QVERIFY(m_editor->selectedStep().isEmpty());
}

void TestWorkflow::durations()
{
    using studio::workflow::formatDuration;
    using studio::workflow::parseDuration;
    QCOMPARE(formatDuration(20000), QStringLiteral("20 s"));
    QCOMPARE(formatDuration(14400000), QStringLiteral("4 h"));
    QCOMPARE(formatDuration(86400000), QStringLiteral("1 d"));
    QCOMPARE(formatDuration(5400000), QStringLiteral("1 h 30 min"));
    QCOMPARE(formatDuration(250), QStringLiteral("250 ms"));
    QCOMPARE(formatDuration(0), QString());
    QCOMPARE(parseDuration(QStringLiteral("20 s")), 20000);
    QCOMPARE(parseDuration(QStringLiteral("1h 30min")), 5400000);
    QCOMPARE(parseDuration(QStringLiteral("24h")), 86400000);
    QCOMPARE(parseDuration(QStringLiteral("500")), 500);
    QCOMPARE(parseDuration(QStringLiteral("1.5 s")), 1500);
    QCOMPARE(parseDuration(QString()), 0);
    QCOMPARE(parseDuration(QStringLiteral("soon")), -1);
    QCOMPARE(parseDuration(QStringLiteral("5 parsecs")), -1);
    for (qint64 ms : {250LL, 20000LL, 5400000LL, 86400000LL})
        QCOMPARE(parseDuration(formatDuration(ms)), ms);
}

void TestWorkflow::expressionSyntax()
{
    QVERIFY(WorkflowEditor::checkExpression(QStringLiteral("quote.discountPercent > 20"))
                .isEmpty());
    QVERIFY(WorkflowEditor::checkExpression(QString()).isEmpty());
    const QString error = WorkflowEditor::checkExpression(QStringLiteral("amount > "));
    QVERIFY(error.startsWith(QStringLiteral("Syntax error")));
    QVERIFY(error.contains(QStringLiteral("position")));
    // Validate rules: one expression per line, the bad line is named.
    const QString rules = WorkflowEditor::checkExpression(
        QStringLiteral("amount > 0\n$exists(accountId\n"), true);
    QVERIFY2(rules.contains(QStringLiteral("line 2")), qPrintable(rules));
    QVERIFY(WorkflowEditor::checkExpression(QStringLiteral("a = 1\n\nb = 2"), true).isEmpty());
}

void TestWorkflow::edgeHitTesting()
{
    const Workflow &w = wf();
    // The straight edge lookup-account -> map-customer, halfway.
    const QPointF a = w.step(QStringLiteral("lookup-account"))->position;
    const QPointF b = w.step(QStringLiteral("map-customer"))->position;
    const qreal midX = (a.x() + studio::workflow::kStepSize + b.x()) / 2;
    const qreal y = a.y() + studio::workflow::kStepSize / 2;
    const int edge = m_editor->edgeAt(midX, y + 2, 6);
    QVERIFY(edge >= 0);
    QCOMPARE(w.edges[edge].from, QStringLiteral("lookup-account"));
    QCOMPARE(w.edges[edge].to, QStringLiteral("map-customer"));
    QCOMPARE(m_editor->edgeAt(midX, y + 40, 6), -1);
    QCOMPARE(m_editor->nodeAt(a.x() + 10, a.y() + 10), QStringLiteral("lookup-account"));
    const QPointF t = studio::workflow::triggerPosition(w);
    QCOMPARE(m_editor->nodeAt(t.x() + 32, t.y() + 32), QStringLiteral("trigger"));
    QVERIFY(m_editor->nodeAt(-5000, -5000).isEmpty());
    const QRectF bounds = m_editor->contentBounds();
    for (const Step &s : w.steps)
        QVERIFY(bounds.contains(QRectF(s.position, QSizeF(64, 64))));
}

// ---- the real studio, offscreen

namespace {

struct Studio
{
    QQmlApplicationEngine engine;
    QQuickWindow *window = nullptr;
    StudioController *ctl = nullptr;
    QQuickItem *page = nullptr;
    WorkflowEditor *editor = nullptr;
    QQuickItem *canvas = nullptr;

    // `project`: a copy, for tests that leave edits behind (the autosave side file would
    // land beside the template otherwise).
    bool open(const QString &project = kQ2C)
    {
        if (!studio::loadStudio(engine, project))
            return false;
        window = studio::mainWindow(engine);
        ctl = studio::controller(engine);
        if (!window || !ctl)
            return false;
        window->resize(1440, 900);
        ctl->setCurrentView(StudioController::Workflows);
        if (!QTest::qWaitForWindowExposed(window))
            return false;
        QTest::qWait(300);
        page = findItem(window->contentItem(), QStringLiteral("workflowsPage"));
        canvas = findItem(window->contentItem(), QStringLiteral("workflowCanvas"));
        editor = page ? page->property("editor").value<WorkflowEditor *>() : nullptr;
        return page && canvas && editor && page->isVisible();
    }
    QQuickItem *node(const QString &id) const
    {
        return findItem(window->contentItem(), QStringLiteral("workflowNode_") + id);
    }
};

// The visible item named `name` under `root` (delegates share names; one is shown).
QQuickItem *visibleItem(QQuickItem *root, const QString &name)
{
    if (!root || !root->isVisible())
        return nullptr;
    if (root->objectName() == name && root->width() > 0)
        return root;
    for (QQuickItem *child : root->childItems()) {
        if (QQuickItem *found = visibleItem(child, name))
            return found;
    }
    return nullptr;
}

// Types `text` into the window's focus item, key by key (QTest::keyClicks is for widgets).
void typeText(QWindow *window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

void TestWorkflow::studioDragStep()
{
    Studio s;
    QVERIFY(s.open());
    QCOMPARE(s.editor->workflowId(), kClosedWon);
    const Document &doc = *s.ctl->document();
    const Workflow *w = doc.project().workflow(kClosedWon);
    QTRY_COMPARE(s.canvas->property("nodeCount").toInt(), int(w->steps.size()) + 1);

    const QString id = QStringLiteral("validate-opportunity");
    QQuickItem *node = s.node(id);
    QVERIFY(node);
    QVERIFY(node->isVisible());
    const QPointF before = w->step(id)->position;
    const QPoint start = node->mapToScene(QPointF(20, 20)).toPoint();
    const int history = doc.historySize();
    QTest::mousePress(s.window, Qt::LeftButton, Qt::NoModifier, start);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(s.window, start + QPoint(4 * i, 6 * i), 10);
    QTest::mouseRelease(s.window, Qt::LeftButton, Qt::NoModifier, start + QPoint(40, 60));

    const QPointF after = doc.project().workflow(kClosedWon)->step(id)->position;
    QVERIFY2(after != before, "the drag did not move the step");
    QCOMPARE(doc.historySize(), history + 1);  // the whole drag is one undo step
    QCOMPARE(s.ctl->selectedElement(), s.editor->stepElement(id));
    QCOMPARE(s.editor->selectedStep(), id);
    QCOMPARE(node->x(), after.x());
    s.ctl->undo();
    QCOMPARE(doc.project().workflow(kClosedWon)->step(id)->position, before);
    QCOMPARE(node->x(), before.x());

    // Delete removes the selected step; undo brings it back.
    QTest::mouseClick(s.window, Qt::LeftButton, Qt::NoModifier, start);
    QCOMPARE(s.editor->selectedStep(), id);
    QTest::keyClick(s.window, Qt::Key_Delete);
    QVERIFY(!doc.project().workflow(kClosedWon)->step(id));
    s.ctl->undo();
    QVERIFY(doc.project().workflow(kClosedWon)->step(id));
}

void TestWorkflow::studioConnectByDrag()
{
    Studio s;
    QVERIFY(s.open());
    const Document &doc = *s.ctl->document();
    const QString from = QStringLiteral("validate-opportunity");
    const QString to = QStringLiteral("approve-discount");
    QQuickItem *handle = findItem(s.window->contentItem(), QStringLiteral("outputHandle_") + from);
    QQuickItem *target = s.node(to);
    QVERIFY(handle && target);
    const QPoint p0 = handle->mapToScene(QPointF(handle->width() / 2, handle->height() / 2))
                          .toPoint();
    const QPoint p1 = target->mapToScene(QPointF(20, 30)).toPoint();
    QVERIFY(s.canvas->mapRectToScene(QRectF(0, 0, s.canvas->width(), s.canvas->height()))
                .contains(p1));
    const int history = doc.historySize();
    QTest::mousePress(s.window, Qt::LeftButton, Qt::NoModifier, p0);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(s.window, p0 + (p1 - p0) * i / 10, 10);
    QTest::mouseRelease(s.window, Qt::LeftButton, Qt::NoModifier, p1);
    QCOMPARE(countEdges(*doc.project().workflow(kClosedWon), from, to), 1);
    QCOMPARE(doc.historySize(), history + 1);
    QVERIFY(s.editor->selectedEdge() >= 0);  // the new edge is selected for its condition
    s.ctl->undo();
    QCOMPARE(countEdges(*doc.project().workflow(kClosedWon), from, to), 0);

    // Dropped on empty canvas: a menu of step types adds one there, linked from the source.
    QQuickItem *approveHandle = findItem(s.window->contentItem(),
                                         QStringLiteral("outputHandle_approve-discount"));
    QVERIFY(approveHandle);
    const QPoint h0 = approveHandle->mapToScene(QPointF(7, 7)).toPoint();
    const QPoint h1 = h0 + QPoint(90, -60);
    QTest::mousePress(s.window, Qt::LeftButton, Qt::NoModifier, h0);
    for (int i = 1; i <= 8; ++i)
        QTest::mouseMove(s.window, h0 + (h1 - h0) * i / 8, 10);
    QTest::mouseRelease(s.window, Qt::LeftButton, Qt::NoModifier, h1);
    auto *menu = s.window->findChild<QObject *>(QStringLiteral("workflowAddMenu"));
    QVERIFY(menu);
    QTRY_VERIFY(menu->property("opened").toBool());
    QQuickItem *publishItem = nullptr;
    QMetaObject::invokeMethod(menu, "itemAt", Q_RETURN_ARG(QQuickItem *, publishItem),
                              Q_ARG(int, 5));
    QVERIFY(publishItem);
    QCOMPARE(publishItem->property("text").toString(), QStringLiteral("Publish"));
    QTest::mouseClick(s.window, Qt::LeftButton, Qt::NoModifier,
                      publishItem->mapToScene(QPointF(30, publishItem->height() / 2))
                          .toPoint());
    QTRY_VERIFY(doc.project().workflow(kClosedWon)->step(QStringLiteral("publish")));
    QCOMPARE(countEdges(*doc.project().workflow(kClosedWon), QStringLiteral("approve-discount"),
                        QStringLiteral("publish")), 1);
    QCOMPARE(doc.historySize(), history + 1);
    s.ctl->undo();
    QVERIFY(!doc.project().workflow(kClosedWon)->step(QStringLiteral("publish")));

    // A click on a palette entry adds a step after the selected one.
    s.ctl->select(s.editor->stepElement(QStringLiteral("support-entitlement")));
    QQuickItem *paletteEntry =
        findItem(s.window->contentItem(), QStringLiteral("palette_step_lookup"));
    QVERIFY(paletteEntry);
    QTest::mouseClick(s.window, Qt::LeftButton, Qt::NoModifier,
                      paletteEntry->mapToScene(QPointF(40, paletteEntry->height() / 2)).toPoint());
    const Workflow &w = *doc.project().workflow(kClosedWon);
    QVERIFY(w.step(QStringLiteral("lookup")));
    QCOMPARE(countEdges(w, QStringLiteral("support-entitlement"), QStringLiteral("lookup")), 1);
    QCOMPARE(s.editor->selectedStep(), QStringLiteral("lookup"));
    s.ctl->undo();
    QVERIFY(!doc.project().workflow(kClosedWon)->step(QStringLiteral("lookup")));
}

void TestWorkflow::studioPaletteDrag()
{
    Studio s;
    QVERIFY(s.open());
    const Document &doc = *s.ctl->document();
    QQuickItem *entry = findItem(s.window->contentItem(), QStringLiteral("palette_step_map"));
    QVERIFY(entry);
    const QPoint p0 = entry->mapToScene(QPointF(40, entry->height() / 2)).toPoint();
    // An empty spot of the canvas, below the flow.
    const QPoint p1 = s.canvas->mapToScene(QPointF(s.canvas->width() / 2,
                                                   s.canvas->height() - 120)).toPoint();
    const int history = doc.historySize();
    QTest::mousePress(s.window, Qt::LeftButton, Qt::NoModifier, p0);
    for (int i = 1; i <= 12; ++i)
        QTest::mouseMove(s.window, p0 + (p1 - p0) * i / 12, 10);
    QTest::mouseRelease(s.window, Qt::LeftButton, Qt::NoModifier, p1);
    const Workflow &w = *doc.project().workflow(kClosedWon);
    const Step *added = w.step(QStringLiteral("map"));
    QVERIFY(added);
    QCOMPARE(toString(added->type), QStringLiteral("map"));
    QCOMPARE(doc.historySize(), history + 1);
    // Dropped where the pointer was: the new node's square is under the release point.
    QQuickItem *node = s.node(QStringLiteral("map"));
    QTRY_VERIFY(node);
    QVERIFY(node->mapRectToScene(QRectF(-8, -8, node->width() + 16, node->height() + 16))
                .contains(p1));
    QCOMPARE(s.editor->selectedStep(), QStringLiteral("map"));
    s.ctl->undo();
    QVERIFY(!doc.project().workflow(kClosedWon)->step(QStringLiteral("map")));
}

void TestWorkflow::studioFindingSelectsStep()
{
    Studio s;
    QVERIFY(s.open());
    // Break a step so the validator reports it, then click the finding.
    const QString id = QStringLiteral("crm-billing-status");
    QVERIFY(s.editor->setStepValue(id, QStringLiteral("timeoutMs"), 0));
    s.ctl->validateNow();
    const QString element = s.editor->stepElement(id);
    int row = -1;
    const auto &all = s.ctl->findings()->findings();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].location.element == element)
            row = i;
    }
    QVERIFY(row >= 0);
    QTRY_VERIFY(s.node(id)->property("warningCount").toInt()
                + s.node(id)->property("errorCount").toInt() > 0);
    s.ctl->setCurrentView(StudioController::Landscape);
    s.ctl->activateFinding(row);
    QCOMPARE(s.ctl->currentView(), StudioController::Workflows);
    QCOMPARE(s.editor->workflowId(), kClosedWon);
    QCOMPARE(s.editor->selectedStep(), id);
    QTRY_VERIFY(s.node(id)->property("selected").toBool());
    // The finding is shown in the inspector too.
    QVERIFY(!s.editor->stepDetails().value("findings").toList().isEmpty());
}

void TestWorkflow::studioInspectorTyping()
{
    Studio s;
    QVERIFY(s.open());
    const Document &doc = *s.ctl->document();
    const QString id = QStringLiteral("erp-sales-order");
    s.ctl->select(s.editor->stepElement(id));
    QQuickItem *nameField = findItem(s.window->contentItem(), QStringLiteral("stepNameField"));
    QVERIFY(nameField);
    auto *input = nameField->property("input").value<QQuickItem *>();
    QVERIFY(input);
    QTRY_VERIFY(input->isVisible());
    const QString before = doc.project().workflow(kClosedWon)->step(id)->name;
    const int history = doc.historySize();
    input->forceActiveFocus();
    QTest::keyClick(s.window, Qt::Key_End);
    for (char c : QByteArrayLiteral(" (EU)"))
        QTest::keyClick(s.window, c);
    QTest::keyClick(s.window, Qt::Key_Return);
    QCOMPARE(doc.project().workflow(kClosedWon)->step(id)->name, before + QStringLiteral(" (EU)"));
    QCOMPARE(doc.historySize(), history + 1);  // five keystrokes, one undo step
    // The node on the canvas follows.
    QTRY_COMPARE(s.node(id)->property("name").toString(), before + QStringLiteral(" (EU)"));

    // Retry attempts: committed when the field is left.
    QQuickItem *attempts = findItem(s.window->contentItem(),
                                    QStringLiteral("retryAttemptsField"));
    QVERIFY(attempts);
    auto *attemptsInput = attempts->property("input").value<QQuickItem *>();
    QVERIFY(attemptsInput);
    attemptsInput->forceActiveFocus();
    QTest::keyClick(s.window, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(s.window, '7');
    QTest::keyClick(s.window, Qt::Key_Return);
    QCOMPARE(doc.project().workflow(kClosedWon)->step(id)->retry.maxAttempts, 7);
    QCOMPARE(doc.historySize(), history + 2);
    s.ctl->undo();
    s.ctl->undo();
    QCOMPARE(doc.project().workflow(kClosedWon)->step(id)->retry.maxAttempts, 5);
    QCOMPARE(doc.project().workflow(kClosedWon)->step(id)->name, before);
}

// Pixels of the canvas in the colour of a "next" edge, away from the trigger node (its label
// is a similar grey): the edges actually drawn, whatever the models say.
static int edgePixels(Studio &s)
{
    const QImage image = s.window->grabWindow();
    const qreal dpr = image.devicePixelRatio();
    // Above the legend (its "next" sample line has the edge colour) and the minimap.
    const QRect area = s.canvas->mapRectToScene(QRectF(0, 0, s.canvas->width(),
                                                       s.canvas->height() - 110)).toRect();
    QQuickItem *trigger = s.node(QStringLiteral("trigger"));
    const QRect skip = trigger ? trigger->mapRectToScene(QRectF(-40, -40, trigger->width() + 80,
                                                                trigger->height() + 90))
                                     .toRect()
                               : QRect();
    const QColor edge(QStringLiteral("#8592a3"));
    int n = 0;
    for (int y = area.top(); y < area.bottom(); ++y) {
        for (int x = area.left(); x < area.right(); ++x) {
            if (skip.contains(x, y))
                continue;
            const QColor c = image.pixelColor(int(x * dpr), int(y * dpr));
            if (qAbs(c.red() - edge.red()) <= 6 && qAbs(c.green() - edge.green()) <= 6
                && qAbs(c.blue() - edge.blue()) <= 6)
                ++n;
        }
    }
    return n;
}

// A new workflow holds only its trigger: no arrow is drawn (the previous workflow's edges
// stayed on screen, pointing from the trigger to nothing). The first step added from the
// palette is connected to the trigger, and so drawn.
void TestWorkflow::studioNewWorkflowDrawsOnlyItsEdges()
{
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("q2c.switchboard"));
    QVERIFY(QFile::copy(kQ2C, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    Studio s;
    QVERIFY(s.open(copy));
    s.canvas->setProperty("zoom", 1.0);  // lines as thick as drawn
    QTRY_VERIFY(edgePixels(s) > 100);  // the closed-won flow's edges
    QQuickItem *add = findItem(s.window->contentItem(), QStringLiteral("addWorkflowButton"));
    QVERIFY(add);
    QTest::mouseClick(s.window, Qt::LeftButton, Qt::NoModifier,
                      add->mapToScene(QPointF(add->width() / 2, add->height() / 2)).toPoint());
    const QString id = s.editor->workflowId();
    QVERIFY(id != kClosedWon);
    QTest::keyClick(s.window, Qt::Key_Return);  // keep the proposed name
    QTRY_VERIFY(s.node(QStringLiteral("trigger")));
    QTest::qWait(300);
    const int stale = edgePixels(s);
    QVERIFY(studio::grabToFile(s.window, QDir(QCoreApplication::applicationDirPath())
                                             .filePath(QStringLiteral("tst_workflow_new.png"))));
    QVERIFY2(stale < 10, qPrintable(QStringLiteral("%1 edge pixels").arg(stale)));

    QQuickItem *entry = findItem(s.window->contentItem(), QStringLiteral("palette_step_map"));
    QVERIFY(entry);
    // The palette scrolls: bring the entry into view as a user would before clicking it.
    for (QQuickItem *p = entry->parentItem(); p; p = p->parentItem()) {
        auto *content = p->property("contentItem").value<QQuickItem *>();
        if (!p->inherits("QQuickFlickable") || !content)
            continue;
        const qreal top = entry->mapToItem(content, QPointF(0, 0)).y();
        p->setProperty("contentY", std::max<qreal>(0, top - 8));
        break;
    }
    QTest::qWait(200);
    const QPointF centre = entry->mapToScene(QPointF(40, entry->height() / 2));
    QVERIFY2(centre.y() > 0 && centre.y() < s.window->height(),
             qPrintable(QStringLiteral("palette entry at y=%1").arg(centre.y())));
    QTest::mouseClick(s.window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    const Workflow *w = s.ctl->document()->project().workflow(id);
    QVERIFY(w && w->step(QStringLiteral("map")));
    QCOMPARE(countEdges(*w, QStringLiteral("trigger"), QStringLiteral("map")), 1);
    QTRY_VERIFY(edgePixels(s) > 20);
    QVERIFY(studio::grabToFile(s.window, QDir(QCoreApplication::applicationDirPath())
                                             .filePath(QStringLiteral("tst_workflow_first.png"))));
    // Back to a flow with edges: they are drawn again.
    s.editor->setWorkflowId(kClosedWon);
    QTest::qWait(300);
    s.canvas->setProperty("zoom", 1.0);
    QTRY_VERIFY(edgePixels(s) > 100);
}

// The inline rename box of the workflow list: a new workflow opens it focused; a click
// elsewhere commits and closes it; Escape closes it unchanged; opening another workflow
// closes it.
void TestWorkflow::studioRenameBoxCloses()
{
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("q2c.switchboard"));
    QVERIFY(QFile::copy(kQ2C, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    Studio s;
    QVERIFY(s.open(copy));
    const Document &doc = *s.ctl->document();
    auto click = [&](QQuickItem *item, QPointF at = QPointF(-1, -1)) {
        if (at.x() < 0)
            at = QPointF(item->width() / 2, item->height() / 2);
        QTest::mouseClick(s.window, Qt::LeftButton, Qt::NoModifier,
                          item->mapToScene(at).toPoint());
    };
    auto renameField = [&]() -> QQuickItem * {
        return visibleItem(s.window->contentItem(), QStringLiteral("workflowRenameField"));
    };
    QQuickItem *add = findItem(s.window->contentItem(), QStringLiteral("addWorkflowButton"));
    QVERIFY(add);
    QMetaObject::invokeMethod(add, "clicked");
    const QString id = s.editor->workflowId();
    QVERIFY(id != kClosedWon);
    QQuickItem *field = nullptr;
    QTRY_VERIFY((field = renameField()));
    QTRY_VERIFY(field->hasActiveFocus());
    typeText(s.window, QStringLiteral("Refunds"));
    // A click on the canvas: the name is kept and the box closes.
    click(s.canvas, QPointF(s.canvas->width() / 2, s.canvas->height() - 60));
    QTRY_VERIFY(!renameField());
    QCOMPARE(doc.project().workflow(id)->name, QStringLiteral("Refunds"));

    // Escape: closed, name unchanged.
    s.editor->setWorkflowId(id);
    QQuickItem *list = findItem(s.window->contentItem(), QStringLiteral("workflowList"));
    QVERIFY(list);
    list->setProperty("renaming", id);
    QTRY_VERIFY((field = renameField()) && field->hasActiveFocus());
    typeText(s.window, QStringLiteral("Other"));
    QTest::keyClick(s.window, Qt::Key_Escape);
    QTRY_VERIFY(!renameField());
    QCOMPARE(doc.project().workflow(id)->name, QStringLiteral("Refunds"));

    // Another workflow opened while renaming: closed.
    list->setProperty("renaming", id);
    QTRY_VERIFY(renameField());
    s.editor->setWorkflowId(kClosedWon);
    QTRY_VERIFY(!renameField());
}

// Findings banners over the step settings do not come and go while a field is being typed
// into (the controls below would jump under the pointer); they catch up when typing ends.
void TestWorkflow::studioBannersHoldStillWhileTyping()
{
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("q2c.switchboard"));
    QVERIFY(QFile::copy(kQ2C, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    Studio s;
    QVERIFY(s.open(copy));
    const QString id = QStringLiteral("crm-billing-status");
    s.ctl->select(s.editor->stepElement(id));
    QQuickItem *nameField = findItem(s.window->contentItem(), QStringLiteral("stepNameField"));
    QVERIFY(nameField);
    auto *input = nameField->property("input").value<QQuickItem *>();
    QVERIFY(input);
    QTRY_VERIFY(input->isVisible());
    QQuickItem *banners = findItem(s.window->contentItem(), QStringLiteral("stepFindings"));
    QVERIFY(banners);
    const int before = banners->property("count").toInt();
    QTest::qWait(100);
    const qreal y = nameField->mapToScene(QPointF(0, 0)).y();

    input->forceActiveFocus();
    QTest::keyClick(s.window, Qt::Key_End);
    QTest::keyClick(s.window, Qt::Key_X);
    // A finding arrives for this step while the name is being typed.
    QVERIFY(s.editor->setStepValue(id, QStringLiteral("timeoutMs"), 0));
    s.ctl->validateNow();
    QTRY_VERIFY(!s.editor->stepDetails().value("findings").toList().isEmpty());
    QTest::qWait(200);
    QCOMPARE(banners->property("count").toInt(), before);
    QCOMPARE(nameField->mapToScene(QPointF(0, 0)).y(), y);
    // Typing ends: the banner shows.
    s.canvas->forceActiveFocus();
    QTRY_VERIFY(banners->property("count").toInt() > before);
    QTRY_VERIFY(nameField->mapToScene(QPointF(0, 0)).y() > y);
}

void TestWorkflow::studioScreenshot()
{
    Studio s;
    QVERIFY(s.open());
    QCOMPARE(s.editor->workflowId(), kClosedWon);
    const QString dir = QCoreApplication::applicationDirPath();
    const QString file = QDir(dir).filePath(QStringLiteral("tst_workflow.png"));
    QVERIFY(studio::grabToFile(s.window, file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1440, 900));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 32, qPrintable(QString::number(colours.size())));
    // The canvas opens fitted as far as names stay readable: the flow starts inside it (the
    // trigger is not cut off at the left); the minimap shows the rest of a long flow.
    QVERIFY(s.canvas->property("zoom").toReal() >= 0.72);
    const QRectF area = s.canvas->mapRectToScene(QRectF(0, 0, s.canvas->width(),
                                                        s.canvas->height()));
    QQuickItem *trigger = s.node(QStringLiteral("trigger"));
    QVERIFY(trigger);
    QVERIFY(area.contains(
        trigger->mapRectToScene(QRectF(0, 0, trigger->width(), trigger->height()))));

    // With a step selected: the inspector shows its settings.
    s.ctl->select(s.editor->stepElement(QStringLiteral("erp-sales-order")));
    QVERIFY(studio::grabToFile(s.window, QDir(dir).filePath(QStringLiteral(
                                             "tst_workflow_step.png"))));
    // The whole inspector of a call step, in a tall window.
    s.window->resize(1440, 1700);
    QVERIFY(studio::grabToFile(s.window, QDir(dir).filePath(QStringLiteral(
                                             "tst_workflow_inspector.png"))));
    s.window->resize(1440, 900);
    QTRY_COMPARE(s.window->height(), 900);
    QTest::qWait(200);  // layouts settle before the next reveal
    s.ctl->select(s.editor->edgeElement(2));
    // The selected edge is brought into view.
    const QRectF shown = s.canvas->mapRectToScene(QRectF(0, 0, s.canvas->width(),
                                                         s.canvas->height()));
    QTRY_VERIFY(shown.contains(s.node(QStringLiteral("approve-discount"))->mapRectToScene(
        QRectF(0, 0, 64, 64))));
    QVERIFY(studio::grabToFile(s.window, QDir(dir).filePath(QStringLiteral(
                                             "tst_workflow_edge.png"))));

    // Positions lost: the banner offers Arrange; the arranged flow is laid out in layers.
    Workflow w = *s.ctl->document()->project().workflow(kClosedWon);
    for (Step &step : w.steps)
        step.position = QPointF();
    s.ctl->document()->updateWorkflow(w, QStringLiteral("drop positions"));
    QQuickItem *banner = findItem(s.window->contentItem(), QStringLiteral("arrangeBanner"));
    QVERIFY(banner);
    QTRY_VERIFY(banner->isVisible());
    s.editor->autoArrange();
    QTRY_VERIFY(!banner->isVisible());
    QMetaObject::invokeMethod(s.canvas, "zoomToFit");
    s.ctl->select(QString());
    QVERIFY(studio::grabToFile(s.window, QDir(dir).filePath(QStringLiteral(
                                             "tst_workflow_arranged.png"))));
}

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
    studio::prepareApplication();
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tst_workflow"));
    TestWorkflow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_workflow.moc"
