"""A story's sources looked up by id at once, for renderers that look up many.

:meth:`Story.source_number` and :meth:`Story.article` search the story's sources from the top
on every call; a comparison of a story with a thousand sources asks for thousands of ``[n]``
markers, which made rendering it quadratic. A renderer builds one :class:`SourceIndex` per
call and asks it instead: the same numbers and articles (the first source with an id, as the
story's own methods find it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.model import Article, Story


class SourceIndex:
    def __init__(self, story: Story) -> None:
        self.story = story
        self._numbers = story.source_numbers()
        self._articles: dict[str, Article] = {}
        for article in [*story.articles, *story.copies]:
            self._articles.setdefault(article.id, article)
        self._originals = {article.id for article in story.articles}

    def number(self, article_id: str) -> int:
        """``story.source_number(article_id)``."""
        number = self._numbers.get(article_id)
        if number is None:
            raise KeyError(article_id)
        return number

    def article(self, article_id: str) -> Article:
        """``story.article(article_id)``."""
        article = self._articles.get(article_id)
        if article is None:
            raise KeyError(article_id)
        return article

    def numbers(self, article_ids: list[str]) -> list[int]:
        """The distinct numbers of ``article_ids``, in order (an unknown id is a KeyError, as
        with :meth:`number`)."""
        return sorted({self.number(a) for a in article_ids})

    def original_numbers(self, article_ids: list[str]) -> list[int]:
        """The distinct numbers of those of ``article_ids`` that are the story's articles, in
        order (copies and unknown ids left out): what a page marks as its sources."""
        return sorted({self._numbers[a] for a in article_ids if a in self._originals})


__all__ = ["SourceIndex"]
