"""Dated photo captions join the timeline, cited in the caption itself."""

from __future__ import annotations

from storyline.compare import compare_story
from storyline.model import Story

PRESS_TV_CAPTIONS = [
    "The photo shows the Qayyarah airbase, following its recapture by Iraqi forces from Daesh "
    "militants on July 9, 2016.",
    "Visiting US Defense Secretary Ash Carter, (C-L), accompanied by the Iraqi Defense Minister "
    "Khaled al-Obeidi, (C-R), arrives at the Ministry of Defense in Baghdad, Iraq, July 11, "
    "2016. (AP photo)",
]


def test_caption_dates_the_recapture(iraq_story: Story) -> None:
    articles = [
        a.model_copy(update={"captions": PRESS_TV_CAPTIONS}) if a.outlet == "Press TV" else a
        for a in iraq_story.articles
    ]
    story = iraq_story.model_copy(update={"articles": articles})
    comparison = compare_story(story)
    recapture = next(e for e in comparison.timeline if e.date == "2016-07-09")
    assert "July 9, 2016" in recapture.date_text
    from_caption = [ev for ev in recapture.evidence if ev.caption is not None]
    assert len(from_caption) == 1
    ev = from_caption[0]
    press_tv = story.article(ev.article_id)
    assert press_tv.outlet == "Press TV"
    # Faithful: the span is in the caption, never in the body the caption was kept out of.
    assert press_tv.captions[ev.caption][ev.start : ev.end] == ev.text
    assert ev.text[ev.mention_start : ev.mention_end] == "July 9, 2016"
    assert ev.text not in press_tv.text
    # The body's own sentence for the event is still its first evidence.
    assert recapture.evidence[0].caption is None
    for event in comparison.timeline:
        for item in event.evidence:
            article = story.article(item.article_id)
            cited = article.text if item.caption is None else article.captions[item.caption]
            assert cited[item.start : item.end] == item.text
