"""Where the web app gets its stories: a small protocol, and an in-memory implementation.

The app (``storyline.serve.app``) only ever talks to a :class:`StorySource`. Two kinds exist:

- :class:`MemorySource` holds finished stories in memory. :func:`folder_source` fills one by
  digesting a folder of articles once at start (``storyline serve examples/iraq-troops-2016/``),
  read-only. The load benchmark fills one with 10,000 synthetic stories.
- The persistent store (``storyline.Store``, issue 22) implements the same protocol and is
  writable: ``POST /articles`` goes to :meth:`StorySource.add_articles`.

To plug in another source, implement the eight members of :class:`StorySource`; every method
is synchronous and must be safe to call from several threads (FastAPI runs plain ``def``
endpoints in a thread pool).
"""

from __future__ import annotations

import bisect
import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from storyline.model import Article, Problem, Story

Sort = Literal["recent", "size"]


class StoryInfo(BaseModel):
    """A story as the list shows it; ``version`` changes whenever the story does."""

    id: str
    title: str | None = None
    updated: datetime | None = Field(None, description="Newest article's date, or last change")
    articles: int = 0
    outlets: list[str] = Field(default_factory=list)
    lede: str | None = Field(None, description="The summary's first sentence")
    conflicts: int = 0
    version: str = ""


class StoryPage(BaseModel):
    stories: list[StoryInfo] = Field(default_factory=list)
    total: int = 0  # stories matching the search and date filter, over all pages
    offset: int = 0
    limit: int = 20


class StoryChanges(BaseModel):
    """What changed in a story since a moment: shown above the story when a source knows."""

    since: datetime
    articles_added: list[str] = Field(default_factory=list)  # "outlet: title" of new sources
    sentences_added: list[str] = Field(default_factory=list)  # new in the summary
    sentences_removed: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # anything else ("a new conflict: ...")


class ArticleResult(BaseModel):
    """What happened to one posted article."""

    id: str
    status: Literal["added", "duplicate", "rejected"]
    story_id: str | None = None
    detail: str = ""


@runtime_checkable
class StorySource(Protocol):
    read_only: bool

    def list_stories(
        self,
        *,
        search: str | None = None,
        since: datetime | None = None,
        sort: Sort = "recent",
        limit: int = 20,
        offset: int = 0,
    ) -> StoryPage:
        """Stories whose title, summary or outlets have a word starting with each word of
        ``search`` (case-insensitive), updated after ``since``, newest first (``recent``) or
        most articles first (``size``)."""
        ...

    def get_story(self, story_id: str) -> Story | None: ...

    def story_version(self, story_id: str) -> str | None:
        """Cheap: the app caches rendered pages by (id, version)."""
        ...

    def story_duplicates(self, story_id: str) -> list[dict[str, str]]:
        """Copies dropped as duplicates of the story's articles ({'dropped','kept','reason'})."""
        ...

    def get_article(self, article_id: str) -> Article | None: ...

    def story_changes(self, story_id: str, since: datetime) -> StoryChanges | None:
        """None when the source keeps no history (then the page shows no such section)."""
        ...

    def add_articles(self, articles: Sequence[Article]) -> list[ArticleResult]:
        """Only called when ``read_only`` is false."""
        ...

    def refresh_stories(self, story_ids: Sequence[str]) -> None:
        """Bring the summaries and comparisons of stories that ``add_articles`` touched up to
        date; the app calls it after answering the POST. A no-op where nothing is computed
        later."""
        ...


