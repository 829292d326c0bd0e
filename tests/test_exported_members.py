import storyline


def test_public_names_are_pinned() -> None:
    # The public surface is a promise: adding a name is a decision, removing one breaks users.
    assert sorted(storyline.__all__) == [
        "Article", "Citation", "Comparison", "Duplicate", "Pipeline", "Problem", "Report",
        "Sentence", "Settings", "Store", "Story", "SummarySentence", "__version__", "digest",
        "stages",
    ]  # fmt: skip
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None
