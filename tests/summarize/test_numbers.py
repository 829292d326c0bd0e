from storyline.evaluate import faithfulness
from storyline.summarize import support
from storyline.text import numbers


def test_one_numbers_helper_is_shared() -> None:
    assert support.numbers is numbers
    assert faithfulness.numbers is numbers


def test_same_figure_written_two_ways_is_one_figure() -> None:
    assert numbers("4,600 troops, not 4600; $2.50 or 2.5; 10.0 and 10") == {"4600", "2.5", "10"}
    assert numbers("In 2016, 560 more troops.") == {"2016", "560"}
    assert numbers("no figures here") == set()