def story_info(story: Story) -> StoryInfo:
    dates = [a.published for a in story.articles if a.published]
    conflicts = (
        (story.comparison or {}).get("conflicts", [])
        if isinstance(story.comparison, dict)
        else getattr(story.comparison, "conflicts", [])
    )
    return StoryInfo(
        id=story.id,
        title=story.title,
        updated=_utc(max(dates, key=_utc)) if dates else None,
        articles=len(story.articles),
        outlets=list(dict.fromkeys(a.outlet for a in story.articles if a.outlet)),
        lede=story.summary[0].text if story.summary else None,
        conflicts=len(conflicts or []),
        version=_version(story),
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _utc(moment: datetime) -> datetime:
    """Article dates are often naive (a date only): read them as UTC, so they compare and
    serialise as RFC 3339."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _version(story: Story) -> str:
    """Changes when the articles or the summary change; cheap (no JSON dump of the story)."""
    digest = hashlib.sha1()
    for article in story.articles:
        digest.update(article.id.encode())
    for sentence in story.summary:
        digest.update(sentence.text.encode("utf-8", "replace"))
    return digest.hexdigest()[:12]


def _epoch(info: StoryInfo) -> float:
    return info.updated.timestamp() if info.updated else float("-inf")


class MemorySource:
    """Finished stories held in memory. Writable only for articles: it keeps posted articles
    (``GET /articles/{id}`` returns them) but does not cluster them into stories; that is the
    store's job."""

    def __init__(
        self,
        stories: Iterable[Story],
        *,
        duplicates: Iterable[dict[str, str]] = (),
        read_only: bool = True,
        problems: Iterable[Problem] = (),
    ) -> None:
        self.read_only = read_only
        self.problems = list(problems)  # inputs skipped when the stories were built
        self._lock = threading.Lock()
        self._stories: dict[str, Story] = {}
        self._infos: dict[str, StoryInfo] = {}
        self._articles: dict[str, Article] = {}
        self._article_story: dict[str, str] = {}
        for story in stories:
            self._stories[story.id] = story
            self._infos[story.id] = story_info(story)
            for article in story.articles:
                self._articles.setdefault(article.id, article)
                self._article_story.setdefault(article.id, story.id)
        self._duplicates: dict[str, list[dict[str, str]]] = {}
        for item in duplicates:
            story_id = self._article_story.get(item.get("kept", ""))
            if story_id:
                self._duplicates.setdefault(story_id, []).append(item)
        # Both orders sorted once; a search filters them (a scan: fine for 10^4 stories).
        self._by_recent = sorted(
            self._infos.values(), key=lambda i: (_epoch(i), i.id), reverse=True
        )
        self._by_size = sorted(
            self._infos.values(), key=lambda i: (i.articles, _epoch(i), i.id), reverse=True
        )
        # A word index over titles, summaries and outlets: a search looks words up (prefixes,
        # by bisection in the sorted vocabulary) instead of scanning every story's text.
        self._index: dict[str, set[str]] = {}
        for story in self._stories.values():
            text = " ".join(
                [
                    story.title or "",
                    *(x.text for x in story.summary),
                    *self._infos[story.id].outlets,
                ]
            )
            for word in set(_words(text)):
                self._index.setdefault(word, set()).add(story.id)
        self._vocabulary = sorted(self._index)

    def _matching(self, word: str) -> set[str]:
        """Ids of stories with a word that starts with ``word``."""
        found: set[str] = set()
        position = bisect.bisect_left(self._vocabulary, word)
        while position < len(self._vocabulary) and self._vocabulary[position].startswith(word):
            found |= self._index[self._vocabulary[position]]
            position += 1
        return found

    def list_stories(
        self,
        *,
        search: str | None = None,
        since: datetime | None = None,
        sort: Sort = "recent",
        limit: int = 20,
        offset: int = 0,
    ) -> StoryPage:
        ordered = self._by_size if sort == "size" else self._by_recent
        needles = _words(search or "")
        if not needles and since is None:
            matches = ordered  # the common case (the front page): no scan at all
        else:
            wanted = set.intersection(*(self._matching(w) for w in needles)) if needles else None
            matches = [
                info
                for info in ordered
                if (wanted is None or info.id in wanted)
                and (since is None or (info.updated is not None and info.updated > _utc(since)))
            ]
        return StoryPage(
            stories=matches[offset : offset + limit],
            total=len(matches),
            offset=offset,
            limit=limit,
        )

    def get_story(self, story_id: str) -> Story | None:
        return self._stories.get(story_id)

    def story_version(self, story_id: str) -> str | None:
        info = self._infos.get(story_id)
        return info.version if info else None

    def story_duplicates(self, story_id: str) -> list[dict[str, str]]:
        return self._duplicates.get(story_id, [])

    def get_article(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    def story_changes(self, story_id: str, since: datetime) -> StoryChanges | None:
        return None  # stories here never change after start

    def refresh_stories(self, story_ids: Sequence[str]) -> None:
        """Nothing to do: posted articles are kept, never clustered into the stories."""

    def add_articles(self, articles: Sequence[Article]) -> list[ArticleResult]:
        if self.read_only:
            raise PermissionError("this source is read-only")
        results = []
        with self._lock:
            for article in articles:
                if article.id in self._articles:
                    results.append(
                        ArticleResult(
                            id=article.id,
                            status="duplicate",
                            story_id=self._article_story.get(article.id),
                            detail="an article with this id is already stored",
                        )
                    )
                    continue
                self._articles[article.id] = article
                results.append(
                    ArticleResult(
                        id=article.id,
                        status="added",
                        detail="kept in memory; this source does not cluster articles",
                    )
                )
        return results


def folder_source(paths: Sequence[str | Path], **options: Any) -> MemorySource:
    """Digest a folder (files, globs) once into stories and serve them read-only."""
    from storyline.pipeline import digest

    report = digest([str(p) for p in paths], cluster=True, **options)
    return MemorySource(
        report.stories,
        duplicates=[d.model_dump() for d in report.duplicates],
        read_only=True,
        problems=report.problems,
    )
