from storyline.compare.unionfind import UnionFind


def test_union_hangs_the_first_root_under_the_second() -> None:
    sets = UnionFind(range(5))
    sets.union(0, 1)
    sets.union(3, 1)
    assert sets.find(0) == sets.find(3) == 1
    assert sets.groups(range(5)) == {1: [0, 1, 3], 2: [2], 4: [4]}


def test_prefer_keeps_the_longest_form_as_root() -> None:
    names: UnionFind[str] = UnionFind(prefer=lambda form: (len(form), form))
    names.union("Ash Carter", "Carter")
    names.union("Carter", "Secretary Ash Carter")
    assert {names.find(n) for n in ("Carter", "Ash Carter")} == {"Secretary Ash Carter"}
