from datetime import timedelta

from storyline.dedupe import dedupe
from storyline.engine.partition import _seconds
from storyline.engine.signatures import WindowedIndex, dedupe_signed, signature
from storyline.model import Article


def test_signed_pass_makes_the_batch_dedupers_decisions(wire_articles: list[Article]) -> None:
    articles = [*wire_articles, wire_articles[0]]  # the syndicated copy and an exact repeat
    expected = dedupe(articles)
    signed = dedupe_signed(
        articles, [signature(a, 128) for a in articles], threshold=0.8, permutations=128
    )
    assert [a.id for a in signed.articles] == [a.id for a in expected.articles]
    assert signed.dropped == expected.dropped
    assert {d.dropped for d in signed.dropped} >= {"APW19981003.0741.copy"}


def test_windowed_index_forgets_articles_older_than_its_window(
    wire_articles: list[Article],
) -> None:
    original = next(a for a in wire_articles if a.id == "APW19981003.0741")
    copy = next(a for a in wire_articles if a.id == "APW19981003.0741.copy")
    assert original.published is not None
    start = _seconds(original.published)
    index = WindowedIndex(threshold=0.8, permutations=128, window_days=7)
    assert index.offer(original.id, signature(original, 128), start) is None
    duplicate = index.offer(copy.id, signature(copy, 128), start + 86_400)
    assert duplicate is not None and duplicate.kept == original.id
    # Eight days on, the original has left the index: the same copy is new again.
    later = start + timedelta(days=8).total_seconds()
    assert index.offer(copy.id, signature(copy, 128), later) is None
    assert len(index) == 1
