#pragma once

// The inspector beside the landscape: the selected system's name, kind and colour, or the
// selected data flow's ends, entity, mode and label. Reads the document, writes undoable
// edits (typing merges into one step per property until endEdit()).

#include "model/project.h"

#include <QObject>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include "app/shell/studiocontroller.h"

class SystemInspector : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(StudioController *controller READ controller WRITE setController
                   NOTIFY controllerChanged)
    // "system", "flow" or "" (nothing the inspector edits is selected).
    Q_PROPERTY(QString mode READ mode NOTIFY changed)
    Q_PROPERTY(QString systemId READ systemId NOTIFY changed)
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QString kind READ kind NOTIFY changed)
    Q_PROPERTY(QString color READ color NOTIFY changed)
    Q_PROPERTY(QString description READ description NOTIFY changed)
    Q_PROPERTY(QStringList kindNames READ kindNames CONSTANT)
    Q_PROPERTY(QStringList kindLabels READ kindLabels CONSTANT)
    Q_PROPERTY(QStringList palette READ palette CONSTANT)
    Q_PROPERTY(QString flowId READ flowId NOTIFY changed)
    Q_PROPERTY(QString flowFrom READ flowFrom NOTIFY changed)
    Q_PROPERTY(QString flowTo READ flowTo NOTIFY changed)
    Q_PROPERTY(QString flowFromName READ flowFromName NOTIFY changed)
    Q_PROPERTY(QString flowToName READ flowToName NOTIFY changed)
    Q_PROPERTY(QString flowEntity READ flowEntity NOTIFY changed)
    Q_PROPERTY(QString flowMode READ flowMode NOTIFY changed)
    Q_PROPERTY(QString flowLabel READ flowLabel NOTIFY changed)
    Q_PROPERTY(bool flowLoopGuard READ flowLoopGuard NOTIFY changed)
    Q_PROPERTY(QStringList canonicalEntities READ canonicalEntities NOTIFY changed)
    Q_PROPERTY(QStringList flowModes READ flowModes CONSTANT)
    // The mapping and workflow that carry the selected flow, and the ids to choose from.
    Q_PROPERTY(QString flowMapping READ flowMapping NOTIFY changed)
    Q_PROPERTY(QString flowWorkflow READ flowWorkflow NOTIFY changed)
    // Told only when the ids change: a moved card must not rebuild pickers of 1,000 entries.
    Q_PROPERTY(QStringList mappingIds READ mappingIds NOTIFY choicesChanged)
    Q_PROPERTY(QStringList workflowIds READ workflowIds NOTIFY choicesChanged)
    // The same, for combo boxes: [{value: id, text: name}].
    Q_PROPERTY(QVariantList mappingChoices READ mappingChoices NOTIFY choicesChanged)
    Q_PROPERTY(QVariantList workflowChoices READ workflowChoices NOTIFY choicesChanged)

public:
    explicit SystemInspector(QObject *parent = nullptr);

    StudioController *controller() const { return m_controller; }
    void setController(StudioController *controller);
    QString mode() const;
    QString systemId() const;
    QString name() const;
    QString kind() const;
    QString color() const;
    QString description() const;
    QStringList kindNames() const;
    QStringList kindLabels() const;
    QStringList palette() const;
    QString flowId() const;
    QString flowFrom() const;
    QString flowTo() const;
    QString flowFromName() const;
    QString flowToName() const;
    QString flowEntity() const;
    QString flowMode() const;
    QString flowLabel() const;
    bool flowLoopGuard() const;
    QStringList canonicalEntities() const;
    QString flowMapping() const;
    QString flowWorkflow() const;
    QStringList mappingIds() const { return m_mappingIds; }
    QStringList workflowIds() const { return m_workflowIds; }
    QVariantList mappingChoices() const { return m_mappingChoices; }
    QVariantList workflowChoices() const { return m_workflowChoices; }
    QStringList flowModes() const;

    Q_INVOKABLE bool setName(const QString &name);
    Q_INVOKABLE bool setKind(const QString &kind);
    Q_INVOKABLE bool setColor(const QString &color);
    Q_INVOKABLE bool setDescription(const QString &description);
    // property: entity, mode, label, loopGuard.
    Q_INVOKABLE bool setFlowValue(const QString &property, const QVariant &value);
    Q_INVOKABLE bool reverseFlow();
    Q_INVOKABLE void endEdit();

signals:
    void controllerChanged();
    void changed();
    void choicesChanged();

private:
    const sb::model::System *system() const;
    const sb::model::DataFlow *flow() const;

    void updateChoices();

    StudioController *m_controller = nullptr;
    QStringList m_mappingIds;
    QStringList m_workflowIds;
    QVariantList m_mappingChoices;
    QVariantList m_workflowChoices;
};
