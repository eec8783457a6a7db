#include "app/darkiconprovider.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>

QImage DarkIconProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    // Only names of the bundled icons: no paths.
    if (id.isEmpty() || id.contains(QLatin1Char('/')) || id.contains(QLatin1Char('.')))
        return {};
    QFile file(QStringLiteral(":/qt/qml/Switchboard/Controls/icons/%1.svg").arg(id));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray svg = file.readAll();
    svg.replace("#334155", "#c3ccd8");
    QBuffer buffer(&svg);
    QImageReader reader(&buffer, "svg");
    QSize natural = reader.size();
    if (requestedSize.width() > 0 || requestedSize.height() > 0) {
        natural.scale(requestedSize.width() > 0 ? requestedSize.width() : natural.width() * 64,
                      requestedSize.height() > 0 ? requestedSize.height()
                                                 : natural.height() * 64,
                      Qt::KeepAspectRatio);
    }
    reader.setScaledSize(natural);
    const QImage image = reader.read();
    if (size)
        *size = image.size();
    return image;
}
