#include "journeydriver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStandardPaths>
#include <QThread>

namespace journey {

namespace {

constexpr int kPollMs = 100;

QString tool(const char *name) { return QStandardPaths::findExecutable(QLatin1String(name)); }

} // namespace

Match named(const QString &name)
{
    return [name](const Item &i) { return i.name == name; };
}

Match namedPrefix(const QString &prefix)
{
    return [prefix](const Item &i) { return i.name.startsWith(prefix); };
}

Match button(const QString &text)
{
    return [text](const Item &i) {
        return i.text == text
               && (i.cls.contains(QLatin1String("Button")) || i.cls.contains(QLatin1String("Menu"))
                   || i.cls.contains(QLatin1String("Delegate")) || i.raw.contains("checked"));
    };
}

Match buttonContaining(const QString &part)
{
    return [part](const Item &i) {
        return i.text.contains(part, Qt::CaseInsensitive)
               && (i.cls.contains(QLatin1String("Button")) || i.cls.contains(QLatin1String("Menu"))
                   || i.cls.contains(QLatin1String("Delegate")));
    };
}

// ---- Desktop

Desktop::~Desktop()
{
    for (auto *p : {m_wm.get(), m_xvfb.get()}) {
        if (p && p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(5000))
                p->kill();
            p->waitForFinished(5000);
        }
    }
}

bool Desktop::start(QString *why)
{
    for (const char *name : {"Xvfb", "openbox", "xdotool", "import"}) {
        if (tool(name).isEmpty()) {
            *why = QStringLiteral("%1 is not installed (scripts/install-deps.sh installs it)")
                       .arg(QLatin1String(name));
            return false;
        }
    }
    m_xvfb = std::make_unique<QProcess>();
    // -displayfd: Xvfb picks a free display and names it once it accepts connections.
    // SWITCHBOARD_JOURNEY_DISPLAY=N asks for display :N (machines whose displays are shared).
    QStringList args{QStringLiteral("-displayfd"), QStringLiteral("1"),
                     QStringLiteral("-screen"), QStringLiteral("0"),
                     QStringLiteral("1440x900x24"), QStringLiteral("-nolisten"),
                     QStringLiteral("tcp")};
    const QString wanted = qEnvironmentVariable("SWITCHBOARD_JOURNEY_DISPLAY");
    if (!wanted.isEmpty())
        args.prepend(QLatin1Char(':') + wanted);
    m_xvfb->start(tool("Xvfb"), args);
    if (!m_xvfb->waitForStarted(10000)) {
        *why = QStringLiteral("Xvfb does not start: %1").arg(m_xvfb->errorString());
        return false;
    }
    QByteArray out;
    QDeadlineTimer deadline(30000);
    while (!out.contains('\n') && !deadline.hasExpired()
           && m_xvfb->state() == QProcess::Running) {
        m_xvfb->waitForReadyRead(200);
        out += m_xvfb->readAllStandardOutput();
    }
    bool ok = false;
    const int number = out.trimmed().toInt(&ok);
    if (!ok) {
        *why = QStringLiteral("Xvfb named no display: %1")
                   .arg(QString::fromLocal8Bit(m_xvfb->readAllStandardError()));
        return false;
    }
    m_display = QStringLiteral(":%1").arg(number);
    m_wm = std::make_unique<QProcess>();
    m_wm->setProcessEnvironment(environment());
    m_wm->setStandardOutputFile(QProcess::nullDevice());
    m_wm->setStandardErrorFile(QProcess::nullDevice());
    m_wm->start(tool("openbox"), {});
    if (!m_wm->waitForStarted(10000)) {
        *why = QStringLiteral("openbox does not start");
        return false;
    }
    QThread::msleep(500);  // the window manager takes the screen before the first window
    return true;
}

QProcessEnvironment Desktop::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DISPLAY"), m_display);
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    return env;
}

// ---- Driver

Driver::Driver(const Desktop &desktop, const QString &workDir, const QString &settingsDir,
               const QString &shotDir)
    : m_desktop(desktop), m_workDir(workDir), m_settingsDir(settingsDir), m_shotDir(shotDir),
      m_dumpFile(QDir(settingsDir).filePath(QStringLiteral("items.json")))
{
}

Driver::~Driver()
{
    if (m_studio && m_studio->state() != QProcess::NotRunning) {
        m_studio->kill();
        m_studio->waitForFinished(5000);
    }
}

bool Driver::startStudio(const QStringList &args)
{
    if (m_studio && m_studio->state() != QProcess::NotRunning)
        return false;
    QFile::remove(m_dumpFile);
    m_studio = std::make_unique<QProcess>();
    QProcessEnvironment env = m_desktop.environment();
    env.insert(QStringLiteral("SWITCHBOARD_SETTINGS_DIR"), m_settingsDir);
    env.insert(QStringLiteral("SWITCHBOARD_ITEM_DUMP"), m_dumpFile);
    // Qt's own dialogs (drawn in the window), as on a desktop without a platform theme.
    env.remove(QStringLiteral("QT_QPA_PLATFORMTHEME"));
    m_studio->setProcessEnvironment(env);
    m_studio->setWorkingDirectory(m_workDir);  // file dialogs start here
    m_stderrFile = QDir(m_settingsDir).filePath(QStringLiteral("studio-stderr.txt"));
    m_studio->setStandardErrorFile(m_stderrFile, QIODevice::Append);
    m_studio->setStandardOutputFile(QProcess::nullDevice());
    m_studio->start(QStringLiteral(SWITCHBOARD_STUDIO_EXE), args);
    return m_studio->waitForStarted(10000);
}

bool Driver::studioRunning() const
{
    return m_studio && m_studio->state() == QProcess::Running;
}

