"""Who is speaking: the people of a story and the resolver that finds a quotation's speaker.

A speaker is a person entity of the story (:mod:`storyline.compare.entities`): the subject of
a reporting verb, a pronoun resolved to the most recent person who was the subject of a clause
before it, the author of a statement ("the statement said"), or the organisation last named
("the company said").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.compare.analysis import ArticleAnalysis
from storyline.compare.entities import TITLES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.compare.entities import Entity, EntityMention

REPORT_VERBS = frozenset(
    """say tell add announce write state claim describe call insist warn stress explain note ask
    reply answer declare urge admit acknowledge argue suggest report promise vow predict confirm
    deny quip continue conclude recall comment tweet post testify remark told""".split()
)
PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
ANTECEDENT_TOKENS = 400
RELATIVE = frozenset({"that", "which", "who", "what", "whom"})
# "the statement said", "the text reads": the words of whoever issued it.
STATEMENT_NOUNS = frozenset(
    "statement release text letter email e-mail note memo post tweet message communique".split()
)
# "the company said": the organisation the article last named.
ORG_NOUNS = frozenset(
    """company firm group organization organisation ministry department agency government
    office party campaign committee council board union bank carrier airline retailer
    manufacturer maker club team school university hospital police spokesman spokeswoman
    spokesperson""".split()
)


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies within one of the quotation ``spans`` (or on its marks)."""
    return any(s - 1 <= pos <= e for s, e in spans)


def clause_subject(verb: Token) -> Token | None:
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if tok.lemma_.lower() == "accord":  # "according to X"
            for prep in tok.children:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return obj
        if (
            tok.dep_ in {"xcomp", "advcl", "conj", "ccomp", "parataxis", "acl"}
            and tok.head is not tok
        ):
            tok = tok.head
        else:
            return None
    return None


@dataclass
class StoryPeople:
    """The story's entity mentions by article and its people by surname, gathered once for
    every article of the story (gathering them per article costs articles x mentions)."""

    mentions_by_article: dict[str, list[EntityMention]]
    surnames: dict[str, Entity]

    @classmethod
    def of(cls, entities: dict[str, Entity]) -> StoryPeople:
        by_article: dict[str, list[EntityMention]] = {}
        for e in entities.values():
            for m in e.mentions:
                by_article.setdefault(m.article_id, []).append(m)
        surnames = {
            e.name.split()[-1]: e
            for e in entities.values()
            if e.label == "PERSON" and len(e.name.split()) > 1
        }
        return cls(by_article, surnames)


