"""serve: the web app (story list, story pages, JSON API, Atom feed) over a story source.

>>> from storyline.serve import create_app, folder_source
>>> app = create_app(folder_source(["examples/iraq-troops-2016/"]))
"""

from storyline.serve.app import create_app
from storyline.serve.source import (
    ArticleResult,
    MemorySource,
    StoryChanges,
    StoryInfo,
    StoryPage,
    StorySource,
    folder_source,
)

__all__ = [
    "ArticleResult",
    "MemorySource",
    "StoryChanges",
    "StoryInfo",
    "StoryPage",
    "StorySource",
    "create_app",
    "folder_source",
]
