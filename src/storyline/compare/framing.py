"""How each outlet names the same entity, and the words that set one outlet's coverage apart.

Entity terms are the noun phrases around an entity's mentions ("Daesh Takfiri militants", "the
Islamic State group"), reported when outlets differ. Distinctive words are content words one
article uses that no other article of the story uses, ranked by frequency with adjectives and
adverbs (where evaluation lives: "so-called", "purported") first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from storyline.compare import schema
from storyline.compare.analysis import ArticleAnalysis
from storyline.compare.entities import TITLES, Entity
from storyline.text.tokens import STOP_WORDS

FRAMED_LABELS = frozenset({"ORG", "PERSON", "EVENT"})
MAX_DISTINCTIVE = 8


def _phrase(a: ArticleAnalysis, start: int, end: int) -> tuple[int, int]:
    """The name as written plus the nouns it heads: "Daesh Takfiri militants", "IS group"."""
    span = a.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start, end
    last = span.end
    while last < len(a.doc) and a.doc[last].pos_ in {"NOUN", "PROPN"} and not a.doc[last].ent_type_:
        if a.doc[last].dep_ not in {"compound", "ROOT", "nsubj", "dobj", "pobj", "appos", "conj"}:
            break
        last += 1
        if a.doc[last - 1].dep_ != "compound":
            break
    return span.start_char if span.start_char >= start else start, a.doc[last - 1].idx + len(
        a.doc[last - 1]
    )


def entity_terms(analyses: list[ArticleAnalysis], ents: list[Entity]) -> list[schema.Framing]:
    by_id = {a.article.id: a for a in analyses}
    out: list[schema.Framing] = []
    for ent in ents:
        if ent.label not in FRAMED_LABELS or len(ent.article_ids) < 2:
            continue
        if ent.name.lower() in TITLES:
            continue  # "Defense" out of "Defense Minister X" is a title, not an actor
        per_article: dict[str, Counter[str]] = defaultdict(Counter)
        first: dict[tuple[str, str], tuple[int, int]] = {}
        for m in ent.mentions:
            a = by_id[m.article_id]
            lo, hi = _phrase(a, m.start, m.end)
            term = " ".join(a.article.text[lo:hi].split())
            term = re.sub(r"^[Tt]he\s+", "", term)
            term = re.sub(r"[’']s?$", "", term)  # "Mitch's" is how "Mitch" is written, not framed
            per_article[m.article_id][term] += 1
            first.setdefault((m.article_id, term), (lo, hi))
        vocab = [set(c) for c in per_article.values()]
        if all(v == vocab[0] for v in vocab):
            continue  # every outlet says the same thing
        terms = [
            schema.Term(
                term=term,
                article_id=aid,
                outlet=by_id[aid].article.outlet,
                count=count,
                start=first[(aid, term)][0],
                end=first[(aid, term)][1],
            )
            for aid in ent.article_ids
            for term, count in per_article[aid].most_common()
        ]
        out.append(schema.Framing(kind="entity_terms", entity=ent.name, terms=terms))
    return out


def distinctive_words(analyses: list[ArticleAnalysis]) -> list[schema.Framing]:
    if len(analyses) < 2:
        return []
    counts: list[Counter[str]] = []
    firsts: list[dict[str, tuple[int, int, str]]] = []
    for a in analyses:
        c: Counter[str] = Counter()
        f: dict[str, tuple[int, int, str]] = {}
        for t in a.doc:
            if (
                t.pos_ not in {"ADJ", "ADV", "NOUN", "VERB", "PROPN"}
                or t.ent_type_ in {"DATE", "CARDINAL", "MONEY", "QUANTITY", "PERSON"}
                or not t.is_alpha
                or len(t) < 4
                or t.lower_ in STOP_WORDS
            ):
                continue
            lemma = t.lemma_.lower()
            c[lemma] += 1
            f.setdefault(lemma, (t.idx, t.idx + len(t), t.pos_))
        counts.append(c)
        firsts.append(f)
    # How many articles use each word: a word is an article's own when only that one does
    # (one count per story, not a union of every other article's words per article).
    articles_using: Counter[str] = Counter(w for c in counts for w in c)
    out: list[schema.Framing] = []
    for i, a in enumerate(analyses):
        own = [w for w in counts[i] if articles_using[w] == 1]
        evaluative = {"ADJ": 0, "ADV": 0}
        own.sort(key=lambda w: (-counts[i][w], evaluative.get(firsts[i][w][2], 1), w))
        terms = [
            schema.Term(
                term=a.article.text[firsts[i][w][0] : firsts[i][w][1]],
                article_id=a.article.id,
                outlet=a.article.outlet,
                count=counts[i][w],
                start=firsts[i][w][0],
                end=firsts[i][w][1],
            )
            for w in own[:MAX_DISTINCTIVE]
        ]
        if terms:
            out.append(
                schema.Framing(
                    kind="distinctive_words",
                    article_id=a.article.id,
                    outlet=a.article.outlet,
                    terms=terms,
                )
            )
    return out
