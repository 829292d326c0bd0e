"""Dated events across the sources, in order, and disagreements about when something happened.

Each resolved date expression (see :mod:`dates`) dates its sentence. Sentences of different
sources with the same date and overlapping content are one event. Two sources put the same
event on different days only when their sentences are close paraphrases (most content shared),
the two dates belong to the same action (not "approved ... on December 19" in one and "who went
on trial ... on January 7" in the other), and neither source also gives the other's date.
"""

from __future__ import annotations

from itertools import combinations

from storyline.compare import schema
from storyline.compare.analysis import ArticleAnalysis, DateMention, _stems, cosine, tfidf
from storyline.compare.blocking import least_shared, overlap_candidates
from storyline.compare.matching import overlap
from storyline.compare.unionfind import UnionFind
from storyline.text.tokens import stem, words

SAME_EVENT = 0.2
DATE_CONFLICT_OVERLAP = 0.5
DATE_CONFLICT_COSINE = 0.4
MIN_SHARED = 4
COPY_MIN_WORDS = 6


def _undated(a: ArticleAnalysis, d: DateMention) -> str:
    """The sentence of ``d`` with every date phrase blanked: the dates are what is compared,
    not the event."""
    s, e = a.sentences[d.sentence_index]
    text = a.article.text
    for other in a.sentence_dates(d.sentence_index):
        text = text[: other.start] + " " * (other.end - other.start) + text[other.end :]
    return text[s:e]


def _event_stems(a: ArticleAnalysis, d: DateMention) -> frozenset[str]:
    return _stems(_undated(a, d))


def _copied(first: list[str], second: list[str]) -> bool:
    """The same sentence in both sources but for its date (syndicated copy edited apart):
    "On Aug. 14, a week after the Nairobi blast, he flew here." - too few content words for
    the paraphrase test, but the same words (of the sentences without their dates) in the
    same order."""
    return len(first) >= COPY_MIN_WORDS and first == second


def _evidence(a: ArticleAnalysis, d: DateMention) -> schema.Evidence:
    s, e = a.sentences[d.sentence_index]
    return schema.Evidence(
        article_id=a.article.id,
        outlet=a.article.outlet,
        published=a.published.isoformat() if a.published else None,
        start=s,
        end=e,
        text=a.article.text[s:e],
        mention_start=d.start,
        mention_end=d.end,
    )


def build_timeline(
    analyses: list[ArticleAnalysis],
) -> tuple[list[schema.TimelineEvent], list[schema.Fact], list[schema.Conflict]]:
    items = [(a, d) for a in analyses for d in a.dates]
    undated = [_undated(a, d) for a, d in items]
    stems = [_stems(text) for text in undated]
    undated_words = [words(text) for text in undated]
    same = UnionFind(range(len(items)))
    conflicts: list[schema.Conflict] = []
    for i, j in _candidate_pairs(items, stems, undated_words):
        (a, d), (b, e) = items[i], items[j]
        same_date = d.resolved.iso == e.resolved.iso
        if same_date and (
            (a is b and d.sentence_index == e.sentence_index)
            or overlap(stems[i], stems[j]) >= SAME_EVENT
        ):
            same.union(i, j)
        elif (
            a is not b
            and d.resolved.granularity == e.resolved.granularity
            and d.resolved.granularity in {"day", "monthday"}
            and not d.resolved.overlaps(e.resolved)
            and (
                _copied(undated_words[i], undated_words[j])
                or (
                    # Close paraphrases by TF-IDF: the overlap coefficient alone lets a short
                    # sentence ("Gingrich filed for divorce July 29") match any longer one.
                    overlap(stems[i], stems[j]) >= DATE_CONFLICT_OVERLAP
                    and cosine(tfidf(stems[i], a.idf), tfidf(stems[j], b.idf))
                    >= DATE_CONFLICT_COSINE
                    and len(stems[i] & stems[j]) >= MIN_SHARED
                    and _same_action(_anchor(a, d), _anchor(b, e), stems[i], stems[j])
                )
            )
            and not _states_date(b, e, d, stems[i])
            and not _states_date(a, d, e, stems[j])
            and not (_date_line(a, d) or _date_line(b, e))
        ):
            conflicts.append(_date_conflict(len(conflicts), (a, d), (b, e)))
    clusters: dict[int, list[int]] = {}
    for idx in range(len(items)):
        clusters.setdefault(same.find(idx), []).append(idx)
    events: list[schema.TimelineEvent] = []
    facts: list[schema.Fact] = []
    position = _positions(analyses)
    for members in clusters.values():
        members.sort(key=lambda k: (position[id(items[k][0])], items[k][1].start))
        first_a, first_d = items[members[0]]
        per_article: dict[str, int] = {}
        for k in members:
            per_article.setdefault(items[k][0].article.id, k)
        chosen = list(per_article.values())
        s, e = first_a.sentences[first_d.sentence_index]
        event = schema.TimelineEvent(
            date=first_d.resolved.iso,
            granularity=first_d.resolved.granularity,
            text=first_a.article.text[s:e],
            article_ids=list(per_article),
            outlets=[items[k][0].article.outlet or "" for k in chosen],
            date_text=list(dict.fromkeys(items[k][1].text for k in chosen)),
            evidence=[_evidence(*items[k]) for k in chosen],
        )
        events.append(event)
        if len(chosen) >= 2:
            facts.append(
                schema.Fact(
                    id=f"d{len(facts) + 1}",
                    kind="date",
                    value=event.date,
                    subject="date of event",
                    text=first_d.text,
                    sources=len(chosen),
                    outlets=event.outlets,
                    article_ids=event.article_ids,
                    evidence=event.evidence,
                )
            )
    events.sort(key=lambda ev: (ev.date, -len(ev.article_ids)))
    return events, facts, conflicts


