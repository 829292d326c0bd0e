"""Injected-change benchmark for conflicts, with cases chosen independently of storyline.

The selection rule uses nothing of storyline (its own sentence splitter, tokens and numbers):

* sentences: split after ``.``/``!``/``?`` followed by a space and a capital or a quote;
  a sentence needs at least 8 word tokens;
* a number: an integer >= 2 written in digits (``12``, ``4,600``, ``$500``, ``30%``), not a
  year (1000-2100 without a comma), not part of a time, decimal, range or ratio ("140 to
  160", "between 4 and 12", "5 to 1"), day date ("Sept. 30"), hyphenated compound
  ("45-year-old") or identifier ("Flight 447": right after a capitalised word that does not
  start the sentence), not inside parentheses nor followed by one (a conversion: "2,600
  degrees F (1,400 degrees C)"), nor a time of day ("10 a.m.") or a street number ("229 W.
  43rd St."), since changing it alone gives malformed text or no figure of the story (rule
  v2: the last two were added after the first blind run, which selected one of each);
* a case: two sentences of two different documents of a cluster that both contain the same
  number and share most of their words: Jaccard of their lower-cased word sets, numbers
  masked, >= 0.5. Per cluster the pair with the highest Jaccard is taken (ties: first found);
* the change: in one of the two documents (chosen by a seeded coin), the number in that
  sentence and every other occurrence of it followed by the same word becomes x1.6 (x2 + 1
  under 5); down to x0.4 after a lower-bound hedge ("at least", "more than", "over") so the
  hedge cannot absorb the change; clusters where that leaves no clean change are skipped.

Each cluster runs through :class:`storyline.Pipeline` with its default settings (ingest,
clean, dedupe: near copies travel with the story as ``Story.copies``; no clustering; a null
summarizer, since only the comparison is measured), once untouched and once changed. Recall:
the changed cluster reports a conflict holding the new value and the old value from another
document. Spurious: conflicts of the changed cluster that the untouched one does not have,
besides the target. The untouched clusters' conflicts are listed for judging by hand
(``bench/data/conflicts_untouched_judged.jsonl``).

Blind part: a third of all clusters of ``../shared/data/mds/*/dev.jsonl`` by SHA-1 of
``SALT:set/id`` (first byte % 3 == 0), set aside before any tuning. ``--part dev`` for tuning,
``--part blind`` once at the end.

Run: ``.venv/bin/python bench/conflicts_blind.py --part dev`` (and ``--part blind``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"
RESULTS = ROOT / "bench" / "results"
JUDGED = ROOT / "bench" / "data" / "conflicts_untouched_judged.jsonl"
SALT = "storyline-conflicts-blind-2026-12-01"
MIN_TOKENS = 8
MIN_JACCARD = 0.5

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z\"“'‘(])")
_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d[\d,]*")
_NUMBER = re.compile(r"(?<![\w.:/,-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w:/-]|[.,]\d)")
_LOWER_BOUND = re.compile(r"\b(?:at least|more than|over|upwards of|in excess of)\s+\$?$", re.I)
# A day of a month ("Sept. 30"), a range or ratio ("140 to 160", "between 4 and 12", "5 to 1")
# and a figure with a conversion after it ("2,600 degrees F (1,400 degrees C)"): changing the
# number alone gives a malformed date, range or a self-contradicting article.
_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$", re.I
)
_RANGE_BEFORE = re.compile(
    r"(?:\d\s*(?:%|percent)?\s*(?:to|and|or|-|–)\s*\$?|between\s+\$?)$", re.I
)
_RANGE_AFTER = re.compile(r"^\s*(?:%|percent)?\s*(?:to|and|or|-|–)\s*\$?\d", re.I)
_CONVERSION_AFTER = re.compile(r"^[^.()]{0,25}\(\s*[^()]{0,12}\d")
# A time of day ("at 10 a.m.") or a street address ("229 W. 43rd St."), rule v2 (see --help).
_TIME_AFTER = re.compile(r"^\s*(?:[ap]\.?m\.?(?!\w)|o'clock)", re.I)
_ADDRESS_AFTER = re.compile(
    r"^\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9]\w*\s+){1,3}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Drive|Dr|Place|Pl|Way)\b"
)
_IDENT_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-Z][\w-]*\s+\$?$|(?:No\.|#)\s*$")


def blind(key: str) -> bool:
    return hashlib.sha1(f"{SALT}:{key}".encode()).digest()[0] % 3 == 0


def load(part: str) -> list[dict[str, Any]]:
    clusters = []
    for path in sorted(DATA.glob("*/dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            cluster["key"] = f"{path.parent.name}/{cluster['id']}"
            if blind(cluster["key"]) == (part == "blind"):
                clusters.append(cluster)
    return clusters


def clean_document(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def numbers(text: str, start: int, end: int) -> list[re.Match[str]]:
    found = []
    for m in _NUMBER.finditer(text, start, end):
        value = int(m.group(1).replace(",", ""))
        before = text[max(start, m.start() - 30) : m.start()]
        if value < 2 or ("," not in m.group(1) and 1000 <= value <= 2100):
            continue
        if _IDENT_BEFORE.search(before) or before.count("(") > before.count(")"):
            continue
        after = text[m.end() : min(end, m.end() + 40)]
        if _MONTH_BEFORE.search(before) or _RANGE_BEFORE.search(before):
            continue
        if _RANGE_AFTER.match(after) or _CONVERSION_AFTER.match(after):
            continue
        if _TIME_AFTER.match(after) or _ADDRESS_AFTER.match(after):
            continue
        found.append(m)
    return found


def masked_words(sentence: str) -> set[str]:
    return {"#" if t[0].isdigit() else t.lower() for t in _TOKEN.findall(sentence)} - {"#"}


def find_case(docs: list[str], seed: str) -> dict[str, Any] | None:
    """The pair of sentences of two documents sharing a number and most of their words."""
    per_doc = []
    for d, text in enumerate(docs):
        rows = []
        for s, e in sentences(text):
            if len(_TOKEN.findall(text[s:e])) < MIN_TOKENS:
                continue
            nums = numbers(text, s, e)
            if nums:
                rows.append((s, e, masked_words(text[s:e]), nums))
        per_doc.append((d, rows))
    best: tuple[float, dict[str, Any]] | None = None
    for i, rows_i in per_doc:
        for j, rows_j in per_doc[i + 1 :]:
            for si, ei, wi, ni in rows_i:
                for sj, ej, wj, nj in rows_j:
                    jac = len(wi & wj) / len(wi | wj) if wi | wj else 0.0
                    if jac < MIN_JACCARD or (best and jac <= best[0]):
                        continue
                    shared = [
                        (a, b)
                        for a in ni
                        for b in nj
                        if a.group(1).replace(",", "") == b.group(1).replace(",", "")
                    ]
                    if shared:
                        a, b = shared[0]
                        best = (
                            jac,
                            {
                                "docs": (i, j),
                                "spans": ((si, ei), (sj, ej)),
                                "matches": (a, b),
                                "jaccard": round(jac, 3),
                            },
                        )
    if best is None:
        return None
    case = best[1]
    flip = hashlib.sha1(seed.encode()).digest()[0] % 2
    changed = case["docs"][flip]
    m = case["matches"][flip]
    value = int(m.group(1).replace(",", ""))
    text = docs[changed]
    if _LOWER_BOUND.search(text[max(0, m.start() - 25) : m.start()]):
        if value < 5:
            return None
        new = round(value * 0.4)
    else:
        new = round(value * 1.6) if value >= 5 else value * 2 + 1
    token = f"{new:,}" if "," in m.group(1) else str(new)
    after = re.match(r"\W*(\w+)", text[m.end() :])
    next_word = after.group(1).lower() if after else ""
    pieces, last = [], 0
    for other in _NUMBER.finditer(text):
        if other.group(1).replace(",", "") != str(value):
            continue
        tail = re.match(r"\W*(\w+)", text[other.end() :])
        if other.start() == m.start() or (tail and tail.group(1).lower() == next_word):
            pieces += [text[last : other.start()], token]
            last = other.end()
    pieces.append(text[last:])
    out = list(docs)
    out[changed] = "".join(pieces)
    sent = case["spans"][flip]
    return {
        "changed_doc": changed,
        "other_doc": case["docs"][1 - flip],
        "old": str(value),
        "new": str(new),
        "jaccard": case["jaccard"],
        "sentence": text[sent[0] : sent[1]],
        "other_sentence": docs[case["docs"][1 - flip]][
            case["spans"][1 - flip][0] : case["spans"][1 - flip][1]
        ],
        "docs": out,
    }


class _NoSummary:
    """Only the comparison is measured: skip the summarizer's cost."""

    def summarize(self, story: Any, settings: Any) -> list[Any]:
        return []


