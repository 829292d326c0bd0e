"""JSON output. The keys are a contract with other tools: add keys, never rename them."""

from __future__ import annotations

import json
from typing import Any

from storyline.model import Report

# What the keys that recur across the model mean, for those whose field has no description
# of its own: the schema describes every key.
_GLOSSARY = {
    "id": "Stable identifier, derived from content",
    "article_id": "Id of the article (one of the story's `articles`) the item comes from",
    "article_ids": "Ids of the articles that state it",
    "outlet": "Outlet that published the article, when known",
    "outlets": "Outlets of the articles that state it",
    "published": "Publication date (ISO 8601) of the article, when known",
    "start": "Start of the span in the article's `text` (character offset)",
    "end": "End of the span in the article's `text` (character offset, exclusive)",
    "mention_start": "Start of the mention inside the sentence (character offset in `text`)",
    "mention_end": "End of the mention inside the sentence (character offset in `text`)",
    "evidence": "The sentences that state it, one per source span",
    "high": "Upper end of the interval of true values the wording allows",
    "b": "Index into `values` of the second value of the pair",
    "status": "Verdict: conflict, compatible or different dates",
    "reason": "Why",
    "values": "The values the sources give, with where each is stated",
    "pairs": "Verdict for each pair of values",
    "note": "How the conflict was judged",
    "subject": "What the figure measures",
    "kind": "Kind of item",
    "sentence_start": "Start of the quoting sentence in the article's `text`",
    "sentence_end": "End of the quoting sentence in the article's `text`",
    "variants": "How each source prints the quotation",
    "wording_differs": "Whether the sources quote different words",
    "term": "The word or name as the source writes it",
    "count": "How often the source uses it",
    "terms": "The terms, with counts and first occurrence",
    "granularity": "day, month or year",
    "name": "Canonical name of the entity",
    "label": "Entity type (spaCy label: PERSON, ORG, GPE, ...)",
    "aliases": "Other names the sources use for it",
    "conflicts": "Figures or dates the sources state differently",
    "quotes": "Quotations, with speakers, grouped across sources",
    "framing": "How each outlet names things, and its distinctive words",
    "timeline": "Dated events, in date order",
    "entities": "People, organisations and places named by several sources or mentions",
    "title": "Headline",
    "text": "Text",
    "url": "Address of the article",
    "author": "Byline",
    "articles": "The story's articles, numbered [1]..[n] in that order",
    "summary": "The summary's sentences, each citing the source sentences that state it",
    "citations": "The source sentences that state it",
    "sentence_index": "Index of the sentence in the article",
    "source": "Where it was read from",
    "stories": "The stories found, biggest first",
    "problems": "Inputs that were skipped or changed, and why",
    "generated_at": "When the report was made",
    "version": "storyline version that made the report",
    "captions": "Photo captions kept apart from the body",
}


def to_json(report: Report, *, indent: int | None = 2) -> str:
    return report.model_dump_json(indent=indent)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`to_json`'s output: every key described, required, and no
    other key allowed, so a renamed key fails validation."""
    schema = Report.model_json_schema(mode="serialization")
    for node in [schema, *schema.get("$defs", {}).values()]:
        properties = node.get("properties")
        if not properties:
            continue
        for name, prop in properties.items():
            if "description" not in prop and name in _GLOSSARY:
                prop["description"] = _GLOSSARY[name]
        node["required"] = sorted(properties)  # every key is always written
        node["additionalProperties"] = False
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "storyline report"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2)
