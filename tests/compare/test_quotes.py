from __future__ import annotations

from storyline.compare.quotes import find_quotes, similarity
from storyline.compare.schema import Comparison

GOLD = {
    "I am pleased to report today": "Ash Carter",
    "the recapture of all of Iraqi territory": "Ash Carter",  # "he said"
    "These additional US forces will bring": "Ash Carter",
    "one of the hubs from which": "Ash Carter",
    "important base to liberate Mosul": "Haider al-Abadi",
    "While Iraqis mourn, again": "Scott Petersen",
    "[I]t demonstrates": "Hassan Hassan",
    "The Islamic State has known for years": "Hassan Hassan",  # continuation
    "war in Iraq ends this month": "Barack Obama",
}


def test_find_quotes_pairs_mixed_marks() -> None:
    text = 'Obama announced that "war in Iraq ends this month”, at least 5,000 remain.'
    ((start, end),) = find_quotes(text)
    assert text[start:end] == "war in Iraq ends this month"


def test_similarity_across_paraphrased_quotes() -> None:
    a = "These additional US forces will bring unique capabilities to the campaign"
    b = "With these additional US forces I'm describing today, we'll bring unique capability"
    assert similarity(a, b) >= 0.5
    assert similarity(a, "Mosul is the biggest part of that") < 0.3


def test_speakers(iraq: Comparison) -> None:
    for start, speaker in GOLD.items():
        variant = next(v for q in iraq.quotes for v in q.variants if v.text.startswith(start))
        assert variant.speaker == speaker, start


def test_same_words_in_two_sources_grouped(iraq: Comparison) -> None:
    quote = next(q for q in iraq.quotes if q.text.startswith("These additional US forces"))
    assert {v.outlet for v in quote.variants} == {"Press TV", "The Christian Science Monitor"}
    assert quote.wording_differs
    statement = next(q for q in iraq.quotes if "range of support" in q.text)
    assert len(statement.article_ids) == 2
    assert {v.speaker for v in statement.variants} == {"Defense Department", "Ash Carter"}


def test_quote_spans_point_at_text(iraq: Comparison, iraq_story) -> None:  # type: ignore[no-untyped-def]
    for quote in iraq.quotes:
        for v in quote.variants:
            assert iraq_story.article(v.article_id).text[v.start : v.end] == v.text


def _speakers(text: str) -> list[str | None]:
    from storyline.compare import compare_story
    from storyline.model import Article, Story

    story = Story(id="q", articles=[Article(id="a", outlet="o", text=text)])
    return [v.speaker for q in compare_story(story).quotes for v in q.variants]


def test_the_company_said_is_the_company() -> None:
    text = (
        "Kimberly-Clark announced on Monday that it would stop production in Venezuela.\n"
        "“We cannot continue to operate under these conditions,” the company said."
    )
    assert _speakers(text) == ["Kimberly-Clark"]


def test_the_statement_said_is_its_author() -> None:
    text = (
        "Party chairman John Romano apologised in a statement sent to reporters on Monday.\n"
        "“I had the opportunity to discuss the context of the mailer,” the statement said."
    )
    assert _speakers(text) == ["John Romano"]


def test_a_quote_running_into_the_next_paragraph() -> None:
    # BBC style (multinews-train-2082): the first paragraph of the quote is left open.
    text = (
        "Labour Minister Oswaldo Vera visited the factory in Maracay and said it was illegal.\n"
        'Mr Vera said: "Kimberly-Clark will continue producing, now in the hands of the '
        "workers.\n"
        '"We\'ve just turned on the first engine."\n'
        'The Texas-based company said in a statement: "If the Venezuelan government takes '
        'control of Kimberly-Clark facilities, it will be responsible for the workers."'
    )
    spans = find_quotes(text)
    assert [text[s:e] for s, e in spans][:2] == [
        "Kimberly-Clark will continue producing, now in the hands of the workers.",
        "We've just turned on the first engine.",
    ]
    # The continuation keeps its speaker; "the company" named only inside a quote is still
    # the company.
    assert _speakers(text) == ["Oswaldo Vera", "Oswaldo Vera", "Kimberly-Clark"]


def test_an_inch_mark_opens_no_quote() -> None:
    assert find_quotes('A 6" pipe burst near the plant on Monday morning, officials said.') == []


def test_newswire_corpus_quotes_and_their_speaker() -> None:
    # New York Times wire text as LDC corpora (DUC, TAC) carry it: ``quote,'' with 2-char marks.
    text = (
        "Researchers met in Boston on Monday.\n"
        "``It's a complicated system with many moving parts,'' Gregory Dalack said."
    )
    ((start, end),) = find_quotes(text)
    assert text[start:end] == "It's a complicated system with many moving parts,"
    assert _speakers(text) == ["Gregory Dalack"]
    assert find_quotes("The students'' grades rose.") == []


def test_you_in_the_attribution_is_not_the_speaker() -> None:
    # People on Serena Williams's first child (Multi-News multinews-train-18965): "you" is the
    # subject of the nearest reporting verb, and the next quote continues with its speaker.
    text = (
        "During an interview with Vanity Fair, the athlete spoke about her relationship and her "
        'baby and admitted that she "would have thought you were the biggest liar in the world" '
        "if you had told her she would be pregnant one year ago.\n"
        "\"This is kind of how I am right now, this is happening sooner than later and it's going "
        'by so fast," she shared.'
    )
    speakers = _speakers(text)
    assert len(speakers) == 2
    assert "you" not in speakers
    assert speakers[0] == speakers[1] == "the athlete"


def test_he_is_the_one_who_speaks_not_the_one_spoken_of() -> None:
    # Reuters and CNN on Omar al-Bashir leaving South Africa (multinews-train-2847): "he"
    # is the prosecutor who spoke, or the commissioner in apposition, never Bashir; a
    # quote without a reporting verb belongs to its own sentence's subject.
    text = (
        "ICC deputy prosecutor James Stewart said he was disappointed Bashir had managed to "
        "escape.\n"
        '"I think that an ICC warrant of arrest actually means something," he said.\n'
        "But the U.N.'s high commissioner for human rights, Zeid Ra'ad Al Hussein, warned that "
        "member states had to follow ICC rules.\n"
        '"It is of deep concern to me when court orders are openly flouted," he said Monday.\n'
        "Foreign Minister Ibrahim Ghandour said the visit had been a success.\n"
        'Sidiki Kaba, the Senegalese justice minister, expressed his "deep concern about the '
        'negative consequences for the court."'
    )
    assert _speakers(text) == ["James Stewart", "Zeid Ra'ad Al Hussein", "Sidiki Kaba"]


def test_a_surname_the_tagger_missed_is_still_the_speaker() -> None:
    # AP on Hurricane Mitch (DUC 2004 d30002t): "Urbizo" alone is not tagged as a person, and
    # "he" went to the hurricane, the last subject the tagger took for a person.
    text = (
        "Delmer Urbizo, a government official, said the toll would rise.\n"
        "Mitch damaged or destroyed at least 90 bridges on major highways, officials said. "
        "Urbizo said Honduran officials hoped the scale of need in next-door Nicaragua "
        "wouldn't overshadow Honduras' plight. ``Our problem is that all of the country has "
        "been affected,'' he said."
    )
    assert _speakers(text)[-1] == "Delmer Urbizo"
