#pragma once

// The mapping editor's state: which mapping is open, its source and target schema trees,
// its rules (and the lines drawn between the trees), the selected rule with its JSONata
// syntax errors, its value map, and a live preview of the output for a sample record taken
// from the project's data sets, run through the runtime's MappingExecutor. All edits are
// undoable Document edits; typing in one field of one rule merges into one undo step.

#include "app/shell/findingsmodel.h"
#include "app/mappings/mappingmodels.h"
#include "model/document.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <vector>

class MappingEditor : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ documentObject WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(FindingsModel *findings READ findings WRITE setFindings NOTIFY findingsChanged)
    Q_PROPERTY(MappingListModel *mappings READ mappings CONSTANT)
    Q_PROPERTY(MappingTreeModel *sourceTree READ sourceTree CONSTANT)
    Q_PROPERTY(MappingTreeModel *targetTree READ targetTree CONSTANT)
    Q_PROPERTY(MappingRulesModel *rules READ rules CONSTANT)
    Q_PROPERTY(ValueMapModel *valueMapEntries READ valueMapEntries CONSTANT)
    Q_PROPERTY(QString mappingId READ mappingId WRITE setMappingId NOTIFY mappingChanged)
    Q_PROPERTY(QString mappingName READ mappingName NOTIFY contentChanged)
    Q_PROPERTY(QString sourceLabel READ sourceLabel NOTIFY contentChanged)
    Q_PROPERTY(QString targetLabel READ targetLabel NOTIFY contentChanged)
    Q_PROPERTY(QString sourceSystem READ sourceSystem NOTIFY contentChanged)
    Q_PROPERTY(QString targetSystem READ targetSystem NOTIFY contentChanged)
    Q_PROPERTY(QString mappingCondition READ mappingCondition NOTIFY contentChanged)
    Q_PROPERTY(int unmappedRequired READ unmappedRequired NOTIFY contentChanged)
    Q_PROPERTY(int ruleCount READ ruleCount NOTIFY contentChanged)
    Q_PROPERTY(QStringList valueMapNames READ valueMapNames NOTIFY contentChanged)
    // The selected rule (-1: none) and its parts.
    Q_PROPERTY(int selectedRule READ selectedRule WRITE setSelectedRule
                   NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString ruleTarget READ ruleTarget NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString expression READ expression NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString condition READ condition NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString defaultValue READ defaultValue NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString ruleDescription READ ruleDescription NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString ruleValueMap READ ruleValueMap NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString valueMapFallback READ valueMapFallback NOTIFY selectedRuleChanged)
    Q_PROPERTY(bool valueMapHasFallback READ valueMapHasFallback NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString expressionError READ expressionError NOTIFY selectedRuleChanged)
    Q_PROPERTY(int expressionErrorPosition READ expressionErrorPosition
                   NOTIFY selectedRuleChanged)
    Q_PROPERTY(QString conditionError READ conditionError NOTIFY selectedRuleChanged)
    Q_PROPERTY(int conditionErrorPosition READ conditionErrorPosition
                   NOTIFY selectedRuleChanged)
    // Preview.
    Q_PROPERTY(int sampleCount READ sampleCount NOTIFY samplesChanged)
    Q_PROPERTY(int sampleIndex READ sampleIndex WRITE setSampleIndex NOTIFY previewChanged)
    Q_PROPERTY(QString sampleSource READ sampleSource NOTIFY samplesChanged)
    Q_PROPERTY(QString sampleLabel READ sampleLabel NOTIFY previewChanged)
    Q_PROPERTY(QStringList sampleLabels READ sampleLabels NOTIFY samplesChanged)
    Q_PROPERTY(QString sampleHtml READ sampleHtml NOTIFY previewChanged)
    // Samples the author added (pasted, loaded or picked) for the open mapping's source, and
    // why the last attempt to add some failed.
    Q_PROPERTY(bool hasCustomSamples READ hasCustomSamples NOTIFY samplesChanged)
    Q_PROPERTY(QString sampleError READ sampleError NOTIFY samplesChanged)
    Q_PROPERTY(QString previewHtml READ previewHtml NOTIFY previewChanged)
    Q_PROPERTY(QString previewJson READ previewJson NOTIFY previewChanged)
    Q_PROPERTY(QStringList previewErrors READ previewErrors NOTIFY previewChanged)
    Q_PROPERTY(QStringList previewMissing READ previewMissing NOTIFY previewChanged)
    Q_PROPERTY(bool previewApplied READ previewApplied NOTIFY previewChanged)

