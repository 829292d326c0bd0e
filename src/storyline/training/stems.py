"""Write the table of precomputed Porter stems, ``src/storyline/text/porter_stems.json``.

    python -m storyline.training.stems

NLTK's Porter stemmer is pure Python (~13 us a word here) and every ingest worker starts with
an empty stem cache, so the frequent words of news are stemmed again by every worker of every
ingest. The table holds NLTK's own stems of the alphabetic words of the clusterer's background
vocabulary (``cluster/background_df.json``: words seen in at least three background
articles), and the installed NLTK version: :func:`storyline.text.tokens.stem` reads a word's
stem from it, and stems live only the words it lacks, or every word when another NLTK made the
table. The stems are NLTK's, so nothing stemmed changes.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from storyline.cluster.background import BACKGROUND_PATH
from storyline.text.tokens import STEMS_FORMAT, STEMS_PATH, _porter


def stem_table(words: Iterable[str]) -> dict[str, str]:
    """NLTK's Porter stem of each alphabetic word, sorted by word."""
    stemmer = _porter()
    return {word: stemmer.stem(word) for word in sorted(set(words)) if word.isalpha()}


def background_words(path: Path = BACKGROUND_PATH) -> list[str]:
    """The background vocabulary's word tokens (the words the clusterer counts most)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["document_frequency"]["tokens"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=STEMS_PATH)
    arguments = parser.parse_args()
    import nltk

    table = stem_table(background_words())
    document = {"format": STEMS_FORMAT, "nltk": nltk.__version__, "stems": table}
    arguments.out.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(table)} stems written to {arguments.out}")


if __name__ == "__main__":
    main()
