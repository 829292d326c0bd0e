"""The llm summarizer end to end with a real (tiny) model: SmolLM2-135M-Instruct on CPU behind
``bench/llm_server.py``, on a handful of dev clusters. Reports ROUGE of the verified summary
(and of the extractive one on the same clusters) and the share of generated sentences that
pass verification.

    .venv/bin/python bench/llm_server.py --port 8089 &
    .venv/bin/python bench/llm_end_to_end.py --url http://127.0.0.1:8089/v1 --clusters 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from storyline.evaluate.rouge import score
from storyline.llm.summarizer import ChatClient, LLMSummarizer
from storyline.model import Story
from storyline.settings import Settings
from storyline.stages import resolve

sys.path.insert(0, str(Path(__file__).resolve().parent))
from verifier import RESULTS, articles_of, is_blind, load_clusters


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8089/v1")
    parser.add_argument("--clusters", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(
        summarizer="llm",
        compare=False,  # spaCy over ten documents per cluster does not fit two shared cores
        words=100,
        llm={
            "url": args.url,
            "model": "smollm2-135m",
            "timeout": 600,
            "retries": 0,
            "max_tokens": 200,
            "source_sentences": 8,
        },
    )
    client = ChatClient.from_settings(settings.llm)
    summarizer = LLMSummarizer(client)
    extractive = resolve("summarizer", "storyline")
    # Tuning-part clusters of the verifier bench, DUC 2004 and TAC first (short documents).
    clusters = [c for c in load_clusters(8) if not is_blind(c["id"])]
    clusters.sort(key=lambda c: sum(len(d) for d in c["documents"]))
    rows = []
    for cluster in clusters[: args.clusters]:
        story = Story(id=cluster["id"], articles=articles_of(cluster))
        refs = cluster.get("summaries") or [cluster["summary"]]
        started = time.perf_counter()
        result = summarizer.summarize(story, settings)
        seconds = time.perf_counter() - started
        base = extractive.summarize(story, settings)
        generated = len(result.summary) if result.method == "generated" else 0
        total = generated + len(result.dropped)
        rows.append(
            {
                "cluster": cluster["id"],
                "method": result.method,
                "generated_sentences": total,
                "passed": generated,
                "dropped_reasons": [d.reasons for d in result.dropped],
                "kept": [s.text for s in result.summary] if generated else [],
                "rouge_llm": score([s.text for s in result.summary], refs),
                "rouge_extractive": score([s.text for s in base], refs),
                "seconds": round(seconds, 1),
                "problems": [p.reason for p in result.problems],
                "dropped": [d.text for d in result.dropped],
            }
        )
        print(
            json.dumps(
                {
                    k: rows[-1][k]
                    for k in ("cluster", "method", "generated_sentences", "passed", "seconds")
                }
            ),
            flush=True,
        )
    n_generated = sum(r["generated_sentences"] for r in rows)
    n_passed = sum(r["passed"] for r in rows)

    def mean(key: str, metric: str) -> float:
        return round(100 * sum(r[key][metric] for r in rows) / max(1, len(rows)), 2)

    summary = {
        "model": "SmolLM2-135M-Instruct Q4_1 GGUF via transformers, CPU, greedy",
        "clusters": len(rows),
        "generated_sentences": n_generated,
        "passed_verification": n_passed,
        "pass_rate": round(n_passed / max(1, n_generated), 3),
        "stories_with_a_generated_summary": sum(r["method"] == "generated" for r in rows),
        "rouge2_llm": mean("rouge_llm", "rouge2"),
        "rouge1_llm": mean("rouge_llm", "rouge1"),
        "rouge2_extractive": mean("rouge_extractive", "rouge2"),
        "rouge1_extractive": mean("rouge_extractive", "rouge1"),
        "command": "python bench/llm_end_to_end.py " + " ".join(sys.argv[1:]),
        "note": "timings on a shared 2-core machine",
        "rows": rows,
    }
    (RESULTS / "llm_end_to_end.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
