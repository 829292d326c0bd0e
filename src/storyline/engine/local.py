"""The local engine: today's single process, the default, no Ray needed.

It is :meth:`Pipeline.run` itself; the only thing added is that Parquet shards (which the file
reader does not know) are read here first, so both engines accept the same inputs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from storyline.engine.shards import expand_shards, is_parquet, read_shard
from storyline.ingest import Input
from storyline.model import Article, Problem, Report
from storyline.pipeline import Pipeline, Progress


class LocalEngine:
    name = "local"

    def run(
        self, pipeline: Pipeline, inputs: Input | Iterable[Input], *,
        progress: Progress | None = None,
    ) -> Report:
        if isinstance(inputs, str | bytes | os.PathLike | Article):
            inputs = [inputs]
        inputs = list(inputs)
        if not any(is_parquet(i) for i in expand_shards(inputs)):
            return pipeline.run(inputs, progress=progress)
        articles: list[Input] = []
        problems: list[Problem] = []
        for shard in expand_shards(inputs):
            read = read_shard(shard, pipeline.settings, pipeline.reader)
            articles.extend(read.articles)
            problems.extend(read.problems)
        report = pipeline.run(articles, progress=progress)
        report.problems[:0] = problems
        return report


__all__ = ["LocalEngine"]
