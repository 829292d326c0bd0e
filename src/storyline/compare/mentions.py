"""The numbers, amounts and quantities of a parsed (spaCy) document, with what they count.

A :class:`Mention` is one quantity in a sentence of an article, with its counted noun ("560
more troops" counts troops, an increment), the places and actors around it and the context the
matching in :mod:`.conflicts` compares. Parsing the figure itself is :mod:`.quantities`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.compare import units
from storyline.compare.counted import (
    DEATH_VERBS,
    THING_CLASSES,
    actor_start,
    counted_noun,
    fate,
    is_increment,
    is_running,
    number_token,
    sentence_of,
)
from storyline.compare.quantities import (
    AGE,
    AGE_DIMENSION,
    CLOCK,
    DURATION,
    MONEY_WORD,
    PHONE_CALL,
    RATE,
    Quantity,
    parse_number,
    periods,
    qualifier_before,
    qualifier_words,
    range_end,
    smaller_unit_part,
)
from storyline.text.lexicon import CURRENCIES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass
class Mention:
    """One number/amount/quantity in a sentence of an article."""

    article_id: str
    sentence_index: int
    sent_start: int
    sent_end: int
    start: int  # the mention's own span in article.text
    end: int
    text: str
    quantity: Quantity
    thing: str = ""  # lemma of what is counted ("troop"), or the unit dimension
    thing_class: str = ""  # comparable class ("personnel")
    kind: str = "total"  # "total" or "increment"
    places: frozenset[str] = frozenset()  # entity keys of places it is located at
    anchor: str = ""  # for distances: the place measured from
    context: frozenset[str] = frozenset()  # content stems of the sentence, numbers removed
    local: frozenset[str] = frozenset()  # content stems of the words around the number
    written_qualifier: str = ""
    extras: dict[str, str] = field(default_factory=dict)
    running: bool = False  # a tally still being updated ("so far", "has risen to", "at least")
    vector: dict[str, float] = field(default_factory=dict)  # TF-IDF of the sentence
    entities: frozenset[str] = frozenset()  # entity keys named in the sentence
    periods: frozenset[str] = frozenset()  # years, months, quarters the sentence names
    actor_start: int = -1  # where the named subject of the number's clause starts ("China")
    actor: str = ""  # its entity key, set once entities are resolved across the story
    # The sentence lower-cased with its numbers masked: two sources printing the same
    # sentence with another figure, however short the sentence.
    shape: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What the number measures: two mentions with different keys never measure the same
        thing. An age measures one person (``actor``, set once entities are resolved)."""
        if self.quantity.dimension == AGE_DIMENSION:
            return self.quantity.dimension, self.actor, self.kind
        return self.quantity.dimension, self.thing_class or self.thing, self.kind