class SpeakerResolver:
    """Maps subject tokens of an article to entity names."""

    def __init__(
        self,
        analysis: ArticleAnalysis,
        entities: dict[str, Entity],
        quotes: list[tuple[int, int]],
        people: StoryPeople | None = None,
    ) -> None:
        """``quotes``: the spans of the article's quotations (``quotes.find_quotes``)."""
        self.a = analysis
        self.entities = entities
        people = people or StoryPeople.of(entities)
        self.mentions = sorted(
            people.mentions_by_article.get(analysis.article.id, ()), key=lambda m: m.start
        )
        # Names inside quotation marks are who is talked about, not who talks: antecedents
        # of "he" and statement authors are searched outside them.
        self.quotes = quotes
        self.outside = [m for m in self.mentions if not inside(m.start, self.quotes)]
        self.key_at = {m.start: self.a.entity_keys.get(m.start) for m in self.mentions}
        # For "he said": the people named outside quotations (by where the name starts), the
        # story's people by surname (for a name the tagger missed), and where tokens start.
        self.people = {
            m.start: ent
            for m in self.outside
            if (key := self.a.entity_keys.get(m.start)) is not None
            and (ent := self.entities.get(key)) is not None
            and ent.label == "PERSON"
        }
        self.people_spans = [(m.start, m.end) for m in self.outside if m.start in self.people]
        self.surnames = people.surnames
        self.token_starts = [t.idx for t in analysis.doc]

    def entity_in(
        self, start: int, end: int, head: int, *, people_only: bool = False
    ) -> Entity | None:
        inside = [m for m in self.mentions if start <= m.start < end]
        if people_only:
            inside = [m for m in inside if m.label in {"PERSON", "ROLE"}]
        if not inside:
            return None
        # the mention holding the head word ("the Monitor's Scott Petersen" -> Petersen)
        best = next((m for m in inside if m.start <= head < m.end), None)
        if best is None:
            people = [m for m in inside if m.label in {"PERSON", "ROLE"}]
            if not people and not people_only and head >= 0:
                return None  # "another senior US defense official": not the US itself
            best = people[-1] if people else inside[-1]
        elif best.label in {"GPE", "LOC"}:
            # "Battle Creek, Mich.-based Kellogg": the place qualifies the speaker.
            actors = [m for m in inside if m.label in {"PERSON", "ORG", "ROLE"}]
            best = actors[-1] if actors else best
        key = self.a.entity_keys.get(best.start)
        return self.entities.get(key) if key else None

    def last_entity(
        self, before: int, labels: frozenset[str], *, quoted: bool = False
    ) -> Entity | None:
        """The entity with one of ``labels`` the article last named before ``before`` (with
        ``quoted``, also inside quotation marks: a company quoted about is "the company")."""
        for m in reversed(self.mentions if quoted else self.outside):
            if m.start >= before:
                continue
            key = self.a.entity_keys.get(m.start)
            ent = self.entities.get(key) if key else None
            if ent is not None and ent.label in labels:
                return ent
        return None

    def statement_author(self, before: int) -> Entity | None:
        """Who issued the statement: the person, else the organisation, named in the last
        sentence before ``before`` that mentions a statement ("X said in a statement")."""
        text = self.a.article.text
        for s, e in reversed(self.a.sentences):
            if s >= before:
                continue
            words = set(re.findall(r"[a-z-]+", text[s : min(e, before)].lower()))
            if not words & STATEMENT_NOUNS:
                continue
            inside = [
                self.entities[k]
                for m in self.outside
                if s <= m.start < min(e, before)
                and (k := self.a.entity_keys.get(m.start)) is not None
                and k in self.entities
            ]
            for labels in ({"PERSON"}, {"ORG"}):
                found = [x for x in inside if x.label in labels]
                if found:
                    return found[0]
        return None

    def last_subject_person(self, before: int) -> Entity | None:
        """Who "he" or "she" is before ``before``: the person subject of the last sentence
        that has one, and in that sentence the one who speaks or acts in the main clause
        ("ICC deputy prosecutor James Stewart said he was disappointed Bashir had managed to
        escape" -> Stewart, not Bashir). A subject that is a title nobody could be matched to
        ("the President-elect has expressed impatience") is that person, so nobody earlier."""
        doc = self.a.doc
        best: tuple[tuple[int, bool, int], Entity | None] | None = None
        # The antecedent is a few sentences back at most; what lies further is the fallback's.
        end = bisect_left(self.token_starts, before)
        for token in doc[max(0, end - ANTECEDENT_TOKENS) : end]:
            if token.dep_ not in SUBJECTS | {"appos"}:
                continue
            if inside(token.idx, self.quotes):
                continue  # "... state parties to the Rome Statute openly flout them": quoted
            if token.dep_ == "appos" and token.head.dep_ not in SUBJECTS:
                continue
            subject = token.head if token.dep_ == "appos" else token
            # The name up to the head word: "ICC deputy prosecutor James Stewart", "Zeid
            # Ra'ad Al Hussein"; not a relative clause after it ("the man who met Bashir").
            lo, hi = token.left_edge.idx, token.idx + len(token)
            start = next((s for s, e in reversed(self.people_spans) if lo <= s < hi), None)
            verb = subject.head
            reports = verb.lemma_.lower() in REPORT_VERBS
            speaks = reports or verb.dep_ == "ROOT"
            if start is not None:
                ent: Entity | None = self.people[start]
            elif token.dep_ in SUBJECTS and token.pos_ == "PROPN" and token.text in self.surnames:
                ent = self.surnames[token.text]  # "Urbizo said", the tagger missing a known name
            elif token.dep_ in SUBJECTS and (
                is_title(token) or (token.pos_ == "PROPN" and reports)
            ):
                ent = None  # a person named by title only, or by a name nobody else uses
            else:
                continue
            rank = (token.sent.start, speaks, token.idx)
            if best is None or rank > best[0]:
                best = (rank, ent)
        if best is not None:
            return best[1]
        earlier = [ent for start, ent in self.people.items() if start < before]
        return earlier[-1] if earlier else None


def is_title(token: Token) -> bool:
    """ "the President-elect", "the minister": a subject that names a person by office."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    words = [token.lower_] + [c.lower_ for c in token.children if c.dep_ == "compound"]
    return any(part in TITLES for word in words for part in word.split("-"))


def governing_person(doc: Doc, start: int, resolver: SpeakerResolver) -> Entity | None:
    """The person subject of the verb a quotation is the object of, if any."""
    index = bisect_left(resolver.token_starts, start)
    token: Token | None = doc[index] if index < len(doc) else None
    for _ in range(4):
        if token is None or token.pos_ in {"VERB", "AUX"}:
            break
        token = token.head if token.head is not token else None
    if token is None or token.pos_ not in {"VERB", "AUX"}:
        return None
    subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
    if subject is None or subject.idx >= start:
        return None
    end = subject.idx + len(subject)
    return resolver.entity_in(subject.left_edge.idx, end, subject.idx, people_only=True)
