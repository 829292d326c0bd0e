"""Background document frequencies: IDF that is sensible from the first article of a stream.

A stream's own IDF is noise for its first few hundred articles (every name is "rare"), and
that is when a clusterer opens the stories that everything later joins. The clusterer
therefore starts from document frequencies counted over a background of news articles and
keeps counting the stream on top. ``background_df.json`` beside this module is written by
``python -m storyline.training.cluster`` from the training stream; plain JSON::

    {"format": "storyline-cluster-background", "version": 1, "articles": N,
     "min_df": k, "document_frequency": {"tokens": {term: df}, "stems": {...}, "entities": {...}}}

Terms seen in fewer than ``min_df`` background articles are left out (they count as unseen),
which keeps the file small and says nothing about any single article.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from storyline.cluster.features import KINDS, ArticleTerms

BACKGROUND_PATH = Path(__file__).with_name("background_df.json")
FORMAT = "storyline-cluster-background"
MIN_DF = 3


@dataclass
class Background:
    articles: int = 0
    document_frequency: dict[str, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in KINDS}
    )

    @classmethod
    def count(cls, terms: Iterable[ArticleTerms], min_df: int = MIN_DF) -> Background:
        background = cls()
        for article in terms:
            background.articles += 1
            for kind in KINDS:
                background.document_frequency[kind].update(article.counts[f"{kind}_all"].keys())
        for kind in KINDS:
            background.document_frequency[kind] = Counter(
                {t: n for t, n in background.document_frequency[kind].items() if n >= min_df}
            )
        return background

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": 1,
            "articles": self.articles,
            "min_df": MIN_DF,
            "document_frequency": {
                kind: dict(sorted(self.document_frequency[kind].items())) for kind in KINDS
            },
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path) -> Background:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} file")
        try:
            return cls(
                articles=int(data["articles"]),
                document_frequency={k: Counter(data["document_frequency"][k]) for k in KINDS},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: broken background ({error!r})") from error


@lru_cache(maxsize=1)
def default_background() -> Background:
    """The shipped background, or an empty one when the file is absent."""
    return Background.load(BACKGROUND_PATH) if BACKGROUND_PATH.exists() else Background()


__all__ = ["BACKGROUND_PATH", "Background", "default_background"]
