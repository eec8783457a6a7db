#pragma once

// The arguments of one subcommand through QCommandLineParser: its options, its positional
// arguments, --help, and the command's own usage text on every error.

#include <QByteArray>
#include <QCommandLineParser>
#include <QHash>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace sb::cli {

class CommandLine
{
public:
    // `command` names the subcommand in messages; `usage` ends with a newline.
    CommandLine(const char *command, QByteArray usage);

    // A flag (no value) or, with `valueName`, an option taking one value. Names without
    // dashes: {"o", "output"}.
    void addFlag(std::initializer_list<QString> names);
    void addOption(std::initializer_list<QString> names, const QString &valueName);

    // Parses `args` (the words after the subcommand). Returns the exit code when the command
    // must stop: Success after --help (usage on stdout), BadInput after an unknown option, a
    // missing value or a positional count outside [minPositional, maxPositional] (message
    // and usage on stderr). std::nullopt: go on.
    std::optional<int> parse(const QStringList &args, int minPositional, int maxPositional);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const;
    QStringList values(const QString &name) const; // every occurrence, in order
    QStringList positional() const;

    // "switchboard-run COMMAND: message" and the usage on stderr; returns BadInput.
    int usageError(const QString &message) const;
    const QByteArray &usage() const { return m_usage; }

private:
    QString restore(const QString &word) const;

    QByteArray m_command;
    QByteArray m_usage;
    QCommandLineParser m_parser;
    // Words such as "-1" or "-$x" (an expression, a negative number) are no option names:
    // they are hidden from the parser under a placeholder and given back unchanged.
    QHash<QString, QString> m_hidden;
};

} // namespace sb::cli
