#pragma once

// File > Export Bundle: picks the endpoint profile, validates (errors block, warnings are
// shown), writes the bundle with runtime/bundle and gives the exact `switchboard-run serve`
// command that runs it.

#include "model/document.h"

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class ExportController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(QStringList profiles READ profiles NOTIFY documentChanged)
    Q_PROPERTY(QString profile READ profile WRITE setProfile NOTIFY profileChanged)
    Q_PROPERTY(QString bundlePath READ bundlePath WRITE setBundlePath NOTIFY bundlePathChanged)
    // [{severity, ruleId, message, location}] of the last validation.
    Q_PROPERTY(QVariantList findings READ findings NOTIFY validated)
    Q_PROPERTY(int errorCount READ errorCount NOTIFY validated)
    Q_PROPERTY(int warningCount READ warningCount NOTIFY validated)
    Q_PROPERTY(bool canExport READ canExport NOTIFY validated)
    Q_PROPERTY(QString command READ command NOTIFY exported)
    Q_PROPERTY(QString resultText READ resultText NOTIFY exported)
    // Secrets of the exported profile that stay in the studio's keyring: the runner reads
    // them from these environment variables. [{name, reference}]; the command sets them.
    Q_PROPERTY(QVariantList secretVariables READ secretVariables NOTIFY exported)
    // Every environment variable the runner needs for this profile (admin token, webhook
    // secrets, profile secrets): [{name, purpose}]. Known before exporting.
    Q_PROPERTY(QVariantList environment READ environment NOTIFY validated)
public:
    explicit ExportController(QObject *parent = nullptr);

    QObject *document() const;
    void setDocument(QObject *document);
    QStringList profiles() const;
    QString profile() const { return m_profile; }
    void setProfile(const QString &profile);
    QString bundlePath() const { return m_path; }
    void setBundlePath(const QString &pathOrUrl);
    QVariantList findings() const { return m_findings; }
    int errorCount() const { return m_errors; }
    int warningCount() const { return m_warnings; }
    bool canExport() const { return m_errors == 0 && m_document; }
    QString command() const { return m_command; }
    QString resultText() const { return m_result; }
    QVariantList secretVariables() const { return m_secretVariables; }
    QVariantList environment() const { return m_environment; }

    // Validation for the chosen profile: the project's findings plus what the bundle export
    // itself refuses (a literal secret, a system without that profile).
    Q_INVOKABLE void validate();
    // Writes the bundle to bundlePath; false (with resultText) when blocked or unwritable.
    Q_INVOKABLE bool exportBundle();
    // The path suggested for a project file: next to it, "<name>-<profile>.bundle.json".
    Q_INVOKABLE QString suggestedPath() const;
    Q_INVOKABLE void copyCommand() const;
    // The serve command for a bundle path (quoted for a POSIX shell when needed).
    static QString serveCommand(const QString &bundlePath);
    // The same, preceded by the environment variables the bundle's secrets come from.
    static QString serveCommand(const QString &bundlePath, const QStringList &secretVariables);

signals:
    void documentChanged();
    void profileChanged();
    void bundlePathChanged();
    void validated();
    void exported();

private:
    QPointer<sb::model::Document> m_document;
    QString m_profile = QStringLiteral("sandbox");
    QString m_path;
    QVariantList m_findings;
    int m_errors = 0;
    int m_warnings = 0;
    QString m_command;
    QString m_result;
    QVariantList m_secretVariables;
    QVariantList m_environment;
};