def compare(docs: list[str], key: str) -> list[dict[str, Any]]:
    """The conflicts storyline reports for the cluster, default settings, one story."""
    from storyline import Pipeline
    from storyline.model import Article

    articles = [Article(id=f"{key}#{i}", text=t) for i, t in enumerate(docs)]
    report = Pipeline(summarizer=_NoSummary()).run(articles)
    rows = []
    for story in report.stories:
        for c in story.comparison.conflicts if story.comparison else []:
            if c.status != "conflict":
                continue
            values = []
            for v in c.values:
                article = story.article(v.article_id)
                shown = article.text[v.mention_start : v.mention_end] if v.mention_start else ""
                values.append(
                    {
                        "doc": int(v.article_id.rsplit("#", 1)[1]),
                        "value": v.value,
                        "number": re.sub(r"\D", "", shown),
                        "text": v.text,
                    }
                )
            rows.append({"subject": c.subject, "values": values})
    return rows


def signature(conflict: dict[str, Any]) -> tuple[tuple[int, str], ...]:
    return tuple(sorted((v["doc"], v["text"]) for v in conflict["values"]))


def hit(conflict: dict[str, Any], case: dict[str, Any]) -> bool:
    docs = {(v["doc"], v["number"]) for v in conflict["values"]}
    return (case["changed_doc"], case["new"]) in docs and any(
        d != case["changed_doc"] and n == case["old"] for d, n in docs
    )


