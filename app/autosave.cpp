#include "app/autosave.h"

#include "app/projectedit.h"
#include "app/studiocontroller.h"
#include "model/projectjson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace sb::model;

namespace {
constexpr int kDefaultIntervalMs = 30000;
}

Autosave::Autosave(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &Autosave::writeNow);
    m_timer.start();
}

void Autosave::setController(StudioController *controller)
{
    if (m_controller == controller)
        return;
    if (m_controller) {
        disconnect(m_controller, nullptr, this, nullptr);
        disconnect(m_controller->document(), nullptr, this, nullptr);
    }
    m_controller = controller;
    if (m_controller) {
        Document *doc = m_controller->document();
        connect(doc, &Document::changed, this, [this] { ++m_revision; });
        connect(doc, &Document::modifiedChanged, this, [this](bool modified) {
            // Saved (or undone back to the saved state): the side file is stale.
            if (!modified)
                removeFile(m_lastPath);
        });
        connect(doc, &Document::fileNameChanged, this, [this] {
            // Save As of an untitled project: its untitled autosave goes away.
            removeFile(m_lastPath);
            m_lastPath = currentPath();
        });
        connect(m_controller, &StudioController::hasProjectChanged, this, [this] {
            if (!m_controller->hasProject()) {
                removeFile(m_lastPath);
                m_lastPath.clear();
            }
        });
        connect(m_controller, &StudioController::projectOpened, this, [this] {
            // The previous project's side file, if this session wrote it, is obsolete.
            if (m_ownFile)
                removeFile(m_lastPath);
            m_ownFile = false;
            m_lastPath = currentPath();
            m_writtenRevision = -1;
            if (!m_recovering)
                checkForRecovery();
        });
        m_lastPath = m_controller->hasProject() ? currentPath() : QString();
    }
    emit controllerChanged();
}

void Autosave::setInterval(int ms)
{
    if (ms == m_timer.interval() || ms <= 0)
        return;
    m_timer.setInterval(ms);
    m_timer.start();
    emit intervalChanged();
}

QString Autosave::pendingTime() const
{
    const QFileInfo info(m_pending);
    return info.exists() ? QLocale().toString(info.lastModified(), QLocale::ShortFormat)
                         : QString();
}

QString Autosave::autosavePath(const QString &projectFile)
{
    if (projectFile.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        return QDir(dir).filePath(QStringLiteral("untitled.switchboard.autosave"));
    }
    const QFileInfo info(projectFile);
    return info.dir().filePath(QLatin1Char('.') + info.fileName()
                               + QStringLiteral(".autosave"));
}

QString Autosave::currentPath() const
{
    return m_controller ? autosavePath(m_controller->fileName()) : QString();
}

void Autosave::removeFile(const QString &path)
{
    if (!path.isEmpty() && QFile::exists(path))
        QFile::remove(path);
    if (path == m_lastPath)
        m_ownFile = false;  // a file that appears there later is not ours
    if (!m_pending.isEmpty() && path == m_pending) {
        m_pending.clear();
        emit pendingRecoveryChanged();
    }
}

bool Autosave::writeNow()
{
    if (!m_controller || !m_controller->hasProject() || !m_controller->isModified())
        return false;
    if (m_writtenRevision == m_revision && QFile::exists(currentPath()))
        return false;  // nothing new since the last autosave
    const QString path = currentPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    const auto result =
        writeFileAtomically(path, serializeProject(m_controller->document()->project()));
    if (!result.ok()) {
        qWarning("autosave: %s", qPrintable(result.error().toString()));
        return false;
    }
    m_lastPath = path;
    m_ownFile = true;
    m_writtenRevision = m_revision;
    emit written(path);
    return true;
}

bool Autosave::checkForRecovery()
{
    if (!m_controller)
        return false;
    const QString file = m_controller->hasProject() ? m_controller->fileName() : QString();
    const QString path = autosavePath(file);
    const QFileInfo autosaved(path);
    bool offer = autosaved.exists();
    if (offer && !file.isEmpty())
        offer = autosaved.lastModified() > QFileInfo(file).lastModified();
    if (!offer) {
        if (autosaved.exists() && !file.isEmpty())
            QFile::remove(path);  // older than the project: saved since
        return false;
    }
    m_pending = path;
    emit pendingRecoveryChanged();
    emit recoveryOffered(path);
    return true;
}

bool Autosave::recover()
{
    if (!m_controller || m_pending.isEmpty())
        return false;
    QFile f(m_pending);
    if (!f.open(QIODevice::ReadOnly)) {
        emit m_controller->errorOccurred(tr("Could not recover"),
                                         tr("%1: %2").arg(m_pending, f.errorString()));
        return false;
    }
    auto parsed = parseProject(f.readAll(), m_pending);
    if (!parsed.ok()) {
        emit m_controller->errorOccurred(tr("Could not recover"), parsed.error().toString());
        return false;
    }
    if (!m_controller->hasProject()) {
        m_recovering = true;
        m_controller->newProject();
        m_recovering = false;
    }
    m_pending.clear();
    emit pendingRecoveryChanged();
    studio::pushProjectEdit(m_controller->document(), tr("Recover autosaved changes"),
                            parsed.takeValue());
    m_controller->document()->endMergeGroup();
    return true;
}

void Autosave::discardRecovery()
{
    const QString path = m_pending;
    m_pending.clear();
    emit pendingRecoveryChanged();
    if (!path.isEmpty())
        QFile::remove(path);
}
