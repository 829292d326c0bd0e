"""What a number counts, read off spaCy's parse: its noun, its fate, its actor, increments.

"560 more troops" counts troops (an increment); "10,059 people have been killed" counts the
dead; "China will send 596 athletes" is China's count, not North Korea's. Curated tables, since
the small English model has no vectors and WordNet is not installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.compare import units
from storyline.compare.quantities import RUNNING, YEAR

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Nouns that count the same kind of thing. A curated table: spaCy's small model has no vectors
# and WordNet data is not installed, and these classes are where news reports disagree most.
THING_CLASSES: dict[str, str] = {}
for _cls, _words in {
    "personnel": "troop soldier force personnel serviceman servicemember servicewoman marine "
    "adviser advisor reinforcement trooper boot american military sailor airman",
    "people": "people person civilian resident individual citizen inhabitant",
    "dead": "dead death fatality life victim body killed toll",
    "injured": "injured wounded injury casualty hurt",
    "migrants": "migrant refugee asylum-seeker",
}.items():
    for _w in _words.split():
        THING_CLASSES[_w] = _cls

# The amount added, not the total: "560 more troops", "an additional 560".
INCREMENT_WORDS = frozenset(
    "more additional extra another new further reinforcement reinforcements increase".split()
)
TOTAL_NOUNS = frozenset("number total count toll tally figure level".split())
DEATH_VERBS = frozenset("kill die slay claim".split())
INJURY_VERBS = frozenset("injure wound hurt".split())


def sentence_of(tok: Token) -> Span:
    """The parser's sentence of a token. ``Token.sent`` rescans the whole document for
    annotations on every call, which made mention extraction quadratic."""
    doc = tok.doc
    bounds: list[tuple[int, int]] | None = doc.user_data.get("storyline_sent_bounds")
    if bounds is None:
        bounds = [(0, 0)] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                bounds[i] = (sent.start, sent.end)
        doc.user_data["storyline_sent_bounds"] = bounds
    start, end = bounds[tok.i]
    return doc[start:end]


def number_token(span: Span) -> Token:
    nums = [t for t in span if t.like_num or t.text[:1] in "$£€¥"]
    for t in reversed(nums):
        if t.like_num:
            return t
    return span.root


def counted_noun(tok: Token) -> Token | None:
    """The noun a number counts: "560 more troops" -> troops; "the number of US forces ... to
    more than 4,600" -> forces."""
    head = tok
    while head.dep_ in {"compound", "nummod", "quantmod", "amod", "conj"} and head.head is not head:
        if head.dep_ in {"nummod", "compound", "quantmod"} and head.head.pos_ in {"NOUN", "PROPN"}:
            noun = head.head
            if noun.lemma_.lower() in units.UNITS or noun.lower_ in {"percent", "per"}:
                return None
            return noun
        head = head.head
    if tok.dep_ == "nsubj" or tok.dep_ == "dobj":
        return None
    # "the number of troops ... to 4,600": find a total noun governing an "of" phrase.
    for t in sentence_of(tok):
        if t.lemma_.lower() in TOTAL_NOUNS:
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs:
                        return objs[0]
            if t.lemma_.lower() in {"toll"}:
                return t
    return None


# Counts that grow while a story unfolds: tolls, cancellations, arrests, evacuations.
TALLY_VERBS = frozenset(
    """kill die injure wound hurt cancel destroy damage evacuate arrest detain displace infect
    rescue flee force affect strand report confirm""".split()
)


def is_tally(thing_class: str, num: Token, noun: Token | None) -> bool:
    if thing_class in {"dead", "injured"}:
        return True
    for tok in (noun, num):
        if tok is None:
            continue
        head = tok.head
        for _ in range(2):
            if head.lemma_.lower() in TALLY_VERBS:
                return True
            head = head.head
    return False


