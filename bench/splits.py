"""A fixed blind part of a dev file, set aside before any tuning.

A record is blind when the SHA-1 of its id (with a fixed salt) falls in the first third of the
hash space: about a third of the records, the same on every machine and independent of file
order, so a benchmark can tune on the rest and score the blind part once at the end.
"""

from __future__ import annotations

import hashlib

SALT = "storyline-blind-2026-12"


def is_blind(record_id: str) -> bool:
    digest = hashlib.sha1(f"{SALT}:{record_id}".encode()).digest()
    return digest[0] % 3 == 0
