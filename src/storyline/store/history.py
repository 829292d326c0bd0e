"""Story versions: a summary and comparison per set of originals, kept, and diffs between them.

A version is computed by the pipeline's summarizer and comparer (``Pipeline.story``) only when
a story's originals differ from those of its latest version; copies change the coverage
counts, not the digest. "What changed since D" compares the story as it stood at D (its
originals added by then; that version is taken from the kept ones, or computed once and kept)
with its current version.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from storyline.model import Article, Story
from storyline.store import queries
from storyline.store.models import ArticleRef, Change, StoryChanges

if TYPE_CHECKING:
    from storyline.store.core import Store


def _load(blob: bytes) -> Story:
    return Story.model_validate_json(zlib.decompress(blob))


def _version_row(store: Store, number: int, members: str):  # -> sqlite3.Row | None
    return store.connection.execute(
        "SELECT * FROM story_versions WHERE story_id = ? AND members = ? "
        "ORDER BY version DESC LIMIT 1",
        (number, members),
    ).fetchone()


def _compute(store: Store, number: int, upto: str | None) -> tuple[Story, str, str]:
    articles = queries.originals(store.connection, number, upto)
    if not articles:
        raise KeyError(f"no story {queries.story_name(number)} in this store")
    story, _problems = store.pipeline.story(articles)
    story.id = queries.story_name(number)
    as_of = max(
        store.connection.execute("SELECT added_at FROM articles WHERE id = ?", (a.id,)).fetchone()[
            0
        ]
        for a in articles
    )
    return story, queries.members_hash([a.id for a in articles]), as_of


def _save(
    store: Store, number: int, story: Story, members: str, as_of: str, *, latest: bool
) -> int:
    db = store.connection
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM story_versions WHERE story_id = ?",
            (number,),
        ).fetchone()[0]
        db.execute(
            "INSERT INTO story_versions VALUES (?, ?, ?, ?, ?, ?)",
            (
                number,
                version,
                members,
                datetime.now(UTC).isoformat(),
                as_of,
                zlib.compress(story.model_dump_json().encode(), 6),
            ),
        )
        if latest:
            lede = story.summary[0].text if story.summary else None
            conflicts = len(story.comparison.conflicts) if story.comparison else 0
            db.execute(
                "UPDATE stories SET version = ?, title = coalesce(?, title), lede = ?, "
                "conflicts = ? WHERE id = ?",
                (version, story.title, lede, conflicts, number),
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return int(version)


def refresh(store: Store, number: int) -> Story:
    """The story's current version, computed and kept when its originals changed."""
    row = store.connection.execute("SELECT members FROM stories WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise KeyError(f"no story {queries.story_name(number)} in this store")
    kept = _version_row(store, number, row["members"])
    if kept is not None:
        return _load(kept["story"])
    story, members, as_of = _compute(store, number, None)
    if not store.read_only:
        _save(store, number, story, members, as_of, latest=True)
    return story


def stale(store: Store, number: int) -> tuple[list[Article], str, str] | None:
    """What :func:`refresh` would summarize, or None when the kept version is current:
    ``(originals, members, as_of)``, for an engine that computes the version elsewhere."""
    row = store.connection.execute("SELECT members FROM stories WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise KeyError(f"no story {queries.story_name(number)} in this store")
    if _version_row(store, number, row["members"]) is not None:
        return None
    articles = queries.originals(store.connection, number, None)
    as_of = max(
        store.connection.execute("SELECT added_at FROM articles WHERE id = ?", (a.id,)).fetchone()[
            0
        ]
        for a in articles
    )
    return articles, queries.members_hash([a.id for a in articles]), as_of


def keep(store: Store, number: int, story: Story, members: str, as_of: str) -> int:
    """Keep a version computed elsewhere from :func:`stale`'s originals, as :func:`refresh`
    keeps its own (``pipeline.story(originals)``)."""
    story.id = queries.story_name(number)
    return _save(store, number, story, members, as_of, latest=True)


def current(store: Store, number: int) -> Story:
    return refresh(store, number)


def _as_of(store: Store, number: int, since: datetime) -> tuple[Story | None, int | None]:
    """The story as it stood at ``since``: None when none of its originals had arrived."""
    moment = _moment(since)
    ids = [
        r[0]
        for r in store.connection.execute(
            "SELECT id FROM articles WHERE story_id = ? AND canonical_id IS NULL AND added_at <= ?",
            (number, moment),
        )
    ]
    if not ids:
        return None, None
    members = queries.members_hash(ids)
    kept = _version_row(store, number, members)
    if kept is not None:
        return _load(kept["story"]), int(kept["version"])
    story, members, as_of = _compute(store, number, moment)
    version = None
    if not store.read_only:
        version = _save(store, number, story, members, as_of, latest=False)
    return story, version


def _moment(since: datetime) -> str:
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since.astimezone(UTC).isoformat(timespec="microseconds")


def changes(store: Store, number: int, since: datetime) -> StoryChanges:
    now = refresh(store, number)
    version_now = store.connection.execute(
        "SELECT version FROM stories WHERE id = ?", (number,)
    ).fetchone()[0]
    before, version_before = _as_of(store, number, since)
    result = StoryChanges(
        story_id=queries.story_name(number),
        since=since,
        version_before=version_before,
        version_now=int(version_now or 0),
    )
    moment = _moment(since)
    rows = store.connection.execute(
        "SELECT a.id, s.outlet, a.title, s.published FROM sightings s "
        "JOIN articles a ON a.id = s.article_id WHERE a.story_id = ? AND s.added_at > ? "
        "ORDER BY s.published IS NULL, s.published, s.added_at",
        (number, moment),
    ).fetchall()
    result.articles_added = [
        ArticleRef(id=r["id"], outlet=r["outlet"], title=r["title"], published=r["published"])
        for r in rows
    ]
    old_outlets = {
        r[0]
        for r in store.connection.execute(
            "SELECT DISTINCT s.outlet FROM sightings s JOIN articles a ON a.id = s.article_id "
            "WHERE a.story_id = ? AND s.added_at <= ?",
            (number, moment),
        )
    }
    result.outlets_added = list(
        dict.fromkeys(r["outlet"] for r in rows if r["outlet"] and r["outlet"] not in old_outlets)
    )
    diff_digests(before, now, result)
    return result


def diff_digests(before: Story | None, now: Story, result: StoryChanges) -> None:
    """Summary sentences in and out; facts, conflicts and quotes new or changed."""
    old_sentences = [s.text for s in before.summary] if before else []
    new_sentences = [s.text for s in now.summary]
    result.sentences_added = [s for s in new_sentences if s not in set(old_sentences)]
    result.sentences_removed = [s for s in old_sentences if s not in set(new_sentences)]
    old = before.comparison if before else None
    new = now.comparison
    if new is None:
        return
    # A fact is the same fact when its kind, subject and value are; it "changed" when the
    # story had exactly one value for a named subject and now has exactly one other.
    old_facts = old.facts + old.unique if old else []
    new_facts = new.facts + new.unique
    seen = {(f.kind, f.subject, f.value) for f in old_facts}
    old_values = _values_by_subject(old_facts)
    new_values = _values_by_subject(new_facts)
    for fact in new_facts:
        if (fact.kind, fact.subject, fact.value) in seen:
            continue
        line = f"{fact.value} ({fact.sources} source{'s' if fact.sources != 1 else ''})"
        key = (fact.kind, fact.subject)
        before = old_values.get(key, [])
        subject = fact.subject or f"{fact.kind} ({fact.text})"
        if fact.subject and len(before) == 1 and len(new_values[key]) == 1:
            result.changes.append(
                Change(kind="fact", status="changed", subject=subject, now=line, before=before[0])
            )
        else:
            result.changes.append(Change(kind="fact", status="new", subject=subject, now=line))
    old_conflicts = {(c.kind, c.subject): c for c in (old.conflicts if old else [])}
    for conflict in new.conflicts:
        values = " vs ".join(dict.fromkeys(v.value for v in conflict.values))
        previous = old_conflicts.get((conflict.kind, conflict.subject))
        if previous is None:
            result.changes.append(
                Change(kind="conflict", status="new", subject=conflict.subject, now=values)
            )
        else:
            before_values = " vs ".join(dict.fromkeys(v.value for v in previous.values))
            if before_values != values:
                result.changes.append(
                    Change(
                        kind="conflict",
                        status="changed",
                        subject=conflict.subject,
                        now=values,
                        before=before_values,
                    )
                )
    old_quotes = {(q.speaker, q.text) for q in (old.quotes if old else [])}
    for quote in new.quotes:
        if (quote.speaker, quote.text) not in old_quotes:
            result.changes.append(
                Change(
                    kind="quote",
                    status="new",
                    subject=quote.speaker or "unattributed",
                    now=quote.text,
                )
            )


def _values_by_subject(facts: list) -> dict[tuple[str, str], list[str]]:
    values: dict[tuple[str, str], list[str]] = {}
    for fact in facts:
        if fact.subject:
            values.setdefault((fact.kind, fact.subject), []).append(fact.value)
    return values
