#!/usr/bin/env bash
# Builds the Debian packages and the tarball with CPack from a built tree, unpacks them into
# a scratch root and checks what an installation would get: the file list, package
# dependencies (the runner must install on a server without Qt Gui/Quick/Qml), the
# installed runner working on the installed example, and the desktop integration files
# passing desktop-file-validate and appstreamcli.
#
# usage: check-packages.sh BUILD_DIR SOURCE_DIR STUDIO(0|1)
#   STUDIO=1 when the build has the studio target: then the `switchboard` package is
#   expected too (set by tests/packaging/CMakeLists.txt from if(TARGET switchboard)).
# Exit 0 when every check passes, 1 when any fails, 2 on bad usage or a missing tool.
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR STUDIO(0|1)" >&2
  exit 2
fi
build="$(cd "$1" && pwd)" || exit 2
source_dir="$(cd "$2" && pwd)" || exit 2
studio="$3"

failures=0
pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }
section() { echo; echo "== $*"; }

for tool in cpack dpkg-deb dpkg-shlibdeps ldd tar file desktop-file-validate appstreamcli \
            xmllint update-mime-database python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-packages: the tool '$tool' is missing; run scripts/install-deps.sh" >&2
    exit 2
  fi
done
if [ ! -f "$build/CPackConfig.cmake" ]; then
  echo "check-packages: $build/CPackConfig.cmake not found: configure the build first" >&2
  exit 2
fi

scratch="$build/packaging-check"
rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/root" "$scratch/tgz"

# ---------------------------------------------------------------------------------------
section "cpack (DEB and TGZ) into $scratch/out"
if (cd "$scratch" && cpack --config "$build/CPackConfig.cmake" -B "$scratch/out" -G "DEB;TGZ") \
    >"$scratch/cpack.log" 2>&1; then
  pass "cpack finished"
else
  echo "  --- last lines of $scratch/cpack.log:"
  tail -n 40 "$scratch/cpack.log" | sed 's/^/      /'
  fail "cpack failed"
  echo; echo "packaging: FAILED ($failures)"; exit 1
fi

