"""Peer summarizers, run under exactly the conditions storyline gets.

Every peer sees the same documents cut into the same sentences (:func:`split_cluster`, which is
storyline's :func:`~storyline.summarize.units.segment`) and returns sentences in its own order
of preference; the runner then applies one budget rule to all of them.

sumy's default tokenizer needs NLTK's ``punkt`` data, which cannot be downloaded here, so sumy
is handed :class:`StorylineTokenizer` (storyline's splitter and word tokens) and we build its
document model ourselves, one paragraph per article. Stemming and stop words are sumy's own
(``Stemmer("english")`` is NLTK's Snowball code, ``get_stop_words`` ships with sumy): both work
offline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from storyline.model import Article
from storyline.summarize.units import segment
from storyline.text.sentences import split_sentences
from storyline.text.tokens import words as word_tokens

from .rouge import scorer, word_count


@dataclass(frozen=True)
class SourceSentence:
    document: int
    index: int
    text: str


def split_cluster(documents: Sequence[str]) -> list[SourceSentence]:
    """All sentences of all documents, in document order: the one pool every system draws on.

    The sentences are storyline's own (:func:`storyline.summarize.units.segment`: its splitter,
    wire datelines left out), so no system gains or loses words by how text is cut.
    """
    pool: list[SourceSentence] = []
    for d, document in enumerate(documents):
        for sentence in segment(Article(text=document)):
            text = " ".join(sentence.text.split())
            if text:
                pool.append(SourceSentence(d, sentence.index, text))
    return pool


@dataclass(frozen=True)
class PeerInput:
    """What a peer may look at. Only the oracle reads ``references``."""

    documents: list[str]
    sentences: list[SourceSentence]
    words: int
    references: list[str]


class Peer(Protocol):
    def __call__(self, task: PeerInput) -> list[SourceSentence]: ...


# --- Lead ---------------------------------------------------------------------------------


def lead(task: PeerInput) -> list[SourceSentence]:
    """First sentence of each document, then the second of each, ...: the classic multi-document
    Lead baseline, which does not let the first article take the whole budget."""
    by_document: dict[int, list[SourceSentence]] = {}
    for sentence in task.sentences:
        by_document.setdefault(sentence.document, []).append(sentence)
    order: list[SourceSentence] = []
    depth = max((len(v) for v in by_document.values()), default=0)
    for position in range(depth):
        for document in sorted(by_document):
            sentences = by_document[document]
            if position < len(sentences):
                order.append(sentences[position])
    return order


# --- sumy ---------------------------------------------------------------------------------


class StorylineTokenizer:
    """sumy's tokenizer interface backed by storyline's splitter and word tokens (no NLTK data)."""

    language = "english"

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(text[s:e] for s, e in split_sentences(text))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(word_tokens(sentence))


def _budget_stop_ratings(
    sentences: Sequence[Any], words_budget: int, pick: Callable[[], int]
) -> dict[Any, float]:
    """Shared by the greedy sumy methods (KL-Sum, SumBasic): sumy ranks *every* sentence,
    O(n^2) or worse, although only the first picks up to the budget are used. Stopping there
    yields the same picks far sooner; everything unpicked ranks below them."""
    ratings: dict[Any, float] = {}
    taken = 0
    while taken < words_budget:
        index = pick()
        if index < 0:
            break
        sentence = sentences[index]
        ratings[sentence] = -len(ratings)
        taken += word_count(str(sentence))
    for sentence in sentences:
        ratings.setdefault(sentence, -math.inf)
    return ratings


def _budgeted_kl(words_budget: int) -> Any:
    from sumy.summarizers.kl import KLSummarizer

    class BudgetedKL(KLSummarizer):  # type: ignore[misc]
        def _compute_ratings(self, sentences: Sequence[Any]) -> dict[Any, float]:
            word_freq = self.compute_tf(sentences)
            remaining = list(range(len(sentences)))
            as_words = [self._get_content_words_in_sentence(s) for s in sentences]
            summary_words: list[str] = []

            def pick() -> int:
                if not remaining:
                    return -1
                kls = [
                    self._kl_divergence(self._joint_freq(as_words[i], summary_words), word_freq)
                    for i in remaining
                ]
                best = remaining.pop(kls.index(min(kls)))
                # sumy re-reads the chosen sentence's raw words (not content words) here.
                summary_words.extend(sentences[best].words)
                return best

            return _budget_stop_ratings(sentences, words_budget, pick)

    return BudgetedKL


def _budgeted_sumbasic(words_budget: int) -> Any:
    from sumy.summarizers.sum_basic import SumBasicSummarizer

    class BudgetedSumBasic(SumBasicSummarizer):  # type: ignore[misc]
        def _compute_ratings(self, sentences: Sequence[Any]) -> dict[Any, float]:
            word_freq = self._compute_tf(sentences)
            remaining = list(range(len(sentences)))
            as_words = [self._get_content_words_in_sentence(s) for s in sentences]

            def pick() -> int:
                if not remaining:
                    return -1
                best_pos = self._find_index_of_best_sentence(
                    word_freq, [as_words[i] for i in remaining]
                )
                best = remaining.pop(best_pos)
                self._update_tf(word_freq, as_words[best])
                return best

            return _budget_stop_ratings(sentences, words_budget, pick)

    return BudgetedSumBasic


SUMY_METHODS: dict[str, str] = {
    "lexrank": "sumy.summarizers.lex_rank:LexRankSummarizer",
    "textrank": "sumy.summarizers.text_rank:TextRankSummarizer",
    "lsa": "sumy.summarizers.lsa:LsaSummarizer",
    "luhn": "sumy.summarizers.luhn:LuhnSummarizer",
    "sumbasic": "",
    "kl": "",
}


@lru_cache(maxsize=1)
def _sumy_resources() -> tuple[Any, frozenset[str]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    return Stemmer("english"), frozenset(get_stop_words("english"))


def _sumy_class(name: str, words_budget: int) -> Any:
    if name == "kl":
        return _budgeted_kl(words_budget)
    if name == "sumbasic":
        return _budgeted_sumbasic(words_budget)
    module_name, _, class_name = SUMY_METHODS[name].partition(":")
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)


def sumy_peer(name: str) -> Peer:
    if name not in SUMY_METHODS:
        raise KeyError(name)

    def run(task: PeerInput) -> list[SourceSentence]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

        stemmer, stop_words = _sumy_resources()
        tokenizer = StorylineTokenizer()
        by_object: dict[int, SourceSentence] = {}
        paragraphs = []
        for document in sorted({s.document for s in task.sentences}):
            objects = []
            for source in (s for s in task.sentences if s.document == document):
                sentence = Sentence(source.text, tokenizer)
                by_object[id(sentence)] = source
                objects.append(sentence)
            paragraphs.append(Paragraph(objects))
        model = ObjectDocumentModel(paragraphs)
        summarizer = _sumy_class(name, task.words)(stemmer)
        summarizer.stop_words = stop_words

        ranked: list[Any] = []

        def keep_ranking(infos: list[Any]) -> list[Any]:
            # sumy hands the count callable its sentences best-first, then re-sorts the ones
            # kept into document order; we want the ranking itself, so we record it here.
            ranked.extend(info.sentence for info in infos if info.rating != -math.inf)
            return []

        if model.sentences:
            summarizer(model, keep_ranking)
        return [by_object[id(s)] for s in ranked]

    run.__name__ = name
    return run


# --- Oracle -------------------------------------------------------------------------------


def _rouge_tokens(text: str) -> list[str]:
    # rouge-score's own tokenizer and stemmer, so the oracle optimises what is scored.
    return list(scorer()._tokenizer.tokenize(text))


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(candidate: Counter[Any], reference: Counter[Any], ref_total: int) -> float:
    cand_total = sum(candidate.values())
    if cand_total == 0 or ref_total == 0:
        return 0.0
    overlap = sum(min(c, reference[g]) for g, c in candidate.items() if g in reference)
    if overlap == 0:
        return 0.0
    precision, recall = overlap / cand_total, overlap / ref_total
    return 2 * precision * recall / (precision + recall)


def oracle(task: PeerInput) -> list[SourceSentence]:
    """Greedy extractive upper bound: add the sentence that most raises mean(R-1 F + R-2 F)
    over the references, scored on the summary cut to the budget, until nothing helps or the
    budget is full. Greedy, so a bound in practice rather than a proof."""
    refs = []
    for reference in task.references:
        tokens = _rouge_tokens(reference)
        uni, bi = _ngrams(tokens, 1), _ngrams(tokens, 2)
        refs.append((uni, sum(uni.values()), bi, sum(bi.values())))
    # Tokens per whitespace word, so that cutting to N words is exact without re-tokenising.
    sentence_words = [[_rouge_tokens(w) for w in s.text.split()] for s in task.sentences]

    def objective(words: list[list[str]]) -> float:
        tokens = [t for w in words[: task.words] for t in w]
        uni, bi = _ngrams(tokens, 1), _ngrams(tokens, 2)
        total = sum(_f1(uni, ru, nu) + _f1(bi, rb, nb) for ru, nu, rb, nb in refs)
        return total / max(len(refs), 1)

    chosen: list[int] = []
    summary: list[list[str]] = []
    best_score = 0.0
    while len(summary) < task.words:
        best_index, best_gain_score = -1, best_score
        for i, words in enumerate(sentence_words):
            if i in chosen or not words:
                continue
            value = objective(summary + words)
            if value > best_gain_score:
                best_index, best_gain_score = i, value
        if best_index < 0:
            break
        chosen.append(best_index)
        summary = summary + sentence_words[best_index]
        best_score = best_gain_score
    return [task.sentences[i] for i in chosen]


PEERS: dict[str, Peer] = {
    "lead": lead,
    **{name: sumy_peer(name) for name in SUMY_METHODS},
    "oracle": oracle,
}
