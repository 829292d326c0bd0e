"""Group the numbers of different sources that measure the same thing; find where they clash.

Two mentions measure the same thing when they have the same dimension, the same counted class
("troops", "soldiers", "US forces" are all personnel; "killed" and "wounded" people are not),
the same role (a total, an amount added: "560 more", or a rate: "each year"), a compatible place
("in Iraq" vs "in Afghanistan") and similar sentences: TF-IDF cosine over the story's
sentences, so that the words every source repeats weigh little. A clash needs more evidence
than an agreement, because a wrong conflict is worse than a missed one:

* the values' intervals (:class:`quantities.Quantity`; ranges are intervals too) must not overlap;
* neither source may itself also state the other value: an article that says both "560 more
  troops" and "about 200 more troops" is describing two deployments, not disagreeing;
* values more than ten times apart are different quantities, not a disagreement;
* values for different dates are reported as "different dates", never as a conflict; so are
  running tallies (tolls, cancellations: "at least 241 killed", "the toll rose to"), which
  differ between reports written at different times, unless both are dated the same day;
* sentences that name different periods ("in the fourth quarter of 1998" / "in the first
  quarter", "a February poll" / "a poll released in June") state different measures, and so
  do clauses with different named subjects ("North Korea will send 317 athletes" / "China
  will send 596 athletes");
* a conflict lists only values tied to the clash by strict links: agreement links chain
  through loosely related figures, and those are left out of the conflict.

One case overrides the sentence tests: two sources printing the same sentence with a
different figure (syndicated copy edited apart) disagree about that figure, whatever it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from storyline.compare import schema
from storyline.compare.ages import AGE
from storyline.compare.analysis import ArticleAnalysis
from storyline.compare.matching import comparable_pairs, pair_score, same_measure
from storyline.compare.mentions import Mention
from storyline.compare.quantities import Quantity
from storyline.compare.unionfind import UnionFind

DATE_WINDOW = timedelta(days=14)


@dataclass
class _Link:
    i: int
    j: int
    compatible: bool


def _reference(m: Mention, analysis: ArticleAnalysis) -> tuple[date, date] | None:
    """When the value holds: a date written in its sentence, else the article's date."""
    for d in analysis.sentence_dates(m.sentence_index):
        if d.resolved.granularity == "monthday":
            continue  # no year: cannot be placed against other dates
        lo, hi = d.resolved.bounds()
        if analysis.published is None or lo <= analysis.published:
            return lo, hi
    if analysis.published is not None:
        return analysis.published, analysis.published
    return None


