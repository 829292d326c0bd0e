"""Benchmark for ``storyline.compare``: conflict precision/recall and quote-speaker accuracy.

Three measurements, all offline:

1. **Changed-number test** (automatic): in real multi-source clusters
   (``../shared/data/mds/*/dev.jsonl``) find a number or day date that two articles state
   about the same thing (same value, same counted noun or unit, similar sentences; incidental
   numbers such as years, ages, flight numbers, times and ranges are skipped: see "The
   selection rule" below), change it in one article (every occurrence counting the same thing;
   x1.5, x2 or down when a hedge could absorb the change; a later day for a date), and check
   that exactly that conflict is reported (recall) and which other conflicts appear that the
   untouched cluster did not have (false positives). Untouched clusters are also counted for
   any conflict at all. Rules were tuned on ``--tune`` (multinews); the reported figure is on
   the held-out ``--report`` sets (DUC 2003/2004/2007, TAC 2011).
2. **Hand-labelled clusters** (``bench/data/compare_gold.jsonl``, multinews, so tuning data):
   conflicts and agreements labelled by reading the clusters; reported conflicts are matched
   to the labels by sentence.
3. **Quote speakers**: gold speakers for the quotes of the bundled example and of labelled
   clusters, compared with the resolved speaker.

Run: ``.venv/bin/python bench/compare.py`` (writes ``bench/results/compare.md`` and ``.json``).

The changed-number test's selection rule uses storyline's own notion of "the same thing";
``bench/conflicts_blind.py`` complements it with cases chosen independently of storyline
(sentences sharing most of their words) on a blind third of all dev clusters.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from storyline.compare import compare_story
from storyline.compare.schema import Comparison
from storyline.model import Article, Story
from storyline.text.tokens import STOP_WORDS, content_words, stem, words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"
GOLD = ROOT / "bench" / "data" / "compare_gold.jsonl"
QUOTE_GOLD = ROOT / "bench" / "data" / "compare_quote_gold.jsonl"
# Conflicts reported on untouched clusters, judged by hand: right (the sources really give
# incompatible figures for the same thing) or wrong. New conflicts show up as unjudged.
JUDGED = ROOT / "bench" / "data" / "compare_untouched_judged.jsonl"
IRAQ = ROOT / "tests" / "fixtures" / "compare" / "iraq_articles.json"
RESULTS = ROOT / "bench" / "results"


def load_clusters(names: list[str]) -> list[dict[str, Any]]:
    clusters = []
    for name in names:
        path = DATA / name / "dev.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            cluster["set"] = name
            clusters.append(cluster)
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


# The selection rule of the changed-number test. A number qualifies only when it is a fact
# two sources state about the same thing, so that changing it in one of them is a real
# disagreement and not a coincidence of digits:
#
# * an integer of 2 or more ("12", "4,600", "$500"), or a day date ("March 2", "Nov. 16");
# * not a year (a 4-digit 1000-2100 without a comma or currency), a time ("10:30", "9 p.m."),
#   an ordinal ("21st"), a range ("10-15", "50 to 100", "between 25 and 30"), a decimal, an
#   age ("45-year-old", "aged 45", "Smith, 45,", "he is 64"), or an identifier: a number right
#   after a capitalised word ("Flight 447", "Boeing 747", "Route 66") or "No."/"Nos."/"#";
# * the counted thing is the same: the word right after the number (skipping "more",
#   "additional" and scale words; "%"/"percent" and currency signs count as units) is a
#   content word with the same stem in both sentences ("64 and came" counts nothing);
# * the two sentences are similar: TF-IDF cosine (IDF over the cluster's sentences, numbers
#   removed) >= 0.25, >= 0.4 for generic units (percent, money, time spans, distances), and
#   at least two shared content stems besides the counted noun (three for dates, month and
#   weekday names not counted);
# * a date in a dateline ("BUDAPEST, March 17 (Xinhua) --") or a stand-alone date line
#   ("Saturday, January 1, 2005") is not a fact of the story;
# * a conversion in parentheses ("30 kilometers (18 miles)") is not selected: it restates the
#   figure before it, and changing it alone makes the article contradict itself.
#
# Among the qualifying pairs the one with the most similar sentences is changed.
_NUM = re.compile(r"(?<![\d.,:/\w-])(\$|£|€)?(\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d|\.\d|[:/\w-]\d|\w)")
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
)
_DAYDATE = re.compile(rf"(?<!\w)({_MONTHS})\s+(\d{{1,2}})\b(?!,\d|\d|:)")
_DATE_WORDS = frozenset(
    stem(w)
    for w in "january february march april may june july august september october november "
    "december monday tuesday wednesday thursday friday saturday sunday".split()
)
_DATELINE = re.compile(r"^\W*(?:[A-Z][A-Z .'-]+,\s*(?:[A-Z][\w.]+,?\s*)?)?\W*$")
_SKIP_AFTER = frozenset(
    "more additional extra new million billion thousand hundred trillion".split()
)
_GENERIC_THINGS = frozenset(
    [stem(w) for w in "year day hour minute week month mile kilometer meter foot".split()]
    + ["percent", "$", "£", "€"]
)
_IDENT_BEFORE = re.compile(r"(?:\b(?:Nos?\.?|number|#)\s*|\b[A-Z][\w-]*\s+)$")
_TIME_AFTER = re.compile(
    r"^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|GMT|EST|ET|PT)\b|^(?:st|nd|rd|th)\b", re.I
)
_RANGE_AFTER = re.compile(r"^\s*(?:%|percent)?\s*(?:-|–|to|and|or)\s*\$?\d")
_RANGE_BEFORE = re.compile(r"\d\s*(?:%|percent)?\s*(?:-|–|to|and|or)\s*\$?$|\bbetween\s*\$?$")
SIMILAR = 0.25
SIMILAR_GENERIC = 0.4


def _counted(after: str, unit: str) -> str:
    """Stem of what a number counts, read from the word right after it."""
    if unit:
        return unit
    if re.match(r"\s*(?:%|per ?cent)", after, re.I):
        return "percent"
    for w in words(after)[:3]:
        if w in _SKIP_AFTER:
            continue
        if w in STOP_WORDS or not w.isalpha():
            return ""
        return stem(w)
    return ""


def _qualifies(text: str, m: re.Match[str], sent_start: int) -> bool:
    value = int(m.group(2).replace(",", ""))
    digits = m.group(2)
    if value < 2 or (len(digits) == 4 and 1000 <= value <= 2100 and not m.group(1)):
        return False
    before = text[max(sent_start, m.start() - 25) : m.start()]
    if re.search(r"\d[^()\d]{0,25}\(\s*\$?$", before):
        return False  # "30 kilometers (18 miles)": a conversion of the figure before it
    after = text[m.end() : m.end() + 20]
    if _TIME_AFTER.match(after) or _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before):
        return False
    if before.endswith(("-", "–")) or re.search(rf"(?:{_MONTHS})\s*$", before):
        return False
    # Capitalised word just before: "Flight 447", but not the sentence's first word ("About 500").
    ident = _IDENT_BEFORE.search(before)
    if ident and not m.group(1) and text[sent_start : m.start()].strip() != ident.group(0).strip():
        return False
    if re.match(r"\s*,", after) and re.search(r"[A-Z]\w+,\s*$", before):
        return False  # "John Smith, 45, said"
    age_after = re.match(r"\s*(?:-|‑)?\s*years?[- ]old", after)
    return not (age_after or re.search(r"\b(?:aged?|is|was|turns|turned)\s*$", before))


def _is_dateline(sentence: str, m: re.Match[str], sent_start: int) -> bool:
    head = sentence[: m.start() - sent_start]
    rest = sentence[m.end() - sent_start :]
    if _DATELINE.match(head) and (re.match(r"\s*\(", rest) or re.match(r"\s*,?\s*\d{4}\W*$", rest)):
        return True
    return bool(re.fullmatch(r"\W*(?:\w+,?\s*)?$", head)) and bool(
        re.fullmatch(r",?\s*\d{4}\W*", rest)
    )


def _tfidf(sentences: list[str]) -> list[dict[str, float]]:
    import math
    from collections import Counter

    bags = [Counter(_stems_list(s)) for s in sentences]
    df: Counter[str] = Counter(w for b in bags for w in b)
    n = len(bags)
    vectors = []
    for b in bags:
        v = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in b.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def _stems_list(text: str) -> list[str]:
    return [w for w in content_words(text) if not any(c.isdigit() for c in w)]


def _stems(text: str) -> set[str]:
    return set(_stems_list(text))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def find_shared_number(story: Story) -> dict[str, Any] | None:
    """The number (or day date) two articles state about the same thing; see the rule above."""
    from storyline.text.sentences import split_sentences

    sents = []
    for a in story.articles:
        for s, e in split_sentences(a.text):
            sents.append((a, s, e))
    vectors = _tfidf([a.text[s:e] for a, s, e in sents])
    # Occurrences per (value, counted thing): a number is only compared with the same number.
    found: dict[tuple[str, str, str], list[tuple[int, re.Match[str]]]] = {}
    for i, (a, s, e) in enumerate(sents):
        text = a.text
        for m in _NUM.finditer(text, s, e):
            if not _qualifies(text, m, s):
                continue
            thing = _counted(text[m.end() : min(e, m.end() + 40)], m.group(1) or "")
            if thing:
                found.setdefault(("number", m.group(2), thing), []).append((i, m))
        for m in _DAYDATE.finditer(text, s, e):
            if not _is_dateline(text[s:e], m, s):
                found.setdefault(("date", m.group(0), ""), []).append((i, m))
    best = None
    for (kind, token, thing), occurrences in sorted(found.items()):
        for x, (i, m) in enumerate(occurrences):
            a, s, e = sents[i]
            for j, _m2 in occurrences[x + 1 :]:
                b, s2, e2 = sents[j]
                if b.id == a.id:
                    continue
                shared = (_stems(a.text[s:e]) & _stems(b.text[s2:e2])) - {thing} - _DATE_WORDS
                # Rounded: identical sentences must tie at 1.0 whatever the float noise, so the
                # first in sorted order wins and the case does not flip with unrelated edits.
                cos = round(_cosine(vectors[i], vectors[j]), 6)
                generic = kind == "date" or thing in _GENERIC_THINGS
                if cos < (SIMILAR_GENERIC if generic else SIMILAR):
                    continue
                if len(shared) < (3 if kind == "date" else 2):
                    continue
                if best is None or cos > best["score"]:
                    span = m.span(2) if kind == "number" else m.span(0)
                    best = {
                        "article": a.id,
                        "start": span[0],
                        "end": span[1],
                        "token": token,
                        "kind": kind,
                        "thing": thing,
                        "other": b.id,
                        "other_sentence": (s2, e2),
                        "sentence": a.text[s:e],
                        "other_text": b.text[s2:e2],
                        "score": round(cos, 3),
                    }
    return best


_CEILING = re.compile(
    r"\b(?:up to|as many as|as much as|at most|no more than|less than|fewer than|under|below)"
    r"\s*\$?$",
    re.I,
)
_FLOOR = re.compile(
    r"\b(?:more than|over|at least|above|in excess of|upwards of|nearly|almost|some|about|"
    r"around|approximately|roughly|an estimated)\s*\$?$",
    re.I,
)


def perturb(token: str, kind: str, own_before: str = "", other_before: str = "") -> str:
    """The changed value: later by 3 days for a date; for a number x1.5 up (x0.6 down), or x2
    (x0.4) when either wording is hedged, in the direction the hedges cannot absorb ("as many
    as 300,000" is changed down, and so is a figure the other source calls "more than
    300,000" unless this one is a lower bound too)."""
    if kind == "date":
        month, day = token.rsplit(" ", 1)
        return f"{month} {int(day) % 28 + 3}"
    value = int(token.replace(",", ""))
    hedged = any(r.search(t) for r in (_CEILING, _FLOOR) for t in (own_before, other_before))
    own_floor = bool(_FLOOR.search(own_before))
    down = bool(_CEILING.search(own_before)) or bool(
        _FLOOR.search(other_before) and not own_floor and not _CEILING.search(other_before)
    )
    if down and value >= 4:
        new = round(value * (0.4 if hedged else 0.6))
    elif value < 4:
        new = value + 5
    else:
        new = round(value * (2 if hedged else 1.5))
    return f"{new:,}" if "," in token else str(new)


def _replace_same_fact(text: str, shared: dict[str, Any], new_token: str) -> str:
    """Change every occurrence of the value that counts the same thing in that article.

    A source that reports another figure does so throughout, and an article that states both
    values is not in conflict with itself; other numbers that happen to share the digits
    ("12 people" and "December 12") stay as they are.
    """
    from storyline.text.sentences import split_sentences

    pieces, last = [], 0
    for s, e in split_sentences(text):
        if shared["kind"] == "date":
            matches = [m for m in _DAYDATE.finditer(text, s, e) if m.group(0) == shared["token"]]
            spans = [m.span(0) for m in matches]
        else:
            spans = [
                m.span(2)
                for m in _NUM.finditer(text, s, e)
                if m.group(2) == shared["token"]
                and _counted(text[m.end() : min(e, m.end() + 40)], m.group(1) or "")
                == shared["thing"]
            ]
        for a, b in spans:
            pieces += [text[last:a], new_token]
            last = b
    return "".join(pieces) + text[last:]


def conflict_key(cluster_id: str, values: list[Any]) -> str:
    """A reported conflict by its cluster and (article number, value) pairs, order-free."""
    pairs = sorted(f"{v.article_id.rsplit('#', 1)[-1]}: {v.value}" for v in values)
    return f"{cluster_id} | " + " ; ".join(pairs)


def load_judgements() -> dict[str, dict[str, str]]:
    if not JUDGED.exists():
        return {}
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines() if line]
    return {row["key"]: row for row in rows}


