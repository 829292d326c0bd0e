"""The blind split of the dev data: fixed, about a third, keyed by file and cluster id."""

from __future__ import annotations

import hashlib

from storyline.evaluate.splits import SALT, is_blind, is_blind_cluster


def test_blind_is_the_salted_sha1_rule_and_stable() -> None:
    # The rule bench/splits.py always had: first byte of SHA-1("SALT:id") divisible by 3.
    for record_id in ("duc2003/duc2003-d100a", "page-17", ""):
        digest = hashlib.sha1(f"{SALT}:{record_id}".encode()).digest()
        assert is_blind(record_id) == (digest[0] % 3 == 0)
    assert is_blind_cluster("mini", "tac2011ml-en-M000") is True
    assert is_blind_cluster("mini", "multinews-train-10659") is False


def test_about_a_third_of_ids_are_blind() -> None:
    share = sum(is_blind_cluster("duc2006", f"D{i:04d}") for i in range(3000)) / 3000
    assert 0.3 < share < 0.37


def test_the_file_is_part_of_the_key() -> None:
    # The same cluster id can fall on either side depending on its file.
    ids = [f"c{i}" for i in range(200)]
    assert [is_blind_cluster("a", i) for i in ids] != [is_blind_cluster("b", i) for i in ids]
