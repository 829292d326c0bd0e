"""storyline's default extractive summarizer: cover what many sources say, within a word budget.

A *concept* is a stemmed word bigram (not two stop words). Its weight is learned: the
probability, from :mod:`.concept_model`, that a human summary of the story would use it, judged
from how the story's articles use it (how many articles, how early, in whose leads, how specific
it is; :mod:`.concepts`), after supervised bigram weighting (Li, Qian & Liu 2013). A fact that
several sources state early is worth more than one that a single source mentions in passing.
Without the shipped model (or with ``weights="articles"``) the weight is the number of articles
that use it, 0 when only one does, x1.5 when some article's lead does (with fewer than three
articles, the count of sentences using it stands in).

Sentences are chosen greedily by the weight of concepts they add that are not covered yet, plus
a prior for the sentence as a whole, per word of length (concept-coverage summarization, after
Gillick & Favre 2009, solved greedily; an exact MILP solver gained little and was slower, see
bench/results/summarization_ablation.md). The prior is the learned sentence worth of
:mod:`.sentence_worth` (position, support across sources, quotation, attribution...) times the
sentence's length, or without that model a lead-position prior. A sentence that restates a
chosen one (the citation rule of :mod:`support`) is never added: it only adds citations to the
sentence already chosen. A sentence that leans on an earlier one - it opens with a personal
pronoun ("He was arrested Oct. 16 ..."), "it" or a demonstrative ("That earthquake killed ...")
or a connective ("In contrast only 600 whites were killed."), or a pronoun is its speaker
("..., he added.") - is only added when the summary has one of the two sentences before it in
its own article, where the reader meets who "he" is, and the summary shows it right after that
sentence (:func:`.extractive.reading_order`): a summary must not leave the reader to guess (its
ROUGE cost is within fold noise, bench/results/summarization_ablation.md).

With a ``query`` (a question or topic: ``digest(..., query=...)``), concepts and sentences are
weighed up by their TF-IDF relevance to it, as query-focused concept summarizers do: a
sentence's prior and a concept's weight are multiplied by ``1 + query_weight * relevance``
(relevance in [0, 1], 1 for the story's sentence closest to the query; a concept takes the
relevance of its most relevant sentence). A query that shares no word with the story changes
nothing. Out of fold on DUC 2006, the one dev file with its topics, this adds 0.5 to 0.65
ROUGE-2 and 0.8 to 0.9 ROUGE-1 (bench/results/summarization_ablation.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import sparse

from storyline.summarize import sentence_worth
from storyline.summarize.concept_model import ConceptModel, default_model
from storyline.summarize.concepts import (
    Concepts,
    article_counts,
    column_max,
    extract,
    features,
)
from storyline.summarize.sentence_worth import SentenceModel
from storyline.summarize.similarity import SentenceSimilarity
from storyline.summarize.support import normalised, restates
from storyline.summarize.units import StorySentences, needs_context

SINGLE_ARTICLE_LEAD_FACTOR = 4.0


@dataclass(frozen=True)
class CoverageConfig:
    """The knobs of the objective; bench/summarization_ablation.py measures each one."""

    # A sentence's prior: sentence_weight * its learned worth * its words, from the shipped
    # sentence model; without one (or with weights="articles"), the lead prior
    # position_weight / sqrt(1 + position) stands in.
    sentence_weight: float = 8.0
    position_weight: float = 10.0
    length_exponent: float = 0.7  # gain per word**exponent: 0 ignores length, 1 is gain per word
    # A summary should read as several sentences, not two long ones: sentences longer than
    # budget / target_sentences words, and than concise_words, pay an extra
    # (words / that length) ** long_penalty. 25 words is about an average news sentence.
    target_sentences: int = 5
    long_penalty: float = 1.0
    concise_words: float = 25.0
    min_articles: int = 2  # a concept counts when this many articles use it
    lead_bonus: float = 0.5  # extra weight of concepts that some article states in its lead
    lead_sentences: int = 3
    skip_restatements: bool = True
    # A sentence that leans on an earlier one ("He ...", "But ...", "..., she said") needs an
    # earlier sentence of its article in the summary (units.needs_context), at most
    # context_reach sentences before it (None: anywhere before it).
    pronoun_context: bool = True
    context_reach: int | None = 2
    # "learned": a concept weighs learned_scale * (P(a human summary uses it) - learned_floor),
    # from the shipped concept model; "articles": the number of articles using it (with
    # min_articles and the lead bonus), also the fallback when no model is shipped.
    weights: Literal["learned", "articles"] = "learned"
    learned_scale: float = 50.0
    learned_floor: float = 0.0
    # With a query: priors and concept weights x (1 + query_weight * relevance to the query).
    query_weight: float = 2.0
    model: ConceptModel | None = field(default=None, compare=False, repr=False)
    sentence_model: SentenceModel | None = field(default=None, compare=False, repr=False)


def concept_matrix(
    story: StorySentences, min_articles: int = 2
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Binary sentence x concept matrix, and each concept's weight by article count."""
    found = extract(story)
    if not found.size:
        return found.matrix, np.zeros(0)
    return found.matrix, _article_weights(story, found.matrix, min_articles)


