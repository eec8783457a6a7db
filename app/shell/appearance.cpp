#include "app/shell/appearance.h"

#include <QGuiApplication>
#include <QSettings>

namespace {

constexpr char kKey[] = "appearance/theme";

const char *modeName(Appearance::Mode mode)
{
    switch (mode) {
    case Appearance::Light:
        return "light";
    case Appearance::Dark:
        return "dark";
    case Appearance::System:
        break;
    }
    return "system";
}

QPalette makePalette(const char *window, const char *base, const char *alternate,
                     const char *text, const char *button, const char *highlight,
                     const char *disabledText, const char *link)
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(window));
    p.setColor(QPalette::WindowText, QColor(text));
    p.setColor(QPalette::Base, QColor(base));
    p.setColor(QPalette::AlternateBase, QColor(alternate));
    p.setColor(QPalette::ToolTipBase, QColor(base));
    p.setColor(QPalette::ToolTipText, QColor(text));
    p.setColor(QPalette::PlaceholderText, QColor(disabledText));
    p.setColor(QPalette::Text, QColor(text));
    p.setColor(QPalette::Button, QColor(button));
    p.setColor(QPalette::ButtonText, QColor(text));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(highlight));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(link));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(disabledText));
    return p;
}

} // namespace

Appearance::Appearance(QObject *parent) : QObject(parent), m_system(QGuiApplication::palette())
{
    const QString saved = QSettings().value(QLatin1String(kKey)).toString();
    if (saved == QLatin1String("light"))
        m_mode = Light;
    else if (saved == QLatin1String("dark"))
        m_mode = Dark;
    if (m_mode != System)
        apply();
}

void Appearance::setMode(Mode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    QSettings().setValue(QLatin1String(kKey), QLatin1String(modeName(mode)));
    apply();
    emit modeChanged();
}

QPalette Appearance::lightPalette()
{
    return makePalette("#f6f7f9", "#ffffff", "#f1f3f6", "#1f2933", "#eef1f5", "#2f6feb",
                       "#9aa5b1", "#2f6feb");
}

QPalette Appearance::darkPalette()
{
    return makePalette("#1e2228", "#262b33", "#2d333c", "#e6e9ee", "#2d333c", "#5b8ff9",
                       "#6b7684", "#8fb1ff");
}

void Appearance::apply()
{
    switch (m_mode) {
    case System:
        QGuiApplication::setPalette(m_system);
        break;
    case Light:
        QGuiApplication::setPalette(lightPalette());
        break;
    case Dark:
        QGuiApplication::setPalette(darkPalette());
        break;
    }
}
