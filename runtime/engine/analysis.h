#pragma once

// Figures computed from what the engine recorded: SLA attainment between two milestones
// (from journal timestamps) and reconciliation of one entity across two systems.

#include "model/project.h"
#include "model/result.h"
#include "runtime/store/store.h"

#include <QString>
#include <QVector>

#include <nlohmann/json.hpp>

namespace sb::runtime {

struct SlaReport
{
    QString slaId;
    int measured = 0;        // instances that reached both milestones
    int met = 0;             // ... within the target
    int pending = 0;         // reached the start, not the end, still running or waiting
    double targetPercent = 0;
    double metPercent() const { return measured ? 100.0 * met / measured : 100.0; }
    bool ok() const { return metPercent() >= targetPercent; }
    QVector<qint64> durationsMs;
};

// Start milestone "trigger" is the instance's first journal entry; others are a step's
// first Result entry. Journal payloads carry the engine's (possibly virtual) time in "at".
Result<SlaReport> measureSla(const model::Sla &sla, const Store &store);

struct ReconciliationReport
{
    QString id;
    int left = 0;
    int right = 0;
    int matched = 0;
    QStringList leftOnly;    // keys missing on the right
    QStringList rightOnly;
    QStringList duplicatesLeft;
    QStringList duplicatesRight;
    QStringList outOfSequence; // the owner's (left) record is older than the replica's
    // {key, field (left name), left, right} per mismatched field
    nlohmann::ordered_json mismatches = nlohmann::ordered_json::array();
    nlohmann::ordered_json toJson() const;
};

// Compares two record sets by key; dotted field paths reach into objects.
ReconciliationReport reconcile(const model::Reconciliation &spec,
                               const QVector<nlohmann::ordered_json> &left,
                               const QVector<nlohmann::ordered_json> &right);

} // namespace sb::runtime
