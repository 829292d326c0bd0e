"""Ingest with worker processes: the same store as one process makes, and a clean shutdown."""

from itertools import pairwise
from pathlib import Path

from store_helpers import FAST, stream_articles

from storyline import Store
from storyline.store import prepare


def _contents(store: Store) -> dict[str, list[tuple]]:
    db = store.connection
    return {
        # Everything but the times of writing: ids, copies, stories, signatures, bands.
        "articles": db.execute(
            "SELECT id, canonical_id, story_id, similarity, batch FROM articles ORDER BY rowid"
        ).fetchall(),
        "sightings": db.execute(
            "SELECT raw_id, article_id, outlet FROM sightings ORDER BY rowid"
        ).fetchall(),
        "signatures": db.execute("SELECT * FROM signatures ORDER BY 1").fetchall(),
        "bands": db.execute("SELECT * FROM lsh_bands ORDER BY 1, 2, 3").fetchall(),
        "stories": db.execute("SELECT id, cluster_key FROM stories ORDER BY id").fetchall(),
    }


def test_two_workers_make_the_store_one_process_makes(tmp_path: Path) -> None:
    articles = stream_articles()
    assert len(articles) >= prepare.MIN_ARTICLES  # large enough to go through the pool
    # A wire copy under another outlet and an input given twice, late in the stream.
    copy = articles[3].model_copy(update={"outlet": "Reprint", "id": "copy-of-3"})
    stream = [*articles, copy, articles[10]]
    results, contents = [], []
    for workers in (1, 2):
        store = Store(tmp_path / f"w{workers}", settings=FAST, workers=workers)
        results.append(store.ingest(stream, summarize=False))
        contents.append(_contents(store))
        store.close()
    one, two = results
    assert (one.new, one.copies, one.known) == (two.new, two.copies, two.known)
    assert one.known == 1 and one.copies >= 1
    assert contents[0] == contents[1]
    assert len({row[2] for row in contents[0]["articles"]}) > 10  # real stories were made


def test_a_second_run_sends_nothing_to_the_workers(tmp_path: Path, monkeypatch) -> None:
    articles = stream_articles()
    store = Store(tmp_path / "store", settings=FAST, workers=2)
    store.ingest(articles, summarize=False)
    sent: list[int] = []
    real = prepare.ProcessPoolExecutor.submit

    def counting(self, function, chunk):  # type: ignore[no-untyped-def]
        sent.append(len(chunk))
        return real(self, function, chunk)

    monkeypatch.setattr(prepare.ProcessPoolExecutor, "submit", counting)
    again = store.ingest(articles, summarize=False)
    assert again.known == len(articles) and again.new == 0
    assert sent and sum(sent) == 0  # every input was known before it was sent off


def test_unchecked_inputs_are_looked_up_in_the_store(tmp_path: Path) -> None:
    # An engine's prepared articles (Store.add_prepared) were never checked against the
    # store before they were made: the writer asks it, and remembers what it wrote itself.
    articles = stream_articles(12)
    store = Store(tmp_path / "store", settings=FAST, workers=1)
    store.ingest(articles[:6], summarize=False)
    preparer = prepare.Preparer(FAST)
    items = []
    for article in [*articles[4:], articles[8]]:  # two stored, one given twice
        made = preparer(article)
        assert not made.checked
        items.append((article, ([made.article], made.problems), made.signature))
    result = store.add_prepared(items, summarize=False)
    assert (result.read, result.known, result.new) == (9, 3, 6)
    count = store.connection.execute("SELECT count(*) FROM sightings").fetchone()[0]
    assert count == 12


def test_tasks_grow_from_a_few_articles_and_keep_the_input_order() -> None:
    from storyline.model import Article
    from storyline.store.prepare import CHUNK, FIRST_CHUNK, _chunks

    articles = [Article(text=f"Article number {n} of the stream.") for n in range(150)]
    tasks = list(_chunks(articles))
    sizes = [len(task) for task in tasks]
    assert sizes[0] == FIRST_CHUNK < CHUNK
    growing = sizes[:-1]  # the last task holds what is left
    assert all(size == min(2 * before, CHUNK) for before, size in pairwise(growing))
    assert max(sizes) == CHUNK
    assert [a for task in tasks for a in task] == articles
    assert list(_chunks([])) == []
