"""A fixed blind part of a dev file, set aside before any tuning.

The rule lives in :mod:`storyline.evaluate.splits` (the training code needs it too, to keep the
shipped summary models off the blind clusters); bench scripts import it from here.
"""

from __future__ import annotations

from storyline.evaluate.splits import SALT, is_blind, is_blind_cluster

__all__ = ["SALT", "is_blind", "is_blind_cluster"]