def run(part: str, limit: int = 0, max_cases: int = 0) -> dict[str, Any]:
    """The benchmark on ``part``; ``max_cases`` > 0 stops after that many changed clusters
    and runs only clusters with a case (the CI gate's quick form)."""
    clusters = load(part)
    if limit:
        clusters = clusters[:limit]
    if max_cases:
        clusters = [
            c for c in clusters if find_case([clean_document(d) for d in c["documents"]], c["key"])
        ][:max_cases]
    judged = load_judgements()
    cases, untouched_conflicts = [], []
    started = time.time()
    for number, cluster in enumerate(clusters, start=1):
        key = cluster["key"]
        print(f"{number}/{len(clusters)} {key}", file=sys.stderr, flush=True)
        docs = [clean_document(d) for d in cluster["documents"]]
        before = compare(docs, key)
        for c in before:
            untouched_conflicts.append({"cluster": key, **c, "judged": judged.get(_jkey(key, c))})
        case = find_case(docs, key)
        if case is None:
            continue
        after = compare(case["docs"], key)
        old = {signature(c) for c in before}
        found = any(hit(c, case) for c in after)
        spurious = [c for c in after if not hit(c, case) and signature(c) not in old]
        cases.append(
            {
                "cluster": key,
                "old": case["old"],
                "new": case["new"],
                "jaccard": case["jaccard"],
                "sentence": case["sentence"],
                "other_sentence": case["other_sentence"],
                "found": found,
                "spurious": len(spurious),
                "spurious_subjects": [c["subject"] for c in spurious],
            }
        )
    tp = sum(c["found"] for c in cases)
    spurious = sum(c["spurious"] for c in cases)
    with_conflict = {c["cluster"] for c in untouched_conflicts}
    wrong_clusters = {c["cluster"] for c in untouched_conflicts if c["judged"] == "wrong"}
    unjudged = sum(c["judged"] is None for c in untouched_conflicts)
    return {
        "part": part,
        "salt": SALT,
        "clusters": len(clusters),
        "cases": len(cases),
        "found": tp,
        "recall": round(tp / len(cases), 3) if cases else None,
        "spurious": spurious,
        "precision": round(tp / (tp + spurious), 3) if tp + spurious else None,
        "untouched_with_conflict": len(with_conflict),
        "untouched_conflicts": len(untouched_conflicts),
        "untouched_clusters_judged_wrong": len(wrong_clusters),
        "untouched_wrong_rate": round(len(wrong_clusters) / len(clusters), 3),
        "untouched_unjudged": unjudged,
        "seconds": round(time.time() - started, 1),
        "case_rows": cases,
        "untouched_rows": untouched_conflicts,
    }


