from pathlib import Path

import pytest

from storyline.evaluate.data import load_clusters
from storyline.evaluate.peers import (
    PEERS,
    PeerInput,
    StorylineTokenizer,
    lead,
    split_cluster,
)
from storyline.evaluate.rouge import score, word_count
from storyline.evaluate.summaries import scored_sentences
from storyline.text.sentences import split_sentences

DOCS = [
    "Alpha one opens. Alpha two follows. Alpha three ends.",
    "Beta one opens. Beta two ends.",
    "Gamma one is alone.",
]


def _task(documents: list[str], words: int, references: list[str]) -> PeerInput:
    return PeerInput(documents, split_cluster(documents), words, references)


def test_lead_is_round_robin() -> None:
    order = [s.text for s in lead(_task(DOCS, 100, ["x"]))]
    assert order == [
        "Alpha one opens.",
        "Beta one opens.",
        "Gamma one is alone.",
        "Alpha two follows.",
        "Beta two ends.",
        "Alpha three ends.",
    ]


def test_sumy_gets_storylines_splitter() -> None:
    text = "Gen. Smith met U.S. officials on Jan. 5. They agreed on 3.5 billion."
    tokenizer = StorylineTokenizer()
    assert tokenizer.to_sentences(text) == tuple(text[s:e] for s, e in split_sentences(text))
    assert len(tokenizer.to_sentences(text)) == 2
    assert "3.5" in tokenizer.to_words(text)


@pytest.fixture(scope="module")
def cluster_task(mini_jsonl: Path) -> PeerInput:
    cluster = next(c for c in load_clusters(mini_jsonl) if c.id == "duc2007upd-D0703A-C")
    return _task(cluster.documents, 100, cluster.references)


def test_every_peer_draws_from_the_same_pool_within_the_budget(cluster_task: PeerInput) -> None:
    pool = set(cluster_task.sentences)
    for name, peer in PEERS.items():
        ranked = peer(cluster_task)
        assert ranked, name
        assert set(ranked) <= pool, name  # same documents, same splitter
        kept = scored_sentences([s.text for s in ranked], cluster_task.words)
        assert sum(word_count(s) for s in kept) == cluster_task.words, name


def test_oracle_beats_every_peer_on_its_objective(cluster_task: PeerInput) -> None:
    def objective(name: str) -> float:
        ranked = [s.text for s in PEERS[name](cluster_task)]
        result = score(scored_sentences(ranked, cluster_task.words), cluster_task.references)
        return result["rouge1"] + result["rouge2"]

    best = objective("oracle")
    for name in PEERS:
        if name != "oracle":
            assert best >= objective(name), name
