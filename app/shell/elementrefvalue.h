#pragma once

// Makes sb::model::ElementRef a QML value type (the model library stays free of QML): QML
// reads StudioController.selectedRef.mapping, .rule, .entity, .field and never parses the
// address string itself; its kinds are ElementRef.Canonical, ElementRef.Mapping, ...

#include "model/elementref.h"

#include <QtQml/qqml.h>

struct ElementRefForeign
{
    Q_GADGET
    QML_FOREIGN(sb::model::ElementRef)
    QML_VALUE_TYPE(elementRef)
};

// Its Kind enum for QML: ElementRef.Canonical, ElementRef.Mapping, ...
namespace ElementRefForeignNamespace {
Q_NAMESPACE
QML_FOREIGN_NAMESPACE(sb::model::ElementRef)
QML_NAMED_ELEMENT(ElementRef)
} // namespace ElementRefForeignNamespace
