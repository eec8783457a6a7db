# Options for `cmake --graphviz` (scripts/module-graph.sh): the project's libraries and
# executables only, without tests, benchmarks, fuzz harnesses or external packages.
set(GRAPHVIZ_GRAPH_NAME "Switchboard modules")
set(GRAPHVIZ_EXTERNAL_LIBS FALSE)
set(GRAPHVIZ_GENERATE_PER_TARGET FALSE)
set(GRAPHVIZ_GENERATE_DEPENDERS FALSE)
set(GRAPHVIZ_IGNORE_TARGETS "^tst_" "^bench" "^fuzz" "^jsonata-conformance" "_autogen"
    "plugin" "_qmllint" "_qmlcache" "_resources" "_tooling" "_qmltyperegistration"
    "switchboard_testsupport" "switchboard_guitestsupport" "switchboard_benchgen")
