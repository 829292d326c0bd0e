"""HTML report: one self-contained page per report, rendered with Jinja2 (autoescape on).

The page needs no network and no JavaScript: CSS is inline (allowed by its hash in the
Content-Security-Policy), citation notes open with ``:target`` and show on hover with
``:hover``/``:focus``, the timeline is inline SVG. ``script-src 'none'``: no script runs at all,
so text from an article can never run as one, whatever a template gets wrong.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from storyline.model import Report, Story
from storyline.report.html_view import safe_url, story_view
from storyline.report.outlet_labels import OutletLabels

# Characters that are no text in HTML or XML (NUL, other C0 controls, non-characters): an
# article that holds them would make the Atom feed malformed and HTML parsers disagree.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _text_only(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return _NOT_TEXT.sub("", value)
    return value


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("storyline.report", "templates"),
        autoescape=True,  # every {{ }} is escaped; only our own CSS is marked safe
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_text_only,
    )
    env.filters["http_url"] = safe_url
    env.globals["css"] = stylesheet()
    env.globals["csp"] = content_security_policy()
    return env


@cache
def stylesheet() -> str:
    return (resources.files("storyline.report") / "templates" / "style.css").read_text("utf-8")


@cache
def content_security_policy() -> str:
    """No script, no plugin, no remote anything; only the page's own stylesheet (by hash)."""
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode("utf-8")).digest()).decode()
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src 'sha256-{digest}'",
            "img-src 'self' data:",
            "script-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def to_html(report: Report, *, outlet_labels: OutletLabels | None = None) -> str:
    """The whole report as one HTML document (every story, its sources and comparison)."""
    several = len(report.stories) > 1
    stories = [
        story_view(
            story,
            duplicates=[d.model_dump() for d in report.duplicates],
            labels=outlet_labels,
            key=f"t{number}-" if several else "",
        )
        for number, story in enumerate(report.stories, start=1)
    ]
    return render(
        "report.html.j2",
        stories=stories,
        query=report.query,
        problems=report.problems,
        generated_at=report.generated_at.isoformat(timespec="seconds")
        if report.generated_at
        else None,
        version=report.version,
    )


def story_page(
    story: Story,
    *,
    duplicates: list[dict[str, str]] | None = None,
    outlet_labels: OutletLabels | None = None,
    changes: Any = None,
    standalone: bool = True,
) -> str:
    """One story's page; ``standalone=False`` adds the web app's navigation."""
    return render(
        "story.html.j2",
        story=story_view(story, duplicates=duplicates, labels=outlet_labels),
        changes=changes,
        standalone=standalone,
    )