def concept_weights(
    story: StorySentences,
    found: Concepts,
    config: CoverageConfig,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Each concept's worth in the objective: learned, or the count of articles using it.

    With ``rows`` (a sentence mask), learned weights are only computed for the concepts those
    sentences use, the others weigh 0: concepts of sentences that cannot be chosen never add.
    """
    if not found.size:
        return np.zeros(0)
    model = config.model or (default_model() if config.weights == "learned" else None)
    if config.weights == "learned" and model is not None:
        x = features(story, found)
        weights = np.zeros(found.size)
        used = np.ones(found.size, dtype=bool)
        if rows is not None:
            used = np.asarray(found.matrix[np.flatnonzero(rows)].sum(axis=0)).ravel() > 0
        probability = model.predict(x[used])
        weights[used] = config.learned_scale * np.maximum(0.0, probability - config.learned_floor)
        return weights
    weights = _article_weights(story, found.matrix, config.min_articles)
    return weights * _lead_bonus(story, found.matrix, config)


def _lead_bonus(
    story: StorySentences, matrix: sparse.csr_matrix, config: CoverageConfig
) -> np.ndarray:
    """Journalists put what matters first: concepts of some article's lead weigh more."""
    lead_rows = np.flatnonzero(story.position < config.lead_sentences)
    in_lead = np.asarray(matrix[lead_rows].sum(axis=0)).ravel() > 0
    return 1.0 + config.lead_bonus * in_lead


def _article_weights(
    story: StorySentences, matrix: sparse.csr_matrix, min_articles: int
) -> np.ndarray:
    if len(story.articles) >= 3:
        weights = article_counts(story, matrix)
        weights[weights < min_articles] = 0.0
    else:
        # Too few sources to vote: repetition across sentences shows what the story is about.
        weights = np.asarray(matrix.sum(axis=0)).ravel()
        weights[weights < 2] = 0.0
    return weights


def sentence_prior(
    story: StorySentences, similarity: SentenceSimilarity, config: CoverageConfig
) -> np.ndarray:
    """What each sentence is worth on its own, added to the concepts it covers."""
    model = config.sentence_model
    if model is None and config.weights == "learned":
        model = sentence_worth.default_model()
    if model is None or not config.sentence_weight:
        return config.position_weight / np.sqrt(1.0 + story.position)
    worth = model.predict(sentence_worth.features(story, similarity))
    return config.sentence_weight * worth * np.maximum(1, story.n_words)


def query_relevance(story: StorySentences, query: str) -> np.ndarray:
    """Each sentence's TF-IDF cosine with ``query``, scaled so the most relevant one has 1.

    Word weights come from the story's own sentences: a query word every sentence uses (the
    story's topic) says little about which sentence answers it; words the story never uses
    (a question's "what", "describe") weigh nothing.
    """
    if not story.sentences:
        return np.zeros(0)
    relevance = np.asarray((story.vectors @ story.vector_of(query).T).todense()).ravel()
    top = relevance.max()
    return relevance / top if top > 0 else relevance


def select(
    story: StorySentences,
    similarity: SentenceSimilarity,
    *,
    words_budget: int,
    sentences_budget: int | None = None,
    config: CoverageConfig = CoverageConfig(),  # frozen, so one shared default is safe
    query: str | None = None,
) -> list[int]:
    """Indices of the chosen sentences, in the order they were chosen."""
    prior = sentence_prior(story, similarity, config)
    relevance = query_relevance(story, query) if query else None
    if relevance is not None:
        prior = prior * (1.0 + config.query_weight * relevance)
    if len(story.articles) == 1:
        # One article has no second source to vote: its lead is the best evidence there is.
        prior *= SINGLE_ARTICLE_LEAD_FACTOR
    n_words = np.maximum(1, story.n_words)
    concise = max(config.concise_words, words_budget / config.target_sentences)
    cost = (
        n_words**config.length_exponent * np.maximum(1.0, n_words / concise) ** config.long_penalty
    )
    available = story.is_candidate.copy()
    if not available.any():
        available = story.n_words > 0
    found = extract(story)
    matrix = found.matrix
    remaining = concept_weights(story, found, config, rows=available)
    if relevance is not None and remaining.size:
        remaining *= 1.0 + config.query_weight * column_max(matrix, relevance)
    chosen: list[int] = []
    said: set[str] = set()  # the chosen sentences' words, for the cheap repetition test
    used = 0
    reach = config.context_reach if config.context_reach is not None else len(story.sentences)
    while available.any():
        gain = (matrix @ remaining if remaining.size else np.zeros(len(cost))) + prior
        value = np.where(available, gain / cost, -np.inf)
        # Until a sentence is chosen, neither the values nor the tests below change: the
        # candidates are tried best first (the first on ties, as argmax), instead of a new
        # product and argmax over the story for every candidate turned down (n x n work on a
        # big story once the budget is nearly spent).
        for best in np.argsort(-value, kind="stable").tolist():
            if not available[best]:
                return chosen  # every candidate was turned down
            available[best] = False
            # A candidate is taken only if it passes every test below, so the cheapest goes
            # first: once the budget is nearly spent most candidates fail it, and the
            # restatement test costs a sparse product each (thousands in a long article).
            if sentences_budget is None and chosen and used + story.n_words[best] > words_budget:
                continue
            text = story.sentences[best].text
            key = normalised(text)
            if key in said:
                continue  # said already, word for word (a restatement, found without a product)
            if (
                config.pronoun_context
                and needs_context(text)
                and not any(
                    story.article_index[c] == story.article_index[best]
                    and 0 < story.position[best] - story.position[c] <= reach
                    for c in chosen
                )
            ):
                continue  # "He ..." before the reader knows who he is, "But ..." before what
            if config.skip_restatements and any(
                restates(cosine, text, story.sentences[c].text)
                for cosine, c in zip(similarity.pairs(best, chosen), chosen, strict=True)
            ):
                continue
            chosen.append(best)
            said.add(key)
            used += int(story.n_words[best])
            if remaining.size:
                remaining[matrix[best].indices] = 0.0
            if sentences_budget is not None and len(chosen) >= sentences_budget:
                return chosen
            if sentences_budget is None and used >= words_budget:
                return chosen
            break  # the chosen sentence's concepts are covered now: new gains
    return chosen
