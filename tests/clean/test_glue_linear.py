"""The glue repair looks for URLs token by token: a long token costs its length, not its square."""

from __future__ import annotations

from storyline.clean import glue


def test_protected_spans_are_those_of_the_whole_line_search() -> None:
    line = (
        "See www.example.com/Path.Html or mail desk@news.org.Then the story.Then it went on at "
        "https://x.co/A.B and /usr/lib/Foo.Bar, said the mayor.She left."
    )
    whole_line = [m.span() for m in glue._PROTECTED_TOKEN.finditer(line)]
    assert whole_line  # URLs, an e-mail address and a path
    assert glue._protected_spans(line) == whole_line
    repaired = glue.repair_glue(line)
    assert "story. Then" in repaired and "mayor. She" in repaired
    assert "www.example.com/Path.Html" in repaired and "desk@news.org.Then" in repaired


def test_a_token_of_200000_dots_is_skipped_not_searched() -> None:
    # The whole-line search tried ``\S+`` from each of the 200,000 characters (minutes).
    line = "It ended" + "." * 200_000 + "Then it began."
    assert glue._protected_spans(line) == []
    assert glue.repair_glue(line).endswith("... Then it began.")
