#include "app/shell/studiocontroller.h"

#include "app/shell/nodegeometry.h"
#include "app/shell/projectedit.h"
#include "model/projectjson.h"
#include "model/validator.h"

#include <QFileInfo>
#include <QMetaEnum>
#include <QQmlEngine>
#include <QUrl>

using namespace sb::model;

namespace {
constexpr int kValidateDelayMs = 150;  // re-validate once typing or dragging pauses
}

StudioController::StudioController(QObject *parent)
    : QObject(parent),
      m_systems(new SystemsModel(&m_document, this)),
      m_flows(new FlowsModel(&m_document, this)),
      m_findings(new FindingsModel(this)),
      m_recent(new RecentProjectsModel(this)),
      m_templates(new TemplatesModel(this))
{
    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidateDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &StudioController::validateNow);

    connect(&m_document, &Document::changed, this, [this](const Change &c) {
        if (!c.layoutOnly)  // a moved card or step changes no finding
            m_validateTimer.start();
        emit countsChanged();
    });
    connect(&m_document, &Document::projectReset, this, [this] {
        m_validateTimer.stop();
        m_validationCache = ValidationCache();
        validateNow();
        emit countsChanged();
    });
    connect(&m_document, &Document::modifiedChanged, this, &StudioController::titleChanged);
    connect(&m_document, &Document::fileNameChanged, this, &StudioController::titleChanged);
    connect(&m_document, &Document::historyChanged, this, &StudioController::historyChanged);
}

StudioController::~StudioController() = default;

StudioController *StudioController::create(QQmlEngine *qmlEngine, QJSEngine *)
{
    auto *controller =
        qmlEngine->findChild<StudioController *>(QString(), Qt::FindDirectChildrenOnly);
    if (!controller)
        controller = new StudioController(qmlEngine);
    // The engine must not delete it: it is the engine's QObject child and C++ uses it too.
    QJSEngine::setObjectOwnership(controller, QJSEngine::CppOwnership);
    return controller;
}

QString StudioController::projectName() const
{
    return m_document.project().name;
}

bool StudioController::setProjectName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return false;
    m_document.setProjectInfo(trimmed, m_document.project().description);
    return true;
}

QString StudioController::displayName() const
{
    if (!m_document.fileName().isEmpty())
        return QFileInfo(m_document.fileName()).fileName();
    return m_untitledName.isEmpty() ? QStringLiteral("Untitled") : m_untitledName;
}

QString StudioController::windowTitle() const
{
    if (!m_hasProject)
        return QStringLiteral("Switchboard");
    const QString mark = isModified() ? QStringLiteral("\u2022 ") : QString();
    return mark + displayName() + QStringLiteral(" \u2014 Switchboard");
}

QString StudioController::undoText() const
{
    return m_document.canUndo() ? m_document.undoText() : QString();
}

QString StudioController::redoText() const
{
    return m_document.canRedo() ? m_document.redoText() : QString();
}

QString StudioController::toLocalPath(const QString &pathOrUrl)
{
    if (pathOrUrl.startsWith(QLatin1String("file:")))
        return QUrl(pathOrUrl).toLocalFile();
    return pathOrUrl;
}

void StudioController::setHasProject(bool open)
{
    if (m_hasProject == open)
        return;
    m_hasProject = open;
    emit hasProjectChanged();
    emit titleChanged();
}

QString StudioController::projectDir() const
{
    const QString file = m_document.fileName();
    return file.isEmpty() ? m_templateDir : QFileInfo(file).absolutePath();
}

void StudioController::newProject()
{
    Project p;
    p.name = QStringLiteral("Untitled");
    m_untitledName = QStringLiteral("Untitled");
    m_templateDir.clear();
    select(QString());
    m_document.reset(std::move(p));
    setHasProject(true);
    emit titleChanged();
    emit projectOpened();
}