def extract_mentions(
    doc: Doc,
    article_id: str,
    sentences: list[tuple[int, int]],
    place_key: dict[tuple[int, int], str],
    stems: list[frozenset[str]],
    all_places: dict[int, str] | None = None,
) -> list[Mention]:
    """Every number, amount and quantity of ``doc`` with its counted noun and context."""
    from bisect import bisect_right

    starts = [s for s, _ in sentences]
    text = doc.text  # Doc.text joins every token on each access
    mentions: list[Mention] = []
    seen: set[int] = set()
    candidates: list[Span] = [
        e
        for e in doc.ents
        if e.label_ in {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
        # Durations are tagged DATE/TIME ("the last 24 hours", "18 years"); the tagger's
        # choice flips with the digits, so they are numbers here too.
        or (e.label_ in {"DATE", "TIME"} and DURATION.search(e.text))
        # A four-digit count without a comma reads as a year to the tagger ("Chicago had
        # 1117 homicides"): a lone number that counts a noun is a number.
        or (
            e.label_ == "DATE"
            and len(e) == 1
            and e[0].like_num
            and e[0].dep_ == "nummod"
            and e[0].head.pos_ == "NOUN"
        )
    ]
    # Numbers the model left untagged ("560 US troop reinforcements" is sometimes missed).
    tagged = {t.i for e in doc.ents for t in e}
    for t in doc:
        if t.like_num and t.i not in tagged and re.search(r"\d", t.text):
            candidates.append(doc[t.i : t.i + 1])
    consumed_until = -1  # the second half of a compound measure ("6 pounds, 13 ounces")
    for ent in sorted(candidates, key=lambda e: e.start_char):
        if ent.start in seen or ent.start_char < consumed_until:
            continue
        seen.update(range(ent.start, ent.end))
        parsed = parse_number(ent.text)
        if parsed is None:
            continue
        value, precision, cur, match = parsed
        if not cur:
            # spaCy often leaves the currency sign outside the entity: "£" + "8bn"
            sign = text[max(0, ent.start_char - 3) : ent.start_char].strip()
            cur = next((c for c in ("us$", "$", "£", "€", "¥") if sign.lower().endswith(c)), "")
        if 1900 <= value <= 2100 and precision < 10 and not cur and "," not in ent.text:
            continue  # a year the NER missed
        s_idx = bisect_right(starts, ent.start_char) - 1
        if s_idx < 0 or ent.start_char >= sentences[s_idx][1]:
            continue
        sent_start, sent_end = sentences[s_idx]
        num_tok = number_token(ent)
        if num_tok.i + 1 < len(doc) and doc[num_tok.i + 1].lower_ in {"-year-old", "year-old"}:
            continue
        head = num_tok.head
        if (
            head.i < num_tok.i
            and head.pos_ in {"NOUN", "PROPN"}
            and num_tok.dep_ in {"nummod", "appos", "npadvmod", "compound"}
            and not head.like_num
            and units.lookup(head.text) is None  # "6 feet 4 inches" is a height
        ):
            continue  # "stage 13", "Flight 447", "Route 66": a name, not an amount
        if AGE.match(text, num_tok.idx + len(num_tok)):
            continue  # "9 years old", "33-year-old": an age, not a quantity of the story
        if CLOCK.match(text, ent.end_char) or re.match(r"\d{1,2}:\d\d", ent.text.strip()):
            continue  # "0800 GMT", "10:30 p.m.": a time of day
        if PHONE_CALL.search(text[max(0, ent.start_char - 12) : ent.start_char]):
            continue  # "call 911": a phone number
        before = text[max(sent_start, ent.start_char - 40) : ent.start_char + match.start()]
        qual = qualifier_before(before)
        written_q = qualifier_words(before)
        after = text[ent.start_char + match.end() : min(sent_end, ent.end_char + 30)]
        dimension, unit_name, converted = "count", "", False
        end_char = ent.end_char
        currency = CURRENCIES.get(cur) if cur else None
        if currency is None:
            word_after = re.match(r"\s*([a-z]+)", after, re.I)
            if word_after and word_after.group(1).lower() in CURRENCIES:
                currency = CURRENCIES[word_after.group(1).lower()]
        if currency or (
            ent.label_ == "MONEY"
            and MONEY_WORD.search(text[max(0, ent.start_char - 3) : end_char + 12])
        ):
            # The tagger calls "cut power to more than 8.2 million across the East" money;
            # without a currency sign or word nearby it is a count.
            dimension = f"money:{currency or 'USD'}"
        elif re.match(r"\s*(?:percentage )?points?\b", after, re.I):
            dimension = "points"  # a margin ("18 percentage points behind"), not a share
        elif ent.label_ == "PERCENT" or re.match(r"\s*(%|per ?cent)", after, re.I):
            dimension = "percent"
        else:
            found = units.lookup(after)
            glued = re.match(r"([a-z°²/]+)\b", after, re.I)
            if found is None and glued:
                found = units.lookup_symbol(glued.group(1))
            if found is not None:
                unit_name, unit = found
                dimension = unit.dimension
                value = units.to_base(value, unit)
                precision *= unit.factor
                converted = unit.factor != 1.0 or unit.offset != 0.0
                smaller = smaller_unit_part(after, unit)
                if smaller is not None:
                    # "6 pounds, 13 ounces", "6 feet 4 inches": one measure, not two
                    more, precision, length = smaller
                    value += more
                    end_char = ent.start_char + match.end() + length
                    consumed_until = end_char
        raw = match.groupdict().get("num")
        scale = value / float(raw.replace(",", "")) if raw and float(raw.replace(",", "")) else 1.0
        high = range_end(text, ent.start_char + match.end(), sent_end, before, scale)
        if high is not None and (high <= value or re.search(r"\bfrom\s*\S*$", before)):
            high = None  # "from 10 to 20" is a change, "5-3" a score: not ranges
        scaled = bool(match.groupdict().get("scale")) and "." not in match.group(0)
        quantity = Quantity(value, precision, qual, dimension, unit_name, converted, high, scaled)
        noun = counted_noun(num_tok) if dimension == "count" else None
        thing, thing_class = "", ""
        if noun is not None:
            thing = noun.lemma_.lower()
            if noun.ent_type_ == "NORP":
                thing = "american" if noun.lower_.startswith("americ") else thing
            thing_class = THING_CLASSES.get(thing, thing)
            if noun.lemma_.lower() == "toll":
                thing_class = "dead"
            elif thing_class in {"people", "personnel", "migrants"} or thing in {"other", "child"}:
                # "20 people were killed", "10 others were wounded": the verb says what is
                # counted, and the dead and the wounded are never the same figure.
                thing_class = fate(noun) or thing_class
        elif dimension == "count":
            verb = num_tok.head
            if num_tok.dep_ in {"dobj", "nsubjpass"} and verb.lemma_.lower() in DEATH_VERBS:
                thing, thing_class = verb.lemma_.lower(), "dead"
        elif dimension != "count":
            thing = thing_class = dimension
        kind = "increment" if is_increment(num_tok, noun) else "total"
        tail = text[ent.end_char : min(sent_end, ent.end_char + 40)]
        if RATE.search(tail):
            kind = "rate"  # "37 children die each year" is not the toll of one event
        # The nearest place phrase ("8,400 troops in Afghanistan"), not every place the
        # sentence names ("... a presence in Iraq and Afghanistan, as he kept 8,400 troops").
        in_sentence = [
            (abs(s - ent.start_char) + (0 if s >= ent.start_char else 15), key)
            for (s, _e), key in place_key.items()
            if sent_start <= s < sent_end and key
        ]
        places = frozenset([min(in_sentence)[1]]) if in_sentence else frozenset()
        anchor = ""
        if dimension == "length" and all_places:
            # "40 miles south of Mosul", "60 kilometers (40 miles) from the city of Mosul"
            m = _ANCHOR.match(text, ent.end_char)
            if m:
                anchor = next(
                    (k for pos, k in all_places.items() if m.end() <= pos <= m.end() + 20), ""
                )
        mentions.append(
            Mention(
                article_id=article_id,
                sentence_index=s_idx,
                sent_start=sent_start,
                sent_end=sent_end,
                start=ent.start_char + (match.start() if not written_q else 0),
                end=end_char,
                text=text[ent.start_char : end_char],
                quantity=quantity,
                thing=thing,
                thing_class=thing_class,
                kind=kind,
                places=places,
                anchor=anchor,
                context=stems[s_idx],
                local=local_stems(num_tok, ent),
                written_qualifier=written_q,
                running=is_running(text[sent_start:sent_end], qual, thing_class, num_tok, noun),
                # the number itself is not a period ("1800 activists" is no year)
                periods=periods(text[sent_start : ent.start_char] + text[ent.end_char : sent_end]),
                actor_start=actor_start(noun or num_tok),
                shape=sentence_shape(text[sent_start:sent_end]),
            )
        )
    return _drop_parenthetical_conversions(mentions, text)


_DIGITS = re.compile(r"\d[\d,.]*")


def sentence_shape(sentence: str) -> str:
    """``sentence`` lower-cased, its numbers masked and its spacing normalised."""
    return " ".join(_DIGITS.sub("#", sentence.lower()).split())


_ANCHOR = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?(?:of|from)\s+(?:the\s+)?",
    re.I,
)


def local_stems(num: Token, ent: Span, window: int = 8) -> frozenset[str]:
    from storyline.text.tokens import STOP_WORDS, stem

    sent = sentence_of(num)
    lo, hi = max(sent.start, ent.start - window), min(sent.end, ent.end + window)
    return frozenset(
        stem(t.lower_)
        for t in num.doc[lo:hi]
        if t.is_alpha and t.lower_ not in STOP_WORDS and not (ent.start <= t.i < ent.end)
    )


def _drop_parenthetical_conversions(mentions: list[Mention], text: str) -> list[Mention]:
    """ "60 kilometers (40 miles)" states one distance, not two."""
    kept: list[Mention] = []
    for m in mentions:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.sentence_index == m.sentence_index
            and prev.quantity.dimension.split(":")[0] == m.quantity.dimension.split(":")[0]
            and prev.quantity.dimension != "count"
            and "(" in text[prev.end : m.start]
            and len(text[prev.end : m.start]) < 6
        ):
            continue
        kept.append(m)
    return kept
