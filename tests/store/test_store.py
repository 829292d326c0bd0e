import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_helpers import FAST, story_membership, stream_articles, table_dump

import storyline.store.clustering as clustering
import storyline.store.writer as writer
from storyline import Article, Settings, Store
from storyline.store import StoreBusy, StoreError, checkpoint


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> Store:
    store = Store(tmp_path_factory.mktemp("example") / "store")
    store.ingest([example_dir])
    return store


def test_example_becomes_one_story_with_its_coverage(example_store: Store) -> None:
    (row,) = example_store.stories()
    assert (row.articles, row.outlets, row.origins) == (5, 5, 5)
    assert row.title == "US to Send 560 More Troops to Iraq"  # the most cited headline
    assert row.first_outlet == "The New Arab"  # 2016-07-11, the earliest of the five
    assert row.first_date.date().isoformat() == "2016-07-11"
    story = example_store.story(row.id)
    assert len(story.articles) == 5 and story.summary
    for article in story.articles:  # the digest is of the stored, cleaned texts
        assert example_store.article(article.id).text == article.text
    for sentence in story.summary:  # a summary sentence is verbatim from a cited source
        assert any(
            story.article(c.article_id).text[c.start : c.end] == sentence.text
            for c in sentence.citations
        )
    assert story.comparison is not None and story.comparison.facts


def test_ingesting_again_adds_nothing_and_changes_nothing(
    example_store: Store, example_dir: Path
) -> None:
    before = table_dump(example_store)
    result = example_store.ingest([example_dir])
    assert (result.read, result.known, result.new, result.copies) == (5, 5, 0, 0)
    assert result.stories_created == result.stories_updated == 0
    assert table_dump(example_store) == before


def test_copies_are_coverage_not_confirmation(store_dir: Path, example_dir: Path) -> None:
    store = Store(store_dir, settings=Settings(compare=False))
    store.ingest([example_dir])
    original = next(a for a in store.story("s1").articles if a.outlet == "Press TV")
    wire = Article(
        title=original.title,
        text=original.text,
        outlet="Reprint Daily",
        published=datetime(2016, 7, 12),
    )
    # A syndicated version: a new headline and one more closing paragraph.
    syndicated = Article(
        title="Pentagon sends more troops to Iraq",
        text=original.text + "\n\nThe Pentagon did not say when the troops would arrive.",
        outlet="Gazette",
        published=datetime(2016, 7, 10),
    )
    result = store.ingest([wire, syndicated])
    assert (result.new, result.copies, result.stories_created) == (0, 2, 0)
    (row,) = store.stories()
    assert (row.articles, row.outlets, row.origins) == (7, 7, 5)
    coverage = store.coverage(original.id)
    kinds = {c.outlet: c.kind for c in coverage}
    assert kinds == {"Press TV": "original", "Reprint Daily": "exact copy", "Gazette": "near copy"}
    assert coverage[0].outlet == "Gazette"  # it ran the text first (2016-07-10)
    assert row.first_outlet == "Gazette"
    # The digest cites originals only: the copies changed coverage, not the summary.
    assert len(store.story("s1").articles) == 5


def test_search_uses_titles_and_texts(example_store: Store) -> None:
    assert [r.id for r in example_store.stories(search="Qayyarah")] == ["s1"]
    assert [r.id for r in example_store.stories(search="Carter Baghdad")] == ["s1"]
    assert example_store.stories(search="volcano eruption") == []
    # FTS5 syntax in user text is only text.
    assert example_store.stories(search='NEAR("troops" -) * OR') == []
    assert example_store.count_stories(search="troops") == 1


def test_what_changed_since(store_dir: Path, example_dir: Path) -> None:
    store = Store(store_dir, settings=Settings(compare=False))
    files = sorted(example_dir.glob("*.txt"))
    store.ingest(files[:3])
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    result = store.ingest(files[3:])
    assert result.stories_updated == 1 and result.new == 2
    changes = store.changes("s1", moment)
    assert changes.version_before == 1 and changes.version_now == 2
    assert {a.outlet for a in changes.articles_added} == {
        "The Christian Science Monitor",
        "The Independent",
    }
    assert set(changes.outlets_added) == {"The Christian Science Monitor", "The Independent"}
    assert changes.sentences_added or changes.sentences_removed
    current = [s.text for s in store.story("s1").summary]
    assert all(s in current for s in changes.sentences_added)
    # Before anything arrived, everything is new.
    early = store.changes("s1", datetime(2000, 1, 1, tzinfo=UTC))
    assert early.version_before is None and len(early.articles_added) == 5


