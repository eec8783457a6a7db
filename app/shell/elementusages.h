#pragma once

// Find usages, rename of ids and revealing an element, for QML (model/usages.h). Works on
// element addresses as the selection carries them; edits go through the controller's
// document as one undo step each.

#include "app/shell/studiocontroller.h"

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class ElementUsages : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(StudioController *controller READ controller WRITE setController
                   NOTIFY controllerChanged)

public:
    explicit ElementUsages(QObject *parent = nullptr);

    StudioController *controller() const { return m_controller; }
    void setController(StudioController *controller);

    // The element a usage query or a rename of `element` is about: a system, entity, field,
    // canonical entity or field, mapping, workflow or data set ("mapping:m/rule:3" is about
    // mapping:m); empty when it is about none of those.
    Q_INVOKABLE QString target(const QString &element) const;
    // The target as the user names it ("System 'Xero' (erp-2)") and its current id.
    Q_INVOKABLE QString label(const QString &element) const;
    Q_INVOKABLE QString currentId(const QString &element) const;
    // Every reference to the target of `element`: [{element, display, role}].
    Q_INVOKABLE QVariantList usagesOf(const QString &element) const;
    // Renames the target's id and every reference to it, as one undo step; a selection
    // inside the target follows. Returns why it was refused, or an empty string.
    Q_INVOKABLE QString renameId(const QString &element, const QString &newId);
    // Selects `element`, shows the view that holds it and brings it into view.
    Q_INVOKABLE void reveal(const QString &element);

signals:
    void controllerChanged();

private:
    QPointer<StudioController> m_controller;
};