def judge_untouched(untouched: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision of the conflicts reported on untouched clusters, by the hand judgements."""
    judged = load_judgements()
    right = wrong = 0
    unjudged = []
    for entry in untouched:
        for key in entry["keys"]:
            verdict = judged.get(key, {}).get("verdict")
            if verdict == "right":
                right += 1
            elif verdict == "wrong":
                wrong += 1
            else:
                unjudged.append(key)
    return {
        "right": right,
        "wrong": wrong,
        "unjudged": unjudged,
        "precision": round(right / (right + wrong), 3) if right + wrong else None,
    }


def _conflict_rows(comparison: Comparison) -> list[list[str]]:
    return [
        [
            f"{v.article_id.rsplit('#', 1)[-1]}: {v.phrase or v.value} | {v.text[:160]}"
            for v in c.values
        ]
        for c in comparison.conflicts
        if c.status == "conflict"
    ]


def changed_number_test(clusters: list[dict[str, Any]]) -> dict[str, Any]:
    tp = fn = spurious = untouched_with_conflicts = untouched_conflicts = tried = 0
    cases = []
    untouched: list[dict[str, Any]] = []
    for cluster in clusters:
        story = cluster_story(cluster)
        if len(story.articles) < 2:
            continue
        base = compare_story(story)
        n_base = sum(1 for c in base.conflicts if c.status == "conflict")
        untouched_conflicts += n_base
        untouched_with_conflicts += n_base > 0
        if n_base:
            untouched.append(
                {
                    "cluster": cluster["id"],
                    "conflicts": _conflict_rows(base),
                    "keys": [
                        conflict_key(cluster["id"], c.values)
                        for c in base.conflicts
                        if c.status == "conflict"
                    ],
                }
            )
        shared = find_shared_number(story)
        if shared is None:
            continue
        tried += 1
        texts = [a.text for a in story.articles]
        idx = next(i for i, a in enumerate(story.articles) if a.id == shared["article"])
        own_text = next(a.text for a in story.articles if a.id == shared["article"])
        other_pos = shared["other_text"].find(shared["token"])
        new_token = perturb(
            shared["token"],
            shared["kind"],
            own_text[max(0, shared["start"] - 30) : shared["start"]],
            shared["other_text"][max(0, other_pos - 30) : max(0, other_pos)],
        )
        texts[idx] = _replace_same_fact(texts[idx], shared, new_token)
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
            # A third source that states the original value too is an equally true conflict.
            hits_original = any(
                v.article_id != shared["article"] and shared["token"] in v.text for v in c.values
            )
            if hits_change and hits_other:
                found = True
            elif hits_change and hits_original:
                continue
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
                "thing": shared["thing"],
                "similarity": shared["score"],
                "sentence": shared["sentence"][:200],
                "other_sentence": shared["other_text"][:200],
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
        "untouched": untouched,
        "untouched_judged": judge_untouched(untouched),
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


def iraq_checks(runs: int = 5) -> dict[str, Any]:
    import statistics

    from storyline.compare import analysis

    story = iraq_story()
    walls, cpus = [], []
    for _ in range(runs):
        clear = getattr(analysis, "clear_cache", None)
        if clear is not None:
            clear()  # time a cold story, not documents parsed by the previous run
        start, cpu = time.perf_counter(), time.process_time()
        comparison = compare_story(story)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    troops = next((c for c in comparison.conflicts if "personnel" in c.subject), None)
    return {
        "seconds": round(statistics.median(walls), 2),
        "cpu_seconds": round(statistics.median(cpus), 2),
        "runs": runs,
        "conflicts": [
            (c.subject, c.status, [v.value for v in c.values]) for c in comparison.conflicts
        ],
        "troop_total_group_outlets": [v.outlet for v in troops.values] if troops else [],
        "agreed": [(f.value, f.sources) for f in comparison.facts],
    }


TUNE_SETS = "multinews_sample100"
REPORT_SETS = "duc2003,duc2004_task2_partial,duc2007_update,tac2011_multiling_en"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune", default=TUNE_SETS, help="sets the rules were tuned on")
    parser.add_argument("--report", default=REPORT_SETS, help="held-out sets for the figure")
    parser.add_argument("--limit", type=int, default=0, help="clusters per run (0 = all)")
    parser.add_argument("--skip-tune", action="store_true", help="held-out sets only")
    args = parser.parse_args()
    tune = load_clusters(args.tune.split(","))
    held = load_clusters(args.report.split(","))
    by_id = {c["id"]: c for c in tune + held}
    t0 = time.perf_counter()
    from storyline.compare import nlp

    nlp.load()
    report: dict[str, Any] = {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "command": ".venv/bin/python bench/compare.py " + " ".join(sys.argv[1:]),
        "tune_sets": args.tune,
        "report_sets": args.report,
        "iraq": iraq_checks(),
    }
    if not args.skip_tune:
        report["changed_number_tune"] = changed_number_test(tune[: args.limit or None])
    report["changed_number"] = changed_number_test(held[: args.limit or None])
    report["per_set"] = {
        name: _per_set(report["changed_number"], held, name) for name in args.report.split(",")
    }
    report["gold"] = gold_test(by_id)
    report["quotes"] = quote_test(by_id)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "compare.md").write_text(render(report), encoding="utf-8")
    print(render(report))


def _per_set(result: dict[str, Any], clusters: list[dict[str, Any]], name: str) -> str:
    ids = {c["id"] for c in clusters if c["set"] == name}
    cases = [c for c in result["cases"] if c["cluster"] in ids]
    found = sum(c["found"] for c in cases)
    spurious = sum(c["spurious"] for c in cases)
    return f"{found}/{len(cases)} found, {spurious} spurious"


def _changed_rows(cn: dict[str, Any]) -> list[str]:
    j = cn["untouched_judged"]
    return [
        f"Clusters run: {cn['clusters']}; perturbed (a shared fact found by the selection rule): "
        f"{cn['perturbed']}.",
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
        f"| conflicts on untouched clusters judged right / wrong / not yet judged "
        f"(`{JUDGED.relative_to(ROOT)}`) | {j['right']} / {j['wrong']} / {len(j['unjudged'])} |",
        f"| precision of conflicts on untouched clusters (judged ones) | {j['precision']} |",
        "",
    ]


def render(r: dict[str, Any]) -> str:
    cn, gold, q = r["changed_number"], r["gold"], r["quotes"]
    out = [
        "# storyline.compare benchmark",
        "",
        f"Generated {r['generated']} with `{r['command']}` ({r['seconds']} s in all).",
        "",
        f"Rules were tuned on `{r['tune_sets']}` and the hand-labelled clusters (also multinews);"
        f" the changed-number figure is reported on the held-out `{r['report_sets']}` dev sets.",
        "",
        "## Changed-number test, held-out clusters (the reported figure)",
        "",
        "A number or day date that two articles state about the same thing (same value, same "
        "counted noun or unit, similar sentences; see the selection rule in `bench/compare.py`) "
        "is changed in one article (x1.5, x2 or down where a hedge could absorb the change; a "
        "later day for a date), and the comparison must report exactly that conflict. "
        "The conflicts reported on the untouched held-out clusters (all four sets) were read "
        "and judged by hand while fixing precision, so these sets are no longer blind: the "
        "rules added then (periods, named subjects, times of day, date lines, speeds, "
        "strict conflict groups) are general, but treat the figures as development figures.",
        "",
        *_changed_rows(cn),
        "Per set: " + "; ".join(f"{k}: {v}" for k, v in r.get("per_set", {}).items()) + ".",
        "",
    ]
    if "changed_number_tune" in r:
        out += [
            "## Changed-number test, tuning clusters",
            "",
            *_changed_rows(r["changed_number_tune"]),
        ]
    if gold:
        out += [
            "## Hand-labelled clusters (`bench/data/compare_gold.jsonl`, tuning data)",
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
        f"compare_story: {iraq['seconds']} s wall, {iraq.get('cpu_seconds', '?')} s CPU for 5 "
        "articles (CPU only, model already loaded, no cached documents; median of "
        f"{iraq.get('runs', 1)} runs; the machine was shared with other jobs).",
        f"Troop-total conflict group: {', '.join(iraq['troop_total_group_outlets'])}.",
        f"Agreed: {iraq['agreed']}.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    main()