runner_deb=$(ls "$scratch"/out/switchboard-runner_*.deb 2>/dev/null | head -n1)
studio_deb=$(ls "$scratch"/out/switchboard_*.deb 2>/dev/null | head -n1)
tgz=$(ls "$scratch"/out/switchboard-*.tar.gz 2>/dev/null | head -n1)
echo "  produced:"; ls -l "$scratch"/out/*.deb "$scratch"/out/*.tar.gz 2>/dev/null | sed 's/^/      /'

[ -n "$runner_deb" ] && pass "runner package $(basename "$runner_deb")" \
  || fail "no switchboard-runner_*.deb produced"
[ -n "$tgz" ] && pass "tarball $(basename "$tgz")" || fail "no switchboard-*.tar.gz produced"
if [ "$studio" = 1 ]; then
  [ -n "$studio_deb" ] && pass "studio package $(basename "$studio_deb")" \
    || fail "no switchboard_*.deb (studio) produced"
else
  echo "  note  the build has no studio target (SWITCHBOARD_BUILD_STUDIO=OFF): studio checks skipped"
  studio_deb=""
fi

if [ -z "$runner_deb" ] || [ -z "$tgz" ] || { [ "$studio" = 1 ] && [ -z "$studio_deb" ]; }; then
  echo "  --- cpack output ($scratch/cpack.log):"
  tail -n 20 "$scratch/cpack.log" | sed 's/^/      /'
  echo; echo "packaging: FAILED ($failures): a package is missing, nothing further to check"
  exit 1
fi

root="$scratch/root"
for deb in $runner_deb $studio_deb; do
  if ! dpkg-deb -x "$deb" "$root"; then fail "dpkg-deb -x $(basename "$deb")"; fi
done
if [ -n "$tgz" ]; then
  tar -xzf "$tgz" -C "$scratch/tgz" || fail "tar -xzf $(basename "$tgz")"
fi

# ---------------------------------------------------------------------------------------
section "file list"
expect_file() {  # expect_file PATH-IN-ROOT [exec]
  local p="$root/$1"
  if [ ! -f "$p" ]; then fail "missing /$1"; return; fi
  if [ "${2:-}" = exec ] && [ ! -x "$p" ]; then fail "/$1 is not executable"; return; fi
  pass "/$1"
}
expect_file usr/bin/switchboard-run exec
expect_file usr/lib/systemd/system/switchboard-runner.service
expect_file usr/lib/systemd/system/switchboard-runner-pg.service
expect_file usr/share/switchboard/runner.env.example
example=usr/share/switchboard/templates/quote-to-cash/quote-to-cash.switchboard
expect_file "$example"
if ls "$root"/usr/share/switchboard/templates/quote-to-cash/data/*.jsonl >/dev/null 2>&1; then
  pass "/usr/share/switchboard/templates/quote-to-cash/data/*.jsonl"
else
  fail "no data/*.jsonl in /usr/share/switchboard/templates/quote-to-cash"
fi
expect_file usr/share/switchboard/templates/employee-onboarding/employee-onboarding.switchboard
expect_file usr/share/switchboard/templates/employee-onboarding/data/hr-hires.jsonl
stray=$(cd "$root/usr/share/switchboard/templates" 2>/dev/null && \
        find . \( -name 'README*' -o -name '*.py' -o -name '*.sh' -o -name 'CMakeLists.txt' \) -print)
[ -z "$stray" ] && pass "templates hold no READMEs or generator scripts" \
  || fail "templates contain files that should be excluded: $stray"

if [ "$studio" = 1 ]; then
  expect_file usr/bin/switchboard exec
  expect_file usr/share/applications/org.switchboard.Switchboard.desktop
  expect_file usr/share/metainfo/org.switchboard.Switchboard.metainfo.xml
  expect_file usr/share/mime/packages/switchboard.xml
  expect_file usr/share/icons/hicolor/scalable/apps/switchboard.svg
  expect_file usr/share/icons/hicolor/scalable/mimetypes/application-x-switchboard-project.svg
  for size in 16 22 24 32 48 64 128 256 512; do
    png="usr/share/icons/hicolor/${size}x${size}/apps/switchboard.png"
    if [ ! -f "$root/$png" ]; then fail "missing /$png"; continue; fi
    if file -b "$root/$png" | grep -q "PNG image data, $size x $size"; then
      pass "/$png ($size x $size)"
    else
      fail "/$png is not a $size x $size PNG: $(file -b "$root/$png")"
    fi
  done
  # Nothing of the studio may leak into the runner package and vice versa.
  if dpkg-deb -c "$runner_deb" | grep -Eq '/usr/bin/switchboard$|/share/applications/'; then
    fail "the runner package contains studio files"
  else
    pass "runner package holds no studio files"
  fi
  if dpkg-deb -c "$studio_deb" | grep -Eq 'switchboard-run$|/templates/'; then
    fail "the studio package contains runner files (they belong to switchboard-runner)"
  else
    pass "studio package holds no runner files"
  fi
fi
for deb in $runner_deb $studio_deb; do
  bad_owner=$(dpkg-deb -c "$deb" | awk '$2 != "root/root" {print $6}')
  [ -z "$bad_owner" ] && pass "$(basename "$deb"): every file owned by root/root" \
    || fail "$(basename "$deb"): files not owned by root: $bad_owner"
done

if [ -n "$tgz" ]; then
  top=$(ls "$scratch/tgz" | head -n1)
  for p in bin/switchboard-run lib/systemd/system/switchboard-runner.service \
           share/switchboard/templates/quote-to-cash/quote-to-cash.switchboard; do
    [ -f "$scratch/tgz/$top/$p" ] && pass "tarball: $top/$p" || fail "tarball lacks $top/$p"
  done
  if [ "$studio" = 1 ]; then
    for p in bin/switchboard share/applications/org.switchboard.Switchboard.desktop \
             share/icons/hicolor/scalable/apps/switchboard.svg; do
      [ -f "$scratch/tgz/$top/$p" ] && pass "tarball: $top/$p" || fail "tarball lacks $top/$p"
    done
  fi
fi

# ---------------------------------------------------------------------------------------
section "package metadata and dependencies"
runner_depends=$(dpkg-deb -f "$runner_deb" Depends 2>/dev/null)
echo "  switchboard-runner Depends: $runner_depends"
if [ -z "$runner_depends" ]; then
  fail "the runner package has no Depends: dpkg-shlibdeps did not run"
elif echo "$runner_depends" | grep -q 'libqt6core6'; then
  pass "runner Depends computed by shlibdeps (has libqt6core6)"
else
  fail "runner Depends lacks libqt6core6: was it computed by dpkg-shlibdeps?"
fi
if echo "$runner_depends" | grep -Eiq 'libqt6(gui|quick|qml|widgets|svg)|qml6-module|libgl|libx11|libxcb|libwayland'; then
  fail "the runner package depends on a GUI library: $runner_depends"
else
  pass "runner Depends has no libqt6gui/libqt6quick/libqt6qml/qml6-module/X11/GL"
fi
# A server install must not pull the GUI stack in through a library's own dependencies.
if command -v apt-cache >/dev/null 2>&1; then
  runner_names=$(echo "$runner_depends" | tr ',|' '\n\n' | sed 's/(.*//; s/^ *//; s/ *$//')
  gui=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
          --no-replaces --no-enhances $runner_names 2>/dev/null | grep -v '^ ' | sort -u \
        | grep -E '^(libqt6(gui|quick|qml|widgets|opengl)6|libx11-6|libxcb1|libgl1|libegl1|libwayland-client0)$' \
        | tr '\n' ' ')
  [ -z "$gui" ] && pass "runner dependency closure (apt-cache depends --recurse) has no GUI library" \
    || fail "installing the runner would pull in GUI libraries: $gui"
