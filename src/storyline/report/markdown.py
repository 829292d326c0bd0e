"""Markdown digest: sources numbered [1]..[n], then a summary whose sentences end with markers."""

from __future__ import annotations

from storyline.model import Article, Report, Story
from storyline.report.escape import markdown_link, markdown_text

# Article text is untrusted: every string from an article goes through markdown_text.
_inline = markdown_text


def source_line(number: int, article: Article) -> str:
    parts = [f"[{number}]", f"**{_inline(article.outlet)}**" if article.outlet else None]
    if article.title:
        parts.append(f"“{_inline(article.title)}”")
    if article.published:
        parts.append(article.published.date().isoformat())
    if article.author:
        parts.append(f"by {_inline(article.author)}")
    if article.url:
        parts.append(markdown_link(article.url))
    elif article.source:
        parts.append(f"({_inline(article.source)})")
    shown = [_SHOWN_AS.get(name, name) for name in article.inferred if name in _SHOWN_AS]
    if shown:
        # Metadata read from the text, not given: the reader should know it is a guess.
        parts.append(f"_({' and '.join(shown)} inferred from the text)_")
    return " ".join(p for p in parts if p)


_SHOWN_AS = {"outlet": "outlet", "published": "date", "author": "author"}


def story_markdown(story: Story, *, heading: str = "#") -> str:
    number = story.source_numbers()
    lines = [f"{heading} {_inline(story.title or 'Untitled story')}", ""]
    lines += ["**Sources**", ""]
    lines += [f"- {source_line(n, a)}" for n, a in enumerate(story.articles, start=1)]
    lines += [
        f"- {source_line(number[c.id], c)} _(copy of [{number[story.origin(c.id)]}])_"
        for c in story.copies
    ]
    lines += ["", f"{heading}# Summary", ""]
    if story.summary_method == "generated":
        lines += [_generated_note(story), ""]
    for sentence in story.summary:
        markers = "".join(
            f"[{number[c.article_id]}]"
            for c in sorted(sentence.citations, key=lambda c: number[c.article_id])
        )
        lines.append(f"{_inline(sentence.text)} {markers}")
        lines.append("")
    if story.dropped:
        lines += _dropped(story, heading)
    if story.comparison is not None:
        lines.append(_comparison(story, heading))
    return "\n".join(lines).rstrip() + "\n"


def _generated_note(story: Story) -> str:
    kept, dropped = len(story.summary), len(story.dropped)
    return (
        f"*Written by a language model and checked against the sources: {kept} sentence"
        f"{'s' if kept != 1 else ''} kept, {dropped} dropped (listed below).*"
    )


def _dropped(story: Story, heading: str) -> list[str]:
    """Generated sentences the verifier refused, shown so the reader can see what and why."""
    lines = [f"{heading}# Dropped by verification", ""]
    for sentence in story.dropped:
        reasons = "; ".join(_inline(r) for r in sentence.reasons)
        lines.append(f"- ~~{_inline(sentence.text)}~~: {reasons}")
    lines.append("")
    return lines


def _comparison(story: Story, heading: str) -> str:
    from storyline.report.comparison_md import comparison_markdown

    if story.comparison is None:
        return ""
    text = comparison_markdown(story, story.comparison, standalone=False)
    # The comparison sections sit one level below the story heading.
    return text.replace("\n## ", f"\n{heading}# ").replace("## ", f"{heading}# ", 1)


def to_markdown(report: Report) -> str:
    several = len(report.stories) > 1
    parts = [f"*Focused on:* {_inline(report.query)}\n"] if report.query else []
    for number, story in enumerate(report.stories, start=1):
        if several:
            story_text = story_markdown(story, heading="##")
            parts.append(story_text.replace("## ", f"## Story {number}: ", 1))
        else:
            parts.append(story_markdown(story))
    if report.duplicates:
        parts.append(
            "**Duplicates dropped:** "
            + "; ".join(
                f"{_inline(d.dropped_source or d.dropped)} ({_inline(d.reason)} of "
                f"{_inline(d.kept_source or d.kept)})"
                for d in report.duplicates
            )
            + "\n"
        )
    if report.problems:
        parts.append(
            "**Skipped or changed inputs:**\n\n"
            + "\n".join(f"- {_inline(p.source)}: {_inline(p.reason)}" for p in report.problems)
            + "\n"
        )
    return "\n".join(parts)
