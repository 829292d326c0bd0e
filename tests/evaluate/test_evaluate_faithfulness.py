from storyline.evaluate.faithfulness import faithfulness, numbers
from storyline.model import Article, Citation, SummarySentence

TEXT_A = "The quake killed 4,600 people. Rescuers arrived on Tuesday."
TEXT_B = "Aid groups pledged $12.5 million. Roads remain closed."


def _cite(article: Article, sentence: str, index: int) -> Citation:
    start = article.text.index(sentence)
    return Citation(
        article_id=article.id, sentence_index=index, start=start, end=start + len(sentence)
    )


def test_one_bad_citation_and_one_unsupported_number() -> None:
    a = Article(id="a", text=TEXT_A)
    b = Article(id="b", text=TEXT_B)
    summary = [
        # good: span is the sentence, number 4,600 is in the source
        SummarySentence(
            text="The quake killed 4,600 people.",
            citations=[_cite(a, "The quake killed 4,600 people.", 0)],
        ),
        # bad citation: points at a's second sentence, and 12.5 is not in article a
        SummarySentence(
            text="Aid groups pledged $12.5 million.",
            citations=[_cite(a, "Rescuers arrived on Tuesday.", 1)],
        ),
        # good, no numbers
        SummarySentence(
            text="Roads remain closed.", citations=[_cite(b, "Roads remain closed.", 1)]
        ),
    ]
    result = faithfulness(summary, [a, b])
    assert result.sentences == 3
    assert result.span_ok == 2 and result.span_share == 2 / 3
    assert result.numbers_ok == 2 and result.with_numbers == 2
    assert result.uncited == 0


def test_uncited_sentence_fails_span_but_not_numbers_without_figures() -> None:
    result = faithfulness([SummarySentence(text="Roads remain closed.")], [])
    assert (result.span_ok, result.numbers_ok, result.uncited) == (0, 1, 1)


def test_numbers_are_normalised() -> None:
    assert numbers("4,600 people and 3.50 dollars in 2016") == {"4600", "3.5", "2016"}
