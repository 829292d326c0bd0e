"""Dated photo captions as timeline evidence.

Captions are kept out of ``Article.text`` (a summary must not read a caption as the outlet's
prose), but a caption that names a calendar date ("the Qayyarah airbase, following its
recapture by Iraqi forces ... on July 9, 2016") dates an event as surely as a sentence does,
often more precisely ("on Saturday" in the body). Such a caption joins the timeline event of
the same date whose sentences it shares words with, or becomes an event of its own. Its
evidence is cited faithfully, in the caption itself: ``Evidence.caption`` is the index into
``Article.captions`` and ``start``/``end`` are offsets in that caption, so
``article.captions[ev.caption][ev.start:ev.end] == ev.text``.
"""

from __future__ import annotations

from storyline.compare import schema
from storyline.compare.analysis import ArticleAnalysis, _stems
from storyline.compare.matching import overlap
from storyline.compare.timeline import SAME_EVENT
from storyline.text.dates import full_dates


def _without_dates(caption: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        caption = caption[:start] + " " * (end - start) + caption[end:]
    return caption


def add_caption_events(
    analyses: list[ArticleAnalysis], events: list[schema.TimelineEvent]
) -> list[schema.TimelineEvent]:
    """``events`` with each dated caption added as evidence (a new event when none fits)."""
    events = [e.model_copy(deep=True) for e in events]
    for a in analyses:
        for index, caption in enumerate(a.article.captions):
            found = full_dates(caption)
            spans = [(s, e) for _, s, e in found]
            stems = _stems(_without_dates(caption, spans))
            for day, start, end in found:
                iso = day.isoformat()
                evidence = schema.Evidence(
                    article_id=a.article.id,
                    outlet=a.article.outlet,
                    published=a.published.isoformat() if a.published else None,
                    start=0,
                    end=len(caption),
                    text=caption,
                    mention_start=start,
                    mention_end=end,
                    caption=index,
                )
                same_day = [e for e in events if e.date == iso]
                match = next(
                    (e for e in same_day if overlap(_stems(e.text), stems) >= SAME_EVENT), None
                )
                if match is None:
                    events.append(
                        schema.TimelineEvent(
                            date=iso,
                            granularity="day",
                            text=caption,
                            article_ids=[a.article.id],
                            outlets=[a.article.outlet or ""],
                            date_text=[caption[start:end]],
                            evidence=[evidence],
                        )
                    )
                    continue
                match.evidence.append(evidence)
                if caption[start:end] not in match.date_text:
                    match.date_text.append(caption[start:end])
                if a.article.id not in match.article_ids:
                    match.article_ids.append(a.article.id)
                    match.outlets.append(a.article.outlet or "")
    return events
