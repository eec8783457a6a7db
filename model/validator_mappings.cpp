// Validation rules for mappings: sources, targets, rule types, required fields, value maps.
#include "model/validatordetail.h"

namespace sb::model::validatordetail {

QString Validator::mappingLabel(const Mapping &m)
{
    return QStringLiteral("Mapping %1").arg(quoted(m.name.isEmpty() ? m.id : m.name));
}

void Validator::checkMapping(const Mapping &m)
{
    const Where mw{QStringLiteral("mapping:") + m.id, mappingLabel(m),
                   QStringLiteral("Mapping ") + named(m.name, m.id)};
    const QString &what = mw.what;
    auto mappingWhere = [&mw]() -> const Where & { return mw; };
    const Resolved src = resolve(m.source.system, m.source.entity, mappingWhere,
                                 QStringLiteral(" (source)"));
    const Resolved tgt = resolve(m.target.system, m.target.entity, mappingWhere,
                                 QStringLiteral(" (target)"));
    const FieldIndex *srcIdx = src.fields ? &indexOf(*src.fields) : nullptr;
    const FieldIndex *tgtIdx = tgt.fields ? &indexOf(*tgt.fields) : nullptr;

    QSet<QString> valueMaps;
    for (const ValueMap &v : m.valueMaps)
        valueMaps.insert(v.name);

    QSet<QString> mapped;   // normalized targets of rules that produce a value
    QSet<QString> prefixes; // every proper prefix of those targets
    for (qsizetype i = 0; i < m.rules.size(); ++i) {
        const MappingRule &rule = m.rules[i];
        const auto at = lazyWhere([&mw, i] {
            return Where{mw.element + QStringLiteral("/rule:") + QString::number(i),
                         mw.display + QStringLiteral(", rule ") + QString::number(i + 1),
                         mw.what};
        });
        const QString target = normalizePath(rule.target);
        if (!rule.expression.trimmed().isEmpty() || !rule.defaultValue.isEmpty()) {
            mapped.insert(target);
            for (int dot = target.indexOf(QLatin1Char('.')); dot > 0;
                 dot = target.indexOf(QLatin1Char('.'), dot + 1))
                prefixes.insert(target.left(dot));
        }

        if (!rule.valueMap.isEmpty() && !valueMaps.contains(rule.valueMap)) {
            add(UnknownValueMap, at(),
                QStringLiteral("%1 rule for %2 uses value map %3, which the mapping does "
                               "not define")
                    .arg(what, quoted(rule.target), quoted(rule.valueMap)));
        }

        PathEntry tf;
        if (tgtIdx) {
            tf = tgtIdx->byPath.value(target);
            if (!tf.field) {
                add(UnknownField, at(),
                    QStringLiteral("%1 targets %2, which is not a field of %3")
                        .arg(what, quoted(rule.target), tgt.label));
            }
        }

        const QString sourcePath = plainPath(rule.expression);
        PathEntry sf;
        if (srcIdx && !sourcePath.isEmpty()) {
            sf = srcIdx->byPath.value(sourcePath);
            // Inside an array the expression may be relative to the source item.
            const bool inArray = rule.target.contains(QLatin1String("[]")) || tf.throughArray;
            if (!sf.field && inArray)
                sf = srcIdx->inItems.value(sourcePath);
            if (!sf.field) {
                add(UnknownField, at(),
                    QStringLiteral("%1 rule for %2 reads %3, which is not a field of %4")
                        .arg(what, quoted(rule.target), quoted(sourcePath), src.label));
            }
        }

        if (sf.field && tf.field && rule.valueMap.isEmpty())
            checkTypes(m, rule, sf, tf, src.label, tgt.label, at());

        if (tf.field && !m.target.isCanonical()
            && (!tf.field->canonical.isEmpty() || !tf.field->fields.isEmpty())) {
            QStringList links;
            canonicalLinks(*tf.field, links);
            for (const QString &link : links) {
                const QString why = writeViolation(link, m.target.system);
                if (why.isEmpty())
                    continue;
                // Concatenation, not arg(): this message can be made 10,000 times.
                addWrite(at(),
                         what % QLatin1String(" writes ") % link % QLatin1String(" (")
                             % tgt.label % QLatin1Char('.') % target
                             % QLatin1String(") into ") % systemNamed(m.target.system)
                             % QLatin1String(", ") % why,
                         link, m.target.system);
            }
        }
    }

    // A partial mapping (a PATCH body) requires only what it maps.
    if (tgt.fields && !m.partial && !m_partialByUse.contains(m.id))
        checkRequired(*tgt.fields, QString(), mapped, prefixes, mw, tgt.label);
}

void Validator::checkTypes(const Mapping &m, const MappingRule &rule, const PathEntry &sf,
                           const PathEntry &tf, const QString &srcLabel, const QString &tgtLabel,
                           const Where &where)
{
    FieldType from = sf.field->type;
    FieldType to = tf.field->type;
    const bool targetInArray = tf.throughArray || rule.target.contains(QLatin1String("[]"));
    const bool listOfLeaves = sf.throughArray && !targetInArray;
    if (listOfLeaves) {
        // A path through an array yields a list: only comparable with an array target.
        if (to != FieldType::Array)
            return;
        to = tf.field->itemType;
    } else if (from == FieldType::Array && to == FieldType::Array) {
        from = sf.field->itemType;
        to = tf.field->itemType;
    }
    if (assignable(from, to)) {
        if (!listOfLeaves)
            checkValues(m, rule, *sf.field, *tf.field, srcLabel, tgtLabel, where);
        return;
    }
    auto typeName = [](const Field &f) {
        return f.type == FieldType::Array
                   ? QStringLiteral("array of %1").arg(toString(f.itemType))
                   : toString(f.type);
    };
    const QString fromName = listOfLeaves
                                 ? QStringLiteral("list of %1").arg(toString(from))
                                 : typeName(*sf.field);
    add(TypeMismatch, where,
        QStringLiteral("Mapping %1 copies %2.%3 (%4) into %5.%6 (%7) without a "
                       "conversion")
            .arg(named(m.name, m.id), srcLabel, plainPath(rule.expression), fromName,
                 tgtLabel,
                 normalizePath(rule.target), typeName(*tf.field)));
}

namespace {

// The longest value a field can hold, from its declared length or from a format whose values
// all have one length; 0 when unknown (then nothing is claimed).
int knownMaxLength(const Field &f)
{
    if (f.maxLength > 0)
        return f.maxLength;
    if (f.type == FieldType::Date)
        return 10;
    static const QHash<QString, int> byFormat = {{QStringLiteral("uuid"), 36},
                                                 {QStringLiteral("iso-country"), 2},
                                                 {QStringLiteral("iso-currency"), 3},
                                                 {QStringLiteral("date"), 10}};
    return byFormat.value(f.format.toLower(), 0);
}

bool isText(FieldType t) { return t == FieldType::String || t == FieldType::Enum; }

} // namespace

// What a direct copy between assignable types can still get wrong: values too long for the
// target, another string format, enumeration values the target does not accept.
void Validator::checkValues(const Mapping &m, const MappingRule &rule, const Field &from,
                            const Field &to, const QString &srcLabel, const QString &tgtLabel,
                            const Where &where)
{
    const QString copies = QStringLiteral("Mapping %1 copies %2.%3").arg(
        named(m.name, m.id), srcLabel, plainPath(rule.expression));
    const QString into = tgtLabel + QLatin1Char('.') + normalizePath(rule.target);
    const int longest = knownMaxLength(from);
    if (isText(to.type) && to.maxLength > 0 && longest > to.maxLength) {
        add(LengthMismatch, where,
            QStringLiteral("%1 (up to %2 characters) into %3 (at most %4); longer values are "
                           "refused by the target")
                .arg(copies).arg(longest).arg(into).arg(to.maxLength));
    }
    if (!from.format.isEmpty() && !to.format.isEmpty()
        && from.format.compare(to.format, Qt::CaseInsensitive) != 0) {
        add(FormatMismatch, where,
            QStringLiteral("%1 (format %2) into %3 (format %4) without a conversion")
                .arg(copies, from.format, into, to.format));
    }
    if (from.type == FieldType::Enum && to.type == FieldType::Enum && !to.enumValues.isEmpty()) {
        QStringList missing;
        for (const QString &v : from.enumValues) {
            if (!to.enumValues.contains(v))
                missing << v;
        }
        if (!missing.isEmpty()) {
            for (QString &v : missing)
                v = quoted(v);
            add(EnumMismatch, where,
                QStringLiteral("%1 into %2, which does not accept %3; add a value map")
                    .arg(copies, into, missing.join(QStringLiteral(", "))));
        }
    }
}

void Validator::checkRequired(const QVector<Field> &fields, const QString &prefix,
                              const QSet<QString> &mapped, const QSet<QString> &prefixes,
                              const Where &where, const QString &tgtLabel)
{
    for (const Field &f : fields) {
        const QString path = prefix.isEmpty() ? f.name : prefix + QLatin1Char('.') + f.name;
        if (mapped.contains(path))
            continue; // mapped as a whole: its children come with it
        const bool viaChildren = prefixes.contains(path);
        if (viaChildren) {
            checkRequired(f.fields, path, mapped, prefixes, where, tgtLabel);
            continue;
        }
        if (f.required)
            add(RequiredUnmapped, where,
                QStringLiteral("%1 leaves required field %2.%3 unmapped (no rule and no "
                               "default)")
                    .arg(where.what, tgtLabel, path));
    }
}

} // namespace sb::model::validatordetail
