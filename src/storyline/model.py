"""The typed data model every stage shares.

An :class:`Article` is what ingest produces and clean refines; a :class:`Story` groups articles
and carries the summary and the comparison; a :class:`Report` is what the public API returns.
Citations always point at character spans of ``Article.text`` (the cleaned text), so
``article.text[c.start:c.end]`` is the cited sentence, at every stage and in the JSON.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


def content_id(text: str, *, prefix: str = "a") -> str:
    """A stable id from content: the same text gives the same id on every machine."""
    normalized = " ".join(text.split()).lower()
    return prefix + hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:12]


class Article(BaseModel):
    """One news article. ``text`` is the cleaned body that citations point into."""

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    text: str = ""
    captions: list[str] = Field(
        default_factory=list, description="Photo captions kept apart from the body"
    )
    source: str | None = Field(
        default=None, description="Where it was read from (path, 'stdin', ...)"
    )
    inferred: list[str] = Field(
        default_factory=list,
        description="Fields storyline filled from the article's own text or URL rather than "
        "from metadata ('outlet', 'published', 'author')",
    )
    inferred_from: dict[str, str] = Field(
        default_factory=dict,
        description="For each inferred field, the evidence it was read from",
    )

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            self.id = content_id((self.title or "") + "\n" + self.text)


class Sentence(BaseModel):
    """A sentence of an article with its character span in ``Article.text``."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    index: int
    start: int
    end: int
    text: str


class Citation(BaseModel):
    article_id: str
    sentence_index: int
    start: int
    end: int


