#pragma once

// The studio's state for QML: the open Document, its view models, selection, validation and
// the file commands. QML draws and forwards intent; everything it shows is read from here.

#include "app/shell/findingsmodel.h"
#include "app/shell/flowsmodel.h"
#include "app/shell/recentprojectsmodel.h"
#include "app/shell/systemsmodel.h"
#include "app/shell/templatesmodel.h"
#include "runtime/check/projectcheck.h"
#include "model/document.h"
#include "app/shell/elementrefvalue.h"
#include "model/validator.h"

#include <QObject>
#include <QRectF>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

class StudioController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(SystemsModel *systems READ systems CONSTANT)
    Q_PROPERTY(FlowsModel *flows READ flows CONSTANT)
    Q_PROPERTY(FindingsModel *findings READ findings CONSTANT)
    Q_PROPERTY(RecentProjectsModel *recentProjects READ recentProjects CONSTANT)
    Q_PROPERTY(TemplatesModel *templates READ templates CONSTANT)
    Q_PROPERTY(bool hasProject READ hasProject NOTIFY hasProjectChanged)
    Q_PROPERTY(QString projectName READ projectName NOTIFY countsChanged)
    Q_PROPERTY(QString fileName READ fileName NOTIFY titleChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY titleChanged)
    Q_PROPERTY(QString windowTitle READ windowTitle NOTIFY titleChanged)
    Q_PROPERTY(bool modified READ isModified NOTIFY titleChanged)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY historyChanged)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY historyChanged)
    Q_PROPERTY(QString undoText READ undoText NOTIFY historyChanged)
    Q_PROPERTY(QString redoText READ redoText NOTIFY historyChanged)
    Q_PROPERTY(int systemCount READ systemCount NOTIFY countsChanged)
    Q_PROPERTY(int mappingCount READ mappingCount NOTIFY countsChanged)
    Q_PROPERTY(int workflowCount READ workflowCount NOTIFY countsChanged)
    Q_PROPERTY(int flowCount READ flowCount NOTIFY countsChanged)
    Q_PROPERTY(int errorCount READ errorCount NOTIFY findingsChanged)
    Q_PROPERTY(int warningCount READ warningCount NOTIFY findingsChanged)
    Q_PROPERTY(int infoCount READ infoCount NOTIFY findingsChanged)
    Q_PROPERTY(QString selectedElement READ selectedElement WRITE select
                   NOTIFY selectionChanged)
    // The selection as a typed reference: QML reads its parts (mapping, rule, entity, field)
    // instead of taking the address string apart.
    Q_PROPERTY(sb::model::ElementRef selectedRef READ selectedRef NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedSystem READ selectedSystem NOTIFY selectionChanged)
    Q_PROPERTY(int selectedFinding READ selectedFinding NOTIFY selectionChanged)
    // The view shown in the main area.
    Q_PROPERTY(View currentView READ currentView WRITE setCurrentView NOTIFY currentViewChanged)
    // The open document, for the editors' own view models (they take it as a QObject).
    Q_PROPERTY(QObject *document READ documentObject CONSTANT)
    // Where relative data set files resolve: the project file's folder, or the template's.
    Q_PROPERTY(QString projectDir READ projectDir NOTIFY titleChanged)