def _different_dates(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    if a is None or b is None:
        return False
    return a[0] > b[1] + DATE_WINDOW or b[0] > a[1] + DATE_WINDOW


def _birthdays_apart(
    a: Quantity, b: Quantity, ref_a: tuple[date, date] | None, ref_b: tuple[date, date] | None
) -> bool:
    """Whether two ages of one person can both be right because the reports lie at least
    the difference in years apart, give or take a birthday."""
    if ref_a is None or ref_b is None or not _different_dates(ref_a, ref_b):
        return False  # the same time, as far as the texts say: the ages cannot both be right
    years = max(ref_a[0] - ref_b[1], ref_b[0] - ref_a[1]).days / 365.25
    return abs(a.value - b.value) <= years + 1


def _same_day(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a == b and a[0] == a[1]


def _states(analysis: ArticleAnalysis, other: Mention) -> bool:
    """Whether an article itself states a value compatible with ``other`` for that measure."""
    return any(
        m.key == other.key and m.quantity.compatible(other.quantity) for m in analysis.mentions
    )


def group_quantities(
    analyses: list[ArticleAnalysis],
) -> tuple[list[schema.Fact], list[schema.Conflict], list[schema.Fact]]:
    by_id = {a.article.id: a for a in analyses}
    position: dict[str, int] = {}  # the first analysis of each article id, as _order finds it
    for number, a in enumerate(analyses):
        position.setdefault(a.article.id, number)
    mentions = [m for a in analyses for m in a.mentions]
    same = UnionFind(range(len(mentions)))
    # Each mention is compared only with its best counterpart in each other article (and the
    # choice must be mutual): a different figure elsewhere in that article is most often
    # another measure, and chaining through weak matches merges unrelated numbers.
    best: dict[tuple[int, str], tuple[float, int]] = {}
    pairs = comparable_pairs(mentions)
    # The words around each number, its own counted noun left out, taken once per mention
    # rather than once per pair (a big story has a million pairs).
    around = [m.local - {m.thing} for m in mentions]
    for i, j in pairs:
        a, b = mentions[i], mentions[j]
        sc = pair_score(a, b, around[i], around[j])
        for x, y in ((i, j), (j, i)):
            key = (x, mentions[y].article_id)
            if key not in best or sc > best[key][0]:
                best[key] = (sc, y)
    links: list[_Link] = []
    for (i, _other), (_sc, j) in best.items():
        if i > j or best.get((j, mentions[i].article_id), (0.0, -1))[1] != i:
            continue
        a, b = mentions[i], mentions[j]
        if a.quantity.compatible(b.quantity):
            if same_measure(a, b, strict=False):
                links.append(_Link(i, j, True))
        elif same_measure(a, b, strict=True) and not (
            _states(by_id[a.article_id], b) or _states(by_id[b.article_id], a)
        ):
            links.append(_Link(i, j, False))
    for link in links:
        same.union(link.i, link.j)
    groups: dict[int, list[int]] = {}
    for link in links:
        groups.setdefault(same.find(link.i), [])
    for idx in range(len(mentions)):
        root = same.find(idx)
        if root in groups:
            groups[root].append(idx)
    conflict_pairs = {(link.i, link.j) for link in links if not link.compatible}

    strict_pairs = {
        (link.i, link.j)
        for link in links
        if link.compatible and same_measure(mentions[link.i], mentions[link.j], strict=True)
    }

    facts: list[schema.Fact] = []
    conflicts: list[schema.Conflict] = []
    grouped: set[int] = set()
    # Strict links by group: both ends of a link are in its group.
    strict_in_group: dict[int, set[tuple[int, int]]] = {}
    for i, j in strict_pairs:
        strict_in_group.setdefault(same.find(i), set()).add((i, j))
    # A clash is a pair of a group that is a link or passes the strict test, and either needs
    # ``comparable``: so only the group's comparable pairs are tried, not every two members
    # (in the same order, so the set below is built as before).
    pairs_in_group: dict[int, list[tuple[int, int]]] = {}
    for i, j in pairs:
        root = same.find(i)
        if root in groups and root == same.find(j):
            pairs_in_group.setdefault(root, []).append((i, j))
    for root, members in groups.items():
        if len({mentions[idx].article_id for idx in members}) < 2:
            continue
        grouped.update(members)
        # A clash must hold between two mentions that themselves pass the strict test:
        # agreement links chain ("65 miles west of Izmit" ~ "about 70 km" ~ "55 miles east of
        # Istanbul"), and the two ends of a chain are often different measures.
        clashes = {
            (i, j)
            for i, j in pairs_in_group.get(root, ())
            if not mentions[i].quantity.compatible(mentions[j].quantity)
            and ((i, j) in conflict_pairs or same_measure(mentions[i], mentions[j], strict=True))
        }
        if not clashes:
            if all(
                mentions[i].quantity.compatible(mentions[j].quantity)
                for i, j in combinations(members, 2)
                if mentions[i].article_id != mentions[j].article_id
            ):
                facts.append(
                    _fact(
                        f"f{len(facts) + 1}", _firsts(members, mentions, position), mentions, by_id
                    )
                )
            continue  # values differ but nothing says they measure the same: neither agreed
        clashing = _strict_component(members, clashes, strict_in_group.get(root, set()))
        # Per article, a value that is itself in a clash speaks for it before any other.
        in_clash = [idx for pair in clashes for idx in pair]
        shown = _firsts([*in_clash, *clashing], mentions, position, prefer=set(in_clash))
        conflicts.append(_conflict(len(conflicts), shown, mentions, by_id))
        rest = [idx for idx in members if idx not in clashing]
        if len({mentions[idx].article_id for idx in rest}) >= 2 and all(
            mentions[i].quantity.compatible(mentions[j].quantity) for i, j in combinations(rest, 2)
        ):
            facts.append(
                _fact(f"f{len(facts) + 1}", _firsts(rest, mentions, position), mentions, by_id)
            )
    unique: list[schema.Fact] = []
    shared_values: dict[tuple[str, tuple[str, str, str]], list[Mention]] = {}
    for g in grouped:
        shared_values.setdefault((mentions[g].article_id, mentions[g].key), []).append(mentions[g])
    for idx, m in enumerate(mentions):
        if idx in grouped or m.quantity.dimension == AGE:
            continue  # a person's age is a detail, not a claim only one source makes
        # A restatement of a value the same article shares with others is not unique.
        if any(
            g.quantity.compatible(m.quantity) for g in shared_values.get((m.article_id, m.key), ())
        ):
            continue
        unique.append(_fact(f"u{len(unique) + 1}", [idx], mentions, by_id))
    facts.sort(key=lambda f: -f.sources)
    return facts, [c for c in conflicts if c is not None], unique


def _firsts(
    members: list[int] | set[int],
    mentions: list[Mention],
    position: dict[str, int],
    prefer: frozenset[int] | set[int] = frozenset(),
) -> list[int]:
    """One value per article (its first mention of the measure, ``prefer`` ones first), in
    the articles' order."""
    firsts: dict[str, int] = {}
    for idx in sorted(set(members), key=lambda k: (k not in prefer, mentions[k].start)):
        firsts.setdefault(mentions[idx].article_id, idx)
    return sorted(
        firsts.values(), key=lambda k: (position[mentions[k].article_id], mentions[k].start)
    )


def _strict_component(
    members: list[int], clashes: set[tuple[int, int]], strict_pairs: set[tuple[int, int]]
) -> set[int]:
    """The mentions tied to a clash by clash or strict agreement links."""
    member_set = set(members)
    edges = clashes | {(i, j) for i, j in strict_pairs if i in member_set and j in member_set}
    reached = {i for pair in clashes for i in pair}
    grew = True
    while grew:
        grew = False
        for i, j in edges:
            if (i in reached) != (j in reached):
                reached.update((i, j))
                grew = True
    return reached


def _order(analyses: list[ArticleAnalysis], m: Mention) -> tuple[int, int]:
    pos = next(i for i, a in enumerate(analyses) if a.article.id == m.article_id)
    return pos, m.start


def subject(m: Mention) -> str:
    if m.quantity.dimension == AGE:
        return f"age of {m.extras.get('person', m.actor)}"
    if m.quantity.dimension == "length":
        return f"distance from {m.anchor}" if m.anchor else "distance"
    what = m.thing_class or m.thing or m.quantity.dimension
    role = " added" if m.kind == "increment" else ""
    place = f" in {sorted(m.places)[0]}" if m.places else ""
    return f"{what}{role}{place}"


def _evidence(m: Mention, a: ArticleAnalysis) -> schema.Evidence:
    return schema.Evidence(
        article_id=m.article_id,
        outlet=a.article.outlet,
        published=a.published.isoformat() if a.published else None,
        start=m.sent_start,
        end=m.sent_end,
        text=a.article.text[m.sent_start : m.sent_end],
        mention_start=m.start,
        mention_end=m.end,
    )


def _phrase(m: Mention, a: ArticleAnalysis) -> str:
    text = a.article.text
    start = m.start
    if m.written_qualifier:
        found = text.rfind(m.written_qualifier, max(m.sent_start, m.start - 40), m.end)
        start = found if found >= 0 else start
    # extend to the counted noun ("560 more troops") for readability
    tail = text[m.end : m.sent_end]
    extra = ""
    if m.thing and m.thing_class:
        low = tail.lower()
        pos = low.find(m.thing[:5])
        if 0 <= pos <= 25:
            end = pos + len(m.thing[:5])
            while end < len(tail) and tail[end].isalpha():
                end += 1
            extra = tail[:end]
    return (text[start : m.end] + extra).strip()


def _fact(
    fid: str, chosen: list[int], mentions: list[Mention], by_id: dict[str, ArticleAnalysis]
) -> schema.Fact:
    first = mentions[chosen[0]]
    a0 = by_id[first.article_id]
    return schema.Fact(
        id=fid,
        kind=first.quantity.dimension,
        value=first.quantity.display(),
        subject=subject(first),
        text=_phrase(first, a0),
        sources=len({mentions[k].article_id for k in chosen}),
        outlets=[by_id[mentions[k].article_id].article.outlet or "" for k in chosen],
        article_ids=[mentions[k].article_id for k in chosen],
        evidence=[_evidence(mentions[k], by_id[mentions[k].article_id]) for k in chosen],
    )


def _conflict(
    n: int, chosen: list[int], mentions: list[Mention], by_id: dict[str, ArticleAnalysis]
) -> schema.Conflict:
    values: list[schema.ConflictValue] = []
    refs = []
    for k in chosen:
        m = mentions[k]
        a = by_id[m.article_id]
        lo, hi = m.quantity.interval()
        values.append(
            schema.ConflictValue(
                value=m.quantity.display(),
                text=a.article.text[m.sent_start : m.sent_end],
                article_id=m.article_id,
                start=m.sent_start,
                end=m.sent_end,
                outlet=a.article.outlet,
                published=a.published.isoformat() if a.published else None,
                phrase=_phrase(m, a),
                mention_start=m.start,
                mention_end=m.end,
                low=lo,
                high=hi,
            )
        )
        refs.append(_reference(m, a))
    pairs: list[schema.ValuePair] = []
    for i, j in combinations(range(len(chosen)), 2):
        qa, qb = mentions[chosen[i]].quantity, mentions[chosen[j]].quantity
        running = mentions[chosen[i]].running or mentions[chosen[j]].running
        if qa.compatible(qb):
            status, reason = "compatible", "the ranges the wordings allow overlap"
        elif qa.dimension == AGE:
            # People age: two ages are both right only as far apart as the reports are.
            if _birthdays_apart(qa, qb, refs[i], refs[j]):
                status, reason = "different dates", "ages given as far apart as the reports"
            else:
                status = "conflict"
                reason = "two ages of one person that the reports' dates do not explain"
        elif running and not _same_day(refs[i], refs[j]):
            status = "different dates"
            if refs[i] is None or refs[j] is None:
                # Nothing dates one of the reports: say that the times are inferred, not read.
                reason = "a running tally; a report is undated, and tallies change between reports"
            else:
                reason = "a running tally, reported at different times; the later may be newer"
        elif _different_dates(refs[i], refs[j]):
            status, reason = "different dates", "stated for different dates; the later may be newer"
        else:
            status, reason = "conflict", "incompatible values for the same date"
        pairs.append(schema.ValuePair(a=i, b=j, status=status, reason=reason))
    status = "conflict" if any(p.status == "conflict" for p in pairs) else "different dates"
    return schema.Conflict(
        id=f"c{n + 1}",
        kind=mentions[chosen[0]].quantity.dimension,
        subject=subject(mentions[chosen[0]]),
        status=status,
        values=values,
        pairs=pairs,
        note="" if status == "conflict" else "values differ only between different dates",
    )
