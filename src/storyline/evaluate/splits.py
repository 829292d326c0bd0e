"""A fixed blind part of the dev data, set aside before any tuning.

A record is blind when the SHA-1 of its id (with a fixed salt) falls in the first third of the
hash space: about a third of the records, the same on every machine and independent of file
order, so a benchmark can tune on the rest and score the blind part once at the end.

For the summarization clusters of ``../shared/data/mds/<file>/dev.jsonl`` the id is
``<file>/<cluster id>`` (:func:`is_blind_cluster`): keyed so, each of the six files has at
least one blind cluster (DUC 2004's four clusters have none blind by their bare ids). The
shipped summary models are trained on the other clusters only
(``python -m storyline.training.summarize``), so the blind ones stay unseen.
"""

from __future__ import annotations

import hashlib

SALT = "storyline-blind-2026-12"


def is_blind(record_id: str) -> bool:
    digest = hashlib.sha1(f"{SALT}:{record_id}".encode()).digest()
    return digest[0] % 3 == 0


def is_blind_cluster(file: str, cluster_id: str) -> bool:
    """Whether a summarization cluster is blind; ``file`` is its folder, e.g. ``duc2003``."""
    return is_blind(f"{file}/{cluster_id}")
