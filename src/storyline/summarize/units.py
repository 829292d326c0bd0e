"""The candidate sentences of a story and their lexical vectors, shared by scorers and citation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from storyline.model import Article, Sentence
from storyline.summarize.similarity import SentenceSimilarity
from storyline.text import article_sentences, content_words, words
from storyline.text.sentences import (
    DOUBLE_QUOTE,
    OPENING_QUOTES,
    TYPESETTING_CODES,
    balanced_quotes,
    inside_quotation,
)

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

MIN_WORDS = 6
MAX_WORDS = 45
# Pronouns that point back to a person or group named in an earlier sentence.
PERSONAL_PRONOUNS = frozenset("he she they him her them his their hers theirs".split())
# Openers that answer or extend the sentence before: "But ...", "In contrast, ...".
_CONNECTIVE_OPENER = re.compile(
    r"[\W_]*(?:but|and|however|still|yet|also|instead|nevertheless|nonetheless|moreover|"
    r"furthermore|besides|likewise|similarly|otherwise|in contrast|by contrast|in addition|"
    r"even so|then again|on the other hand)\b",
    re.IGNORECASE,
)
# "This may be due to ...", "That's why ...", "That earthquake killed ...": what it points to
# came before; "This year ..." stands alone.
_DEMONSTRATIVE_OPENER = re.compile(
    r"[\W_]*(?:this|that|these|those|such)\b(?!\s+(?:year|week|month|morning|afternoon|"
    r"evening|weekend|summer|spring|fall|autumn|winter|season|time)\b)",
    re.IGNORECASE,
)
# "It will add to the tax rolls." points back; "It is unclear whether ..." does not.
_IT_OPENER = re.compile(
    r"[\W_]*it\b(?!\s*(?:is|was|has been|would be|will be|'s|seems|appears)\s+\w+\s+(?:that|"
    r"to|whether|if|when|how|why|what)\b)",
    re.IGNORECASE,
)
# A pronoun as the speaker: "..., he said." / "``...,'' she added."
_PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she|they)\s+(?:said|says|added|adds|told|tells|wrote|writes|explained|noted|"
    r"insisted|argued|warned|recalled|continued|asked|replied|stressed|admitted)\b",
    re.IGNORECASE,
)


@dataclass
class StorySentences:
    """All sentences of a story, their TF-IDF rows, and per-sentence facts the scorers use."""

    sentences: list[Sentence]
    article_index: np.ndarray  # position of each sentence's article in the story
    position: np.ndarray  # index of the sentence within its article
    n_words: np.ndarray
    is_candidate: np.ndarray  # may appear in a summary (length, shape)
    vectors: sparse.csr_matrix  # L2-normalised TF-IDF rows
    articles: list[Article]
    # Fitted on the story's sentences; None when they have no content word.
    vectorizer: TfidfVectorizer | None = None

    @cached_property
    def similarity(self) -> SentenceSimilarity:
        """Cosines between the sentences, computed on demand (never an n x n matrix)."""
        return SentenceSimilarity(self.vectors, self.article_index)

    @cached_property
    def relative_position(self) -> np.ndarray:
        """Where each sentence sits in its article: 0 first, 1 last."""
        length = np.bincount(self.article_index, minlength=max(1, len(self.articles)))
        return self.position / np.maximum(1.0, length[self.article_index] - 1.0)

    @cached_property
    def centrality(self) -> np.ndarray:
        """Cosine of each sentence's TF-IDF row with the mean row of the story."""
        centroid = np.asarray(self.vectors.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if not norm:
            return np.zeros(len(self.sentences))
        return np.asarray(self.vectors @ (centroid / norm)).ravel()

    def vector_of(self, text: str) -> sparse.csr_matrix:
        """The TF-IDF row of any text (a query) with the story's word weights; words the
        story never uses weigh nothing."""
        if self.vectorizer is None:
            return sparse.csr_matrix((1, self.vectors.shape[1]))
        return self.vectorizer.transform([text]).tocsr()


def segment(article: Article) -> list[Sentence]:
    return [
        Sentence(
            article_id=article.id, index=index, start=start, end=end, text=article.text[start:end]
        )
        for index, (start, end) in enumerate(article_sentences(article.text))
    ]


def build(articles: list[Article]) -> StorySentences:
    sentences: list[Sentence] = []
    article_index: list[int] = []
    quoted: list[bool] = []
    for number, article in enumerate(articles):
        segments = segment(article)
        sentences.extend(segments)
        article_index.extend([number] * len(segments))
        # The middle of a longer quotation shows neither its quotation marks nor its speaker
        # ("We believe it is right to seek the High Court's view"): out of context it would
        # read as the outlet's own words.
        quoted.extend(inside_quotation(article.text, [(s.start, s.end) for s in segments]))
    n_words = np.array([len(words(s.text)) for s in sentences], dtype=int)
    is_candidate = np.array(
        [
            _usable(s.text, n) and not in_quote
            for s, n, in_quote in zip(sentences, n_words, quoted, strict=True)
        ],
        dtype=bool,
    )
    vectorizer, vectors = _tfidf([s.text for s in sentences])
    return StorySentences(
        sentences=sentences,
        article_index=np.array(article_index, dtype=int),
        position=np.array([s.index for s in sentences], dtype=int),
        n_words=n_words,
        is_candidate=is_candidate,
        vectors=vectors,
        articles=articles,
        vectorizer=vectorizer,
    )


def _tfidf(texts: list[str]) -> tuple[TfidfVectorizer | None, sparse.csr_matrix]:
    if not texts:
        return None, sparse.csr_matrix((0, 0))
    # Imported here: scikit-learn takes about a second to import, which the commands that
    # never summarize (``storyline stories``, ``show`` of a kept version) need not pay.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=content_words, sublinear_tf=True, norm="l2")
    try:
        return vectorizer, vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # every sentence empty after stop-word removal
        return None, sparse.csr_matrix((len(texts), 1))


def _usable(text: str, n_words: int) -> bool:
    """Sentences a reader can take out of context: complete, not a fragment or a heading."""
    if not MIN_WORDS <= n_words <= MAX_WORDS:
        return False
    stripped = text.strip()
    ending = stripped.rstrip("\"'”’)]")
    if not ending.endswith((".", "!")):
        return False  # headlines, list items, questions and fragments read badly out of context
    # A writer's own exclamation is a tweet, an ad or chatter ("Ask about our 30-day free
    # trial!"); a quoted one ends with its closing quote mark and stays.
    if stripped.endswith("!"):
        return False
    if ending.endswith(("...", "…", ". . .")):
        return False  # a teaser cut short: "House Republican leaders are trying to strike..."
    first = stripped.lstrip("\"'“‘(`")[:1]
    if not first or first.islower():
        return False
    if TYPESETTING_CODES.search(stripped):
        return False  # "support services &UR; &LR; are often non-existent"
    if _speakerless_quote(stripped):
        return False  # ``But we have to make these preparations.'' (who says so?)
    # Unbalanced quotes mean the sentence is part of a longer quotation.
    return balanced_quotes(stripped)


def _speakerless_quote(text: str) -> bool:
    """A sentence that is one quotation and nothing else: it does not say who is speaking.

    Quotation marks are followed by depth, so a quotation that quotes someone in turn
    ('"... say "see, I've been vindicated"."') is still one quotation; only words outside
    every quotation can name a speaker.
    """
    if not text.startswith(OPENING_QUOTES):
        return False
    depth = 0
    outside: list[str] = []
    last = 0
    for mark in DOUBLE_QUOTE.finditer(text):
        if depth == 0:
            outside.append(text[last : mark.start()])
        depth = depth + 1 if _opens(text, mark.start(), mark.group()) else max(0, depth - 1)
        last = mark.end()
    if depth == 0:
        outside.append(text[last:])
    return not any(character.isalnum() for part in outside for character in part)


def _opens(text: str, start: int, mark: str) -> bool:
    """Whether a double quotation mark opens a quotation: ``, “, or a straight " after a space,
    an opening bracket or a dash and before a word."""
    if mark in ("``", "“"):
        return True
    if mark != '"':
        return False
    before = text[start - 1] if start else " "
    after = text[start + 1 : start + 2] or " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def opens_with_pronoun(text: str) -> bool:
    """ "He said ...", "``They were ...": the sentence leans on an earlier one for who it means."""
    first = words(text[:40])
    return bool(first) and first[0] in PERSONAL_PRONOUNS


def needs_context(text: str) -> bool:
    """Whether a sentence leans on an earlier one: it opens with a personal pronoun, "it", a
    demonstrative ("That earthquake ...") or a connective ("But ...", "In contrast ..."), or a
    pronoun is its speaker ("..., he said")."""
    return (
        opens_with_pronoun(text)
        or bool(_CONNECTIVE_OPENER.match(text))
        or bool(_DEMONSTRATIVE_OPENER.match(text))
        or bool(_IT_OPENER.match(text))
        or bool(_PRONOUN_SPEAKER.search(text))
    )
