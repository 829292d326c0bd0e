"""Report: render a :class:`~storyline.model.Report` as Markdown or JSON, and its JSON Schema."""

from storyline.report.json_report import json_schema, to_json
from storyline.report.markdown import to_markdown

__all__ = ["json_schema", "to_json", "to_markdown"]
