"""Shared by the extractive summarizers: reading order and citations of the chosen sentences."""

from __future__ import annotations

from storyline.model import Citation, SummarySentence
from storyline.summarize import centroid, coverage
from storyline.summarize.support import supporting_sentences
from storyline.summarize.units import StorySentences, needs_context

SUMMARIZERS = ("storyline", "centroid")


def reading_order(story: StorySentences, chosen: list[int]) -> list[int]:
    """Narrative order: earlier-in-article sentences first, then by article date and order.

    A sentence that leans on an earlier one ("He said ...", "But ...") comes right after the
    closest earlier sentence of its own article in the summary, so that "he" is who it was
    there, not whoever the sentence placed before it by another source names.
    """

    def key(index: int) -> tuple[float, float, int]:
        article = story.articles[story.article_index[index]]
        n_in_article = max(1, int((story.article_index == story.article_index[index]).sum()))
        relative = story.position[index] / n_in_article
        date = article.published.timestamp() if article.published else float("inf")
        return (round(relative, 1), date, index)

    order = sorted(chosen, key=key)
    # In article order, so a chain ("He said ..." then "But he ...") stays in its order.
    for index in sorted(chosen, key=lambda i: (story.article_index[i], story.position[i])):
        if not needs_context(story.sentences[index].text):
            continue
        earlier = [
            c
            for c in chosen
            if story.article_index[c] == story.article_index[index]
            and story.position[c] < story.position[index]
        ]
        if not earlier:
            continue
        anchor = max(earlier, key=lambda c: story.position[c])
        order.remove(index)
        order.insert(order.index(anchor) + 1, index)
    return order


def summarize_story(
    story: StorySentences,
    *,
    words: int,
    sentences: int | None = None,
    method: str = "storyline",
    config: coverage.CoverageConfig = coverage.CoverageConfig(),  # noqa: B008 (frozen)
    query: str | None = None,
) -> list[SummarySentence]:
    """The chosen sentences in reading order, each citing every source that states it.

    ``query`` focuses the default summarizer on a question or topic; the centroid summarizer
    has no use for it and rejects it rather than ignore it silently.
    """
    if not story.sentences:
        return []
    similarity = story.similarity
    if method == "centroid":
        if query:
            raise ValueError("a query needs the storyline summarizer, not centroid")
        scores = centroid.sentence_scores(story, similarity)
        chosen = centroid.select(story, scores, similarity, words=words, sentences=sentences)
    else:
        chosen = coverage.select(
            story,
            similarity,
            words_budget=words,
            sentences_budget=sentences,
            config=config,
            query=query,
        )
    summary = []
    for index in reading_order(story, chosen):
        support = supporting_sentences(story, index, similarity)
        citations = [
            Citation(
                article_id=story.sentences[i].article_id,
                sentence_index=story.sentences[i].index,
                start=story.sentences[i].start,
                end=story.sentences[i].end,
            )
            for _, i in sorted(support.items())
        ]
        summary.append(SummarySentence(text=story.sentences[index].text, citations=citations))
    return summary
