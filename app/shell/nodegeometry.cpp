#include "app/shell/nodegeometry.h"

namespace studio {

int nodeEntityRows(const sb::model::System &system)
{
    const int n = int(system.entities.size());
    if (n == 0)
        return 1;
    return n > kNodeMaxEntities ? kNodeMaxEntities + 1 : n;
}

qreal nodeHeight(const sb::model::System &system)
{
    return kNodeHeaderHeight + 1 + kNodePadding + nodeEntityRows(system) * kNodeEntityRowHeight
           + kNodePadding;
}

QRectF nodeRect(const sb::model::System &system)
{
    return QRectF(system.position, QSizeF(kNodeWidth, nodeHeight(system)));
}

QString iconUrl(const QString &name)
{
    return QStringLiteral("qrc:/qt/qml/Switchboard/Controls/icons/%1.svg").arg(name);
}

QString kindIcon(sb::model::SystemKind kind)
{
    return iconUrl(QStringLiteral("kind-") + sb::model::toString(kind));
}

QString kindLabel(sb::model::SystemKind kind)
{
    using K = sb::model::SystemKind;
    switch (kind) {
    case K::Crm: return QStringLiteral("CRM");
    case K::Erp: return QStringLiteral("ERP");
    case K::Billing: return QStringLiteral("Billing");
    case K::Subscription: return QStringLiteral("Subscription");
    case K::Support: return QStringLiteral("Support desk");
    case K::Success: return QStringLiteral("Customer success");
    case K::Tax: return QStringLiteral("Tax");
    case K::Payments: return QStringLiteral("Payments");
    case K::Middleware: return QStringLiteral("Middleware");
    case K::Custom: return QStringLiteral("Custom");
    }
    return QString();
}

} // namespace studio