public:
    explicit MappingEditor(QObject *parent = nullptr);
    ~MappingEditor() override;

    // A line between the trees: rule `rule` reads source row `sourceRow` into `targetRow`.
    struct Line
    {
        int rule = -1;
        int sourceRow = -1;
        int targetRow = -1;
        QString problem;     // error, warning, or empty
    };
    const std::vector<Line> &lines() const { return m_lines; }

    QObject *documentObject() const { return m_document; }
    sb::model::Document *document() const { return m_document; }
    void setDocument(QObject *document);
    FindingsModel *findings() const { return m_findings; }
    void setFindings(FindingsModel *findings);
    MappingListModel *mappings() { return &m_mappings; }
    MappingTreeModel *sourceTree() { return &m_source; }
    MappingTreeModel *targetTree() { return &m_target; }
    MappingRulesModel *rules() { return &m_rules; }
    ValueMapModel *valueMapEntries() { return &m_valueMap; }

    QString mappingId() const { return m_mappingId; }
    void setMappingId(const QString &id);
    QString mappingName() const;
    QString sourceLabel() const;
    QString targetLabel() const;
    QString sourceSystem() const;
    QString targetSystem() const;
    QString mappingCondition() const;
    int unmappedRequired() const { return m_unmappedRequired; }
    int ruleCount() const { return m_rules.rowCount(); }
    QStringList valueMapNames() const;

    int selectedRule() const { return m_selectedRule; }
    void setSelectedRule(int rule);
    QString ruleTarget() const;
    QString expression() const;
    QString condition() const;
    QString defaultValue() const;
    QString ruleDescription() const;
    QString ruleValueMap() const;
    QString valueMapFallback() const;
    bool valueMapHasFallback() const;
    QString expressionError() const { return m_exprError; }
    int expressionErrorPosition() const { return m_exprErrorPos; }
    QString conditionError() const { return m_condError; }
    int conditionErrorPosition() const { return m_condErrorPos; }

    int sampleCount() const { return int(m_samples.size()); }
    int sampleIndex() const { return m_sampleIndex; }
    void setSampleIndex(int index);
    QString sampleSource() const { return m_sampleSource; }
    QString sampleLabel() const;
    QStringList sampleLabels() const { return m_sampleLabels; }
    QString sampleHtml() const;
    bool hasCustomSamples() const;
    QString sampleError() const { return m_sampleError; }
    QString previewHtml() const { return m_previewHtml; }
    QString previewJson() const { return m_previewJson; }
    QStringList previewErrors() const { return m_previewErrors; }
    QStringList previewMissing() const { return m_previewMissing; }
    bool previewApplied() const { return m_previewApplied; }

    // Sample input for the preview, kept for the source entity while the studio runs (not in
    // the project): a pasted object, array of objects or JSON Lines; a .json, .jsonl or .csv
    // file (path or file: URL); or a record of any data set (others than the source's own
    // come through a mapping that feeds the source, if one does). False with sampleError.
    Q_INVOKABLE bool pasteSamples(const QString &text);
    Q_INVOKABLE bool loadSampleFile(const QString &pathOrUrl);
    // [{id, label}] of every data set of the project.
    Q_INVOKABLE QVariantList datasetChoices() const;
    Q_INVOKABLE QStringList datasetRecordLabels(const QString &datasetId) const;
    Q_INVOKABLE bool useDatasetRecord(const QString &datasetId, int index);
    Q_INVOKABLE void clearCustomSamples();

    // JSONata syntax check: {ok, code, message, position}.
    Q_INVOKABLE QVariantMap checkSyntax(const QString &expression) const;
    // [{system, entity, label}] of every system entity and canonical entity (system empty).
    Q_INVOKABLE QVariantList entityChoices() const;

    // Edits (each one undoable). Index arguments are rule indexes.
    Q_INVOKABLE QString addMapping(const QString &sourceSystem, const QString &sourceEntity,
                                   const QString &targetSystem, const QString &targetEntity,
                                   const QString &name = QString());
    Q_INVOKABLE bool removeMapping(const QString &id);
    // Maps a source field onto a target field (expression = the source path); a target that
    // already has a rule gets its expression replaced. Returns the rule index, -1 on error.
    Q_INVOKABLE int addRule(const QString &sourcePath, const QString &targetPath);
    // A rule for a target field with no source yet (a constant or computed value), selected.
    Q_INVOKABLE int addTargetRule(const QString &targetPath);
    Q_INVOKABLE bool removeRule(int index);
    Q_INVOKABLE bool setExpression(int index, const QString &text);
    Q_INVOKABLE bool setCondition(int index, const QString &text);
    Q_INVOKABLE bool setDefault(int index, const QString &text);
    // Why the rule is there, for the next reader.
    Q_INVOKABLE bool setRuleDescription(int index, const QString &text);
    Q_INVOKABLE bool setRuleValueMap(int index, const QString &name);
    Q_INVOKABLE bool setMappingCondition(const QString &text);
    // Value map of the selected rule; creating one attaches it to the selected rule.
    Q_INVOKABLE QString createValueMap(const QString &name);
    Q_INVOKABLE bool setValueMapEntry(int row, const QString &from, const QString &to);
    Q_INVOKABLE bool addValueMapEntry(const QString &from = QString(),
                                      const QString &to = QString());
    Q_INVOKABLE bool removeValueMapEntry(int row);
    Q_INVOKABLE bool setValueMapFallback(bool enabled, const QString &fallback);
    // Ends the current typing merge group (a field lost focus).
    Q_INVOKABLE void endEdit();
    // Recomputes the preview now (normally debounced after edits).
    Q_INVOKABLE void updatePreview();
    // Hides or shows the children of an object or array field in one of the trees.
    Q_INVOKABLE void toggleCollapsed(bool source, const QString &path);
    // Rule index of the line touching target row / source row, -1 if none.
    Q_INVOKABLE int ruleForTargetRow(int row) const;
    // The address of rule `index` of the current mapping, for StudioController.select().
    Q_INVOKABLE QString ruleElement(int index) const;

