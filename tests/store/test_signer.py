"""The store's MinHash signatures are those every other part of storyline computes."""

from __future__ import annotations

import numpy as np
from store_helpers import stream_articles

from storyline.engine.signatures import signature
from storyline.store.lsh import Signer


def test_store_signatures_equal_the_engines_datasketch_defaults() -> None:
    # The Ray engine signs articles with datasketch's default MinHash and hands the values to
    # Store.add_prepared; a local ingest signs them with Signer. The two must agree to the bit,
    # or the same copy would be caught by one and missed by the other.
    signer = Signer(128)
    articles = stream_articles(25)
    assert len(articles) == 25
    for article in articles:
        expected = signature(article, 128).astype(np.uint32)
        assert np.array_equal(signer.values(article.text), expected)
    short = articles[0].model_copy(update={"text": "Too short"})
    assert np.array_equal(signer.values(short.text), signature(short, 128).astype(np.uint32))


def test_the_signers_shingles_are_the_dedupe_stages() -> None:
    from storyline.dedupe import _shingles
    from storyline.store.lsh import _byte_shingles

    texts = [article.text for article in stream_articles(25)]
    texts += ["", "Too short", "one two three four", "Ünïcode café’s naïve — résumé 4,600 dead"]
    texts += [" ".join(["repeated words again"] * 20)]  # windows that repeat
    for text in texts:
        assert _byte_shingles(text) == _shingles(text)
