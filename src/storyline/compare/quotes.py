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
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from storyline.compare import schema
from storyline.compare.analysis import ArticleAnalysis
from storyline.compare.blocking import least_shared, occurrences, overlap_candidates
from storyline.compare.speakers import (
    ORG_NOUNS,
    PRONOUNS,
    RELATIVE,
    REPORT_VERBS,
    STATEMENT_NOUNS,
    SpeakerResolver,
    StoryPeople,
    clause_subject,
    governing_person,
    inside,
)
from storyline.compare.unionfind import UnionFind
from storyline.text.sentences import DOUBLE_QUOTE

if TYPE_CHECKING:
    from spacy.tokens import Token

    from storyline.compare.entities import Entity

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


def extract_quotes(
    analysis: ArticleAnalysis, entities: dict[str, Entity], people: StoryPeople | None = None
) -> list[RawQuote]:
    text = analysis.article.text
    doc = analysis.doc
    spans = find_quotes(text)
    resolver = SpeakerResolver(analysis, entities, spans, people)
    # Reporting verbs outside quotation marks, found once per article rather than per quote.
    candidates = [
        t
        for t in doc
        if (
            (t.lemma_.lower() in REPORT_VERBS and t.pos_ in {"VERB", "AUX"})
            or t.lower_ == "according"
        )
        and not inside(t.idx, spans)
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
            subj = clause_subject(verb)
            if subj is None or inside(subj.idx, spans):
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
            ent = governing_person(doc, qs, resolver)
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
