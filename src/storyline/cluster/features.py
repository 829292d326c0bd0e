"""What the online clusterer sees of an article, and how it compares an article with a story.

After Miranda et al. 2018 ("Multilingual Clustering of Streaming News", EMNLP; the
`Priberam/news-clustering` code): an article is a bag of terms per *group*, one group for each
kind of term (``tokens``: lower-cased words; ``stems``: Porter stems of content words;
``entities``: capitalised names) and each field (``title``, ``body``, ``all``). A story keeps,
per group, the sum of its articles' unit TF-IDF vectors; the similarity of an article and a
story is one cosine per group. Time enters as Gaussian kernels (3 days wide, as in the paper)
of the distance from the article's date to the story's newest, oldest and mean dates; an
article or story without a date gets the ``time_missing`` indicator and zero kernels, so the
learned weights fall back to the text.

Entities are capitalised-name runs, not spaCy NER: the shipped spaCy model tags tens of
articles a second, and this stage has to keep up with a feed at a thousand
(`bench/results/clustering.md` has the measurement).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from storyline.model import Article
from storyline.text.tokens import STOP_WORDS, stem, words

KINDS = ("tokens", "stems", "entities")
FIELDS = ("title", "body", "all")
GROUPS = tuple(f"{kind}_{field}" for kind in KINDS for field in FIELDS)
TIME_FEATURES = ("newest_time", "oldest_time", "mean_time", "time_missing")
FEATURES = (*GROUPS, *TIME_FEATURES, "inverse_size")
# The tail of long articles drifts off the story (and costs time); the lead says what it is.
LEAD_CHARACTERS = 3000
# Only the heaviest terms of the body are kept: they carry the cosine, the rest is noise+cost.
MAX_BODY_TERMS = 120
TIME_WIDTH_DAYS = 3.0
SECONDS_PER_DAY = 86_400.0
# A capitalised word or run of them not at a sentence start: a name ("Ash Carter", "Mosul").
# The capital first, its context checked behind it (not a word character, not a line start,
# not just after a sentence end): the same matches as the lookbehinds written before it,
# but the regex engine can skip ahead to capitals (three to four times faster).
NAME = re.compile(r"([A-Z](?<![.!?]\s.)(?<!^.)(?<!\w.)[a-z]+(?:\s+[A-Z][a-z]+)*)", re.M)
_NAME_STOP = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "but", "and", "in", "on"})


@dataclass(slots=True)
class PackedTerms:
    """The same counts laid out for the clusterer's arrays (:mod:`storyline.cluster.vectors`).

    ``terms[k]`` are the distinct terms of kind ``KINDS[k]`` (its "all" group, in order); one
    entry per (group, term) follows, group by group and in each group's own order: its group
    number, the term's position in the three ``terms`` lists put end to end, and its
    ``1 + log(tf)``. Computed with the counts, where the article is read (a second core can
    do it), so the clusterer looks each term up once.
    """

    terms: tuple[list[str], list[str], list[str]]
    groups: np.ndarray  # int64, group number (index in GROUPS) of each entry
    positions: np.ndarray  # int64, into the concatenated terms
    tf_weights: np.ndarray  # float64, 1 + log(tf)


@dataclass(slots=True)
class ArticleTerms:
    """Raw term counts of one article per kind and field, and its time (seconds or None)."""

    counts: dict[str, Counter[str]]  # group -> term -> count ("all" groups included)
    time: float | None
    packed: PackedTerms | None = None  # filled by article_terms; pack() for hand-made counts

    def pack(self) -> PackedTerms:
        if self.packed is None:
            self.packed = pack_counts(self.counts)
        return self.packed


def pack_counts(counts: dict[str, Counter[str]]) -> PackedTerms:
    """The counts of the nine groups as one :class:`PackedTerms`."""
    terms: list[list[str]] = []
    groups: list[int] = []
    positions: list[int] = []
    tf: list[int] = []
    offset = 0
    for kind in KINDS:
        everything = list(counts[f"{kind}_all"])
        where = {term: offset + number for number, term in enumerate(everything)}
        for field in FIELDS:
            group = counts[f"{kind}_{field}"]
            groups.extend([GROUPS.index(f"{kind}_{field}")] * len(group))
            positions.extend(map(where.__getitem__, group))
            tf.extend(group.values())
        terms.append(everything)
        offset += len(everything)
    counts_array = np.array(tf, dtype=np.float64)
    return PackedTerms(
        terms=(terms[0], terms[1], terms[2]),
        groups=np.array(groups, dtype=np.int64),
        positions=np.array(positions, dtype=np.int64),
        # (1 + log tf), exactly 1.0 for a term seen once
        tf_weights=np.where(counts_array == 1.0, 1.0, 1.0 + np.log(np.maximum(counts_array, 1))),
    )


def _kind_counts(text: str) -> tuple[Counter[str], Counter[str]]:
    tokens = [w for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
    return Counter(tokens), Counter(map(stem, tokens))


def _names(text: str) -> Counter[str]:
    names: Counter[str] = Counter()
    for match in NAME.finditer(text):
        name = match.group(1).lower()
        if name not in _NAME_STOP:
            names[name] += 1
    return names


def _summed(first: Counter[str], second: Counter[str]) -> Counter[str]:
    total = Counter(second)
    total.update(first)
    return total


def article_terms(article: Article) -> ArticleTerms:
    """Term counts of an article's title and lead, per kind; its publication time."""
    title = article.title or ""
    body = article.text[:LEAD_CHARACTERS]
    # Many feeds repeat the headline as the first line; counting it twice in "all" would only
    # double the title's weight, so the body is taken as it is and "all" is the sum.
    title_tokens, title_stems = _kind_counts(title)
    body_tokens, body_stems = _kind_counts(body)
    title_names, body_names = _names(title), _names(body)
    counts = {
        "tokens_title": title_tokens,
        "tokens_body": body_tokens,
        "tokens_all": _summed(title_tokens, body_tokens),
        "stems_title": title_stems,
        "stems_body": body_stems,
        "stems_all": _summed(title_stems, body_stems),
        "entities_title": title_names,
        "entities_body": body_names,
        "entities_all": _summed(title_names, body_names),
    }
    time = article.published.timestamp() if article.published is not None else None
    return ArticleTerms(counts=counts, time=time, packed=pack_counts(counts))


