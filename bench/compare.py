"""Benchmark for ``storyline.compare``: conflict precision/recall and quote-speaker accuracy.

Three measurements, all offline:

1. **Changed-number test** (automatic): in real multi-source clusters
   (``../shared/data/mds/*/dev.jsonl``) find a number that two articles both state in similar
   sentences (same value, >= 3 shared content stems, chosen without the comparer's own matching),
   change it in one article (x1.5, or +3 days for a date), and check that exactly that conflict
   is reported (recall) and which other conflicts appear that the untouched cluster did not have
   (false positives). Untouched clusters are also counted for any conflict at all.
2. **Hand-labelled clusters** (``bench/data/compare_gold.jsonl``): conflicts and agreements
   labelled by reading the clusters; reported conflicts are matched to the labels by sentence.
3. **Quote speakers**: gold speakers for the quotes of the bundled example and of labelled
   clusters, compared with the resolved speaker.

Run: ``.venv/bin/python bench/compare.py`` (writes ``bench/results/compare.md`` and ``.json``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
import types
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"
GOLD = ROOT / "bench" / "data" / "compare_gold.jsonl"
QUOTE_GOLD = ROOT / "bench" / "data" / "compare_quote_gold.jsonl"
IRAQ = ROOT / "tests" / "fixtures" / "compare" / "iraq_articles.json"
RESULTS = ROOT / "bench" / "results"


def _bootstrap() -> None:
    # storyline/__init__ imports the whole pipeline; when that is not built yet, the compare
    # package and the model are still usable on their own.
    sys.path.insert(0, str(ROOT / "src"))
    try:
        importlib.import_module("storyline")
    except ImportError:
        for name in [m for m in sys.modules if m == "storyline" or m.startswith("storyline.")]:
            del sys.modules[name]
        package = types.ModuleType("storyline")
        package.__path__ = [str(ROOT / "src" / "storyline")]
        sys.modules["storyline"] = package


_bootstrap()

from storyline.compare import compare_story  # noqa: E402
from storyline.compare.schema import Comparison  # noqa: E402
from storyline.model import Article, Story  # noqa: E402
from storyline.text.tokens import content_words  # noqa: E402


def load_clusters(names: list[str]) -> list[dict[str, Any]]:
    clusters = []
    for name in names:
        path = DATA / name / "dev.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            clusters.append(json.loads(line))
    return clusters


def clean_document(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def cluster_story(cluster: dict[str, Any], texts: list[str] | None = None) -> Story:
    docs = texts if texts is not None else [clean_document(d) for d in cluster["documents"]]
    articles = [
        Article(id=f"{cluster['id']}#{i}", outlet=f"doc{i}", text=text)
        for i, text in enumerate(docs)
    ]
    return Story(id=cluster["id"], articles=articles)


_NUM = re.compile(r"(?<![\d.,$])(\d{1,3}(?:,\d{3})+|\d{2,})(?![\d,]|\.\d)")
_DAYDATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2})\b"
)


def _stems(text: str) -> set[str]:
    return {w for w in content_words(text) if not any(c.isdigit() for c in w)}


def find_shared_number(story: Story) -> dict[str, Any] | None:
    """A number (or day date) stated by two articles in similar sentences."""
    from storyline.text.sentences import split_sentences

    sents = []
    for a in story.articles:
        for s, e in split_sentences(a.text):
            sents.append((a, s, e))
    best = None
    for i, (a, s, e) in enumerate(sents):
        text_a = a.text[s:e]
        for pattern, kind in ((_NUM, "number"), (_DAYDATE, "date")):
            for m in pattern.finditer(text_a):
                token = m.group(0)
                if kind == "number" and (1900 <= int(token.replace(",", "")) <= 2100):
                    continue  # years are dates, handled by the date pattern when written fully
                for b, s2, e2 in sents[i + 1 :]:
                    if b.id == a.id:
                        continue
                    text_b = b.text[s2:e2]
                    if re.search(rf"(?<![\d,]){re.escape(token)}(?![\d,])", text_b) is None:
                        continue
                    shared = _stems(text_a) & _stems(text_b)
                    if len(shared) < 3:
                        continue
                    score = len(shared)
                    if best is None or score > best["score"]:
                        best = {
                            "article": a.id,
                            "start": s + m.start(),
                            "end": s + m.end(),
                            "token": token,
                            "kind": kind,
                            "other": b.id,
                            "other_sentence": (s2, e2),
                            "score": score,
                        }
    return best


def perturb(token: str, kind: str) -> str:
    if kind == "date":
        month, day = token.rsplit(" ", 1)
        return f"{month} {int(day) % 28 + 3}"
    value = int(token.replace(",", ""))
    new = round(value * 1.5) if value >= 4 else value + 5
    return f"{new:,}" if "," in token else str(new)


def conflict_keys(comparison: Comparison) -> set[frozenset[tuple[str, int, int]]]:
    keys = set()
    for c in comparison.conflicts:
        if c.status != "conflict":
            continue
        keys.add(frozenset((v.article_id, v.start, v.end) for v in c.values))
    return keys


def changed_number_test(clusters: list[dict[str, Any]]) -> dict[str, Any]:
    tp = fn = spurious = untouched_with_conflicts = untouched_conflicts = tried = 0
    cases = []
    for cluster in clusters:
        story = cluster_story(cluster)
        if len(story.articles) < 2:
            continue
        base = compare_story(story)
        n_base = sum(1 for c in base.conflicts if c.status == "conflict")
        untouched_conflicts += n_base
        untouched_with_conflicts += n_base > 0
        shared = find_shared_number(story)
        if shared is None:
            continue
        tried += 1
        texts = [a.text for a in story.articles]
        idx = next(i for i, a in enumerate(story.articles) if a.id == shared["article"])
        new_token = perturb(shared["token"], shared["kind"])
        t = texts[idx]
        # Every occurrence in that article: a source that reports another figure does so
        # throughout, and an article that states both values is not in conflict with itself.
        pattern = rf"(?<![\d,]){re.escape(shared['token'])}(?![\d,])"
        before = t[: shared["start"]]
        shift = len(re.findall(pattern, before)) * (len(new_token) - len(shared["token"]))
        texts[idx] = re.sub(pattern, new_token, t)
        shared["start"] += shift
        changed = cluster_story(cluster, texts)
        result = compare_story(changed)
        found = False
        new_spurious = 0
        base_sets = [
            {(v.article_id, v.value) for v in c.values}
            for c in base.conflicts
            if c.status == "conflict"
        ]
        for c in result.conflicts:
            if c.status != "conflict":
                continue
            hits_change = any(
                v.article_id == shared["article"] and new_token in v.text for v in c.values
            )
            hits_other = any(v.article_id == shared["other"] for v in c.values)
            if hits_change and hits_other:
                found = True
            elif {(v.article_id, v.value) for v in c.values} not in base_sets:
                new_spurious += 1
        tp += found
        fn += not found
        spurious += new_spurious
        cases.append(
            {
                "cluster": cluster["id"],
                "kind": shared["kind"],
                "changed": f"{shared['token']} -> {new_token}",
                "found": found,
                "spurious": new_spurious,
            }
        )
    precision = tp / (tp + spurious) if tp + spurious else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "clusters": len(clusters),
        "perturbed": tried,
        "tp": tp,
        "fn": fn,
        "spurious_new_conflicts": spurious,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "untouched_clusters_with_conflicts": untouched_with_conflicts,
        "untouched_conflicts": untouched_conflicts,
        "cases": cases,
    }


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def gold_test(clusters_by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Match reported conflicts against hand labels (by sentence text)."""
    if not GOLD.exists():
        return {}
    tp = fp = fn = 0
    agree_found = agree_total = 0
    per_cluster = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        cluster = clusters_by_id[gold["id"]]
        story = cluster_story(cluster)
        comparison = compare_story(story)
        gold_conflicts = [{_norm(s) for s in g["sentences"]} for g in gold.get("conflicts", [])]
        matched: set[int] = set()
        c_tp = c_fp = 0
        for c in comparison.conflicts:
            if c.status != "conflict":
                continue
            sents = {_norm(v.text) for v in c.values}
            hit = next(
                (
                    i
                    for i, g in enumerate(gold_conflicts)
                    if len({s for s in sents if any(s in x or x in s for x in g)}) >= 2
                ),
                None,
            )
            if hit is None:
                c_fp += 1
            else:
                c_tp += 1
                matched.add(hit)
        c_fn = len(gold_conflicts) - len(matched)
        tp, fp, fn = tp + c_tp, fp + c_fp, fn + c_fn
        for g in gold.get("agreements", []):
            agree_total += 1
            want = {_norm(s) for s in g["sentences"]}
            for f in comparison.facts:
                got = {_norm(e.text) for e in f.evidence}
                if len({s for s in got if any(s in x or x in s for x in want)}) >= 2:
                    agree_found += 1
                    break
        per_cluster.append(
            {
                "id": gold["id"],
                "gold_conflicts": len(gold_conflicts),
                "tp": c_tp,
                "fp": c_fp,
                "fn": c_fn,
            }
        )
    return {
        "clusters": len(per_cluster),
        "gold_conflicts": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "agreements_labelled": agree_total,
        "agreements_found": agree_found,
        "per_cluster": per_cluster,
    }


