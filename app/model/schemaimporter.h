#pragma once

// The import dialog's state: reads a schema source (OpenAPI 3 JSON/YAML, JSON Schema, a
// sample JSON record or a CSV header) with the headless importers of runtime/import, lists
// its schemas with check boxes and a filter, and imports the checked ones into a system as
// ONE undoable edit. Parsing, converting and merging run on a worker thread so the window
// stays responsive with large API descriptions; `busy` and `progress` drive the dialog's bar.

#include "app/shell/rowlistmodel.h"
#include "model/document.h"
#include "runtime/import/schemaimport.h"

#include <QPointer>
#include <QThread>
#include <QtQml/qqmlregistration.h>

#include <optional>

// The schemas of the loaded source, filtered by name; `checked` marks what to import.
class SchemaListModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by SchemaImporter")
public:
    enum Role {
        NameRole = Qt::UserRole + 1, DescriptionRole, PropertyCountRole, IsObjectRole,
        CheckedRole
    };
    Q_ENUM(Role)
    explicit SchemaListModel(QObject *parent = nullptr);
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    struct Row
    {
        QString key;
        QString description;
        int propertyCount = 0;
        bool isObject = true;
        bool checked = false;
        bool operator==(const Row &o) const
        {
            return key == o.key && description == o.description
                   && propertyCount == o.propertyCount && isObject == o.isObject
                   && checked == o.checked;
        }
    };
    void setAll(const QVector<Row> &all, const QString &filter);
    void setFilter(const QString &filter);
    void setChecked(const QString &name, bool checked);
    // Checks every visible importable schema (or unchecks).
    void checkVisible(bool checked);
    QStringList checkedNames() const;
    int checkedCount() const;
    int totalCount() const { return int(m_all.size()); }

signals:
    void checkedChanged();

private:
    QVector<Row> visibleRows() const;
    QVector<Row> m_all;
    QVector<Row> m_rows;
    QString m_filter;
};

class SchemaImporter : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(QString systemId READ systemId WRITE setSystemId NOTIFY systemIdChanged)
    Q_PROPERTY(SchemaListModel *schemas READ schemas CONSTANT)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY sourceChanged)
    Q_PROPERTY(QString fileName READ fileName NOTIFY sourceChanged)
    Q_PROPERTY(QString sourceKind READ sourceKind NOTIFY sourceChanged)
    Q_PROPERTY(int schemaCount READ schemaCount NOTIFY sourceChanged)
    Q_PROPERTY(int checkedCount READ checkedCount NOTIFY checkedChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    // Share of the running import done, 0 to 1; -1 while the length is unknown (reading).
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)

public:
    explicit SchemaImporter(QObject *parent = nullptr);
    ~SchemaImporter() override;

    QObject *document() const { return m_document; }
    void setDocument(QObject *document);
    QString systemId() const { return m_systemId; }
    void setSystemId(const QString &id);
    SchemaListModel *schemas() { return &m_schemas; }
    QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    bool isBusy() const { return m_worker != nullptr; }
    bool isLoaded() const { return m_source.has_value(); }
    QString fileName() const;
    QString sourceKind() const;
    int schemaCount() const { return m_schemas.totalCount(); }
    int checkedCount() const { return m_schemas.checkedCount(); }
    QString error() const { return m_error; }
    QString status() const { return m_status; }
    double progress() const { return m_progress; }

    // A local path or file: URL; parsed on a worker thread.
    Q_INVOKABLE void load(const QString &pathOrUrl);
    Q_INVOKABLE void setChecked(const QString &name, bool checked);
    Q_INVOKABLE void checkAll(bool checked);
    // Imports the checked schemas (all of them for a single-schema source) into systemId.
    Q_INVOKABLE void importChecked();
    Q_INVOKABLE void clear();

signals:
    void documentChanged();
    void systemIdChanged();
    void filterChanged();
    void busyChanged();
    void sourceChanged();
    void checkedChanged();
    void errorChanged();
    void statusChanged();
    void progressChanged();
    // The import was applied: `count` entities added or updated.
    void imported(int count);

private:
    void setError(const QString &error);
    void setStatus(const QString &status);
    void setProgress(double progress);
    template <typename Work, typename Done>
    void runInBackground(Work work, Done done);

    QObject *m_document = nullptr;
    QPointer<sb::model::Document> m_doc;
    QString m_systemId;
    QString m_filter;
    SchemaListModel m_schemas;
    std::optional<sb::runtime::SchemaSource> m_source;
    QThread *m_worker = nullptr;
    QString m_error;
    QString m_status;
    double m_progress = -1;
};
