"""Near-copy detection against the whole store: MinHash signatures and LSH bands in SQLite.

The signatures are datasketch MinHashes over the same word 5-shingles the dedupe stage uses
(:func:`storyline.dedupe._shingles`); the banding (b bands of r rows) is datasketch's own
choice for the threshold, so the candidates are those ``MinHashLSH`` would return; a candidate
is a copy when its estimated Jaccard clears the threshold too. Bands are rows of an indexed
table, not an in-memory index, so memory stays flat as the store grows and nothing has to be
rebuilt when a process starts.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

import numpy as np

from storyline.dedupe import SHINGLE
from storyline.text import words


@dataclass
class Match:
    article_id: str
    similarity: float  # estimated Jaccard


try:  # CPython's own SHA-1: the same digests as OpenSSL's, a fifth less time a call
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover - a Python built without it
    _sha1 = hashlib.sha1


def _byte_shingles(text: str) -> set[bytes]:
    """``storyline.dedupe._shingles``, the same bytes: the 5-word windows made with ``zip``
    and joined and encoded by ``map``, in C, rather than by a Python loop over positions."""
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode()}
    windows = zip(*(tokens[start:] for start in range(SHINGLE)), strict=False)  # shorter tails
    return set(map(str.encode, map(" ".join, windows)))


class Signer:
    """MinHash hash values of a text, as ``StoredLSH`` stores them (any process, same values:
    the permutations come from datasketch's fixed seed)."""

    def __init__(self, permutations: int) -> None:
        # datasketch is imported by the first signer, not with the module: it pulls in scipy
        # (about 0.4 s), which the store's readers (``storyline stories``, ``show``) never need.
        from datasketch import MinHash
        from datasketch.minhash import _SCHEME_AFFINE32, _fmix

        self._fmix = _fmix
        self.permutations = permutations
        # One set of permutations for every signature: MinHash() would draw them each time.
        self._template = MinHash(num_perm=permutations)
        a, b = self._template.permutations
        self._a, self._b = np.asarray(a), np.asarray(b)
        self._empty = self._template.hashvalues.copy()
        # datasketch's default scheme (affine32): its own pre-mix (MurmurHash3's finalizer),
        # then a * h + b wrapping modulo 2**32, applied here to all the hashes at once.
        self._direct = self._template.scheme == _SCHEME_AFFINE32

    def values(self, text: str) -> np.ndarray:
        # The shingles' 32-bit hashes (datasketch's sha1_hash32: the first 4 bytes of SHA-1,
        # little-endian) read in one go from the digests. For the default scheme the
        # permutations are applied here with datasketch's arithmetic (tests/store/test_signer.py
        # checks the values to the bit), without a MinHash object and the Python list
        # update_batch builds of the hashes.
        sha1 = _sha1
        heads = b"".join([sha1(shingle).digest()[:4] for shingle in _byte_shingles(text)])
        hashes = np.frombuffer(heads, dtype="<u4")
        if self._direct:
            mixed = self._fmix(hashes.astype(np.uint32).reshape(-1, 1), 32)
            return np.minimum(self._empty, (mixed * self._a + self._b).min(axis=0))
        from datasketch import MinHash

        signature = MinHash(
            num_perm=self.permutations,
            permutations=self._template.permutations,
            scheme=self._template.scheme,
            hashfunc=int,
        )
        signature.update_batch(hashes.tolist())
        return signature.hashvalues.astype(np.uint32)


class StoredLSH:
    def __init__(self, connection: sqlite3.Connection, *, threshold: float, permutations: int):
        self.connection = connection
        self.threshold = threshold
        self.permutations = permutations
        from datasketch.lsh import _optimal_param

        bands, rows = _optimal_param(threshold, permutations, 0.5, 0.5)
        self.bands, self.rows = bands, rows
        self.signer = Signer(permutations)

    def signature(self, text: str) -> np.ndarray:
        """The stored form of a text's signature: its hash values as uint32."""
        return self.signer.values(text)

    def keys(self, values: np.ndarray) -> list[int]:
        """The signature's band keys (what ``best_match`` looks up and ``insert`` stores)."""
        return [
            int.from_bytes(
                hashlib.blake2b(
                    values[band * self.rows : (band + 1) * self.rows].tobytes(), digest_size=8
                ).digest(),
                "little",
                signed=True,
            )
            for band in range(self.bands)
        ]

    def best_match(self, signature: np.ndarray, keys: list[int] | None = None) -> Match | None:
        """The stored article most similar to ``signature``, if it clears the threshold
        (``keys``: its band keys, when the caller has them)."""
        keys = self.keys(signature) if keys is None else keys
        clause = " OR ".join("(band = ? AND key = ?)" for _ in keys)
        parameters = [value for band, key in enumerate(keys) for value in (band, key)]
        candidates = {
            row[0]
            for row in self.connection.execute(
                f"SELECT DISTINCT article_id FROM lsh_bands WHERE {clause}", parameters
            )
        }
        best: Match | None = None
        for article_id in sorted(candidates):
            row = self.connection.execute(
                "SELECT hashvalues FROM signatures WHERE article_id = ?", (article_id,)
            ).fetchone()
            stored = np.frombuffer(row[0], dtype=np.uint32)
            similarity = float(np.mean(stored == signature))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = Match(article_id, similarity)
        return best

    def insert(
        self, article_id: str, signature: np.ndarray, keys: list[int] | None = None
    ) -> None:
        self.connection.execute(
            "INSERT INTO signatures VALUES (?, ?)", (article_id, signature.tobytes())
        )
        self.connection.executemany(
            "INSERT INTO lsh_bands VALUES (?, ?, ?)",
            [
                (band, key, article_id)
                for band, key in enumerate(self.keys(signature) if keys is None else keys)
            ],
        )