def is_running(sentence: str, qual: str, thing_class: str, num: Token, noun: Token | None) -> bool:
    """A tally still being updated: "the toll has risen to", or a hedged figure ("at least 20
    killed", "an estimated 9,000") of a current event. A tally of a closed past event ("the
    2009 quake killed more than 300") is final, so a written year rules that reading out."""
    if thing_class == "speed":
        return True  # a storm's winds, a vehicle's speed: readings that change by the hour
    if not is_tally(thing_class, num, noun):
        return False
    if RUNNING.search(sentence):
        return True
    hedged = qual in {"more than", "at least", "about", "nearly", "up to"} or "estimat" in sentence
    return hedged and not YEAR.search(sentence)


FATE_VERBS = {
    **{v: "dead" for v in "kill die slay murder execute drown perish behead".split()},
    **{v: "injured" for v in "injure wound hurt hospitalize hospitalise".split()},
    **{v: "displaced" for v in "displace evacuate flee relocate homeless".split()},
    **{v: "affected" for v in "affect impact".split()},
    **{v: "arrested" for v in "arrest detain jail".split()},
    **{v: "missing" for v in "miss missing".split()},
}


def fate(noun: Token) -> str:
    """ "dead" or "injured" when the verb governing a people noun says so."""
    # "10,059 people have been killed, 45,000 others injured": the parser hangs the second
    # noun on the first verb, but the participle right after it says what it counts.
    doc = noun.doc
    follower = doc[noun.i + 1].lower_ if noun.i + 1 < len(doc) else ""
    if follower in {"injured", "wounded", "hurt"}:
        return "injured"
    if follower in {"dead", "killed"}:
        return "dead"
    head = noun.head
    for _ in range(2):
        lemma = head.lemma_.lower()
        if lemma in FATE_VERBS:
            return FATE_VERBS[lemma]
        if head.lower_ in {"dead", "killed"}:
            return "dead"
        if head.lower_ in {"injured", "wounded"}:
            return "injured"
        head = head.head
    # "made 1.5 million people homeless": the state is a sibling or child of the noun
    for tok in [*noun.children, *noun.head.children]:
        if tok.lower_ in {"dead", "killed"}:
            return "dead"
        if tok.lower_ in {"injured", "wounded"}:
            return "injured"
        if tok.lower_ in {"homeless", "displaced"}:
            return "displaced"
    return ""


ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


def actor_start(tok: Token) -> int:
    """Start of the named subject of the clause a number sits in, or -1.

    "North Korea plans to send 317 athletes" and "China will send 596 athletes" count the
    same kind of thing for different actors: not one measure. Only a named subject counts
    (pronouns and common nouns say too little), and not when the counted noun is itself
    the subject ("560 troops will be deployed").
    """
    doc = tok.doc
    node = tok
    for _ in range(4):
        if node.dep_ in {"nsubj", "nsubjpass"}:
            return -1
        head = node.head
        if head is node:
            return -1
        if head.pos_ in {"VERB", "AUX"}:
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects:
                subj = subjects[0]
                if subj.tag_ in {"WP", "WDT"} and head.dep_ == "relcl":
                    # "Qin Yongmin, 45, a democracy advocate who has spent 10 years"
                    subj = head.head
                    if subj.dep_ == "appos" and subj.ent_type_ not in ACTOR_LABELS:
                        subj = subj.head
                if subj.ent_type_ not in ACTOR_LABELS:
                    return -1
                i = subj.i
                while i > 0 and doc[i].ent_iob_ == "I":
                    i -= 1
                return doc[i].idx
        node = head
    return -1


def is_increment(num: Token, noun: Token | None) -> bool:
    doc = num.doc
    after = doc[num.i + 1] if num.i + 1 < len(doc) else None
    # "560 more troops" (but not "more than 560"), "an additional 560", "560 additional troops"
    if after is not None and after.lower_ in INCREMENT_WORDS and after.lower_ != "increase":
        return True
    before = [t.lower_ for t in doc[max(num.i - 2, sentence_of(num).start) : num.i]]
    if any(w in {"additional", "extra", "another", "further"} for w in before):
        return True
    if noun is not None:
        if noun.lemma_.lower() in {"reinforcement", "increase"}:
            return True
        if any(c.lower_ in INCREMENT_WORDS and c.dep_ in {"amod", "advmod"} for c in noun.children):
            return True
    return False
