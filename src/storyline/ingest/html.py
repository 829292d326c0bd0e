"""Read one HTML page into an :class:`Article` with trafilatura.

trafilatura finds the main content and the metadata (title, author, date, site name, URL);
its precision mode keeps the body and sheds more teasers and widgets than the default, and it
falls back to the default then recall mode when precision finds nothing. Its text is kept as
it is, with spaces normalised and glued sentences repaired: removing lines with storyline's
cleaner rules cost more body than boilerplate it removed (``bench/html_variants.py``: on the
dev pages precision mode alone scores F1 0.965, with the cleaner 0.954, plain
``trafilatura.extract`` 0.944; the blind third is in ``bench/results/extraction.md``). The
cleaner's rules still read bylines and datelines for metadata the page's markup lacks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storyline.clean.boilerplate import decide, prepare_lines
from storyline.model import Article

# Below this many characters an extraction is a fragment (a cookie notice, a caption).
_MIN_BODY_CHARS = 80


def _extract(html: str, url: str | None, **mode: Any) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            output_format="python",
            **mode,
        )
    except (ValueError, TypeError):
        # trafilatura signals an unusable tree with ValueError; treat it as "nothing found".
        return None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def read_html(html: str, *, source: str | None = None, url: str | None = None) -> Article:
    """Extract the article of an HTML page. Raises ValueError when there is no article body."""
    if not html or not html.strip():
        raise ValueError(f"empty HTML document{f' ({source})' if source else ''}")
    document = None
    for mode in ({"favor_precision": True}, {}, {"favor_recall": True}):
        document = _extract(html, url, **mode)
        if document is not None and len((document.text or "").strip()) >= _MIN_BODY_CHARS:
            break
    text = (document.text or "").strip() if document is not None else ""
    if len(text) < _MIN_BODY_CHARS:
        where = source or url or "HTML input"
        raise ValueError(f"no article body could be extracted from {where}")

    title = (document.title or "").strip() or None
    prepared = prepare_lines(text, has_title_line=False)
    # Only for the metadata lines (bylines, datelines); no line leaves the body.
    decisions = decide(prepared.lines, title=title, model=None, use_model=False)
    body = "\n".join(prepared.lines)
    if not body.strip():  # nothing but a caption or boilerplate (found by fuzzing)
        where = source or url or "HTML input"
        raise ValueError(f"no article body could be extracted from {where} (only captions)")

    return Article(
        outlet=(document.sitename or document.hostname or None) or decisions.outlet,
        title=title,
        url=document.url or url,
        published=_parse_date(document.date) or decisions.published,
        author=(document.author or None) or decisions.author,
        text=body,
        captions=prepared.captions,
        source=source,
    )
