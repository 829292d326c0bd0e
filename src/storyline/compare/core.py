"""``compare_story``: every comparison step over one shared analysis of the articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.compare import analysis, captions, conflicts, framing, quotes, schema, timeline

if TYPE_CHECKING:
    from storyline.model import Story


def compare_story(story: Story) -> schema.Comparison:
    if not story.articles:
        return schema.Comparison()
    analyses, ents = analysis.analyse(story)
    by_key = {e.key: e for e in ents}
    facts, clashes, unique = conflicts.group_quantities(analyses)
    events, date_facts, date_clashes = timeline.build_timeline(analyses)
    events = captions.add_caption_events(analyses, events)
    facts, unique = count_origins(story, facts + date_facts, unique)
    return schema.Comparison(
        facts=facts,
        conflicts=clashes + date_clashes,
        unique=unique,
        quotes=quotes.build_quotes(analyses, by_key),
        framing=framing.entity_terms(analyses, ents) + framing.distinctive_words(analyses),
        timeline=events,
        entities=[
            schema.EntityInfo(
                name=e.name, label=e.label, aliases=e.aliases, article_ids=e.article_ids
            )
            for e in ents
            if len(e.mentions) >= 2 or len(e.article_ids) >= 2
        ],
    )


def count_origins(
    story: Story, facts: list[schema.Fact], unique: list[schema.Fact]
) -> tuple[list[schema.Fact], list[schema.Fact]]:
    """Count an article and its copies (``Story.copies``) as one source: a fact only they
    state is coverage of one source, so it is unique, not agreed."""
    if not story.copies:
        return facts, unique
    agreed: list[schema.Fact] = []
    for fact in facts:
        fact.sources = len({story.origin(a) for a in fact.article_ids})
        (agreed if fact.sources >= 2 else unique).append(fact)
    agreed.sort(key=lambda f: -f.sources)  # ids stay as given: they are stable handles
    return agreed, unique
