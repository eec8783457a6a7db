#pragma once

// The entities of one system (or of the canonical model) with their fields, as a flat list
// of rows with a depth: entity headers, then their fields and nested fields when expanded.
// Edits become undoable Document edits; typing in one property of one field merges into one
// undo step until endEdit(). In canonical mode each field also lists the system fields that
// map to it (fields linked by `canonical`, and mapping rules into the canonical entity).

#include "app/shell/rowlistmodel.h"
#include "model/document.h"

#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <QtQml/qqmlregistration.h>

class SchemaTreeModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(QString systemId READ systemId WRITE setSystemId NOTIFY systemIdChanged)
    Q_PROPERTY(bool canonical READ isCanonical WRITE setCanonical NOTIFY canonicalChanged)
    Q_PROPERTY(int entityCount READ entityCount NOTIFY countsChanged)
    Q_PROPERTY(int fieldCount READ fieldCount NOTIFY countsChanged)
    Q_PROPERTY(QStringList fieldTypes READ fieldTypes CONSTANT)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)

public:
    enum Role {
        KeyRole = Qt::UserRole + 1, RowKindRole, DepthRole, EntityIndexRole, PathRole,
        NameRole, TypeRole, RequiredRole, FormatRole, EnumValuesRole, DescriptionRole,
        IsKeyRole, ExpandedRole, ChildCountRole, CanonicalLinkRole, LinksRole, HasChildrenRole,
        ItemTypeRole, MaxLengthRole
    };
    Q_ENUM(Role)

    explicit SchemaTreeModel(QObject *parent = nullptr);
    static constexpr int kFineGrainedRows = 20000;

    QObject *document() const { return m_document; }
    void setDocument(QObject *document);
    QString systemId() const { return m_systemId; }
    void setSystemId(const QString &id);
    bool isCanonical() const { return m_canonical; }
    void setCanonical(bool on);
    int entityCount() const;
    int fieldCount() const;
    QStringList fieldTypes() const;
    QString filter() const { return m_filter; }
    void setFilter(const QString &filter);

    // `path` addresses a field: indexes from the entity down, joined by '.' ("3" or "3.0").
    Q_INVOKABLE int addEntity(const QString &name = QString());
    Q_INVOKABLE bool renameEntity(int entity, const QString &name);
    Q_INVOKABLE bool setEntityKey(int entity, const QString &field);
    Q_INVOKABLE bool setEntityDescription(int entity, const QString &description);
    Q_INVOKABLE bool removeEntity(int entity);
    Q_INVOKABLE QString addField(int entity, const QString &parentPath = QString());
    Q_INVOKABLE bool removeField(int entity, const QString &path);
    Q_INVOKABLE bool setFieldName(int entity, const QString &path, const QString &name);
    Q_INVOKABLE bool setFieldType(int entity, const QString &path, const QString &type);
    Q_INVOKABLE bool setFieldRequired(int entity, const QString &path, bool required);
    Q_INVOKABLE bool setFieldFormat(int entity, const QString &path, const QString &format);
    Q_INVOKABLE bool setFieldEnumValues(int entity, const QString &path, const QString &values);
    Q_INVOKABLE bool setFieldDescription(int entity, const QString &path, const QString &text);
    // 0: no limit. False for a negative length.
    Q_INVOKABLE bool setFieldMaxLength(int entity, const QString &path, int maxLength);
    // The canonical field ("Entity.path") a system field carries; empty unlinks it.
    Q_INVOKABLE bool setFieldCanonical(int entity, const QString &path, const QString &link);
    Q_INVOKABLE void toggleExpanded(int entity);
    Q_INVOKABLE void setAllExpanded(bool expanded);
    // Row of an entity (by name) or a field ("Entity.path.to.field"), -1 if not shown.
    Q_INVOKABLE int rowOf(const QString &entity, const QString &fieldPath = QString()) const;
    Q_INVOKABLE int entityRow(int entity) const;
    Q_INVOKABLE int fieldRow(int entity, const QString &path) const;
    Q_INVOKABLE void endEdit();

signals:
    void documentChanged();
    void systemIdChanged();
    void canonicalChanged();
    void countsChanged();
    void filterChanged();

private:
    struct Row
    {
        QString key;
        QString kind;        // "entity" or "field"
        int depth = 0;
        int entity = -1;
        QString path;
        QString name;
        QString type;
        bool required = false;
        QString format;
        QString enumValues;
        QString description;
        bool isKey = false;
        bool expanded = false;
        int childCount = 0;
        bool hasChildren = false;
        QString canonicalLink;
        QStringList links;
        QString itemType;
        int maxLength = 0;
        QString dotted;      // field path by names, e.g. address.country
        QString entityName;
        bool operator==(const Row &o) const;
    };
    // A shown row: the row of the document it shows (shared, so a filter keystroke over
    // 80,000 rows copies a pointer per row, not a dozen strings) and whether it is expanded.
    struct ViewRow
    {
        std::shared_ptr<const Row> row;
        QString key;
        bool expanded = false;
        bool operator==(const ViewRow &o) const
        {
            return expanded == o.expanded && (row == o.row || *row == *o.row);
        }
    };
    template <typename T>
    static std::function<QVariant(const ViewRow &)> shown(T Row::*member)
    {
        return [member](const ViewRow &v) { return QVariant::fromValue(v.row.get()->*member); };
    }

    sb::model::Document *doc() const { return m_doc; }
    QVector<sb::model::Entity> entities() const;
    bool hasTarget() const;
    // Replaces the target's entities as one undo step (merged by `mergeKey` when given).
    bool commit(const QVector<sb::model::Entity> &entities, const QString &text,
                const QString &mergeKey = QString());
    // Renames the entity or field at `element` (an element address) with every reference
    // to it following, as one undo step; false when `newName` is not an id or the model
    // cannot address the element, for the caller to rename in place.
    bool renameWithReferences(const QString &element, const QString &newName,
                              const QString &text, const QString &mergeKey);
    sb::model::Field *fieldAt(QVector<sb::model::Entity> &list, int entity,
                              const QString &path) const;
    template <typename F>
    bool editField(int entity, const QString &path, const QString &what, F &&change);
    QHash<QString, QStringList> canonicalLinks() const;
    const QVector<std::shared_ptr<const Row>> &allRows() const;
    QVector<ViewRow> buildRows() const;
    void refresh();       // the document changed
    void clearFilter();   // without rebuilding: the caller rebuilds the rows
    void refreshView();   // only the filter or what is collapsed changed

    QObject *m_document = nullptr;
    sb::model::Document *m_doc = nullptr;
    QString m_systemId;
    bool m_canonical = false;
    QString m_filter;
    QSet<QString> m_collapsed;   // entity names
    QTimer m_linkTimer;
    QVector<ViewRow> m_rows;
    mutable QVector<std::shared_ptr<const Row>> m_all;   // every row of the document as it is
    mutable bool m_allValid = false;
};