def _positions(analyses: list[ArticleAnalysis]) -> dict[int, int]:
    """``analyses.index(a)`` for every analysis, by ``id(a)``, in one pass: the first equal
    analysis (equal ones share their parse, and a parse equals only itself)."""
    by_doc: dict[int, list[int]] = {}
    position: dict[int, int] = {}
    for i, a in enumerate(analyses):
        same_parse = by_doc.setdefault(id(a.doc), [])
        position[id(a)] = next((j for j in same_parse if analyses[j] == a), i)
        same_parse.append(i)
    return position


def _candidate_pairs(
    items: list[tuple[ArticleAnalysis, DateMention]],
    stems: list[frozenset[str]],
    undated_words: list[list[str]],
) -> list[tuple[int, int]]:
    """In the order of the all-pairs loop, every pair of date mentions that can be one event
    or a date conflict; the others fail both tests whatever else they share.

    One event: the same date and the same sentence, or SAME_EVENT of the smaller sentence's
    stems shared. A conflict: two day dates that differ, in sentences that are copies (the same
    words) or share DATE_CONFLICT_OVERLAP of the smaller one's stems, at least MIN_SHARED.
    """
    pairs: set[tuple[int, int]] = set()
    by_date: dict[str, list[int]] = {}
    by_sentence: dict[tuple[int, int], list[int]] = {}
    by_words: dict[tuple[str, ...], list[int]] = {}
    dated: list[int] = []  # day and month-day dates, the only ones that can conflict
    for k, (a, d) in enumerate(items):
        by_date.setdefault(d.resolved.iso, []).append(k)
        by_sentence.setdefault((id(a), d.sentence_index), []).append(k)
        if d.resolved.granularity in {"day", "monthday"}:
            dated.append(k)
            if len(undated_words[k]) >= COPY_MIN_WORDS:
                by_words.setdefault(tuple(undated_words[k]), []).append(k)
    for group in [*by_sentence.values(), *by_words.values()]:
        pairs.update(combinations(group, 2))
    for group in by_date.values():
        found = overlap_candidates(
            [stems[k] for k in group], lambda size: least_shared(SAME_EVENT, size)
        )
        pairs.update((group[x], group[y]) for x, y in found)
    found = overlap_candidates(
        [stems[k] for k in dated],
        lambda size: max(MIN_SHARED, least_shared(DATE_CONFLICT_OVERLAP, size)),
    )
    pairs.update((dated[x], dated[y]) for x, y in found)
    return sorted(pairs)


def _anchor(a: ArticleAnalysis, d: DateMention) -> tuple[str, bool] | None:
    """The stem of the word a date attaches to ("approved by the House on December 19" ->
    "approv", through the preposition) and whether that word is its sentence's main verb;
    None when the parse does not say."""
    span = a.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root.head
    while head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    if span.start <= head.i < span.end or not head.is_alpha:
        return None
    return stem(head.text.lower()), head.dep_ == "ROOT"


def _same_action(
    anchor_a: tuple[str, bool] | None,
    anchor_b: tuple[str, bool] | None,
    stems_a: frozenset[str],
    stems_b: frozenset[str],
) -> bool:
    """Whether two dates in paraphrased sentences can date the same thing. Not when one dates
    a side clause ("who went on trial on January 7") and the word it attaches to is missing
    from the other sentence; two main verbs may differ ("interviewed" / "spoke with")."""
    if anchor_a is None or anchor_b is None:
        return True
    (word_a, main_a), (word_b, main_b) = anchor_a, anchor_b
    if word_a == word_b or word_a in stems_b or word_b in stems_a:
        return True
    return main_a and main_b


def _date_line(a: ArticleAnalysis, d: DateMention) -> bool:
    """A date opening a line ("Saturday, July 21, 2007" above the text): when the piece was
    published, not when something happened."""
    text = a.article.text
    start = max(d.start, text.rfind("\n", d.start, d.end) + 1)  # "13\nSaturday, ..." spans lines
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def _states_date(
    a: ArticleAnalysis, own: DateMention, other: DateMention, other_stems: frozenset[str]
) -> bool:
    """Whether article ``a`` also dates a similar sentence to the other source's date."""
    for d in a.dates:
        if d is own or d.resolved.iso != other.resolved.iso:
            continue
        if overlap(_event_stems(a, d), other_stems) >= SAME_EVENT:
            return True
    return False


def _date_conflict(
    n: int, first: tuple[ArticleAnalysis, DateMention], second: tuple[ArticleAnalysis, DateMention]
) -> schema.Conflict:
    values = []
    for a, d in (first, second):
        s, e = a.sentences[d.sentence_index]
        values.append(
            schema.ConflictValue(
                value=d.resolved.iso,
                text=a.article.text[s:e],
                article_id=a.article.id,
                start=s,
                end=e,
                outlet=a.article.outlet,
                published=a.published.isoformat() if a.published else None,
                phrase=d.text,
                mention_start=d.start,
                mention_end=d.end,
            )
        )
    return schema.Conflict(
        id=f"t{n + 1}",
        kind="date",
        subject="date of the same event",
        status="conflict",
        values=values,
        pairs=[schema.ValuePair(a=0, b=1, status="conflict", reason="same event, other day")],
    )
