#include "app/itemdump.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSaveFile>
#include <QTimer>

#include <memory>

namespace studio {

namespace {

constexpr int kIntervalMs = 150;

// The part of `item` not clipped away by itself or an ancestor, in scene coordinates.
QRectF visibleRect(QQuickItem *item, const QRectF &window)
{
    QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    r &= window;
    for (QQuickItem *p = item->parentItem(); p && !r.isEmpty(); p = p->parentItem()) {
        if (p->clip())
            r &= p->mapRectToScene(QRectF(0, 0, p->width(), p->height()));
    }
    return r;
}

// Items worth naming: those with an objectName, and buttons, menu items and delegates by
// their text (the file dialog's Open, a menu's entries).
void collect(QQuickItem *item, QQuickWindow *window, const QRectF &bounds, QJsonArray &out)
{
    if (!item->isVisible() || item->opacity() <= 0.0)
        return;
    const QString name = item->objectName();
    const QVariant textValue = item->property("text");
    const QString text = textValue.typeId() == QMetaType::QString ? textValue.toString()
                                                                   : QString();
    const bool button = item->inherits("QQuickAbstractButton");
    if ((!name.isEmpty() || (button && !text.isEmpty())) && item->width() > 0
        && item->height() > 0) {
        const QRectF r = visibleRect(item, bounds);
        if (!r.isEmpty()) {
            const QPoint topLeft = window->mapToGlobal(r.topLeft().toPoint());
            QJsonObject o{{QStringLiteral("name"), name},
                          {QStringLiteral("class"),
                           QString::fromLatin1(item->metaObject()->className())},
                          {QStringLiteral("x"), topLeft.x()},
                          {QStringLiteral("y"), topLeft.y()},
                          {QStringLiteral("w"), int(r.width())},
                          {QStringLiteral("h"), int(r.height())},
                          {QStringLiteral("enabled"), item->isEnabled()},
                          {QStringLiteral("focus"), item->hasActiveFocus()}};
            if (!text.isEmpty())
                o.insert(QStringLiteral("text"), text.left(4000));  // rich text: long markup
            for (const char *p :
                 {"count", "checked", "currentIndex", "opened", "fileName", "value"}) {
                const QVariant v = item->property(p);
                if (v.isValid())
                    o.insert(QLatin1String(p), QJsonValue::fromVariant(v));
            }
            out.append(o);
        }
    }
    for (QQuickItem *child : item->childItems())
        collect(child, window, bounds, out);
}

QByteArray snapshot()
{
    QJsonArray windows;
    for (QWindow *w : QGuiApplication::topLevelWindows()) {
        auto *qw = qobject_cast<QQuickWindow *>(w);
        if (!qw || !qw->isVisible())
            continue;
        QJsonArray items;
        collect(qw->contentItem(), qw, QRectF(0, 0, qw->width(), qw->height()), items);
        const QPoint origin = qw->mapToGlobal(QPoint(0, 0));
        windows.append(QJsonObject{{QStringLiteral("title"), qw->title()},
                                   {QStringLiteral("x"), origin.x()},
                                   {QStringLiteral("y"), origin.y()},
                                   {QStringLiteral("w"), qw->width()},
                                   {QStringLiteral("h"), qw->height()},
                                   {QStringLiteral("active"), qw->isActive()},
                                   {QStringLiteral("items"), items}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("windows"), windows}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

void startItemDump(QObject *owner, const QString &file)
{
    auto *timer = new QTimer(owner);
    auto last = std::make_shared<QByteArray>();
    QObject::connect(timer, &QTimer::timeout, owner, [file, last] {
        const QByteArray now = snapshot();
        if (now == *last)
            return;
        QSaveFile out(file);
        if (out.open(QIODevice::WriteOnly) && out.write(now) == now.size() && out.commit())
            *last = now;
    });
    timer->start(kIntervalMs);
}

} // namespace studio
