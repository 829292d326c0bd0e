"""Verify a generated summary sentence by sentence against the story's source spans.

``Verifier(story.articles).verify(text)`` returns the sentences that pass, each citing the
source spans that support it, and the sentences dropped with their reasons. See
:mod:`.verifier` for the checks and :mod:`.claims` for what is checked.
"""

from storyline.verify.embed import Embedder, load_embedder
from storyline.verify.verifier import Verdict, Verifier, VerifierConfig, split_generated

__all__ = ["Embedder", "Verdict", "Verifier", "VerifierConfig", "load_embedder", "split_generated"]