public:
    enum View { Landscape, Model, Ownership, Mappings, Workflows, Run };
    Q_ENUM(View)

    // No default argument: QML must obtain the instance through create(), never construct one.
    explicit StudioController(QObject *parent);
    ~StudioController() override;

    // QML singleton factory: returns the controller created by loadStudio for this engine.
    static StudioController *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    sb::model::Document *document() { return &m_document; }
    QObject *documentObject() { return &m_document; }
    View currentView() const { return m_currentView; }
    QString projectDir() const;
    void setCurrentView(View view);
    // The view's name on the command line and in objectNames ("mappings"), and back; false
    // when `name` names no view.
    static QString viewName(View view);
    static bool viewFromName(const QString &name, View *view);
    // The view that shows an element ("mapping:x" -> Mappings); false if none does.
    static bool viewForElement(const sb::model::ElementRef &element, View *view);
    SystemsModel *systems() { return m_systems; }
    FlowsModel *flows() { return m_flows; }
    FindingsModel *findings() { return m_findings; }
    RecentProjectsModel *recentProjects() { return m_recent; }
    TemplatesModel *templates() { return m_templates; }

    bool hasProject() const { return m_hasProject; }
    QString projectName() const;
    QString fileName() const { return m_document.fileName(); }
    QString displayName() const;
    QString windowTitle() const;
    bool isModified() const { return m_document.isModified(); }
    bool canUndo() const { return m_document.canUndo(); }
    bool canRedo() const { return m_document.canRedo(); }
    QString undoText() const;
    QString redoText() const;
    int systemCount() const { return int(m_document.project().systems.size()); }
    int mappingCount() const { return int(m_document.project().mappings.size()); }
    int workflowCount() const { return int(m_document.project().workflows.size()); }
    int flowCount() const { return int(m_document.project().flows.size()); }
    int errorCount() const { return m_errors; }
    int warningCount() const { return m_warnings; }
    int infoCount() const { return m_infos; }
    QString selectedElement() const { return m_selected; }
    sb::model::ElementRef selectedRef() const { return sb::model::ElementRef::parse(m_selected); }
    QString selectedSystem() const { return FindingsModel::systemOf(m_selected); }
    int selectedFinding() const { return m_selectedFinding; }

    Q_INVOKABLE void newProject();
    // Renames the project (an undoable edit; typing merges into one step). Blank is refused.
    Q_INVOKABLE bool setProjectName(const QString &name);
    // A local path or a file: URL. Reports failures through errorOccurred.
    Q_INVOKABLE bool openProject(const QString &pathOrUrl);
    // Opens a copy of a template as an untitled project, so the template stays untouched.
    Q_INVOKABLE bool openTemplate(const QString &path);
    Q_INVOKABLE bool save();
    Q_INVOKABLE bool saveAs(const QString &pathOrUrl);
    Q_INVOKABLE void closeProject();
    Q_INVOKABLE void undo();
    Q_INVOKABLE void redo();

    Q_INVOKABLE void moveSystem(const QString &id, qreal x, qreal y);
    Q_INVOKABLE void endMove();
    Q_INVOKABLE void select(const QString &element);
    // QML selects an element by kind and id (ElementRef.Mapping, id), never by a built string.
    Q_INVOKABLE void selectElement(sb::model::ElementRef::Kind kind, const QString &id);
    void selectRef(const sb::model::ElementRef &ref) { select(ref.toString()); }
    Q_INVOKABLE void activateFinding(int row);

    // Canvas helpers, in canvas coordinates.
    Q_INVOKABLE QRectF contentBounds() const;
    Q_INVOKABLE QRectF systemRect(const QString &id) const;
    Q_INVOKABLE QString suggestedFileName() const;

    // Runs the validator now (normally debounced after edits).
    // An edit is waiting for its findings (validation runs shortly after edits).
    bool findingsPending() const { return m_validateTimer.isActive(); }
    void validateNow();

signals:
    void hasProjectChanged();
    void titleChanged();
    void historyChanged();
    void countsChanged();
    void findingsChanged();
    void selectionChanged();
    void currentViewChanged();
    void projectOpened();
    void errorOccurred(const QString &title, const QString &message);
    // Ask the canvas to bring this canvas rectangle into view.
    void revealRequested(const QRectF &rect);

private:
    void setHasProject(bool open);
    static QString toLocalPath(const QString &pathOrUrl);

    sb::model::Document m_document;
    SystemsModel *m_systems;
    FlowsModel *m_flows;
    FindingsModel *m_findings;
    RecentProjectsModel *m_recent;
    TemplatesModel *m_templates;
    QTimer m_validateTimer;
    // Findings of unchanged mappings carry over between runs (see ValidationCache).
    sb::model::ValidationCache m_validationCache;
    bool m_hasProject = false;
    QString m_untitledName;   // label of an untitled project (template name or "Untitled")
    QString m_templateDir;    // folder of the template an untitled project was copied from
    QString m_selected;
    View m_currentView = Landscape;
    int m_selectedFinding = -1;
    int m_errors = 0;
    int m_warnings = 0;
    int m_infos = 0;
    // Every JSONata text compiled, as validate and export do; cached by text.
    sb::runtime::ExpressionCheck m_syntaxCheck;
};
