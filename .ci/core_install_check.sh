#!/usr/bin/env bash
# The core install alone (no extras) must run the main job: the bundled example and an HTML
# page, the source comparison included.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)/core
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q .
out=$(mktemp -d)
"$venv/bin/storyline" digest examples/iraq-troops-2016/ tests/fixtures/html/thespacereview_3834.html \
    --format json -o "$out/report.json"
"$venv/bin/storyline" digest examples/iraq-troops-2016/ > "$out/report.md"
"$venv/bin/python" - "$out/report.json" "$out/report.md" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
sources = [a.get("source") or "" for s in report["stories"] for a in s["articles"]]
assert any(src.endswith(".html") for src in sources), f"the HTML page was not read: {sources}"
assert not [p for p in report["problems"] if "skipped" in p["reason"]], report["problems"]
comparison = report["stories"][0]["comparison"]
assert comparison and comparison["conflicts"] and comparison["facts"], "no source comparison"
markdown = open(sys.argv[2]).read()
assert "Conflicting" in markdown or "conflict" in markdown.lower(), "no comparison in Markdown"
print("core install: main job ran;", len(report["stories"][0]["articles"]), "articles,",
      len(comparison["conflicts"]), "conflicts")
PY
