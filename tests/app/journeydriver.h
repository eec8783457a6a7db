#pragma once

// The newcomer journey's hands and eyes: a private X server (Xvfb) with a window manager
// (openbox), the real studio started on it, synthetic mouse and keyboard input through
// xdotool at screen coordinates, and screenshots of the whole screen. Where to click comes
// from the studio's item dump (SWITCHBOARD_ITEM_DUMP, app/itemdump.h): the geometry of its
// visible items by objectName or button text. Nothing calls into the studio.

#include <QJsonObject>
#include <QProcess>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>

namespace journey {

// One visible item of the studio, in screen coordinates.
struct Item
{
    QString name;
    QString cls;
    QString text;
    QRect rect;
    bool enabled = true;
    bool focus = false;
    QJsonObject raw;
    bool valid() const { return !rect.isEmpty(); }
    QPoint centre() const { return rect.center(); }
};

using Match = std::function<bool(const Item &)>;
Match named(const QString &name);          // objectName equal
Match namedPrefix(const QString &prefix);  // objectName starting with
Match button(const QString &text);         // a button, menu item or delegate by its text
Match buttonContaining(const QString &part);  // ... whose text contains `part` (any case)

// Xvfb + openbox on a free display. Stops both when destroyed.
class Desktop
{
public:
    ~Desktop();
    // False with `why` when Xvfb, openbox, xdotool or import is missing or does not start.
    bool start(QString *why);
    QString display() const { return m_display; }
    QProcessEnvironment environment() const;

private:
    std::unique_ptr<QProcess> m_xvfb;
    std::unique_ptr<QProcess> m_wm;
    QString m_display;
};

// The studio on the desktop, observed through its item dump and driven through xdotool.
class Driver
{
public:
    Driver(const Desktop &desktop, const QString &workDir, const QString &settingsDir,
           const QString &shotDir);
    ~Driver();

    bool startStudio(const QStringList &args = {});
    bool studioRunning() const;
    // Waits for the studio to exit by itself; its exit code, or -1 on a timeout or crash.
    int waitForExit(int timeoutMs);
    QString studioErrors() const;

    QVector<Item> items() const;
    Item find(const Match &m) const;
    // Polls the dump until an item matches (visible, in view); invalid on a timeout.
    Item waitFor(const Match &m, int timeoutMs = 30000) const;
    bool waitGone(const Match &m, int timeoutMs = 30000) const;
    bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 30000) const;

    void click(const Item &item, int button = 1, int repeat = 1);
    void clickAt(const QPoint &p, int button = 1, int repeat = 1);
    // Press on `from`, move in steps, release on `to`.
    void drag(const QPoint &from, const QPoint &to);
    // Turns the mouse wheel over `area` until an item matches and is at least `minHeight`
    // tall on screen (not cut by the edge of its view); invalid if it never is.
    Item scrollTo(const Match &m, const Match &area, int minHeight = 12, int maxTurns = 40);
    void type(const QString &text);
    void key(const QString &keys);   // xdotool key syntax: "ctrl+o", "Return"
    // A PNG of the whole screen in the shot folder; its path.
    QString screenshot(const QString &name);
    // Distinct colours of a screenshot on a 4-pixel grid (is it more than a blank screen).
    static int colours(const QString &png);

private:
    bool xdotool(const QStringList &args) const;
    // `last` (matching `m`) once it stops moving.
    Item settled(const Match &m, Item last) const;

    const Desktop &m_desktop;
    QString m_workDir;
    QString m_settingsDir;
    QString m_shotDir;
    QString m_dumpFile;
    std::unique_ptr<QProcess> m_studio;
    QString m_stderrFile;
};

} // namespace journey
