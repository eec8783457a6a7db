#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/<target>/ from the repository's own
material: the JSONata suite's expressions, the Quote-to-Cash template, the tests' fixtures
(malformed ones included) and bundles exported by switchboard-run.

usage: make_corpus.py [--suite DIR] [--runner PATH/TO/switchboard-run]
Without --runner the bundle corpus is left as it is."""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TEMPLATE = ROOT / "templates/quote-to-cash/quote-to-cash.switchboard"
PER_GROUP = 5  # suite expressions kept per group: a few hundred files in all


def reset(target):
    folder = HERE / "corpus" / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def suite_cases(suite):
    for group in sorted((suite / "groups").iterdir()):
        for case_file in sorted(group.glob("*.json")):
            cases = json.loads(case_file.read_text(encoding="utf-8"))
            for index, case in enumerate(cases if isinstance(cases, list) else [cases]):
                expr = case.get("expr")
                if expr is None and "expr-file" in case:
                    expr = (group / case["expr-file"]).read_text(encoding="utf-8")
                if expr:
                    yield group.name, f"{case_file.stem}-{index}", expr


def jsonata(suite):
    folder = reset("jsonata")
    seen, kept = set(), {}
    for group, name, expr in suite_cases(suite):
        if expr in seen or kept.get(group, 0) >= PER_GROUP:
            continue
        try:
            expr.encode("utf-8")
        except UnicodeEncodeError:
            continue  # a lone surrogate: no project file can hold it
        seen.add(expr)
        kept[group] = kept.get(group, 0) + 1
        (folder / f"{group}-{name}.jsonata").write_text(expr, encoding="utf-8")
    # The expressions of the template's mappings and workflows: what users really write.
    project = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    exprs = set()
    for mapping in project["mappings"]:
        for rule in mapping["rules"]:
            exprs.update(filter(None, [rule.get("expression"), rule.get("condition")]))
    for expr in sorted(exprs):
        digest = hashlib.sha1(expr.encode()).hexdigest()[:10]
        (folder / f"template-{digest}.jsonata").write_text(expr, encoding="utf-8")


def project_files():
    files = []
    for pattern in ("templates/*/*.switchboard", "tests/*/data/**/*.switchboard",
                    "tests/model/data/**/*.json"):
        files += sorted(ROOT.glob(pattern))
    return files


def projects():
    folder = reset("project")
    for path in project_files():
        name = str(path.relative_to(ROOT)).replace("/", "_")
        shutil.copyfile(path, folder / name)
    minimal = {"format": "switchboard-project", "version": 1, "name": "minimal"}
    (folder / "minimal.json").write_text(json.dumps(minimal))


def records_for(project, system, entity):
    for dataset in project.get("datasets", []):
        if dataset["entity"] == entity and (not system or dataset.get("system") == system):
            lines = (TEMPLATE.parent / dataset["file"]).read_text(encoding="utf-8").splitlines()
            return [lines[i % len(lines)] for i in (0, 41, 87)]
    return None


def mappings():
    folder = reset("mapping")
    project = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    fallback = records_for(project, "crm", "Account")
    for mapping in project["mappings"]:
        source = mapping["source"]
        records = records_for(project, source.get("system"), source["entity"]) or fallback
        for index, record in enumerate(records):
            text = json.dumps(mapping, ensure_ascii=False) + "\n---\n" + record
            (folder / f"{mapping['id']}-{index}.in").write_text(text, encoding="utf-8")
    # A mapping that is all edge cases: arrays, value maps with fallback, defaults, conditions.
    edge = {"id": "edge", "source": {"entity": "Order"}, "target": {"entity": "Order"},
            "condition": "$exists(orderId)",
            "rules": [{"target": "orderId", "expression": "orderId"},
                      {"target": "lines[].sku", "expression": "lines.sku"},
                      {"target": "lines[].quantity", "expression": "lines.qty * 2",
                       "condition": "lines.qty > 0"},
                      {"target": "status", "expression": "state", "valueMap": "states"},
                      {"target": "currency", "expression": "nothing", "default": "EUR"}],
            "valueMaps": [{"name": "states", "entries": [["o", "open"]], "fallback": "?"}]}
    record = {"orderId": "1", "state": "x",
              "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 0}]}
    (folder / "edge.in").write_text(json.dumps(edge) + "\n---\n" + json.dumps(record))


def bundles(runner):
    folder = reset("bundle")
    with tempfile.TemporaryDirectory() as tmp:
        for path in [TEMPLATE] + sorted(ROOT.glob("tests/*/data/**/*.switchboard")):
            out = pathlib.Path(tmp) / "out.bundle"
            done = subprocess.run([runner, "export", str(path), "-o", str(out)],
                                  capture_output=True, text=True)
            if done.returncode == 0 and out.exists():
                shutil.copyfile(out, folder / (path.stem + ".bundle"))
            else:
                print(f"export of {path.name} failed: {done.stderr.strip()[:200]}")
    # Broken ones: tampered after export (hash mismatch), truncated, from the future.
    mini = (folder / "mini.bundle").read_text(encoding="utf-8")
    (folder / "tampered.bundle").write_text(mini.replace('"name": "', '"name": "x', 1))
    (folder / "truncated.bundle").write_text(mini[: len(mini) // 2])
    (folder / "future.bundle").write_text(mini.replace('"version": 1', '"version": 2', 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", default=os.environ.get(
        "SWITCHBOARD_JSONATA_SUITE", "/work/shared/jsonata-suite"))
    parser.add_argument("--runner")
    args = parser.parse_args()
    jsonata(pathlib.Path(args.suite))
    projects()
    mappings()
    if args.runner:
        bundles(args.runner)
    for target in ("jsonata", "project", "mapping", "bundle"):
        folder = HERE / "corpus" / target
        print(target, len(list(folder.iterdir())), "files")


if __name__ == "__main__":
    main()