def _jkey(cluster: str, conflict: dict[str, Any]) -> str:
    values = sorted(f"{v['doc']}:{v['value']}" for v in conflict["values"])
    return f"{cluster}|{conflict['subject']}|{'|'.join(values)}"


def load_judgements() -> dict[str, str]:
    if not JUDGED.exists():
        return {}
    rows = [json.loads(line) for line in JUDGED.read_text().splitlines() if line.strip()]
    return {r["key"]: r["judgement"] for r in rows}


def render(results: list[dict[str, Any]]) -> str:
    """The Markdown table of one or more parts' results, with their commands."""
    lines = [
        "# Injected-change conflict benchmark (`bench/conflicts_blind.py`)",
        "",
        "Cases chosen by a rule independent of storyline (see the module docstring): two "
        "sentences of two documents sharing a number and most of their words (Jaccard >= "
        f"{MIN_JACCARD}); the number is changed in one document; default `Pipeline` settings "
        "(dedupe on: near copies compared as `Story.copies`). Blind part: SHA-1 of "
        f"`{SALT}:set/id`, first byte % 3 == 0, set aside before tuning and run once at the end. "
        "Timings on a shared 2-core machine.",
        "",
        "| metric | " + " | ".join(r["part"] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    rows = [
        ("clusters", "clusters"),
        ("cases (changed clusters)", "cases"),
        ("found (changed value reported against the old one)", "found"),
        ("recall", "recall"),
        ("new spurious conflicts in changed clusters", "spurious"),
        ("precision found / (found + spurious)", "precision"),
        ("untouched clusters with any conflict", "untouched_with_conflict"),
        ("conflicts on untouched clusters", "untouched_conflicts"),
        ("untouched clusters with a conflict judged wrong", "untouched_clusters_judged_wrong"),
        ("share of untouched clusters with a wrong conflict", "untouched_wrong_rate"),
        ("untouched conflicts not judged", "untouched_unjudged"),
        ("seconds", "seconds"),
    ]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key)) for r in results) + " |")
    lines += ["", "Commands:", ""] + [f"- `{r['command']}` ({r['generated']})" for r in results]
    for r in results:
        missed = [c for c in r["case_rows"] if not c["found"]]
        lines += ["", f"## Missed on {r['part']} ({len(missed)})", ""]
        lines += [
            f"- {c['cluster']}: {c['old']} -> {c['new']}: “{c['sentence'][:160]}”" for c in missed
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["dev", "blind"], default="dev")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", default="", help="write the result JSON here")
    parser.add_argument("--render", nargs="+", default=[], help="result JSONs to write as md")
    args = parser.parse_args()
    if args.render:
        results = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.render]
        (RESULTS / "conflicts_blind.md").write_text(render(results), encoding="utf-8")
        return
    result = run(args.part, args.limit)
    result["command"] = "python " + " ".join(sys.argv)
    result["generated"] = datetime.now().isoformat(timespec="seconds")
    summary = {k: v for k, v in result.items() if not k.endswith("_rows")}
    print(json.dumps(summary, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
