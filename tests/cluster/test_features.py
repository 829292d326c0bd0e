"""The online clusterer's names: capitalised runs not at a sentence or line start."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from storyline import cluster
from storyline.cluster import features

# The names pattern as first written (its context asserted before the capital): the shipped
# one checks the same context behind the capital, which the regex engine runs faster.
_WRITTEN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)", re.M)


@given(st.text(alphabet=st.sampled_from(list("AZab. !?\n\t'_1é")), max_size=40))
def test_names_are_those_of_the_pattern_as_written(text: str) -> None:
    assert features.NAME.findall(text) == _WRITTEN.findall(text)
    assert cluster.NAME is features.NAME  # the centroid clusterer's names are the same


def test_names_of_a_wire_lead() -> None:
    lead = (
        "WASHINGTON (AP) - Defense Secretary Ash Carter said on Monday that the United States "
        "will send 560 more troops to Iraq. Officials in Baghdad welcomed the move.\n"
        "Iraqi forces are preparing to retake Mosul."
    )
    names = features._names(lead)
    assert names == {
        "defense secretary ash carter": 1,  # a run of capitalised words is one name
        "monday": 1,
        "united states": 1,
        "iraq": 1,
        "baghdad": 1,  # "Officials" opens a sentence, "Iraqi" a line: neither is a name
        "mosul": 1,
    }
