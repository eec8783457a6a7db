#pragma once

// The endpoint profiles of one system (sandbox and live ones) for the system inspector.
// Edits are undoable; typing in one property merges into one step until endEdit().

#include "app/shell/rowlistmodel.h"
#include "model/document.h"

#include <QtQml/qqmlregistration.h>

class ProfilesModel : public RowListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(QString systemId READ systemId WRITE setSystemId NOTIFY systemIdChanged)
    Q_PROPERTY(QStringList authTypes READ authTypes CONSTANT)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, SandboxRole, BaseUrlRole, AuthRole, SecretRefRole,
        RateLimitRole, TimeoutRole, SecretProblemRole, SecretInKeyringRole
    };
    Q_ENUM(Role)

    explicit ProfilesModel(QObject *parent = nullptr);

    QObject *document() const { return m_document; }
    void setDocument(QObject *document);
    QString systemId() const { return m_systemId; }
    void setSystemId(const QString &id);
    QStringList authTypes() const;

    Q_INVOKABLE int addProfile(bool sandbox);
    Q_INVOKABLE bool removeProfile(int row);
    // property: name, sandbox, baseUrl, auth, secretRef, rateLimit, timeoutMs.
    Q_INVOKABLE bool setValue(int row, const QString &property, const QVariant &value);
    Q_INVOKABLE void endEdit();
    // Stores `secret` in the OS keyring and points the profile's secret reference at it
    // (keyring:switchboard/<project>/<system>/<profile>, one undo step). The secret itself
    // never reaches the project. Returns "" on success, else why it failed.
    Q_INVOKABLE QString storeSecret(int row, const QString &secret);

signals:
    void documentChanged();
    void systemIdChanged();

private:
    struct Row
    {
        QString key;
        sb::model::EndpointProfile profile;
        QString secretProblem;
        bool operator==(const Row &o) const
        {
            return key == o.key && profile == o.profile && secretProblem == o.secretProblem;
        }
    };
    QVector<Row> buildRows() const;
    bool commit(const QVector<sb::model::EndpointProfile> &profiles, const QString &text,
                const QString &mergeKey = QString());

    QObject *m_document = nullptr;
    sb::model::Document *m_doc = nullptr;
    QString m_systemId;
    QVector<Row> m_rows;
};