def test_a_broken_article_is_rejected_and_the_rest_go_in(
    store_dir: Path, example_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    store = Store(store_dir, settings=FAST)
    articles = stream_articles(12)
    broken = articles[5]
    real_add = writer.BatchWriter._new_article

    def fail_on_one(self, article, *rest):  # an unexpected failure while storing one article
        if article.id == broken.id:
            raise RuntimeError("disk says no")
        return real_add(self, article, *rest)

    monkeypatch.setattr(writer.BatchWriter, "_new_article", fail_on_one)
    result = store.ingest([*articles, str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt")])
    reasons = {p.source: p.reason for p in result.rejected}
    assert "disk says no" in reasons[broken.id]
    assert any("empty.txt" in source for source in reasons)
    assert any("binary.txt" in source for source in reasons)
    assert result.new + result.copies == 11
    with pytest.raises(KeyError):
        store.article(broken.id)
    # Its savepoint was rolled back: no sighting, signature or search row of it is left.
    assert (
        store.connection.execute(
            "SELECT count(*) FROM sightings WHERE article_id = ?", (broken.id,)
        ).fetchone()[0]
        == 0
    )
    monkeypatch.setattr(writer.BatchWriter, "_new_article", real_add)
    again = store.ingest(articles)  # the rejected one goes in when it can
    assert (again.known, again.new + again.copies) == (11, 1)


def test_clusterer_state_survives_reopening(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "CHECKPOINT", 15)  # a checkpoint, then articles replayed
    monkeypatch.setattr(writer, "BATCH", 10)
    articles = stream_articles(60)
    reference = Store(tmp_path / "reference", settings=FAST)
    reference.ingest(articles, summarize=False)
    store = Store(store_dir, settings=FAST)
    store.ingest(articles[:37], summarize=False)
    store.close()
    reopened = Store(store_dir, settings=FAST)
    reopened.ingest(articles[37:], summarize=False)
    assert story_membership(reopened) == story_membership(reference)
    assert len(story_membership(reference)) > 5  # several stories, not one pile


def test_a_corrupt_or_foreign_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage" / "storyline.db"
    garbage.parent.mkdir()
    garbage.write_bytes(b"this is not a database\n" * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store(garbage.parent)
    assert garbage.read_bytes() == b"this is not a database\n" * 100

    import sqlite3

    foreign = tmp_path / "notes.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.execute("INSERT INTO notes VALUES ('keep me')")
    connection.commit()
    connection.close()
    content = foreign.read_bytes()
    with pytest.raises(StoreError, match="another application"):
        Store(foreign)
    assert foreign.read_bytes() == content

    # A store whose pages are damaged after the header.
    good = tmp_path / "damaged"
    Store(good, settings=FAST).ingest(stream_articles(20), summarize=False)
    database = good / "storyline.db"
    data = bytearray(database.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)
    database.write_bytes(bytes(data))
    for wal in good.glob("storyline.db-*"):
        wal.unlink()
    with pytest.raises(StoreError, match="not a usable storyline store"):
        Store(good).stories()


def test_a_newer_store_is_refused_with_its_version(store_dir: Path) -> None:
    Store(store_dir).close()
    import sqlite3

    connection = sqlite3.connect(store_dir / "storyline.db")
    connection.execute("INSERT INTO schema_version VALUES (7, datetime('now'))")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="schema version 7, newer than"):
        Store(store_dir)
    with pytest.raises(StoreError, match="schema version 7"):
        Store(store_dir, read_only=True)


def test_one_writer_many_readers(store_dir: Path) -> None:
    first = Store(store_dir, settings=FAST)
    first._lock.acquire()  # as during an ingest
    second = Store(store_dir, settings=FAST)
    with pytest.raises(StoreBusy, match="another storyline process"):
        second.ingest(stream_articles(3))
    reader = Store(store_dir, read_only=True)
    assert reader.stories() == []
    first._lock.release()
    assert second.ingest(stream_articles(3), summarize=False).new == 3
    assert len(reader.stories()) >= 1  # a reader sees what was committed
    with pytest.raises(StoreError, match="read-only"):
        reader.ingest(stream_articles(3))


def test_a_missing_store_is_not_created_by_readers(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no storyline store"):
        Store(tmp_path / "nowhere", read_only=True)
    assert not (tmp_path / "nowhere").exists()


class _Exploit:
    def __reduce__(self):
        return (print, ("the store ran code",))


def test_a_clusterer_state_that_is_not_plain_data_is_refused(store_dir: Path) -> None:
    import pickle
    import zlib

    centroid = FAST.model_copy(
        update={"cluster": FAST.cluster.model_copy(update={"method": "centroid"})}
    )
    Store(store_dir, settings=centroid).ingest(stream_articles(5), summarize=False)
    store = Store(store_dir, settings=centroid)
    evil = zlib.compress(pickle.dumps({"index": _Exploit()}))
    # A whole checkpoint file (right length and CRC, this store's last article) holding it.
    last = store.connection.execute("SELECT rowid, id FROM articles ORDER BY rowid DESC").fetchone()
    checkpoint.write(store.database, "centroid", evil, int(last[0]), last[1])
    with pytest.raises(StoreError, match=r"cannot be read .*plain data only"):
        store.ingest(stream_articles(8), summarize=False)


def test_stories_since_compares_moments_in_any_time_zone(store_dir: Path) -> None:
    from datetime import timedelta, timezone

    store = Store(store_dir, settings=FAST)
    store.ingest(stream_articles(4), summarize=False)
    just_before = datetime.now(UTC) - timedelta(minutes=1)
    in_tokyo = just_before.astimezone(timezone(timedelta(hours=9)))
    assert store.stories(since=in_tokyo) == store.stories(since=just_before) != []
    assert store.stories(since=datetime.now(UTC) + timedelta(minutes=1)) == []


def test_changed_figures_and_quotes_are_those_not_there_before(
    store_dir: Path, example_dir: Path
) -> None:
    store = Store(store_dir)  # with the source comparison
    files = sorted(example_dir.glob("*.txt"))
    store.ingest(files[1:3])  # The New Arab and Press TV, both on 560 troops
    before = store.story("s1").comparison
    time.sleep(0.01)
    moment = datetime.now(UTC)
    store.ingest([files[0], files[3], files[4]])
    changes = store.changes("s1", moment)
    old = {(f.kind, f.subject, f.value) for f in before.facts + before.unique}
    facts = [c for c in changes.changes if c.kind == "fact"]
    assert facts  # three more sources bring new figures (4,647 troops in Iraq, ...)
    now = store.story("s1").comparison
    for change in facts:
        match = [f for f in now.facts + now.unique if change.now.startswith(f.value)]
        assert match and all((f.kind, f.subject, f.value) not in old for f in match[:1])
        if change.status == "changed":
            assert change.before and not change.now.startswith(change.before + " (")
    # 560 troops was stated before and still is: more sources, not a new figure.
    assert not any(c.now.startswith("560") for c in facts)
    old_quotes = {(q.speaker, q.text) for q in before.quotes}
    for change in changes.changes:
        if change.kind == "quote":
            assert (None if change.subject == "unattributed" else change.subject,
                    change.now) not in old_quotes  # fmt: skip


def test_an_older_store_is_migrated_forward_and_keeps_its_articles(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.store.schema as schema

    store = Store(store_dir, settings=FAST)
    store.ingest(stream_articles(6), summarize=False)
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    before = table_dump(store)
    store.close()
    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(
        schema.MIGRATIONS, current + 1, "ALTER TABLE stories ADD COLUMN summary_words INTEGER"
    )
    with pytest.raises(StoreError, match=f"schema version {current}; open it once for writing"):
        Store(store_dir, read_only=True)
    upgraded = Store(store_dir, settings=FAST)
    assert schema.schema_version(upgraded.connection) == current + 1
    columns = {row[1] for row in upgraded.connection.execute("PRAGMA table_info(stories)")}
    assert "summary_words" in columns
    assert table_dump(upgraded)["articles"] == before["articles"]
    assert upgraded.ingest(stream_articles(6), summarize=False).known == 6


def test_a_story_opened_by_a_rolled_back_article_is_not_remembered(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writer remembers story numbers by cluster key; a story row that an article's
    # savepoint rolled back must not be handed to the articles after it.
    store = Store(store_dir, settings=FAST)
    articles = stream_articles(12)
    real_add = writer.BatchWriter._new_article
    failed: list[str] = []

    def fail_after_storing(self, article, *rest):  # fails once its story has been opened
        story = real_add(self, article, *rest)
        if not failed and story in self.created:
            failed.append(article.id)
            raise RuntimeError("disk says no")
        return story

    keys: dict[str, str] = {}  # article id -> the story key the clusterer gave it (last time)
    real_cluster = clustering.OnlineStream.add

    def record_key(self, article, *rest):
        keys[article.id] = real_cluster(self, article, *rest)
        return keys[article.id]

    monkeypatch.setattr(writer.BatchWriter, "_new_article", fail_after_storing)
    monkeypatch.setattr(clustering.OnlineStream, "add", record_key)
    # The failed article comes again at the end: the clusterer, which saw it, puts it in the
    # story it opened, whose row was rolled back (and whose number the next story reused).
    result = store.ingest([*articles, articles[0]])
    assert failed == [articles[0].id]
    assert any("disk says no" in p.reason for p in result.rejected)
    stored = dict(
        store.connection.execute(
            "SELECT a.id, s.cluster_key FROM articles a JOIN stories s ON s.id = a.story_id"
        ).fetchall()
    )
    assert len(stored) == 12
    assert stored == {article_id: keys[article_id] for article_id in stored}


def test_the_writer_has_a_bigger_page_cache_than_readers(store_dir: Path) -> None:
    from storyline.store.schema import WRITER_CACHE_KIB

    writer_store = Store(store_dir, settings=FAST)
    writer_store.ingest(stream_articles(3), summarize=False)
    reader = Store(store_dir, read_only=True)
    cache = "PRAGMA cache_size"
    assert writer_store.connection.execute(cache).fetchone()[0] == -WRITER_CACHE_KIB
    assert reader.connection.execute(cache).fetchone()[0] > -WRITER_CACHE_KIB  # the default
    assert len(reader.stories()) >= 1
    reader.close()
    writer_store.close()


def test_a_version_1_store_gets_the_tally_indexes_and_the_same_tallies(store_dir: Path) -> None:
    import storyline.store.schema as schema
    from storyline.store import tally

    store = Store(store_dir, settings=FAST)
    store.ingest(stream_articles(30), summarize=False)
    stories = [r[0] for r in store.connection.execute("SELECT id FROM stories")]
    before = [tally.load(store.connection, s) for s in stories]
    # Back to version 1's indexes, as a store written before version 2 has them.
    db = store.connection
    db.execute("DROP INDEX articles_story_members")
    db.execute("DROP INDEX sightings_article_tally")
    db.execute("CREATE INDEX sightings_article ON sightings(article_id)")
    db.execute("DELETE FROM schema_version WHERE version = 2")
    store.close()
    upgraded = Store(store_dir, settings=FAST)
    db = upgraded.connection
    assert schema.schema_version(db) == 2
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"articles_story_members", "sightings_article_tally"} <= indexes
    assert "sightings_article" not in indexes
    plan = " ".join(
        str(r[3])
        for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT s.outlet, s.published, s.added_at, a.rowid, s.rowid, "
            "a.id, a.canonical_id IS NULL FROM sightings s JOIN articles a "
            "ON a.id = s.article_id WHERE a.story_id = ?",
            (1,),
        )
    )
    assert plan.count("COVERING INDEX") == 2  # answered from the two indexes alone
    assert [tally.load(db, s) for s in stories] == before
    assert upgraded.ingest(stream_articles(30), summarize=False).known == 30
