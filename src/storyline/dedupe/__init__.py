"""Dedupe: drop exact and near-duplicate copies (syndicated wire stories, re-posts).

Near duplicates are found with MinHash LSH (datasketch) over word 5-shingles; the copy kept is the
one with the most metadata, then the longest text, so the digest cites the richest version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.model import Article, Duplicate
from storyline.settings import Settings
from storyline.stages import Deduplicated, register
from storyline.text import words

if TYPE_CHECKING:
    from datasketch import MinHash

NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE = 5
PERMUTATIONS = 128


def _shingles(text: str) -> set[bytes]:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)}


def _richness(article: Article) -> tuple[int, int]:
    metadata = sum(v is not None for v in (article.outlet, article.title, article.published))
    return metadata, len(article.text)


def _sources(dropped: Article, kept: Article) -> dict[str, str]:
    """Where each copy was read from, so a report can name the files, not only the ids."""
    return {
        "dropped_source": dropped.source or dropped.url or dropped.id,
        "kept_source": kept.source or kept.url or kept.id,
    }


def dedupe(
    articles: Sequence[Article],
    *,
    threshold: float = NEAR_DUPLICATE_JACCARD,
    permutations: int = PERMUTATIONS,
    signatures_given: Sequence[MinHash] | None = None,
) -> Deduplicated:
    """Drop copies, keeping the richest version of each. ``signatures_given`` are the
    articles' MinHash signatures when an engine computed them elsewhere (in parallel)."""
    # Imported here: datasketch pulls in scipy (about 0.4 s), which the commands that never
    # dedupe (``storyline stories``, ``show``) need not pay.
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=permutations)
    kept: dict[str, Article] = {}
    signatures: dict[str, MinHash] = {}
    result = Deduplicated(articles=[])
    # Richest first, so that the copy kept is the richest one; the input order is restored below.
    order = sorted(range(len(articles)), key=lambda i: _richness(articles[i]), reverse=True)
    keep_positions: list[int] = []
    for position in order:
        article = articles[position]
        if article.id in kept:
            result.dropped.append(
                Duplicate(
                    dropped=article.id,
                    kept=article.id,
                    reason="exact duplicate",
                    **_sources(article, kept[article.id]),
                )
            )
            continue
        if signatures_given is not None:
            signature = signatures_given[position]
        else:
            signature = MinHash(num_perm=permutations)
            signature.update_batch(list(_shingles(article.text)))
        matches = lsh.query(signature)
        if matches:
            best = max(matches, key=lambda key: signature.jaccard(signatures[key]))
            score = signature.jaccard(signatures[best])
            result.dropped.append(
                Duplicate(
                    dropped=article.id,
                    kept=best,
                    reason=f"near duplicate (estimated Jaccard {score:.2f})",
                    **_sources(article, kept[best]),
                )
            )
            continue
        lsh.insert(article.id, signature)
        signatures[article.id] = signature
        kept[article.id] = article
        keep_positions.append(position)
    result.articles = [articles[i] for i in sorted(keep_positions)]
    return result


@register("deduper", "minhash")
class MinHashDeduper:
    """The default deduper: exact copies, and near copies by MinHash LSH over 5-shingles."""

    def dedupe(self, articles: list[Article], settings: Settings) -> Deduplicated:
        return dedupe(
            articles,
            threshold=settings.dedupe.jaccard,
            permutations=settings.dedupe.permutations,
        )


__all__ = ["Deduplicated", "MinHashDeduper", "dedupe"]
