#!/usr/bin/env bash
# qmllint over every QML file of the studio (app/) and the shared controls (qml/), with the
# modules of a build (BUILD/qml: each module's qmldir and qmltypes). Exits non-zero on a syntax
# error or an enforced warning. Run by CTest as `qmllint` (label lint).
#
# Enforced (each is a real bug when it fires, and none fires today): syntax, signal handlers
# that match no signal, required properties left unset, broken aliases, deprecated API,
# inheritance cycles, `with`, and qmllint plugins.
# Reported only, with why:
# - type, property, import: the studio's C++ types come from static QML modules whose qmldir
#   does not declare `depends QtQuick` / `depends QtQml.Models`, so qmllint 6.4 cannot resolve
#   their bases (QQuickPaintedItem, QAbstractItemModel) and then reports every property of
#   them as unknown. Adding DEPENDENCIES to each qt_add_qml_module is the way to enforce these.
# - unqualified: delegates read their model's roles and their page's ids by name, which
#   qmllint 6.4 cannot check (a C++ model's roleNames() is not in its qmltypes).
# - deferred-property-id: ids inside a Popup's contentItem, the Qt Quick Controls idiom.
#
# usage: scripts/qmllint.sh BUILD_DIR [QMLLINT]
set -uo pipefail
build=${1:?usage: scripts/qmllint.sh BUILD_DIR [QMLLINT]}
qmllint=${2:-/usr/lib/qt6/bin/qmllint}
cd "$(dirname "$0")/.."

[ -x "$qmllint" ] || { echo "qmllint.sh: $qmllint is missing" >&2; exit 2; }
[ -d "$build/qml" ] || { echo "qmllint.sh: $build/qml is missing (build the studio)" >&2; exit 2; }

enforced=(signal required alias deprecated inheritance-cycle with plugin)
reported=(type property import unqualified deferred-property-id)
options=()
for category in "${enforced[@]}"; do options+=("--$category" warning); done
for category in "${reported[@]}"; do options+=("--$category" info); done

mapfile -t files < <(find app qml -name '*.qml' | sort)
"$qmllint" -I "$build/qml" "${options[@]}" "${files[@]}"
