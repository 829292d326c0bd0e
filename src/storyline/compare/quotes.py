"""Direct quotes, who said them, and which sources carry the same words.

The speaker is the subject of the nearest reporting verb outside the quotation marks in the
same paragraph ("...," Carter said; Carter stressed ..., saying "..."; according to X). A
pronoun subject ("he said") is the most recent person who was the subject of a clause before
it; a definite role ("the Pentagon chief") was already resolved by :mod:`entities`. A quote with
no attribution in its paragraph continues the previous quote of the article when that one is in
the paragraph just before.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from storyline.compare import schema
from storyline.compare.analysis import ArticleAnalysis
from storyline.compare.blocking import least_shared, occurrences, overlap_candidates
from storyline.compare.entities import TITLES
from storyline.compare.unionfind import UnionFind
from storyline.text.sentences import DOUBLE_QUOTE

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
_URL = re.compile(r"https?://|pic\.twitter|www\.|@\w")
_CLOSING = ("”", "''")  # marks that can only close a quotation
MIN_WORDS = 3
SAME_QUOTE = 0.6


@dataclass
class RawQuote:
    article_id: str
    start: int  # quoted words, without the marks
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quoted passages (3+ words), paired within a paragraph.

    Marks are straight, curly or ``LDC style'' (:data:`storyline.text.sentences.DOUBLE_QUOTE`).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        marks = [m.span() for m in DOUBLE_QUOTE.finditer(line)]
        i = 0
        while i + 1 < len(marks):
            (a_start, a_end), (b_start, _) = marks[i], marks[i + 1]
            if line[a_start:a_end] in _CLOSING:  # a closing mark cannot open: skip strays
                i += 1
                continue
            if len(line[a_end:b_start].split()) >= MIN_WORDS:
                spans.append((pos + a_end, pos + b_start))
            i += 2
        if i == len(marks) - 1 and _opens_paragraph_quote(line, *marks[i]):
            # News style: a quote that goes on into the next paragraph is not closed at the
            # end of this one (the next paragraph opens with a mark again).
            spans.append((pos + marks[i][1], pos + len(line.rstrip())))
        pos += len(line) + 1
    return spans


def _opens_paragraph_quote(line: str, start: int, end: int) -> bool:
    """An unpaired opening mark that starts a quotation running to the end of the line."""
    if line[start:end] in _CLOSING or end >= len(line) or not line[end].isalpha():
        return False
    if start > 0 and line[start - 1] not in " :(":
        return False  # 6" pipe, a closing mark: not an opening quote
    return len(line[end:].split()) >= MIN_WORDS


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s - 1 <= pos <= e for s, e in spans)


def _subject(verb: Token) -> Token | None:
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


class _Resolver:
    """Maps subject tokens of an article to entity names."""

    def __init__(
        self,
        analysis: ArticleAnalysis,
        entities: dict[str, Entity],
        people: StoryPeople | None = None,
    ) -> None:
        self.a = analysis
        self.entities = entities
        people = people or StoryPeople.of(entities)
        self.mentions = sorted(
            people.mentions_by_article.get(analysis.article.id, ()), key=lambda m: m.start
        )
        # Names inside quotation marks are who is talked about, not who talks: antecedents
        # of "he" and statement authors are searched outside them.
        self.quotes = find_quotes(analysis.article.text)
        self.outside = [m for m in self.mentions if not _inside(m.start, self.quotes)]
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
            if _inside(token.idx, self.quotes):
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
                _is_title(token) or (token.pos_ == "PROPN" and reports)
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


def extract_quotes(
    analysis: ArticleAnalysis, entities: dict[str, Entity], people: StoryPeople | None = None
) -> list[RawQuote]:
    text = analysis.article.text
    doc = analysis.doc
    spans = find_quotes(text)
    resolver = _Resolver(analysis, entities, people)
    # Reporting verbs outside quotation marks, found once per article rather than per quote.
    candidates = [
        t
        for t in doc
        if (
            (t.lemma_.lower() in REPORT_VERBS and t.pos_ in {"VERB", "AUX"})
            or t.lower_ == "according"
        )
        and not _inside(t.idx, spans)
    ]
    quotes: list[RawQuote] = []
    prev_speaker: tuple[int, str | None, str | None] | None = None  # (paragraph end, ...)
    for qs, qe in spans:
        para_start = text.rfind("\n", 0, qs) + 1
        para_end = text.find("\n", qe)
        para_end = len(text) if para_end < 0 else para_end
        verbs = [t for t in candidates if para_start <= t.idx < para_end]
        speaker: str | None = None
        speaker_text: str | None = None

        def distance(t: Token, qs: int = qs, qe: int = qe) -> int:
            return qs - t.idx if t.idx < qs else t.idx - qe

        for verb in sorted(verbs, key=distance):
            subj = _subject(verb)
            if subj is None or _inside(subj.idx, spans):
                # The parser misses subjects after a quote ("...," Hassan Hassan, a fellow at
                # X, writes) and inverted ones ("said Carter"): take the person in between.
                lo, hi = (qe, verb.idx) if verb.idx > qe else (verb.idx, verb.idx + 40)
                ent = resolver.entity_in(lo, hi, -1, people_only=True)
                if ent is not None:
                    speaker, speaker_text = ent.name, ent.name
                    break
                continue
            if subj.pos_ == "PRON" and subj.lower_ not in PRONOUNS | RELATIVE:
                # "... if you had told her", "it said": a reader or a thing, not the speaker
                continue
            if subj.lower_ in RELATIVE:
                # "Charamut, who said": the clause's antecedent speaks; "what he said" is
                # not an attribution of this quote.
                if verb.dep_ != "relcl" or verb.head.pos_ not in {"NOUN", "PROPN"}:
                    continue
                subj = verb.head
            lo = min(t.idx for t in subj.subtree)
            hi = max(t.idx + len(t) for t in subj.subtree)
            speaker_text = text[lo:hi]
            if _URL.search(speaker_text):
                speaker_text = None
                continue  # a tweet's signature line, not a speaker
            head = subj.lemma_.lower()
            if subj.lower_ in PRONOUNS:
                ent = resolver.last_subject_person(lo)
            else:
                ent = resolver.entity_in(lo, hi, subj.idx)
                if ent is None and head in STATEMENT_NOUNS:
                    ent = resolver.statement_author(lo) or resolver.last_entity(
                        lo, frozenset({"ORG"})
                    )
                elif (
                    head in ORG_NOUNS
                    and subj.pos_ == "NOUN"
                    and (ent is None or ent.label in {"GPE", "LOC"})
                ):
                    ent = resolver.last_entity(lo, frozenset({"ORG"}), quoted=True)
            if ent is not None:
                speaker = ent.name
            elif subj.lower_ not in PRONOUNS:
                speaker = speaker_text
            # An unresolved "he" names nobody; speaker_text keeps the word as written.
            break
        if speaker is None:
            # No reporting verb: the person whose verb takes the quote ("Sidiki Kaba, ...,
            # expressed his "deep concern ...""), before the speaker of the quote before it.
            ent = _governing_person(doc, qs, resolver)
            if ent is not None:
                speaker, speaker_text = ent.name, ent.name
        if speaker is None and prev_speaker is not None:
            gap = text[prev_speaker[0] : para_start]
            if gap.count("\n") <= 1:
                speaker, speaker_text = prev_speaker[1], prev_speaker[2]
        quotes.append(RawQuote(analysis.article.id, qs, qe, text[qs:qe], speaker, speaker_text))
        prev_speaker = (para_end, speaker, speaker_text)
    return quotes


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def similarity(a: str, b: str) -> float:
    return _word_similarity(_words(a), _words(b))


def _word_similarity(wa: list[str], wb: list[str]) -> float:
    if min(len(wa), len(wb)) < MIN_WORDS:
        return 0.0
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / min(len(wa), len(wb))


def build_quotes(
    analyses: list[ArticleAnalysis], entities: dict[str, Entity]
) -> list[schema.Quote]:
    people = StoryPeople.of(entities)
    raw = [q for a in analyses for q in extract_quotes(a, entities, people)]
    by_id = {a.article.id: a for a in analyses}
    same = UnionFind(range(len(raw)))
    # Matching words are at most the words two quotes share (counted with repeats), so only
    # pairs sharing SAME_QUOTE of the shorter one's words can pass; prefix filtering finds
    # them without trying every pair of the story's quotes.
    quote_words = [_words(q.text) for q in raw]
    word_sets = [occurrences(w) if len(w) >= MIN_WORDS else frozenset() for w in quote_words]
    candidates = overlap_candidates(word_sets, lambda size: least_shared(SAME_QUOTE, size))
    for i, j in sorted(candidates):
        if raw[i].article_id == raw[j].article_id or same.find(i) == same.find(j):
            continue  # already one quote: the test could only say so again
        # The words in matching blocks are at most the words the two share (with repeats): a
        # pair that shares too few cannot pass, and a set intersection costs far less than
        # the sequence matcher.
        shortest = min(len(quote_words[i]), len(quote_words[j]))
        if len(word_sets[i] & word_sets[j]) < least_shared(SAME_QUOTE, shortest):
            continue
        if _word_similarity(quote_words[i], quote_words[j]) >= SAME_QUOTE:
            same.union(i, j)
    groups = same.groups(range(len(raw)))
    quotes: list[schema.Quote] = []
    for members in sorted(groups.values(), key=lambda m: min(m)):
        variants = []
        for k in members:
            q = raw[k]
            a = by_id[q.article_id]
            s_idx = a.sentence_of(q.start)
            s, e = a.sentences[s_idx] if s_idx >= 0 else (q.start, q.end)
            e = max(e, q.end)
            variants.append(
                schema.QuoteVariant(
                    article_id=q.article_id,
                    outlet=a.article.outlet,
                    text=q.text,
                    start=q.start,
                    end=q.end,
                    sentence_start=s,
                    sentence_end=e,
                    speaker=q.speaker,
                    speaker_text=q.speaker_text,
                )
            )
        speakers = Counter(v.speaker for v in variants if v.speaker)
        norm = {" ".join(_words(v.text)) for v in variants}
        quotes.append(
            schema.Quote(
                id=f"q{len(quotes) + 1}",
                speaker=speakers.most_common(1)[0][0] if speakers else None,
                text=variants[0].text,
                article_ids=list(dict.fromkeys(v.article_id for v in variants)),
                outlets=list(dict.fromkeys(v.outlet or "" for v in variants)),
                variants=variants,
                wording_differs=len(norm) > 1,
            )
        )
    quotes.sort(key=lambda q: -len(q.article_ids))
    return quotes


def _is_title(token: Token) -> bool:
    """ "the President-elect", "the minister": a subject that names a person by office."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    words = [token.lower_] + [c.lower_ for c in token.children if c.dep_ == "compound"]
    return any(part in TITLES for word in words for part in word.split("-"))


def _governing_person(doc: Doc, start: int, resolver: _Resolver) -> Entity | None:
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
