"""One settings object, built where the public API is called and handed to every stage.

Each stage has a section (``settings.clean``, ``.dedupe``, ``.cluster``, ``.summarize``,
``.compare``) with ``enabled`` where the stage is optional, ``method`` naming the registered
implementation (see :mod:`storyline.stages`) and the thresholds a user may reasonably tune.
For the convenience of ``digest(..., cluster=True, dedupe=False)`` a bare bool given for a
section sets its ``enabled``. Unknown fields are an error naming them, never ignored.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class FieldMap(_Section):
    """Which record fields of a JSONL / JSON / CSV corpus hold which article attribute."""

    title: str = "title"
    text: str = "text"
    url: str = "url"
    date: str = "date"
    outlet: str = "outlet"
    author: str = "author"
    id: str = "id"


class IngestSettings(_Section):
    method: str = Field("storyline", description="Registered reader to use")
    max_file_bytes: int = Field(50_000_000, ge=1, description="Larger input files are skipped")
    max_article_chars: int = Field(200_000, ge=1, description="Longer article texts are truncated")
    min_article_words: int = Field(20, ge=0, description="Shorter texts are reported, not used")


class CleanSettings(_Section):
    enabled: bool = Field(True, description="Remove boilerplate from plain-text scrapes")
    method: str = Field("storyline", description="Registered cleaner to use")


class DedupeSettings(_Section):
    enabled: bool = Field(True, description="Drop exact and near-duplicate (syndicated) copies")
    method: str = Field("minhash", description="Registered deduper to use")
    jaccard: float = Field(
        0.8, gt=0, le=0.95, description="Estimated Jaccard of word 5-shingles that makes a copy"
    )
    permutations: int = Field(128, ge=16, description="MinHash permutations (accuracy vs cost)")


class ClusterSettings(_Section):
    enabled: bool = Field(False, description="Group the articles into several stories")
    method: str = Field("online", description="Registered clusterer to use")
    threshold: float = Field(
        0.2, gt=0, le=1, description="Cosine to a story's centroid that an article needs to join"
    )


class SummarizeSettings(_Section):
    context_reach: int | None = Field(
        2,
        ge=1,
        description="A sentence that leans on an earlier one ('He said ...') needs one of this "
        "many sentences before it in the summary (None: any earlier sentence)",
    )


class CompareSettings(_Section):
    enabled: bool = Field(True, description="Compare the sources of each story")
    method: str = Field("storyline", description="Registered comparer to use")


Embedder = Literal["model2vec", "minilm"]  # the verifier's optional embeddings (verify.embed)


class LLMSettings(_Section):
    """The ``llm`` summarizer: any OpenAI-compatible chat endpoint. The API key is read from
    the environment variable ``STORYLINE_LLM_API_KEY`` only, never from settings, so it can
    never end up in a saved settings file or a report."""

    url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server (http://127.0.0.1:8080/v1)"
    )
    model: str | None = Field(None, description="Model name the server knows")
    timeout: float = Field(60.0, gt=0, le=3600, description="Seconds to wait for one answer")
    retries: int = Field(2, ge=0, le=10, description="Further tries after an error or time-out")
    max_sentences: int = Field(6, ge=1, le=30, description="Longest summary asked for")
    source_sentences: int = Field(
        12, ge=2, le=60, description="Extracted key sentences given to the model"
    )
    embeddings: bool = Field(
        False,
        description="Also require embedding cosine support (extra storyline[llm-embed])",
    )
    embedder: Embedder = Field(
        "model2vec",
        description="Embeddings for that check: a static model distilled from the packaged "
        "MiniLM (fast), or MiniLM itself",
    )
    temperature: float = Field(0.0, ge=0, le=2)
    max_tokens: int = Field(400, ge=16, le=8192)


def _enabled_from_bool(value: Any) -> Any:
    return {"enabled": value} if isinstance(value, bool) else value


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    words: int = Field(120, ge=10, description="Word budget of each story's summary")
    sentences: int | None = Field(None, ge=1, description="Sentence budget; overrides words")
    summarizer: str = Field("storyline", description="Registered summarizer to use")
    query: str | None = Field(
        None,
        max_length=2_000,
        description="A question or topic every summary focuses on (storyline summarizer only)",
    )
    fields: FieldMap = Field(default_factory=FieldMap)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    clean: CleanSettings = Field(default_factory=CleanSettings)
    dedupe: DedupeSettings = Field(default_factory=DedupeSettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
    summarize: SummarizeSettings = Field(default_factory=SummarizeSettings)
    compare: CompareSettings = Field(default_factory=CompareSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)

    _sections = field_validator("clean", "dedupe", "cluster", "compare", mode="before")(
        _enabled_from_bool
    )

    @model_validator(mode="before")
    @classmethod
    def _ingest_limits(cls, data: Any) -> Any:
        """``max_file_bytes`` and friends, as top-level keywords, belong to the ingest section."""
        if isinstance(data, dict):
            limits = ("max_file_bytes", "max_article_chars", "min_article_words")
            moved = {k: data.pop(k) for k in limits if k in data}
            if moved:
                data["ingest"] = {**dict(data.get("ingest") or {}), **moved}
        return data

    @model_validator(mode="after")
    def _query_needs_storyline(self) -> Self:
        if self.query and self.summarizer != "storyline":
            raise ValueError(f"a query needs the storyline summarizer, not {self.summarizer}")
        return self

    # Read-only shortcuts kept from the flat settings of earlier versions.
    @property
    def max_file_bytes(self) -> int:
        return self.ingest.max_file_bytes

    @property
    def max_article_chars(self) -> int:
        return self.ingest.max_article_chars

    @property
    def min_article_words(self) -> int:
        return self.ingest.min_article_words
