"""storyline: turn a pile of news articles into cited, cross-source stories.

>>> import storyline
>>> report = storyline.digest(["examples/iraq-troops-2016/"])
>>> report.stories[0].summary[0].text, report.stories[0].summary[0].citations
"""

from storyline import stages
from storyline.model import (
    Article,
    Citation,
    Comparison,
    Duplicate,
    Problem,
    Report,
    Sentence,
    Story,
    SummarySentence,
)
from storyline.pipeline import Pipeline, digest
from storyline.settings import Settings
from storyline.store import Store
from storyline.version import __version__

__all__ = [
    "Article",
    "Citation",
    "Comparison",
    "Duplicate",
    "Pipeline",
    "Problem",
    "Report",
    "Sentence",
    "Settings",
    "Store",
    "Story",
    "SummarySentence",
    "__version__",
    "digest",
    "stages",
]