int Driver::waitForExit(int timeoutMs)
{
    if (!m_studio)
        return -1;
    if (!m_studio->waitForFinished(timeoutMs))
        return -1;
    return m_studio->exitStatus() == QProcess::NormalExit ? m_studio->exitCode() : -1;
}

QString Driver::studioErrors() const
{
    QFile f(m_stderrFile);
    return f.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(f.readAll().right(4000))
                                       : QString();
}

QVector<Item> Driver::items() const
{
    QVector<Item> out;
    QFile f(m_dumpFile);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray windows =
        QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("windows")).toArray();
    for (const QJsonValue &w : windows) {
        for (const QJsonValue &v : w.toObject().value(QLatin1String("items")).toArray()) {
            const QJsonObject o = v.toObject();
            Item i;
            i.name = o.value(QLatin1String("name")).toString();
            i.cls = o.value(QLatin1String("class")).toString();
            i.text = o.value(QLatin1String("text")).toString();
            auto num = [&o](const char *key) { return o.value(QLatin1String(key)).toInt(); };
            i.rect = QRect(num("x"), num("y"), num("w"), num("h"));
            i.enabled = o.value(QLatin1String("enabled")).toBool(true);
            i.focus = o.value(QLatin1String("focus")).toBool();
            i.raw = o;
            out << i;
        }
    }
    return out;
}

Item Driver::find(const Match &m) const
{
    // The last match: items drawn later (popups, dialogs) lie on top.
    Item found;
    for (const Item &i : items()) {
        if (m(i))
            found = i;
    }
    return found;
}

Item Driver::waitFor(const Match &m, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    do {
        const Item i = find(m);
        if (i.valid())
            return i;
        QThread::msleep(kPollMs);
    } while (!deadline.hasExpired() && studioRunning());
    return Item();
}

bool Driver::waitGone(const Match &m, int timeoutMs) const
{
    return waitUntil([&] { return !find(m).valid(); }, timeoutMs);
}

bool Driver::waitUntil(const std::function<bool()> &condition, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    do {
        if (condition())
            return true;
        QThread::msleep(kPollMs);
    } while (!deadline.hasExpired());
    return condition();
}

bool Driver::xdotool(const QStringList &args) const
{
    QProcess p;
    p.setProcessEnvironment(m_desktop.environment());
    p.start(tool("xdotool"), args);
    return p.waitForFinished(30000) && p.exitCode() == 0;
}

void Driver::click(const Item &item, int button, int repeat)
{
    clickAt(item.centre(), button, repeat);
}

void Driver::clickAt(const QPoint &p, int button, int repeat)
{
    xdotool({QStringLiteral("mousemove"), QStringLiteral("--sync"), QString::number(p.x()),
             QString::number(p.y())});
    QThread::msleep(80);  // hover first, as a hand does
    xdotool({QStringLiteral("click"), QStringLiteral("--repeat"), QString::number(repeat),
             QStringLiteral("--delay"), QStringLiteral("120"), QString::number(button)});
    QThread::msleep(150);
}

void Driver::drag(const QPoint &from, const QPoint &to)
{
    xdotool({QStringLiteral("mousemove"), QStringLiteral("--sync"), QString::number(from.x()),
             QString::number(from.y())});
    QThread::msleep(100);
    xdotool({QStringLiteral("mousedown"), QStringLiteral("1")});
    const int steps = 16;
    for (int s = 1; s <= steps; ++s) {
        const QPoint p = from + (to - from) * s / steps;
        xdotool({QStringLiteral("mousemove"), QString::number(p.x()), QString::number(p.y())});
        QThread::msleep(30);
    }
    QThread::msleep(100);
    xdotool({QStringLiteral("mouseup"), QStringLiteral("1")});
    QThread::msleep(200);
}

// A wheel turn flicks the view on for a while: the item once two dumps a frame apart agree
// on where it is (a click on where it was lands on whatever scrolled there).
Item Driver::settled(const Match &m, Item last) const
{
    for (int i = 0; i < 20; ++i) {
        QThread::msleep(200);
        const Item now = find(m);
        if (!now.valid())
            return Item();
        if (now.rect == last.rect)
            return now;
        last = now;
    }
    return last;
}

Item Driver::scrollTo(const Match &m, const Match &area, int minHeight, int maxTurns)
{
    for (int turn = 0; turn <= maxTurns; ++turn) {
        const Item i = find(m);
        if (i.valid() && i.rect.height() >= minHeight)
            return settled(m, i);
        const Item over = find(area);
        if (!over.valid())
            return Item();
        xdotool({QStringLiteral("mousemove"), QStringLiteral("--sync"),
                 QString::number(over.centre().x()), QString::number(over.centre().y())});
        xdotool({QStringLiteral("click"), QStringLiteral("5")});  // wheel down
        QThread::msleep(250);
    }
    return Item();
}

void Driver::type(const QString &text)
{
    xdotool({QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("40"), text});
    QThread::msleep(150);
}

void Driver::key(const QString &keys)
{
    xdotool({QStringLiteral("key"), QStringLiteral("--delay"), QStringLiteral("60"), keys});
    QThread::msleep(150);
}

QString Driver::screenshot(const QString &name)
{
    QThread::msleep(300);  // the last input's frame
    const QString file = QDir(m_shotDir).filePath(name);
    QProcess p;
    p.setProcessEnvironment(m_desktop.environment());
    p.start(tool("import"), {QStringLiteral("-window"), QStringLiteral("root"), file});
    p.waitForFinished(30000);
    return file;
}

int Driver::colours(const QString &png)
{
    const QImage image(png);
    QSet<QRgb> seen;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            seen.insert(image.pixel(x, y));
    }
    return int(seen.size());
}

} // namespace journey