fi
for script in postinst prerm postrm; do
  if dpkg-deb -I "$runner_deb" "$script" >/dev/null 2>&1; then
    pass "runner package has a $script script"
  else
    fail "runner package lacks its $script script"
  fi
done
if [ "$studio" = 1 ]; then
  studio_depends=$(dpkg-deb -f "$studio_deb" Depends 2>/dev/null)
  runner_version=$(dpkg-deb -f "$runner_deb" Version)
  echo "  switchboard Depends: $studio_depends"
  echo "$studio_depends" | grep -Fq "switchboard-runner (= $runner_version)" \
    && pass "studio depends on switchboard-runner (= $runner_version)" \
    || fail "studio Depends lacks 'switchboard-runner (= $runner_version)'"
  echo "$studio_depends" | grep -q 'libqt6quick6' \
    && pass "studio Depends computed by shlibdeps (has libqt6quick6)" \
    || fail "studio Depends lacks libqt6quick6: was it computed by dpkg-shlibdeps?"
  echo "$studio_depends" | grep -q 'libqt6svg6' \
    && pass "studio depends on libqt6svg6 (qsvg plugin for its SVG icons)" \
    || fail "studio Depends lacks libqt6svg6: its SVG icons need the qsvg image plugin"
  # Every QML module the studio loads must come from a package the studio depends on
  # (directly, or through one of the packages it names): shlibdeps cannot see QML imports.
  # qmlimportscanner resolves the imports of qml/*.qml and app/*/*.qml recursively through the modules they
  # pull in; modules Qt's own C++ loads behind an import are scanned as extra roots (the
  # Quick file dialog's implementation imports Qt.labs.folderlistmodel, and without it
  # every file dialog crashes the studio).
  qml_root=$(qtpaths6 --query QT_INSTALL_QML 2>/dev/null || true)
  libexec=$(qtpaths6 --query QT_HOST_LIBEXECS 2>/dev/null || true)
  scanner=""
  for candidate in "$libexec/qmlimportscanner" /usr/lib/qt6/libexec/qmlimportscanner; do
    if [ -x "$candidate" ]; then scanner="$candidate"; break; fi
  done
  if [ -z "$qml_root" ] || [ ! -d "$qml_root" ]; then
    fail "cannot find the Qt QML import folder (qtpaths6 --query QT_INSTALL_QML)"
  elif [ -z "$scanner" ]; then
    fail "qmlimportscanner not found: install qt6-declarative-dev-tools (scripts/install-deps.sh)"
  else
    depends_names=$(echo "$studio_depends" | tr ',|' '\n\n' | sed 's/(.*//; s/^ *//; s/ *$//' | sort -u)
    closure="$depends_names"
    for pkg in $depends_names; do
      case $pkg in qml6-module-*)
        closure="$closure
$(dpkg-query -W -f='${Depends}' "$pkg" 2>/dev/null | tr ',|' '\n\n' | sed 's/(.*//; s/^ *//; s/ *$//; s/:any$//')";;
      esac
    done
    deps_script="$source_dir/scripts/install-deps.sh"
    modules_of() {  # modules_of ROOT: "name<TAB>path" of every module ROOT loads
      "$scanner" -rootPath "$1" -importPath "$qml_root" 2>/dev/null | python3 -c '
import json, sys
for entry in json.load(sys.stdin):
    if entry.get("type") == "module":
        print(entry.get("name", "") + "\t" + entry.get("path", ""))'
    }
    # Shared controls in qml/, each feature's QML beside its C++ in app/<feature>/.
    scanned=$( (modules_of "$source_dir/qml"; modules_of "$source_dir/app") | sort -u)
    if ! echo "$scanned" | grep -q '^QtQuick'$'\t'; then
      fail "qmlimportscanner found no QtQuick import in $source_dir/qml or app: scanner broken?"
    fi
    # Loaded by Qt's C++ behind an import, invisible to the scanner: import -> extra root.
    implicit=""
    if echo "$scanned" | grep -q '^QtQuick.Dialogs'$'\t'; then
      implicit="$implicit $qml_root/QtQuick/Dialogs/quickimpl"
    fi
    for root_dir in $implicit; do
      if [ -d "$root_dir" ]; then
        scanned="$scanned
