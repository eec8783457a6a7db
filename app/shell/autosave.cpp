#include "app/shell/autosave.h"

#include "app/shell/projectedit.h"
#include "app/shell/studiocontroller.h"
#include "model/projectjson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <memory>

using namespace sb::model;

namespace {
constexpr int kDefaultIntervalMs = 30000;
// A pause in editing this long writes the autosave, so a crash right after an edit (a new
// untitled project and its first system) loses at most the last couple of seconds.
constexpr int kQuietMs = 1500;
}

Autosave::Autosave(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &Autosave::writeInBackground);
    m_timer.start();
    m_quiet.setSingleShot(true);
    m_quiet.setInterval(kQuietMs);
    connect(&m_quiet, &QTimer::timeout, this, &Autosave::writeInBackground);
}

Autosave::~Autosave()
{
    if (m_worker) {
        m_worker->wait();
        delete m_worker;
    }
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
        connect(doc, &Document::changed, this, [this] {
            ++m_revision;
            m_quiet.start();
        });
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
            ++m_generation;
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
    ++m_generation;  // a write under way is stale now
    if (m_worker)
        m_worker->wait();  // so it cannot put the file back after this removed it
    if (!path.isEmpty() && QFile::exists(path))
        QFile::remove(path);
    if (path == m_lastPath)
        m_ownFile = false;  // a file that appears there later is not ours
    if (!m_pending.isEmpty() && path == m_pending) {
        m_pending.clear();
        emit pendingRecoveryChanged();
    }
}

bool Autosave::needsWrite() const
{
    if (!m_controller || !m_controller->hasProject() || !m_controller->isModified())
        return false;
    // Nothing new since the last autosave?
    return m_writtenRevision != m_revision || !QFile::exists(currentPath());
}

void Autosave::writeInBackground()
{
    if (m_worker) {
        m_again = true;  // one write at a time; another once it is done
        return;
    }
    if (!needsWrite())
        return;
    // Serialising a large project takes most of a second: a worker thread does it, from a
    // copy of the implicitly shared project, so a pause in typing never freezes the window.
    const QString path = currentPath();
    const Project snapshot = m_controller->document()->project();
    const int revision = m_revision;
    const int generation = m_generation;
    auto error = std::make_shared<QString>();
    m_worker = QThread::create([snapshot, path, error] {
        QDir().mkpath(QFileInfo(path).absolutePath());
        const auto result = writeFileAtomically(path, serializeProject(snapshot));
        if (!result.ok())
            *error = result.error().toString();
    });
    connect(m_worker, &QThread::finished, this, [this, path, revision, generation, error] {
        m_worker->deleteLater();
        m_worker = nullptr;
        if (generation != m_generation) {
            QFile::remove(path);  // saved, closed or replaced while it was written
        } else if (!error->isEmpty()) {
            qWarning("autosave: %s", qPrintable(*error));
        } else {
            m_lastPath = path;
            m_ownFile = true;
            m_writtenRevision = revision;
            emit written(path);
        }
        if (m_again) {
            m_again = false;
            writeInBackground();
        }
    });
    m_worker->start();
}

bool Autosave::writeNow()
{
    if (m_worker)
        m_worker->wait();
    if (!needsWrite())
        return false;
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
    // The untitled autosave becomes an untitled project again, never the content of a file
    // opened since it was offered.
    const bool untitled = m_pending == autosavePath(QString());
    if (!m_controller->hasProject()
        || (untitled && !m_controller->fileName().isEmpty() && !m_controller->isModified())) {
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
