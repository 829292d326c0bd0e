"""Which HTML path: plain trafilatura defaults against what storyline might add on top.

The extraction pages are split first (``bench/splits.py``): a fixed blind third is set aside
and scored once, at the end, by the variant chosen on the rest. On the dev part every variant
is scored, and the *choice* is scored out of fold: 5 folds by page, each fold's pages
extracted by the variant that scored best on the other four. Whatever storyline does on top
of trafilatura ships only if that out-of-fold figure beats plain trafilatura.

    .venv/bin/python bench/html_variants.py          # dev figures and the out-of-fold choice
    .venv/bin/python bench/html_variants.py --blind  # the same, plus the blind third, once
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from splits import is_blind  # noqa: E402

from storyline.clean.boilerplate import decide, prepare_lines  # noqa: E402

FOLDS = 5
SEED = 0
Page = dict[str, str]


def _bare(page: Page, **mode: object) -> str:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            page["html"],
            url=page.get("url"),
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            output_format="python",
            **mode,
        )
    except (ValueError, TypeError):
        return ""
    return (document.text or "").strip() if document is not None else ""


def _clean(text: str) -> str:
    """The rule part of storyline's cleaner, as read_html applied it."""
    if not text:
        return ""
    prepared = prepare_lines(text, has_title_line=False)
    decisions = decide(prepared.lines, title=None, model=None, use_model=False)
    body = "\n".join(decisions.kept)
    return body if body.strip() else "\n".join(prepared.lines)


def _prepare_only(text: str) -> str:
    """Spaces normalised and glued sentences repaired, no line removed (captions still out)."""
    return "\n".join(prepare_lines(text, has_title_line=False).lines) if text else ""


def extractions(pages: Sequence[Page]) -> dict[str, list[str]]:
    """Each raw extraction a variant is built from, computed once per page."""
    import trafilatura

    raw: dict[str, list[str]] = {"plain": [], "precision": [], "default": [], "recall": []}
    for page in pages:
        raw["plain"].append(trafilatura.extract(page["html"]) or "")
        raw["precision"].append(_bare(page, favor_precision=True))
        raw["default"].append(_bare(page))
        raw["recall"].append(_bare(page, favor_recall=True))
    return raw


def _ladder(*texts: str) -> str:
    """The first extraction that is not a fragment, as read_html tries the modes in turn."""
    return next((t for t in texts if len(t) >= 80), texts[-1])


def _shorter_fallback(primary: str, fallback: str, ratio: float) -> str:
    return fallback if len(primary) < ratio * len(fallback) else primary


def variants(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every candidate HTML path's output per page, built from the raw extractions."""
    cleaned = {mode: [_clean(t) for t in texts] for mode, texts in raw.items()}
    out: dict[str, list[str]] = {
        "plain trafilatura.extract (defaults)": raw["plain"],
        "precision + clean (storyline before)": cleaned["precision"],
        "precision, no clean": raw["precision"],
        "default, no comments": raw["default"],
        "default + clean": cleaned["default"],
        "favor_recall, no clean": raw["recall"],
        "favor_recall + clean": cleaned["recall"],
        "plain + clean": cleaned["plain"],
        "precision ladder, no clean": [
            _ladder(p, d, r)
            for p, d, r in zip(raw["precision"], raw["default"], raw["recall"], strict=True)
        ],
    }
    out["precision ladder + glue repair only"] = [
        _prepare_only(t) for t in out["precision ladder, no clean"]
    ]
    for ratio in (0.5, 0.7, 0.85):
        out[f"precision + clean, default if < {ratio:.0%} of it"] = [
            _shorter_fallback(p, d, ratio)
            for p, d in zip(cleaned["precision"], raw["default"], strict=True)
        ]
        out[f"precision, plain if < {ratio:.0%} of it"] = [
            _shorter_fallback(p, d, ratio)
            for p, d in zip(raw["precision"], raw["plain"], strict=True)
        ]
    return out


def out_of_fold_choice(
    pages: Sequence[Page],
    outputs: dict[str, list[str]],
    score: Callable[[Sequence[Page], Sequence[str]], dict[str, float]],
) -> tuple[list[str], list[str]]:
    """Each page's output from the variant chosen on the other folds; the fold choices."""
    fold_of = np.random.default_rng(SEED).permutation(len(pages)) % FOLDS
    chosen_output = [""] * len(pages)
    choices = []
    for fold in range(FOLDS):
        train = [i for i in range(len(pages)) if fold_of[i] != fold]
        best = max(
            outputs,
            key=lambda name: score([pages[i] for i in train], [outputs[name][i] for i in train])[
                "f1"
            ],
        )
        choices.append(best)
        for i in range(len(pages)):
            if fold_of[i] == fold:
                chosen_output[i] = outputs[best][i]
    return chosen_output, choices


def run(
    pages: Sequence[Page],
    score: Callable[[Sequence[Page], Sequence[str]], dict[str, float]],
    *,
    blind: bool,
) -> dict[str, object]:
    dev = [p for p in pages if not is_blind(p["id"])]
    held = [p for p in pages if is_blind(p["id"])]
    start = time.perf_counter()
    outputs = variants(extractions(dev))
    rows = []
    for name, texts in outputs.items():
        metrics = score(dev, texts)
        rows.append({"variant": name, **{k: round(v, 4) for k, v in metrics.items()}})
        print(f"dev  {name:<48} " + " ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
    oof, choices = out_of_fold_choice(dev, outputs, score)
    plain = outputs["plain trafilatura.extract (defaults)"]
    oof_metrics = score(dev, oof)
    plain_metrics = score(dev, plain)
    print(f"dev  out-of-fold choice {choices}: " + _fmt(oof_metrics))
    overall = max(outputs, key=lambda name: score(dev, outputs[name])["f1"])
    result: dict[str, object] = {
        "dev_pages": len(dev),
        "blind_pages": len(held),
        "dev_rows": rows,
        "dev_out_of_fold": {k: round(v, 4) for k, v in oof_metrics.items()},
        "dev_plain": {k: round(v, 4) for k, v in plain_metrics.items()},
        "fold_choices": choices,
        "chosen_on_all_dev": overall,
        "seconds": round(time.perf_counter() - start, 1),
    }
    if blind:
        blind_outputs = variants(extractions(held))
        result["blind"] = {
            name: {k: round(v, 4) for k, v in score(held, blind_outputs[name]).items()}
            for name in dict.fromkeys(
                [overall, "plain trafilatura.extract (defaults)",
                 "precision + clean (storyline before)"]
            )
        }  # fmt: skip
        for name, metrics in result["blind"].items():  # type: ignore[union-attr]
            print(f"BLIND {name:<48} " + _fmt(metrics))
    return result


def _fmt(metrics: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.3f}" for k, v in metrics.items())


def main() -> None:
    from extraction import DEFAULT_DATA, load_pages, prf, shingle_match

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--blind", action="store_true", help="also score the blind third, once")
    args = parser.parse_args()

    def score(pages: Sequence[Page], texts: Sequence[str]) -> dict[str, float]:
        return prf([shingle_match(p["article_body"], t) for p, t in zip(pages, texts, strict=True)])

    run(load_pages(args.data), score, blind=args.blind)


if __name__ == "__main__":
    main()
