#include "runtime/cli/commandline.h"

#include "runtime/cli/commands.h"

#include <cstdio>

namespace sb::cli {

CommandLine::CommandLine(const char *command, QByteArray usage)
    : m_command(command), m_usage(std::move(usage))
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption(
        QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")}));
}

void CommandLine::addFlag(std::initializer_list<QString> names)
{
    m_parser.addOption(QCommandLineOption(QStringList(names)));
}

void CommandLine::addOption(std::initializer_list<QString> names, const QString &valueName)
{
    m_parser.addOption(QCommandLineOption(QStringList(names), QString(), valueName));
}

std::optional<int> CommandLine::parse(const QStringList &args, int minPositional,
                                      int maxPositional)
{
    QStringList words{QStringLiteral("switchboard-run")};
    for (const QString &a : args) {
        const bool optionLike = a.size() > 1 && a.startsWith(QLatin1Char('-'))
                                && (a[1].isLetter() || a[1] == QLatin1Char('-'));
        if (a.startsWith(QLatin1Char('-')) && a.size() > 1 && !optionLike) {
            const QString placeholder = QStringLiteral("\x01%1").arg(m_hidden.size());
            m_hidden.insert(placeholder, a);
            words << placeholder;
        } else {
            words << a;
        }
    }
    if (!m_parser.parse(words))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        std::fputs(m_usage.constData(), stdout);
        return Success;
    }
    const QStringList rest = positional();
    if (rest.size() > maxPositional)
        return usageError(QStringLiteral("unexpected '%1'").arg(rest.value(maxPositional)));
    if (rest.size() < minPositional) {
        std::fputs(m_usage.constData(), stderr);
        return BadInput;
    }
    return std::nullopt;
}

QString CommandLine::restore(const QString &word) const
{
    return m_hidden.value(word, word);
}

QString CommandLine::value(const QString &name) const
{
    return restore(m_parser.value(name));
}

QStringList CommandLine::values(const QString &name) const
{
    QStringList out;
    for (const QString &w : m_parser.values(name))
        out << restore(w);
    return out;
}

QStringList CommandLine::positional() const
{
    QStringList out;
    for (const QString &w : m_parser.positionalArguments())
        out << restore(w);
    return out;
}

int CommandLine::usageError(const QString &message) const
{
    std::fprintf(stderr, "switchboard-run %s: %s\n%s", m_command.constData(),
                 qPrintable(message), m_usage.constData());
    return BadInput;
}

} // namespace sb::cli
