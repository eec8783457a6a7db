#pragma once

// Autosave: while the project has unsaved changes, writes it after a short pause in editing
// and at least every `interval` ms to a side file (`.<name>.switchboard.autosave` beside
// the project, or untitled.switchboard.autosave in the app data folder for an untitled
// project). Saving or closing deletes it. When a
// project is opened (or the studio starts) and a newer autosave exists, `recoveryOffered`
// asks the window to offer recovering it; recover() applies it as one undoable edit.

#include <QDateTime>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include "app/shell/studiocontroller.h"

class Autosave : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(StudioController *controller READ controller WRITE setController
                   NOTIFY controllerChanged)
    Q_PROPERTY(int interval READ interval WRITE setInterval NOTIFY intervalChanged)
    Q_PROPERTY(QString pendingRecovery READ pendingRecovery NOTIFY pendingRecoveryChanged)
    Q_PROPERTY(QString pendingTime READ pendingTime NOTIFY pendingRecoveryChanged)
public:
    explicit Autosave(QObject *parent = nullptr);
    ~Autosave() override;

    StudioController *controller() const { return m_controller; }
    void setController(StudioController *controller);
    int interval() const { return m_timer.interval(); }
    void setInterval(int ms);
    QString pendingRecovery() const { return m_pending; }
    QString pendingTime() const;

    // The autosave file of a project file (empty: the untitled one).
    Q_INVOKABLE static QString autosavePath(const QString &projectFile);
    // Writes now, on this thread, if there are unsaved changes; true when a file was written.
    // The timers write on a worker thread instead.
    Q_INVOKABLE bool writeNow();
    // Looks for an autosave newer than the open project (or an untitled one when none is
    // open) and announces it.
    Q_INVOKABLE bool checkForRecovery();
    Q_INVOKABLE bool recover();
    Q_INVOKABLE void discardRecovery();

signals:
    void controllerChanged();
    void intervalChanged();
    void pendingRecoveryChanged();
    void recoveryOffered(const QString &path);
    void written(const QString &path);

private:
    QString currentPath() const;
    bool needsWrite() const;
    void writeInBackground();
    void removeFile(const QString &path);

    StudioController *m_controller = nullptr;
    QTimer m_timer;
    QTimer m_quiet;          // restarted by every edit
    QString m_lastPath;      // where the open project autosaves
    QString m_pending;       // autosave offered for recovery
    bool m_ownFile = false;   // this session wrote m_lastPath
    bool m_recovering = false;
    int m_writtenRevision = -1;
    int m_generation = 0;     // bumped when the side file is removed or the project changes
    QThread *m_worker = nullptr;
    bool m_again = false;
    int m_revision = 0;
};
