import json
from pathlib import Path

from storyline.cluster import StoryClusterer
from storyline.engine.ingest import ingest
from storyline.engine.partition import partitioned_cluster
from storyline.engine.signatures import signature
from storyline.engine.stream import ShardSink, ingest_stream
from storyline.model import Article
from storyline.pipeline import Pipeline

from .conftest import SHARDS


class ListSink:
    def __init__(self) -> None:
        self.assigned: list[tuple[Article, str]] = []
        self.closed = False

    def write(self, assigned: list[tuple[Article, str]]) -> None:
        self.assigned.extend(assigned)

    def close(self) -> None:
        self.closed = True


def stories(assigned: list[tuple[Article, str]]) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for article, story in assigned:
        groups.setdefault(story, set()).add(article.id)
    return sorted(groups.values(), key=sorted)


def test_stream_gives_the_partitioned_stories_and_drops_the_copy(
    wire_articles: list[Article],
) -> None:
    sink = ListSink()
    batches = [
        (wire_articles[i : i + 4], [signature(a, 128) for a in wire_articles[i : i + 4]], [])
        for i in range(0, len(wire_articles), 4)
    ]
    counts = ingest_stream(
        batches, sink, make_clusterer=StoryClusterer, threshold=0.8, permutations=128,
        block_days=5, overlap_days=5,
    )
    assert sink.closed and counts.duplicates == 1 and counts.kept == len(wire_articles) - 1
    kept = [a for a in wire_articles if a.id != "APW19981003.0741.copy"]
    expected = partitioned_cluster(kept, StoryClusterer, block_days=5, overlap_days=5)
    assert stories(sink.assigned) == sorted(({a.id for a in g} for g in expected), key=sorted)
    # The undated article (after a Nov 23 one) is in the Nov 23 story.
    by_id = {a.id: story for a, story in sink.assigned}
    assert by_id["APW19981123.1118"] == by_id["APW19981123.0259"]
    assert counts.peak_open_articles < len(wire_articles)  # never the whole stream at once


def test_local_ingest_reads_shards_into_shard_files(tmp_path: Path) -> None:
    sink = ShardSink(tmp_path, per_shard=10)
    counts = ingest([str(s) for s in SHARDS], sink, Pipeline(), block_days=5, overlap_days=5)
    lines = [json.loads(line) for p in sink.shards for line in p.read_text().splitlines()]
    assert len(sink.shards) == 2 and len(lines) == counts.kept == 18
    assert {line["story"] for line in lines} == {f"s{n}" for n in range(counts.stories)}
    assert not list(tmp_path.glob("*.tmp"))


def copies_of(articles: list[Article], copies: int, days: int = 120) -> list[list[Article]]:
    """The fixture stream ``copies`` times over, each copy new ids and dates ``days`` later."""
    from datetime import timedelta

    return [
        [
            a.model_copy(update={
                "id": f"{a.id}~{k}",
                "published": a.published + timedelta(days=k * days) if a.published else None,
            })
            for a in articles
        ]
        for k in range(copies)
    ]


def run_stream(articles: list[Article], **options) -> tuple[list[set[str]], object]:
    sink = ListSink()
    batches = [
        (articles[i : i + 6], [signature(a, 128) for a in articles[i : i + 6]], [])
        for i in range(0, len(articles), 6)
    ]
    counts = ingest_stream(
        batches, sink, make_clusterer=StoryClusterer, threshold=0.8, permutations=128,
        block_days=5, overlap_days=5, **options,
    )
    return stories(sink.assigned), counts


def test_out_of_order_input_gives_the_same_stories_in_the_memory_of_a_block(
    wire_articles: list[Article], tmp_path: Path
) -> None:
    years = copies_of(wire_articles, 10)
    in_order, ordered_counts = run_stream([a for copy in years for a in copy])
    # Newest first, as when the shards of an archive are read in the wrong order.
    backwards, counts = run_stream([a for copy in reversed(years) for a in copy],
                                   spill_dir=tmp_path)
    assert backwards == in_order and counts.duplicates == ordered_counts.duplicates == 10
    assert counts.blocks == ordered_counts.blocks > 30
    # The block pass held one block and its overlap (a few articles), never the 190 read.
    assert counts.peak_open_articles <= ordered_counts.peak_open_articles < 20
    assert not list(tmp_path.iterdir())  # the spilled blocks are gone


def test_undated_articles_before_any_date_take_the_first_date(
    wire_articles: list[Article], tmp_path: Path
) -> None:
    from storyline.engine.stream import BlockSpill

    undated = [
        wire_articles[n + 5].model_copy(update={"id": f"u{n}", "published": None})
        for n in range(3)
    ]
    spill = BlockSpill(tmp_path, flush_lines=2)  # flushes while the undated wait for a date
    for article in [*undated, *wire_articles[:4]]:
        spill.add(article, signature(article, 16), 5 * 86_400.0)
    spill.finish()
    [first, *_] = spill.numbers()
    rows = list(spill.read(first))
    first_date = wire_articles[0].published.timestamp()
    assert [article_id for _, article_id, _, _ in rows[:3]] == ["u0", "u1", "u2"]
    assert {t for t, _, _, _ in rows[:3]} == {first_date}


def test_a_block_of_copies_is_held_as_keys_and_only_kept_articles_are_parsed(
    wire_articles: list[Article], monkeypatch
) -> None:
    # A wire story reprinted 40 times the same week: one block, one article kept.
    original = wire_articles[0]
    copies = [original.model_copy(update={"id": f"{original.id}~{n}"}) for n in range(40)]
    parsed: list[str] = []
    validate = Article.model_validate_json

    def counting(data: bytes | str) -> Article:
        article = validate(data)
        parsed.append(article.id)
        return article

    monkeypatch.setattr(Article, "model_validate_json", counting)
    sink = ListSink()
    counts = ingest_stream(
        [(copies, [signature(a, 128) for a in copies], [])], sink,
        make_clusterer=StoryClusterer, threshold=0.8, permutations=128,
    )
    assert counts.kept == 1 and counts.duplicates == 39 and counts.peak_block_rows == 40
    assert parsed == [copies[0].id]  # the first copy kept, the other 39 never parsed
    assert [a.id for a, _ in sink.assigned] == [copies[0].id]


def test_line_separators_inside_a_text_survive_the_spill(
    wire_articles: list[Article], tmp_path: Path
) -> None:
    # JSON leaves U+2028, U+0085 and U+001C raw; str.splitlines() would cut a line at each.
    odd = [
        article.model_copy(update={"text": article.text.replace(". ", f".{mark} ", 1)})
        for article, mark in zip(wire_articles[:4], ("\u2028", "\x85", "\x1c", "\u2029"),
                                 strict=True)
    ]
    assert all(a.text != b.text for a, b in zip(odd, wire_articles, strict=False))
    undated = odd[3].model_copy(update={"published": None})
    stream = [undated, *odd[:3]]  # the undated one waits in the lead file for the first date
    sink = ListSink()
    counts = ingest_stream(
        [(stream, [signature(a, 128) for a in stream], [])], sink,
        make_clusterer=StoryClusterer, threshold=0.8, permutations=128, spill_dir=tmp_path,
    )
    assert counts.kept == 4 and counts.problems == 0
    assert {a.id: a.text for a, _ in sink.assigned} == {a.id: a.text for a in stream}
