#pragma once

// Hands a run instance's path from the run panel to the workflow canvas: the run page
// calls CanvasPath.show(runController.selectedPath) and switches to the workflows view,
// whose WorkflowEditor binds highlightedPath to CanvasPath.path. One per QML engine.

#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class CanvasPath : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QVariantMap path READ path NOTIFY pathChanged)
public:
    using QObject::QObject;
    QVariantMap path() const { return m_path; }
    Q_INVOKABLE void show(const QVariantMap &path)
    {
        if (path == m_path)
            return;
        m_path = path;
        emit pathChanged();
    }
    Q_INVOKABLE void clear() { show({}); }

signals:
    void pathChanged();

private:
    QVariantMap m_path;
};
