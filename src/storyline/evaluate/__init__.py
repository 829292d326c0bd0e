"""Evaluation harness: ROUGE against human references, peer summarizers, faithfulness.

Heavy optional dependencies (``rouge-score``, ``sumy``, the ``eval`` extra) are imported by the
submodules, never here, so ``import storyline`` does not need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.evaluate.summaries import EvaluationResult

__all__ = ["EvaluationResult", "evaluate_summaries", "render_table", "write_results"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from storyline.evaluate import summaries, summary_report

        module = summary_report if name in ("render_table", "write_results") else summaries
        return getattr(module, name)
    raise AttributeError(name)
