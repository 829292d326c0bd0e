"""People's ages: "Slepian, 51,", "a 33-year-old teacher", "Smith, who is 64".

An age is no quantity of the story (it measures nothing the story is about), so
:mod:`.mentions` drops it; but two sources giving one person two ages disagree, and a reader
checking a story wants to see it. An age is kept only when it is tied to a named person by the
parse, so that the comparison can require the same person (the story's entity resolution
decides who is who): ages of different people are never compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.compare.mentions import Mention, local_stems
from storyline.compare.quantities import AGE_DIMENSION, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

AGE = AGE_DIMENSION
# Labels a mis-tagged surname gets from the small English model ("Slepian" is often NORP).
_PERSON_LIKE = frozenset({"PERSON", "NORP", "ORG"})
_OLDEST = 120


def age_mentions(
    doc: Doc, article_id: str, sentences: list[tuple[int, int]], stems: list[frozenset[str]]
) -> list[Mention]:
    """The ages of named people in ``doc``, one mention each, with the person's start as
    ``actor_start`` (resolved to the story's entity key with the other mentions)."""
    from bisect import bisect_right

    starts = [s for s, _ in sentences]
    found: list[Mention] = []
    for tok in doc:
        if not tok.text.isdigit() or not 0 < int(tok.text) <= _OLDEST:
            continue
        person = _person_of(tok)
        if person is None or person.ent_type_ not in _PERSON_LIKE:
            continue
        s_idx = bisect_right(starts, tok.idx) - 1
        if s_idx < 0 or tok.idx >= sentences[s_idx][1]:
            continue
        first = person.i
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        last = person.i
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
            last += 1
        sent_start, sent_end = sentences[s_idx]
        found.append(
            Mention(
                article_id=article_id,
                sentence_index=s_idx,
                sent_start=sent_start,
                sent_end=sent_end,
                start=tok.idx,
                end=tok.idx + len(tok.text),
                text=tok.text,
                quantity=Quantity(float(tok.text), 1.0, "", AGE),
                thing=AGE,
                thing_class=AGE,
                context=stems[s_idx],
                local=local_stems(tok, doc[tok.i : tok.i + 1]),
                extras={"person": doc[first : last + 1].text},
                actor_start=doc[first].idx,
            )
        )
    return found


def _person_of(tok: Token) -> Token | None:
    """The named person whose age ``tok`` is, by the parse, or None."""
    doc = tok.doc
    head = tok.head
    # "Slepian, 51, is ...", "her husband, Eric, 37, ...": set off by commas after the name.
    if (
        tok.dep_ == "appos"
        and head.i < tok.i
        and head.pos_ == "PROPN"
        and doc[tok.i - 1].text == ","
        and (tok.i + 1 == len(doc) or doc[tok.i + 1].is_punct)
    ):
        return head
    # "33-year-old", "51 years old": the number counts years and the years make "old".
    if head.lemma_.lower() == "year" and head.head.lower_ == "old" and head.i > tok.i:
        holder = head.head.head
        if holder.pos_ == "PROPN":
            return holder  # "the 33-year-old John Smith", "Smith, 51 years old,"
        if holder.dep_ == "appos" and holder.head.pos_ == "PROPN":
            return holder.head  # "John Smith, a 33-year-old teacher,"
        return None
    # "Smith, who is 64,"
    if (
        tok.dep_ == "attr"
        and head.dep_ == "relcl"
        and head.lemma_ == "be"
        and head.head.pos_ == "PROPN"
        and any(c.dep_ == "nsubj" and c.lower_ == "who" for c in head.children)
    ):
        return head.head
    return None
