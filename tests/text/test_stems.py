"""The precomputed Porter stems are NLTK's, so stemming through the table changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import nltk
from nltk.stem.porter import PorterStemmer

from storyline.text import tokens
from storyline.text.tokens import STEMS_PATH, stem, words
from storyline.training.stems import background_words, stem_table

EXAMPLES = Path(__file__).parents[2] / "examples" / "iraq-troops-2016"


def test_the_shipped_table_holds_nltks_stems_of_the_background_words() -> None:
    data = json.loads(STEMS_PATH.read_text(encoding="utf-8"))
    # Made by the installed NLTK; after an upgrade, rerun `python -m storyline.training.stems`
    # (until then stem() ignores the table and stems every word live).
    assert data["nltk"] == nltk.__version__
    porter = PorterStemmer()
    table = data["stems"]
    assert len(table) > 10_000
    assert all(porter.stem(word) == stemmed for word, stemmed in table.items())
    assert table == stem_table(background_words())
    # NLTK's own extensions are in it ("dies" -> "die", where plain Porter gives "di").
    assert table["dies"] == "die" and table["troops"] == "troop"
    assert tokens._known_stems() == table


def test_stem_gives_nltks_stem_for_words_in_and_out_of_the_table() -> None:
    porter = PorterStemmer()
    known = tokens._known_stems()
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")))
    vocabulary = set(words(text))
    inside = [w for w in vocabulary if w in known]
    outside = [w for w in vocabulary if w.isalpha() and w not in known]
    assert len(inside) > 300 and len(outside) > 20  # both paths are taken on real text
    stem.cache_clear()
    for word in vocabulary:
        assert stem(word) == (porter.stem(word) if word.isalpha() else word), word


def test_a_table_from_another_nltk_is_not_used(tmp_path: Path, monkeypatch) -> None:
    stale = {"format": tokens.STEMS_FORMAT, "nltk": "0.0", "stems": {"troops": "wrong"}}
    path = tmp_path / "porter_stems.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(tokens, "STEMS_PATH", path)
    tokens._known_stems.cache_clear()
    stem.cache_clear()
    try:
        assert tokens._known_stems() == {}
        assert stem("troops") == "troop"
    finally:
        monkeypatch.undo()
        tokens._known_stems.cache_clear()
        stem.cache_clear()
    assert tokens._known_stems()["troops"] == "troop"
