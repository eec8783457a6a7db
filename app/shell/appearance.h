#pragma once

// The studio's theme: the system's palette, or light or dark whatever the system says
// (View > Theme). Applies a palette to the application, which Fusion and Theme.qml (through
// SystemPalette) follow, and remembers the choice in the settings.

#include <QObject>
#include <QPalette>
#include <QtQml/qqmlregistration.h>

class Appearance : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Mode mode READ mode WRITE setMode NOTIFY modeChanged)

public:
    enum Mode { System, Light, Dark };
    Q_ENUM(Mode)

    explicit Appearance(QObject *parent = nullptr);
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    static QPalette lightPalette();
    static QPalette darkPalette();

signals:
    void modeChanged();

private:
    void apply();

    Mode m_mode = System;
    QPalette m_system;   // the application's palette before any choice was applied
};