def iraq_story() -> Story:
    articles = [Article(**a) for a in json.loads(IRAQ.read_text(encoding="utf-8"))]
    return Story(
        id="iraq-troops-2016", title="US to send 560 more troops to Iraq", articles=articles
    )


def quote_test(clusters_by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if not QUOTE_GOLD.exists():
        return {}
    correct = total = found = 0
    errors = []
    stories: dict[str, Comparison] = {}
    for line in QUOTE_GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        sid = gold["story"]
        if sid not in stories:
            story = (
                iraq_story() if sid == "iraq-troops-2016" else cluster_story(clusters_by_id[sid])
            )
            stories[sid] = compare_story(story)
        total += 1
        want = _norm(gold["quote"])
        variant = next(
            (
                v
                for q in stories[sid].quotes
                for v in q.variants
                if v.article_id.endswith(gold.get("article_suffix", ""))
                and (want in _norm(v.text) or _norm(v.text) in want)
            ),
            None,
        )
        if variant is None:
            errors.append(
                {"quote": gold["quote"][:60], "gold": gold["speaker"], "got": "(not found)"}
            )
            continue
        found += 1
        got = variant.speaker or ""
        ok = (bool(got) and _norm(gold["speaker"]) == _norm(got)) or (
            gold["speaker"] == "" and not got
        )
        if not ok and got and gold["speaker"]:
            # surname match: "Carter" vs "Ash Carter"
            ok = _norm(gold["speaker"]).split()[-1] == _norm(got).split()[-1]
        correct += ok
        if not ok:
            errors.append({"quote": gold["quote"][:60], "gold": gold["speaker"], "got": got})
    return {
        "quotes": total,
        "found": found,
        "correct": correct,
        "accuracy": round(correct / total, 3) if total else None,
        "errors": errors,
    }


def iraq_checks() -> dict[str, Any]:
    story = iraq_story()
    start = time.perf_counter()
    comparison = compare_story(story)
    seconds = time.perf_counter() - start
    troops = next((c for c in comparison.conflicts if "personnel" in c.subject), None)
    return {
        "seconds": round(seconds, 2),
        "conflicts": [
            (c.subject, c.status, [v.value for v in c.values]) for c in comparison.conflicts
        ],
        "troop_total_group_outlets": [v.outlet for v in troops.values] if troops else [],
        "agreed": [(f.value, f.sources) for f in comparison.facts],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sets", default="multinews_sample100,duc2004_task2_partial,tac2011_multiling_en"
    )
    parser.add_argument("--limit", type=int, default=0, help="clusters per run (0 = all)")
    args = parser.parse_args()
    clusters = load_clusters(args.sets.split(","))
    by_id = {c["id"]: c for c in clusters}
    chosen = clusters[: args.limit] if args.limit else clusters
    t0 = time.perf_counter()
    from storyline.compare import nlp

    nlp.load()
    report = {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "command": "PYTHONPATH=src .venv/bin/python bench/compare.py " + " ".join(sys.argv[1:]),
        "iraq": iraq_checks(),
        "changed_number": changed_number_test(chosen),
        "gold": gold_test(by_id),
        "quotes": quote_test(by_id),
    }
    report["seconds"] = round(time.perf_counter() - t0, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "compare.md").write_text(render(report), encoding="utf-8")
    print(render(report))


def render(r: dict[str, Any]) -> str:
    cn, gold, q = r["changed_number"], r["gold"], r["quotes"]
    out = [
        "# storyline.compare benchmark",
        "",
        f"Generated {r['generated']} with `{r['command']}` ({r['seconds']} s in all).",
        "",
        "## Changed-number test (automatic, real clusters)",
        "",
        f"Clusters run: {cn['clusters']}; perturbed (a number or day date shared by two "
        f"articles found): {cn['perturbed']}.",
        "",
        "| metric | value |",
        "|---|---|",
        f"| conflict precision (found / (found + new spurious conflicts)) | {cn['precision']} |",
        f"| conflict recall (changed value reported as conflict with the other source) "
        f"| {cn['recall']} |",
        f"| true positives / missed | {cn['tp']} / {cn['fn']} |",
        f"| new spurious conflicts in perturbed clusters | {cn['spurious_new_conflicts']} |",
        f"| untouched clusters with any conflict | {cn['untouched_clusters_with_conflicts']} of "
        f"{cn['clusters']} ({cn['untouched_conflicts']} conflicts) |",
        "",
    ]
    if gold:
        out += [
            "## Hand-labelled clusters (`bench/data/compare_gold.jsonl`)",
            "",
            "| metric | value |",
            "|---|---|",
            f"| clusters labelled | {gold['clusters']} |",
            f"| gold conflicts | {gold['gold_conflicts']} |",
            f"| reported conflicts: correct / wrong | {gold['tp']} / {gold['fp']} |",
            f"| conflict precision | {gold['precision']} |",
            f"| conflict recall | {gold['recall']} |",
            f"| labelled agreements found | {gold['agreements_found']} of "
            f"{gold['agreements_labelled']} |",
            "",
        ]
    if q:
        out += [
            "## Quote speakers (`bench/data/compare_quote_gold.jsonl`)",
            "",
            f"Accuracy {q['accuracy']} ({q['correct']} of {q['quotes']} gold quotes; "
            f"{q['found']} found as quotes).",
            "",
        ]
        if q["errors"]:
            out += (
                ["Errors:", ""]
                + [
                    f"- “{e['quote']}…”: gold {e['gold'] or '(none)'}, got {e['got'] or '(none)'}"
                    for e in q["errors"]
                ]
                + [""]
            )
    iraq = r["iraq"]
    out += [
        "## Bundled example (iraq-troops-2016)",
        "",
        f"compare_story: {iraq['seconds']} s for 5 articles (CPU, model already loaded).",
        f"Troop-total conflict group: {', '.join(iraq['troop_total_group_outlets'])}.",
        f"Agreed: {iraq['agreed']}.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    main()
