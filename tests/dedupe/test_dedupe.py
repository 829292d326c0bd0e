from storyline.dedupe import dedupe
from storyline.model import Article


def test_syndicated_copy_is_dropped_and_richest_copy_kept(example_texts: list[str]) -> None:
    original = example_texts[1]
    # A re-post of the same wire story: another intro line, one word changed, no metadata.
    repost = "Shared from our partners\n" + original.replace("unexpected visit", "surprise visit")
    rich = Article(text=original, outlet="The New Arab", title="US will send 560 more soldiers")
    copy = Article(text=repost)
    result = dedupe([copy, rich, Article(text=example_texts[2])])
    assert [a.id for a in result.articles] == [rich.id, Article(text=example_texts[2]).id]
    (dropped,) = result.dropped
    assert dropped.dropped == copy.id and dropped.kept == rich.id
    assert dropped.reason.startswith("near duplicate")


def test_exact_duplicates_and_distinct_articles(example_texts: list[str]) -> None:
    articles = [Article(text=t) for t in example_texts]
    result = dedupe([*articles, Article(text=example_texts[0])])
    assert [a.id for a in result.articles] == [a.id for a in articles]
    assert [d.reason for d in result.dropped] == ["exact duplicate"]
