"""The comparison as data: what ``compare_story`` returns and ``Story.comparison`` stores.

Every item carries :class:`Evidence` spans into ``Article.text`` (``text[start:end]`` is the
sentence it comes from), so nothing is reported that a source does not say. The keys of the
JSON form are a promise to other tools: fields may be added, none renamed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Evidence(BaseModel):
    article_id: str
    outlet: str | None = None
    published: str | None = None  # ISO date of the article, shown because newer may be right
    start: int  # sentence span in Article.text
    end: int
    text: str  # == article.text[start:end]
    mention_start: int | None = None  # the number/date/quote itself, inside the sentence
    mention_end: int | None = None
    # Set when the evidence is a photo caption, not a sentence of the body: the index into
    # Article.captions, and start/end (mention_*) are offsets in that caption.
    caption: int | None = None


class Fact(BaseModel):
    """A number, amount, quantity or dated event, with the sources that state it."""

    id: str
    kind: str  # "count", "length", "money:USD", "percent", "date", ...
    value: str  # normalised, with qualifier: "more than 4,600", "64.4 km", "2016-07-09"
    subject: str  # what it measures: "personnel (total) in Iraq", "length from Mosul"
    text: str  # the phrase as first written ("560 more troops")
    sources: int  # number of articles stating it
    outlets: list[str] = Field(default_factory=list)
    article_ids: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class ConflictValue(BaseModel):
    value: str  # normalised value with qualifier
    text: str  # the sentence it comes from (== article.text[start:end])
    article_id: str
    start: int
    end: int
    outlet: str | None = None
    published: str | None = None
    phrase: str = ""  # the number as written ("approximately more than 5,000")
    mention_start: int | None = None
    mention_end: int | None = None
    low: float | None = None  # the interval of true values the wording allows
    high: float | None = None


class ValuePair(BaseModel):
    a: int  # indices into ``values``
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
    text: str  # the quoted words as this source prints them
    start: int  # span of the quoted words in Article.text
    end: int
    sentence_start: int
    sentence_end: int
    speaker: str | None = None  # as resolved in this source
    speaker_text: str | None = None  # as written ("he", "the Pentagon")


class Quote(BaseModel):
    id: str
    speaker: str | None  # resolved entity name ("Ash Carter"), None when unattributed
    text: str  # the first source's wording
    article_ids: list[str]
    outlets: list[str] = Field(default_factory=list)
    variants: list[QuoteVariant] = Field(default_factory=list)
    wording_differs: bool = False


class Term(BaseModel):
    term: str
    article_id: str
    outlet: str | None = None
    count: int
    start: int  # first occurrence in Article.text
    end: int


class Framing(BaseModel):
    kind: Literal["entity_terms", "distinctive_words"]
    entity: str | None = None  # for entity_terms
    article_id: str | None = None  # for distinctive_words
    outlet: str | None = None
    terms: list[Term] = Field(default_factory=list)


class TimelineEvent(BaseModel):
    date: str  # ISO: "2016-07-09", "2016-07" or "2016"
    granularity: str
    text: str  # the first source's sentence
    article_ids: list[str]
    outlets: list[str] = Field(default_factory=list)
    date_text: list[str] = Field(default_factory=list)  # as written: "Saturday", "July 9, 2016"
    evidence: list[Evidence] = Field(default_factory=list)


class EntityInfo(BaseModel):
    name: str
    label: str
    aliases: list[str]
    article_ids: list[str]


class Comparison(BaseModel):
    facts: list[Fact] = Field(default_factory=list)  # stated by two or more sources
    conflicts: list[Conflict] = Field(default_factory=list)
    unique: list[Fact] = Field(default_factory=list)  # stated by one source only
    quotes: list[Quote] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    entities: list[EntityInfo] = Field(default_factory=list)
