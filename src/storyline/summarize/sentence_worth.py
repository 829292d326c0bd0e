"""How summary-worthy a sentence reads on its own: a learned prior for the coverage objective.

Concept weights (:mod:`.concepts`) judge bigrams, one at a time; some evidence only shows at the
level of a whole sentence: where it sits in its article, how many other sources say the same,
whether it is a quotation, an attribution ("..., he told reporters"), a question or an aside in
brackets, how dense it is in names and figures. Gradient-boosted trees, trained on the dev data
(:mod:`storyline.training.summarize`, which also makes the labels), predict the share of a
sentence's bigrams that a human summary of the story uses; :mod:`.coverage` adds it to a
sentence's gain as ``sentence_weight * worth * words``. Out of fold it adds most on Multi-News,
where summaries lean on a few dense sentences (bench/results/summarization_ablation.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import numpy as np

from storyline.summarize.similarity import SentenceSimilarity
from storyline.summarize.support import MEDIUM_SIMILARITY
from storyline.summarize.units import StorySentences
from storyline.text.sentences import DOUBLE_QUOTE, OPENING_QUOTES
from storyline.text.tokens import STOP_WORDS, cased_words
from storyline.trees import TreeModel

MODEL_FILE = "sentence_model.json"
ATTRIBUTION = frozenset({"said", "says", "told", "according", "added", "stated"})

FEATURES = [
    "position",  # index of the sentence in its article
    "log_position",
    "relative_position",  # 0 first, 1 last
    "words",
    "support_share",  # share of the story's other articles with a sentence saying the same
    "support_articles",
    "centrality",  # cosine of its TF-IDF row with the story's mean row
    "has_quote",
    "opens_with_quote",
    "attribution_words",
    "capitalised_share",  # capitalised words not at the start, per word
    "number_share",
    "stop_word_share",
    "question",
    "bracket",
    "candidate",  # may appear in a summary at all (length and shape)
    "log_story_sentences",
    "story_articles",
]


@dataclass(frozen=True)
class SentenceModel(TreeModel):
    KIND: ClassVar[str] = "sentence-worth-gradient-boosted-trees"
    FEATURES: ClassVar[list[str]] = FEATURES

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Expected share of each sentence's bigrams that a human summary uses (0 to 1)."""
        return np.clip(self.margin(x), 0.0, 1.0)


@lru_cache(maxsize=1)
def default_model() -> SentenceModel | None:
    """The shipped model, or None when it is missing (a lead-position prior then stands in)."""
    return SentenceModel.load_shipped("storyline.summarize", MODEL_FILE)


def features(story: StorySentences, similarity: SentenceSimilarity) -> np.ndarray:
    """One row of :data:`FEATURES` per sentence of the story (``similarity``: the cosines
    between its sentences, :attr:`StorySentences.similarity`)."""
    n_sentences = len(story.sentences)
    if n_sentences == 0:
        return np.zeros((0, len(FEATURES)))
    n_articles = max(1, len(story.articles))
    support = _supporting_articles(story, similarity)
    rows = []
    for sentence in story.sentences:
        text = sentence.text.strip()
        tokens = cased_words(text)
        n_tokens = max(1, len(tokens))
        lowered = [t.lower() for t in tokens]
        rows.append(
            [
                DOUBLE_QUOTE.search(text) is not None,
                text.startswith(OPENING_QUOTES),
                sum(t in ATTRIBUTION for t in lowered),
                sum(i > 0 and t[:1].isupper() for i, t in enumerate(tokens)) / n_tokens,
                sum(any(c.isdigit() for c in t) for t in tokens) / n_tokens,
                sum(t in STOP_WORDS for t in lowered) / n_tokens,
                text.rstrip("\"'”’").endswith("?"),
                "(" in text,
            ]
        )
    shape = np.array(rows, dtype=float)
    return np.column_stack(
        [
            story.position,
            np.log1p(story.position),
            story.relative_position,
            story.n_words,
            support / n_articles,
            support,
            story.centrality,
            shape,
            story.is_candidate,
            np.full(n_sentences, np.log(n_sentences)),
            np.full(n_sentences, n_articles),
        ]
    ).astype(float)


def _supporting_articles(story: StorySentences, similarity: SentenceSimilarity) -> np.ndarray:
    """For each sentence, how many other articles have a sentence at least a paraphrase close."""
    return similarity.other_articles_at_least(MEDIUM_SIMILARITY)