class SummarySentence(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    generated: bool = Field(
        False, description="Written by a language model (and verified), not copied from a source"
    )


class DroppedSentence(BaseModel):
    """A generated sentence the verifier did not let through, and why."""

    text: str
    reasons: list[str] = Field(description="Each check the sentence failed, in words")
    closest: Citation | None = Field(
        None, description="The source sentence nearest to it, for the reader to check"
    )


# The comparison as data: what the comparer returns and ``Story.comparison`` holds. Every item
# carries spans into ``Article.text`` (``text[start:end]`` is the sentence it comes from), so
# nothing is reported that a source does not say. The keys of the JSON form are a promise to
# other tools: fields may be added, none renamed.
class Evidence(BaseModel):
    article_id: str
    outlet: str | None = None
    published: str | None = Field(
        None, description="ISO date of the article, shown because newer may be right"
    )
    start: int = Field(description="sentence span in Article.text")
    end: int
    text: str = Field(description="== article.text[start:end]")
    mention_start: int | None = Field(
        None, description="the number/date/quote itself, inside the sentence"
    )
    mention_end: int | None = None
    caption: int | None = Field(
        None,
        description="Set when the evidence is a photo caption, not a sentence of the body: the "
        "index into the article's `captions`; start/end (and mention_*) are offsets in it",
    )


class Fact(BaseModel):
    """A number, amount, quantity or dated event, with the sources that state it."""

    id: str
    kind: str = Field(
        description='"count", "length", "money:USD", "percent", "date", "age" (of a named '
        "person), ..."
    )
    value: str = Field(
        description='normalised, with qualifier: "more than 4,600", "64.4 km", "2016-07-09"'
    )
    subject: str = Field(
        description='what it measures: "personnel (total) in Iraq", "length from Mosul"'
    )
    text: str = Field(description='the phrase as first written ("560 more troops")')
    sources: int = Field(
        description="number of independent articles stating it: an article and its copies "
        "(`Story.copies`) count once"
    )
    outlets: list[str] = Field(default_factory=list)
    article_ids: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class ConflictValue(BaseModel):
    value: str = Field(description="normalised value with qualifier")
    text: str = Field(description="the sentence it comes from (== article.text[start:end])")
    article_id: str
    start: int
    end: int
    outlet: str | None = None
    published: str | None = None
    phrase: str = Field("", description='the number as written ("approximately more than 5,000")')
    mention_start: int | None = None
    mention_end: int | None = None
    low: float | None = Field(None, description="the interval of true values the wording allows")
    high: float | None = None


class ValuePair(BaseModel):
    a: int = Field(description="indices into `values`")
    b: int
    status: Literal["compatible", "conflict", "different dates"]
    reason: str = ""


class Conflict(BaseModel):
    id: str
    kind: str
    subject: str
    status: Literal["conflict", "different dates"]
    values: list[ConflictValue]
    pairs: list[ValuePair] = Field(default_factory=list)
    note: str = ""


class QuoteVariant(BaseModel):
    article_id: str
    outlet: str | None = None
    text: str = Field(description="the quoted words as this source prints them")
    start: int = Field(description="span of the quoted words in Article.text")
    end: int
    sentence_start: int
    sentence_end: int
    speaker: str | None = Field(None, description="as resolved in this source")
    speaker_text: str | None = Field(None, description='as written ("he", "the Pentagon")')


class Quote(BaseModel):
    id: str
    speaker: str | None = Field(
        description='resolved entity name ("Ash Carter"), None when unattributed'
    )
    text: str = Field(description="the first source's wording")
    article_ids: list[str]
    outlets: list[str] = Field(default_factory=list)
    variants: list[QuoteVariant] = Field(default_factory=list)
    wording_differs: bool = False


class Term(BaseModel):
    term: str
    article_id: str
    outlet: str | None = None
    count: int
    start: int = Field(description="first occurrence in Article.text")
    end: int


class Framing(BaseModel):
    kind: Literal["entity_terms", "distinctive_words"]
    entity: str | None = Field(None, description="for entity_terms")
    article_id: str | None = Field(None, description="for distinctive_words")
    outlet: str | None = None
    terms: list[Term] = Field(default_factory=list)


class TimelineEvent(BaseModel):
    date: str = Field(description='ISO: "2016-07-09", "2016-07" or "2016"')
    granularity: str
    text: str = Field(description="the first source's sentence")
    article_ids: list[str]
    outlets: list[str] = Field(default_factory=list)
    date_text: list[str] = Field(
        default_factory=list, description='as written: "Saturday", "July 9, 2016"'
    )
    evidence: list[Evidence] = Field(default_factory=list)


class EntityInfo(BaseModel):
    name: str
    label: str
    aliases: list[str]
    article_ids: list[str]


class Comparison(BaseModel):
    facts: list[Fact] = Field(default_factory=list, description="stated by two or more sources")
    conflicts: list[Conflict] = Field(default_factory=list)
    unique: list[Fact] = Field(default_factory=list, description="stated by one source only")
    quotes: list[Quote] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    entities: list[EntityInfo] = Field(default_factory=list)


class Story(BaseModel):
    id: str
    title: str | None = None
    articles: list[Article] = Field(default_factory=list)
    copies: list[Article] = Field(
        default_factory=list,
        description="Near copies of the story's articles, dropped by dedupe (see "
        "`Report.duplicates` for which article each copies). The summary counts them once "
        "(it reads `articles` only); the comparison reads them too, so a copy edited apart "
        "shows as a conflict. Numbered after the articles in `[n]` markers",
    )
    copy_of: dict[str, str] = Field(
        default_factory=dict,
        description="For each copy, the id of the article it copies (`Duplicate.kept`)",
    )
    summary: list[SummarySentence] = Field(default_factory=list)
    comparison: Comparison | None = Field(
        default=None, description="Agreement, conflicts, unique facts, quotes, framing, timeline"
    )
    summary_method: str = Field(
        "extractive", description="'extractive' (source sentences) or 'generated' (verified LLM)"
    )
    dropped: list[DroppedSentence] = Field(
        default_factory=list, description="Generated sentences that failed verification"
    )

    def article(self, article_id: str) -> Article:
        """The article (or copy) with this id."""
        for article in [*self.articles, *self.copies]:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def source_number(self, article_id: str) -> int:
        """1-based position of an article in the story, as shown in ``[n]`` markers; copies
        are numbered after the articles."""
        for number, article in enumerate([*self.articles, *self.copies], start=1):
            if article.id == article_id:
                return number
        raise KeyError(article_id)

    def source_numbers(self) -> dict[str, int]:
        """:meth:`source_number` of every article and copy at once, for a renderer that asks
        for many (a story of a thousand sources would be searched from the top each time)."""
        numbers: dict[str, int] = {}
        for number, article in enumerate([*self.articles, *self.copies], start=1):
            numbers.setdefault(article.id, number)  # the first, as source_number finds it
        return numbers

    def origin(self, article_id: str) -> str:
        """The article a copy copies, or the id itself: a fact stated by an article and its
        copies is one source, not independent confirmation."""
        return self.copy_of.get(article_id, article_id)


class Problem(BaseModel):
    """An input that could not be used, and why. Reported, never fatal for the batch."""

    source: str
    reason: str


class Duplicate(BaseModel):
    """An article dropped as a copy of another: coverage, not independent confirmation."""

    dropped: str = Field(description="the copy's article id")
    kept: str = Field(description="the id of the article kept in its place")
    reason: str = Field(description='"exact duplicate", "near duplicate (estimated Jaccard 0.91)"')
    dropped_source: str | None = Field(None, description="Where the copy was read from")
    kept_source: str | None = Field(None, description="Where the article kept was read from")


class Report(BaseModel):
    stories: list[Story] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    duplicates: list[Duplicate] = Field(
        default_factory=list, description="Articles dropped as copies of an article kept"
    )
    generated_at: datetime | None = None
    version: str | None = None
    query: str | None = Field(None, description="The question every summary was focused on")
