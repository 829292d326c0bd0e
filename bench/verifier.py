"""Precision and recall of the summary verifier on a labelled set built from real dev clusters.

Supported sentences:
  * ``reference``: sentences of the human reference summaries whose content the sources state
    (labelling rule, independent of the verifier: at least 60% of the sentence's word bigrams
    occur in the cluster's documents and every figure it writes occurs there too);
  * ``reformatted``: true source sentences with figures rewritten (4,600 -> 4600), credited to
    the outlet that printed them ("According to APW, ...").
Unsupported sentences, perturbations of true source and reference sentences:
  ``number`` (a figure changed), ``entity`` (a name swapped for one from another cluster),
  ``outlet`` (credited to an outlet of the cluster that does not state it), ``negation``
  ("not" inserted after the auxiliary), ``quote`` (a paraphrase in quotation marks).

A blind quarter of the clusters (by a hash of the cluster id) is set aside before anything is
tuned; thresholds are chosen on the rest and the blind part is scored once with them.

    .venv/bin/python bench/verifier.py [--per-file 8] [--blind]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from storyline.model import Article
from storyline.text import article_sentences, numbers, words
from storyline.verify import Verifier, VerifierConfig, load_embedder
from storyline.verify.claims import names
from storyline.verify.embed import EMBEDDERS

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mds"
if not DATA.exists():
    DATA = Path("/work/shared/data/mds")
RESULTS = Path(__file__).resolve().parent / "results"
AUX = re.compile(r"\b(is|was|are|were|will|would|has|have|had|can|could|should|may|might)\b ")
OUTLETS = {
    "APW": "Associated Press",
    "NYT": "New York Times",
    "XIE": "Xinhua",
    "FT": "FT",
    "LA": "LA Times",
    "AFP": "AFP",
    "WSJ": "WSJ",
    "FBIS": "FBIS",
    "SJMN": "SJ Mercury",
}


def is_blind(cluster_id: str) -> bool:
    return int(hashlib.sha1(cluster_id.encode()).hexdigest(), 16) % 4 == 0


def load_clusters(per_file: int) -> list[dict]:
    clusters = []
    for path in sorted(DATA.glob("*/dev.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        rows.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        clusters += rows[:per_file]
    return clusters


def articles_of(cluster: dict) -> list[Article]:
    articles = []
    doc_ids = cluster.get("doc_ids") or []
    for k, text in enumerate(cluster["documents"]):
        doc_id = doc_ids[k] if k < len(doc_ids) else ""
        prefix = re.match(r"[A-Z]+", doc_id)
        outlet = OUTLETS.get(prefix.group(), prefix.group()) if prefix else f"Outlet {k + 1}"
        date = re.search(r"(19|20)(\d\d)(\d\d)(\d\d)", doc_id)
        published = None
        if date:
            try:
                published = datetime(int(date[1] + date[2]), int(date[3]), int(date[4]))
            except ValueError:
                published = None
        articles.append(Article(text=text[:20_000], outlet=outlet, published=published))
    return articles


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = words(text)
    return set(pairwise(tokens))


def build_examples(cluster: dict, other_names: list[str], rng: random.Random) -> list[dict]:
    articles = articles_of(cluster)
    source_text = " ".join(a.text for a in articles)
    source_bigrams = _bigrams(source_text)
    source_numbers = numbers(source_text)
    examples: list[dict] = []

    def add(text: str, label: bool, kind: str) -> None:
        examples.append({"cluster": cluster["id"], "text": text, "supported": label, "kind": kind})

    # Supported paraphrases from the references.
    refs = []
    for summary in cluster.get("summaries") or [cluster.get("summary", "")]:
        for start, end in article_sentences(summary):
            sentence = summary[start:end].strip()
            grams = _bigrams(sentence)
            if len(words(sentence)) < 8 or not grams:
                continue
            if (
                len(grams & source_bigrams) / len(grams) >= 0.6
                and numbers(sentence) <= source_numbers
            ):
                refs.append(sentence)
    rng.shuffle(refs)
    for sentence in refs[:4]:
        add(sentence, True, "reference")
    # True source sentences, with perturbations.
    spans = [(a, s, e) for a in articles for s, e in article_sentences(a.text)]
    spans = [(a, a.text[s:e]) for a, s, e in spans if 10 <= len(words(a.text[s:e])) <= 40]
    rng.shuffle(spans)
    outlets = sorted({a.outlet for a in articles if a.outlet})
    for article, sentence in spans[:6]:
        body = sentence[0].lower() + sentence[1:] if not names(sentence[:20]) else sentence
        add(f"According to {article.outlet}, {body}", True, "reformatted")
        figures = re.findall(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{2,}\b", sentence)
        if figures:
            figure = rng.choice(figures)
            value = int(figure.replace(",", ""))
            changed = f"{int(value * rng.choice([1.5, 2, 3, 0.5])) + 1:,}"
            if changed.replace(",", "") not in source_numbers:
                add(sentence.replace(figure, changed, 1), False, "number")
            if "," in figure:  # the same figure written another way is still supported
                add(sentence.replace(figure, figure.replace(",", ""), 1), True, "reformatted")
        mentioned = [n for n in names(sentence) if len(n) > 3]
        if mentioned and other_names:
            target = rng.choice(mentioned)
            swap = rng.choice(other_names)
            if swap.lower() not in source_text.lower():
                add(sentence.replace(target, swap, 1), False, "entity")
        others = [o for o in outlets if o != article.outlet]
        if others:
            other = rng.choice(others)
            other_text = " ".join(a.text for a in articles if a.outlet == other)
            grams = _bigrams(sentence)
            if grams and len(grams & _bigrams(other_text)) / len(grams) < 0.3:
                add(f"According to {other}, {body}", False, "outlet")
        aux = AUX.search(sentence)
        if aux and not re.search(r"\bnot\b|n't\b|\bnever\b|\bno\b", sentence):
            add(sentence[: aux.end()] + "not " + sentence[aux.end() :], False, "negation")
    for sentence in refs[:3]:
        tokens = sentence.rstrip(".").split()
        cut = max(2, len(tokens) // 3)
        quoted = " ".join(tokens[cut:])
        if quoted.lower() not in source_text.lower():
            add(" ".join(tokens[:cut]) + f' said "{quoted}."', False, "quote")
    return examples


def score(examples: list[dict], verifiers: dict[str, Verifier]) -> list[dict]:
    scored = []
    for example in examples:
        verdict = verifiers[example["cluster"]].check(example["text"])
        scored.append(
            {
                **example,
                "coverage": verdict.coverage,
                "similarity": verdict.similarity,
                "reasons": verdict.reasons,
            }
        )
    return scored


def passes(row: dict, coverage: float, similarity: float | None) -> bool:
    """Whether a sentence passes at these thresholds (the whole-sentence reason is re-judged)."""
    hard = [r for r in row["reasons"] if not r.startswith("too little")]
    if hard:
        return False
    if similarity is None or row["similarity"] is None:
        return row["coverage"] >= coverage
    return row["coverage"] >= coverage and row["similarity"] >= similarity


def rates(rows: list[dict], coverage: float, similarity: float | None) -> dict:
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        ok = passes(row, coverage, similarity)
        by_kind[row["kind"]].append(ok == row["supported"])
    supported = [passes(r, coverage, similarity) for r in rows if r["supported"]]
    unsupported = [not passes(r, coverage, similarity) for r in rows if not r["supported"]]
    kept = sum(supported) / max(1, len(supported))
    caught = sum(unsupported) / max(1, len(unsupported))
    # Precision of "supported" (of what passes, how much is truly supported).
    passed_true = sum(supported)
    passed_false = len(unsupported) - sum(unsupported)
    return {
        "supported_kept": round(kept, 3),
        "unsupported_caught": round(caught, 3),
        "precision_of_kept": round(passed_true / max(1, passed_true + passed_false), 3),
        "n_supported": len(supported),
        "n_unsupported": len(unsupported),
        "by_kind": {
            k: {"n": len(v), "correct": round(sum(v) / len(v), 3)}
            for k, v in sorted(by_kind.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-file", type=int, default=8)
    parser.add_argument("--blind", action="store_true", help="score the blind part (once)")
    parser.add_argument("--no-embed", action="store_true")
    parser.add_argument("--embedder", choices=EMBEDDERS, default="model2vec")
    args = parser.parse_args()
    rng = random.Random(26)
    clusters = load_clusters(args.per_file)
    all_names = sorted(
        {n for c in clusters for d in c["documents"][:2] for n in names(d[:3000]) if len(n) > 4}
    )
    embedder = None if args.no_embed else load_embedder(args.embedder)
    examples, verifiers = [], {}
    started = time.perf_counter()
    for cluster in clusters:
        if is_blind(cluster["id"]) != args.blind:
            continue
        cluster_names = [
            n for n in all_names if n.lower() not in " ".join(cluster["documents"]).lower()
        ]
        examples += build_examples(cluster, cluster_names, rng)
        verifiers[cluster["id"]] = Verifier(articles_of(cluster), embedder=embedder)
    rows = score(examples, verifiers)
    elapsed = time.perf_counter() - started
    part = "blind" if args.blind else "tuning"
    config = VerifierConfig()
    sim = config.min_similarity if embedder is not None else None
    cov = config.min_coverage if embedder is not None else config.lexical_only_coverage
    sweep = {}
    if not args.blind:
        for c in [x / 100 for x in range(30, 95, 5)]:
            for s in [None] if embedder is None else [x / 100 for x in range(30, 85, 5)]:
                r = rates(rows, c, s)
                sweep[f"{c:.2f}/{s}"] = (r["supported_kept"], r["unsupported_caught"])
    result = {
        "part": part,
        "clusters": len(verifiers),
        "examples": len(rows),
        "embeddings": args.embedder if embedder is not None else None,
        "thresholds": {"coverage": cov, "similarity": sim},
        "rates": rates(rows, cov, sim),
        "seconds": round(elapsed, 1),
        "command": "python bench/verifier.py " + " ".join(sys.argv[1:]),
        "sweep": sweep,
    }
    name = f"verifier_{part}_{args.embedder if embedder is not None else 'lexical'}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n")
    cache = RESULTS.parent / ".cache"  # per-sentence rows hold dev text: kept out of git
    cache.mkdir(exist_ok=True)
    (cache / f"{name}_rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(json.dumps({k: v for k, v in result.items() if k != "sweep"}, indent=1))
    if sweep:
        best = sorted(sweep.items(), key=lambda kv: -min(kv[1]))[:8]
        print("best thresholds (coverage/similarity: kept, caught):", best)


if __name__ == "__main__":
    main()