bool StudioController::openProject(const QString &pathOrUrl)
{
    const QString path = toLocalPath(pathOrUrl);
    auto loaded = loadProject(path);
    if (!loaded.ok()) {
        emit errorOccurred(QStringLiteral("Could not open project"), loaded.error().toString());
        return false;
    }
    const QString abs = QFileInfo(path).absoluteFilePath();
    m_untitledName.clear();
    select(QString());
    m_document.reset(loaded.takeValue(), abs);
    m_recent->add(abs);
    setHasProject(true);
    emit titleChanged();
    emit projectOpened();
    return true;
}

bool StudioController::openTemplate(const QString &path)
{
    auto loaded = loadProject(toLocalPath(path));
    if (!loaded.ok()) {
        emit errorOccurred(QStringLiteral("Could not open template"), loaded.error().toString());
        return false;
    }
    Project p = loaded.takeValue();
    m_untitledName = p.name.isEmpty() ? QStringLiteral("Untitled") : p.name;
    m_templateDir = QFileInfo(toLocalPath(path)).absolutePath(); // its data sets live there
    select(QString());
    m_document.reset(std::move(p));
    setHasProject(true);
    emit titleChanged();
    emit projectOpened();
    return true;
}

bool StudioController::save()
{
    if (m_document.fileName().isEmpty())
        return false;  // QML asks for a name first (Save As)
    auto result = m_document.save();
    if (!result.ok()) {
        emit errorOccurred(QStringLiteral("Could not save project"), result.error().toString());
        return false;
    }
    emit titleChanged();
    return true;
}

bool StudioController::saveAs(const QString &pathOrUrl)
{
    QString path = toLocalPath(pathOrUrl);
    if (!path.endsWith(QLatin1String(".switchboard")))
        path += QLatin1String(".switchboard");
    // A new project still called "Untitled" takes its name from the file it is first saved
    // as (one undo step), so the header does not keep saying "Untitled".
    if (m_document.fileName().isEmpty()
        && m_document.project().name == QLatin1String("Untitled")) {
        Project named = m_document.project();
        named.name = QFileInfo(path).completeBaseName();
        m_document.endMergeGroup();
        studio::pushProjectEdit(&m_document, tr("Name the project"), named);
        m_document.endMergeGroup();
    }
    auto result = m_document.saveAs(path);
    if (!result.ok()) {
        emit errorOccurred(QStringLiteral("Could not save project"), result.error().toString());
        return false;
    }
    m_recent->add(path);
    emit titleChanged();
    return true;
}

void StudioController::closeProject()
{
    select(QString());
    m_untitledName.clear();
    m_document.reset(Project());
    setHasProject(false);
    m_recent->reload();
    emit titleChanged();
}

void StudioController::undo()
{
    m_document.endMergeGroup();
    if (m_document.canUndo())
        m_document.undo();
}

void StudioController::redo()
{
    m_document.endMergeGroup();
    if (m_document.canRedo())
        m_document.redo();
}

void StudioController::moveSystem(const QString &id, qreal x, qreal y)
{
    const System *s = m_document.project().system(id);
    if (!s || s->position == QPointF(x, y))
        return;  // no empty undo steps for a click without movement
    m_document.moveSystem(id, QPointF(x, y));
}

void StudioController::endMove()
{
    m_document.endMergeGroup();
}

void StudioController::select(const QString &element)
{
    if (element == m_selected && m_selectedFinding < 0)
        return;
    m_selected = element;
    m_selectedFinding = -1;
    emit selectionChanged();
}

void StudioController::selectElement(sb::model::ElementRef::Kind kind, const QString &id)
{
    selectRef(sb::model::ElementRef::of(kind, id));
}

void StudioController::activateFinding(int row)
{
    const auto &all = m_findings->findings();
    if (row < 0 || row >= int(all.size()))
        return;
    m_selected = all[row].location.element;
    m_selectedFinding = row;
    emit selectionChanged();
    View view;
    if (viewForElement(sb::model::ElementRef::parse(m_selected), &view))
        setCurrentView(view);
    const QString system = FindingsModel::systemOf(m_selected);
    if (!system.isEmpty() && m_document.project().system(system))
        emit revealRequested(systemRect(system));
}