def inverse_document_frequency(
    terms: Iterable[str], document_frequency: Counter[str], seen: int
) -> dict[str, float]:
    """Smoothed IDF of some terms, from the stream seen so far."""
    top = math.log(1 + seen)
    return {term: top - math.log(1 + document_frequency[term]) + 1.0 for term in terms}


def weigh(
    counts: Counter[str], idf: dict[str, float], limit: int | None = None
) -> dict[str, float]:
    """A unit TF-IDF vector: (1 + log tf) * idf, L2-normalised, the heaviest ``limit`` terms."""
    weights = {
        term: (1.0 if count == 1 else 1.0 + math.log(count)) * idf[term]
        for term, count in counts.items()
    }
    if limit is not None and len(weights) > limit:
        weights = dict(sorted(weights.items(), key=itemgetter(1), reverse=True)[:limit])
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def gaussian(days: float, width: float = TIME_WIDTH_DAYS) -> float:
    return math.exp(-(days * days) / (2.0 * width * width))


def time_features(
    time: float | None, newest: float | None, oldest: float | None, mean: float | None
) -> tuple[float, float, float, float]:
    """Kernels of the article's distance to the story's newest, oldest and mean date."""
    if time is None or newest is None or oldest is None or mean is None:
        return 0.0, 0.0, 0.0, 1.0
    return (
        gaussian((time - newest) / SECONDS_PER_DAY),
        gaussian((time - oldest) / SECONDS_PER_DAY),
        gaussian((time - mean) / SECONDS_PER_DAY),
        0.0,
    )


def sparse_dot(small: dict[str, float], large: dict[str, float]) -> float:
    # The key intersection runs in C over the smaller dict; only shared terms reach Python.
    return sum(small[term] * large[term] for term in small.keys() & large.keys())


__all__ = [
    "FEATURES",
    "FIELDS",
    "GROUPS",
    "KINDS",
    "NAME",
    "TIME_FEATURES",
    "ArticleTerms",
    "PackedTerms",
    "article_terms",
    "gaussian",
    "inverse_document_frequency",
    "pack_counts",
    "sparse_dot",
    "time_features",
    "weigh",
]