signals:
    void documentChanged();
    void findingsChanged();
    void mappingChanged();
    void contentChanged();
    void selectedRuleChanged();
    void samplesChanged();
    void previewChanged();
    void linesChanged();

private:
    const sb::model::Mapping *mapping() const;
    const QVector<sb::model::Field> *fieldsOf(const sb::model::EntityRef &ref) const;
    void refresh();
    // The open mapping; opens the first one when none (or a vanished one) is chosen.
    const sb::model::Mapping *openMapping();
    // Fills the mapping list; returns the findings of each rule of `m` by rule index.
    QHash<int, QVector<const sb::model::Finding *>> refreshMappingList(
        const sb::model::Mapping *m);
    void refreshSelection();
    void loadSamples();
    QString datasetFile(const sb::model::Dataset &d) const;
    std::vector<nlohmann::ordered_json> datasetRecords(const QString &datasetId,
                                                       QString *origin) const;
    bool setCustomSamples(std::vector<nlohmann::ordered_json> records, const QString &origin,
                          int start);
    bool commit(const sb::model::Mapping &m, const QString &text,
                const QString &mergeKey = QString());
    // The rule setters' shared body: checks `index`, lets `edit` change a copy of the rule
    // (it returns the undo text) and commits it; typing into the same `part` of the rule
    // merges into one undo step.
    bool editRule(int index, const QString &part,
                  const std::function<QString(sb::model::MappingRule &)> &edit);
    sb::model::ValueMap *selectedValueMap(sb::model::Mapping &m) const;
    QString projectDir() const;

    QPointer<sb::model::Document> m_document;
    QPointer<FindingsModel> m_findings;
    MappingListModel m_mappings;
    MappingTreeModel m_source;
    MappingTreeModel m_target;
    MappingRulesModel m_rules;
    ValueMapModel m_valueMap;
    QString m_mappingId;
    int m_selectedRule = -1;
    QString m_exprError;
    int m_exprErrorPos = -1;
    QString m_condError;
    int m_condErrorPos = -1;
    int m_unmappedRequired = 0;
    std::vector<Line> m_lines;
    QSet<QString> m_collapsedSource;
    QSet<QString> m_collapsedTarget;

    // Preview.
    QTimer m_previewTimer;
    std::vector<nlohmann::ordered_json> m_samples;
    QStringList m_sampleLabels;
    QString m_sampleSource;
    QString m_samplesKey;    // what the samples were loaded for
    int m_sampleIndex = 0;
    struct CustomSamples
    {
        std::vector<nlohmann::ordered_json> records;
        QString origin;
        int start = 0;
    };
    QHash<QString, CustomSamples> m_customSamples;   // by source entity (display form)
    int m_customRevision = 0;
    QString m_sampleError;
    QString m_previewHtml;
    QString m_previewJson;
    QStringList m_previewErrors;
    QStringList m_previewMissing;
    bool m_previewApplied = true;
};