void StudioController::setCurrentView(View view)
{
    if (view == m_currentView)
        return;
    m_currentView = view;
    emit currentViewChanged();
}

QString StudioController::viewName(View view)
{
    return QString::fromLatin1(QMetaEnum::fromType<View>().valueToKey(view)).toLower();
}

bool StudioController::viewFromName(const QString &name, View *view)
{
    const QMetaEnum views = QMetaEnum::fromType<View>();
    for (int i = 0; i < views.keyCount(); ++i) {
        if (name.compare(QLatin1String(views.key(i)), Qt::CaseInsensitive) == 0) {
            *view = View(views.value(i));
            return true;
        }
    }
    return false;
}

bool StudioController::viewForElement(const sb::model::ElementRef &element, View *view)
{
    using Kind = sb::model::ElementRef::Kind;
    switch (element.kind()) {
    case Kind::System:
    case Kind::Flow: *view = Landscape; return true;
    case Kind::Canonical:
    case Kind::Ownership: *view = Ownership; return true;
    case Kind::Mapping: *view = Mappings; return true;
    case Kind::Workflow:
    case Kind::Sla: *view = Workflows; return true;
    case Kind::Reconciliation: *view = Run; return true;
    case Kind::Dataset:
    case Kind::None: break;
    }
    return false;
}

QRectF StudioController::contentBounds() const
{
    QRectF bounds;
    for (const System &s : m_document.project().systems)
        bounds = bounds.isNull() ? studio::nodeRect(s) : bounds.united(studio::nodeRect(s));
    // Curved edges and their labels may bulge beyond the cards.
    for (int i = 0; i < m_flows->rowCount(); ++i) {
        const QModelIndex idx = m_flows->index(i);
        const QPointF label(idx.data(FlowsModel::LabelXRole).toReal(),
                            idx.data(FlowsModel::LabelYRole).toReal());
        bounds = bounds.united(QRectF(label - QPointF(60, 12), QSizeF(120, 24)));
    }
    return bounds;
}

QRectF StudioController::systemRect(const QString &id) const
{
    const System *s = m_document.project().system(id);
    return s ? studio::nodeRect(*s) : QRectF();
}

QString StudioController::suggestedFileName() const
{
    QString base = m_document.project().name.trimmed().toLower();
    base.replace(QLatin1Char(' '), QLatin1Char('-'));
    if (base.isEmpty())
        base = QStringLiteral("untitled");
    return base + QLatin1String(".switchboard");
}

void StudioController::validateNow()
{
    m_validateTimer.stop();
    QVector<Finding> findings =
        m_hasProject || !m_document.project().systems.isEmpty()
            ? validateProject(m_document.project(), &m_validationCache)
            : QVector<Finding>();
    // The model has no JSONata engine: the runtime's check compiles every expression of
    // mappings and workflows, as validate and export do (cached by text).
    if (m_hasProject || !m_document.project().systems.isEmpty())
        findings += m_syntaxCheck.check(m_document.project());
    m_findings->setFindings(findings);
    QHash<QString, QPair<int, int>> perSystem;
    for (const Finding &f : findings) {
        const QString system = FindingsModel::systemOf(f.location.element);
        if (system.isEmpty())
            continue;
        if (f.severity == Severity::Error)
            ++perSystem[system].first;
        else if (f.severity == Severity::Warning)
            ++perSystem[system].second;
    }
    m_systems->setFindingCounts(perSystem);
    m_errors = countFindings(findings, Severity::Error);
    m_warnings = countFindings(findings, Severity::Warning);
    m_infos = countFindings(findings, Severity::Info);
    if (m_selectedFinding >= int(findings.size()))
        m_selectedFinding = -1;
    emit findingsChanged();
}