$(modules_of "$root_dir")
$(basename "$root_dir")"$'\t'"$root_dir"
      else
        fail "Qt loads $root_dir implicitly but it is not on this system"
      fi
    done
    echo "$scanned" | grep -q '^Qt.labs.folderlistmodel'$'\t' \
      && pass "the scan reaches Qt.labs.folderlistmodel (loaded by the Quick file dialog)" \
      || fail "the scan misses Qt.labs.folderlistmodel, which the Quick file dialog loads"
    checked=""
    while IFS=$'\t' read -r module path; do
      [ -n "$module" ] || continue
      case $module in Switchboard|Switchboard.*) continue;; esac
      # No path: built into another module (QtQml.Models) or a style of another platform.
      [ -n "$path" ] || continue
      case " $checked " in *" $path "*) continue;; esac
      checked="$checked $path"
      qmldir="$path/qmldir"
      if [ ! -f "$qmldir" ]; then
        fail "QML module $module: no $qmldir on this system (is its package installed?)"
        continue
      fi
      owner=$(dpkg -S "$qmldir" 2>/dev/null | head -n1 | cut -d: -f1)
      if [ -z "$owner" ]; then
        fail "QML module $module: $qmldir belongs to no package"
      elif ! echo "$closure" | grep -qx "$owner"; then
        fail "QML module $module needs package $owner: add it to SB_STUDIO_QML_PACKAGES in installer/CMakeLists.txt"
      elif ! grep -qw -- "$owner" "$deps_script"; then
        fail "QML module $module needs package $owner: add it to scripts/install-deps.sh"
      else
        pass "QML module $module is provided by $owner"
      fi
    done <<<"$(echo "$scanned" | sort -u)"
  fi
fi

# apt resolves both packages together (catches a misspelt or missing dependency name).
if command -v apt-get >/dev/null 2>&1; then
  debs="$runner_deb $studio_deb"
  if out=$(cd "$scratch/out" && apt-get -s -q install --no-install-recommends \
             $(for d in $debs; do echo "./$(basename "$d")"; done) 2>&1); then
    pass "apt-get -s install resolves $(for d in $debs; do basename "$d"; done | tr '\n' ' ')"
  else
    echo "$out" | tail -n 15 | sed 's/^/      /'
    fail "apt-get -s install cannot resolve the packages' dependencies"
  fi
fi

