#pragma once

// Icons for the dark theme. The studio's line icons are drawn in slate (#334155), which all
// but disappears on a dark background; `image://icon-dark/NAME` serves icons/NAME.svg with
// that stroke in a light slate instead (Theme.icon picks it while the theme is dark).
// Coloured icons (severities, accents) keep their colours.

#include <QQuickImageProvider>

class DarkIconProvider : public QQuickImageProvider
{
public:
    DarkIconProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;
};