# ---------------------------------------------------------------------------------------
section "installed binaries"
run="$root/usr/bin/switchboard-run"
if [ -x "$run" ]; then
  linked=$(ldd "$run" 2>&1)
  if echo "$linked" | grep -q 'not found'; then
    fail "switchboard-run has unresolved libraries: $(echo "$linked" | grep 'not found' | tr -s ' \t' ' ')"
  else
    pass "switchboard-run: every library resolves"
  fi
  if echo "$linked" | grep -Eq 'libQt6(Gui|Quick|Qml|Widgets|Svg)'; then
    fail "switchboard-run links a GUI library: $(echo "$linked" | grep -E 'libQt6(Gui|Quick|Qml|Widgets|Svg)' | awk '{print $1}' | tr '\n' ' ')"
  else
    pass "switchboard-run links no libQt6Gui/Quick/Qml/Widgets"
  fi
  if file -b "$run" | grep -q 'not stripped'; then
    fail "switchboard-run is not stripped (CPACK_STRIP_FILES)"
  else
    pass "switchboard-run is stripped"
  fi

  if out=$("$run" --help 2>&1); then
    pass "switchboard-run --help exits 0"
  else
    fail "switchboard-run --help exited $?: $out"
  fi
  if [ -f "$root/$example" ]; then
    # Run from the scratch root so a relative path in a message cannot hide a lookup in the
    # source tree: the installed example must be self-contained.
    out=$(cd "$scratch" && "$run" validate "$root/$example" 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
      pass "switchboard-run validate /$example exits 0"
    else
      echo "$out" | head -n 30 | sed 's/^/      /'
      fail "switchboard-run validate /$example exited $rc (expected 0)"
    fi
  else
    fail "cannot validate the installed example: /$example is missing"
  fi
else
  fail "no executable /usr/bin/switchboard-run in the runner package"
fi
if [ "$studio" = 1 ] && [ -x "$root/usr/bin/switchboard" ]; then
  if ldd "$root/usr/bin/switchboard" 2>&1 | grep -q 'not found'; then
    fail "switchboard has unresolved libraries"
  else
    pass "switchboard: every library resolves"
  fi
fi

# ---------------------------------------------------------------------------------------
section "systemd unit"
unit="$root/usr/lib/systemd/system/switchboard-runner.service"
if [ -f "$unit" ]; then
  for key in 'ExecStart=/usr/bin/switchboard-run serve /etc/switchboard/bundle.json --db /var/lib/switchboard/runner.db --listen 127.0.0.1:8080 --init' \
             'RestartPreventExitStatus=2' 'DynamicUser=yes' 'StateDirectory=switchboard' \
             'EnvironmentFile=-/etc/switchboard/runner.env' 'Restart=on-failure' \
             'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
             'WantedBy=multi-user.target'; do
    grep -qxF "$key" "$unit" && pass "$key" || fail "unit lacks '$key'"
  done
  if command -v systemd-analyze >/dev/null 2>&1; then
    # Verify a copy whose ExecStart points at the unpacked binary (the system has none in
    # /usr/bin); everything else is checked as shipped.
    mkdir -p "$scratch/unit"
    sed "s#/usr/bin/switchboard-run#$root/usr/bin/switchboard-run#" "$unit" \
      >"$scratch/unit/switchboard-runner.service"
    if out=$(systemd-analyze verify "$scratch/unit/switchboard-runner.service" 2>&1) \
        && [ -z "$(echo "$out" | grep -v '^$')" ]; then
      pass "systemd-analyze verify"
    else
      echo "$out" | sed 's/^/      /'
      fail "systemd-analyze verify reported problems"
    fi
  else
    echo "  note  systemd-analyze not installed: unit syntax not verified"
  fi
fi

# ---------------------------------------------------------------------------------------
if [ "$studio" = 1 ]; then
  section "desktop integration"
  desktop="$root/usr/share/applications/org.switchboard.Switchboard.desktop"
  metainfo="$root/usr/share/metainfo/org.switchboard.Switchboard.metainfo.xml"
  mimexml="$root/usr/share/mime/packages/switchboard.xml"
  if [ -f "$desktop" ]; then
    if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then
      pass "desktop-file-validate"
    else
      echo "$out" | sed 's/^/      /'
      fail "desktop-file-validate reported problems"
    fi
    for key in 'Exec=switchboard %f' 'Icon=switchboard' 'MimeType=application/x-switchboard-project;' \
               'Categories=Development;'; do
      grep -qxF "$key" "$desktop" && pass "desktop file: $key" || fail "desktop file lacks '$key'"
    done
  fi
  if [ -f "$metainfo" ]; then
    if out=$(appstreamcli validate --no-net "$metainfo" 2>&1); then
      pass "appstreamcli validate --no-net $(basename "$metainfo")"
    else
      echo "$out" | sed 's/^/      /'
      fail "appstreamcli validate failed"
    fi
    grep -q '<launchable type="desktop-id">org.switchboard.Switchboard.desktop</launchable>' "$metainfo" \
      && pass "metainfo launchable matches the desktop file id" \
      || fail "metainfo <launchable> does not name org.switchboard.Switchboard.desktop"
  fi
  if [ -f "$mimexml" ]; then
    if xmllint --noout "$mimexml" 2>/dev/null; then pass "MIME XML is well-formed"; else fail "MIME XML is malformed"; fi
    # Build a MIME cache from the packaged file alone and look the extension up in it.
    mkdir -p "$scratch/mime/packages"
    cp "$mimexml" "$scratch/mime/packages/"
    if update-mime-database "$scratch/mime" >/dev/null 2>&1 \
        && grep -q 'application/x-switchboard-project:\*\.switchboard' "$scratch/mime/globs2"; then
      pass "shared-mime-info maps *.switchboard to application/x-switchboard-project"
    else
      fail "update-mime-database did not register *.switchboard"
    fi
  fi
fi

echo
if [ "$failures" -eq 0 ]; then
  echo "packaging: all checks passed (packages in $scratch/out)"
  exit 0
fi
echo "packaging: FAILED ($failures check(s)); scratch files kept in $scratch"
exit 1
