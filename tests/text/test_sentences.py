from storyline.text import article_sentences, split_sentences, words
from storyline.text.sentences import balanced_quotes, inside_quotation


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_abbreviations_initials_and_numbers_do_not_split() -> None:
    text = (
        "Mr. Carter met Gen. Joseph F. Dunford in Baghdad on Jan. 5, 2016. "
        "The U.S. has spent $4.5bn, or 3.5 per cent of the budget. It was announced on Monday."
    )
    assert sentences(text) == [
        "Mr. Carter met Gen. Joseph F. Dunford in Baghdad on Jan. 5, 2016.",
        "The U.S. has spent $4.5bn, or 3.5 per cent of the budget.",
        "It was announced on Monday.",
    ]


def test_initialism_at_sentence_end_splits_before_a_sentence_starter() -> None:
    assert sentences("Troops returned to the U.S. The war was over.") == [
        "Troops returned to the U.S.",
        "The war was over.",
    ]


def test_quotes_stay_with_their_sentence() -> None:
    text = (
        '"We will win," Carter said. "The threat is not going away." '
        "He added that... more troops would come."
    )
    assert sentences(text) == [
        '"We will win," Carter said.',
        '"The threat is not going away."',
        "He added that... more troops would come.",
    ]


def test_line_breaks_end_sentences_and_spans_point_into_the_text() -> None:
    text = "US to Send 560 More Troops to Iraq\n\n  Carter said so.  Then he left.\n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "US to Send 560 More Troops to Iraq",
        "Carter said so.",
        "Then he left.",
    ]


def test_urls_and_emails_are_not_boundaries() -> None:
    text = "Write to news@example.com or see example.com/a.B for details. Then reply."
    assert sentences(text) == [
        "Write to news@example.com or see example.com/a.B for details.",
        "Then reply.",
    ]


def test_words_keep_numbers_whole() -> None:
    assert words("More than 4,647 troops, $4.5bn and 3.5%") == [
        "more", "than", "4,647", "troops", "4.5bn", "and", "3.5",
    ]  # fmt: skip


def test_article_sentences_start_after_wire_datelines() -> None:
    text = (
        "LARAMIE, Wyo. (AP) -- A gay college student was beaten and left tied to a fence.\n"
        "WASHINGTON _ The Senate voted on Tuesday.\n"
        "(Reuters) - Shares fell 3 percent in early trading.\n"
        "U.S. officials said the talks would resume."
    )
    assert [text[s:e] for s, e in article_sentences(text)] == [
        "A gay college student was beaten and left tied to a fence.",
        "The Senate voted on Tuesday.",
        "Shares fell 3 percent in early trading.",
        "U.S. officials said the talks would resume.",
    ]


def test_mixed_case_datelines_need_a_date_or_an_agency() -> None:
    # Real openings from DUC 2003 / Multi-News: the first two are datelines, the last two are
    # sentences whose subject is followed by an aside between dashes.
    text = (
        "Nairobi, February 9 (Xinhua) -- U.S. special envoy Jesse Jackson urged Moi to act.\n"
        "Washington (AP) -- The House voted on Thursday.\n"
        "Kabul, Afghanistan (CNN) A wedding in Afghanistan turned deadly Sunday night.\n"
        "Bashir — who seized power in a bloodless 1989 military coup — was re-elected in April.\n"
        "Aspirin _ widely used to lower the risk of strokes _ is not addressed in the report."
    )
    assert [text[s:e].split()[0] for s, e in article_sentences(text)] == [
        "U.S.", "The", "A", "Bashir", "Aspirin",
    ]  # fmt: skip


def test_an_aside_after_an_abbreviation_does_not_end_the_sentence() -> None:
    text = "Rep. Ted Yoho (R-Fla.) — a firebrand — sponsored the bill. It passed."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Rep. Ted Yoho (R-Fla.) — a firebrand — sponsored the bill.",
        "It passed.",
    ]


def test_list_bullets_do_not_open_a_sentence() -> None:
    text = (
        "Key dates:\n_ The computer industry has known about the Y2K problem since the early "
        "1980s.\n- Banks began testing in 1997."
    )
    assert [text[s:e] for s, e in article_sentences(text)][1:] == [
        "The computer industry has known about the Y2K problem since the early 1980s.",
        "Banks began testing in 1997.",
    ]


def test_only_a_paragraph_can_open_with_a_dateline() -> None:
    text = "NATO leaders met in Brussels. He said: WASHINGTON - and only Washington - decides."
    assert article_sentences(text) == split_sentences(text)


def test_typesetting_codes_never_open_a_sentence() -> None:
    text = "&LR; WASHINGTON _ One year later, China had changed.\n\n&QL;\n\n&QL; Two agencies met."
    assert [text[s:e] for s, e in article_sentences(text)] == [
        "One year later, China had changed.",
        "Two agencies met.",
    ]


def test_quotes_in_the_style_of_newswire_corpora() -> None:
    assert balanced_quotes("``It's a complicated system,'' Dalack said.")
    assert not balanced_quotes("``Families struggle for years.")
    assert balanced_quotes('He said "yes" and “no”.') and not balanced_quotes("“Open")


def quoted(text: str) -> list[tuple[bool, str]]:
    spans = split_sentences(text)
    return [
        (flag, text[s:e]) for flag, (s, e) in zip(inside_quotation(text, spans), spans, strict=True)
    ]


# A hospital statement quoted over several paragraphs (BBC, Multi-News multinews-val-46925).
STATEMENT = (
    'A hospital spokesman said: "Two international hospitals and their researchers have '
    "communicated to us as late as the last 24 hours that they have fresh evidence.\n"
    "\"Our view has not changed. We believe it is right to seek the High Court's view in light "
    "of the claimed new evidence.\n"
    '"Our priority has always been, and will always be, the best interests of Charlie Gard."\n'
    "Under a High Court ruling, GOSH is forbidden from allowing Charlie to be transferred."
)


def test_the_middle_of_a_quotation_is_inside_it() -> None:
    assert quoted(STATEMENT) == [
        (False, STATEMENT.split("\n")[0]),
        (False, '"Our view has not changed.'),
        (
            True,
            "We believe it is right to seek the High Court's view in light of the claimed new "
            "evidence.",
        ),
        (False, STATEMENT.split("\n")[2]),
        (False, STATEMENT.split("\n")[3]),
    ]


def test_quotations_close_in_newswire_style_and_units_are_no_quotes() -> None:
    wire = "``He is here. He is there,'' she said. Then it ended."
    assert [flag for flag, _ in quoted(wire)] == [False, True, False]
    # A stray mark is forgotten at the next sentence that opens a quotation of its own.
    stray = "Smith, who put the odds at ``50-50, said so. ``Never again,'' Smith added. It passed."
    assert [flag for flag, _ in quoted(stray)] == [False, False, False]
    # Tour de France times (Wikinews): 19' 36" is minutes and seconds.
    times = "Bennati won in a time of 3h 51' 03\". The final 146 km stage saw the riders leave."
    assert [flag for flag, _ in quoted(times)] == [False, False]


def test_long_texts_split_once_and_callers_get_their_own_list() -> None:
    from storyline.text import sentences

    text = "The troops arrived in Qayyarah on Monday. They will advise Iraqi forces. " * 300
    assert len(text) > sentences._CACHED_FROM
    first = split_sentences(text)
    assert len(first) == 600 and text[slice(*first[1])] == "They will advise Iraqi forces."
    first.clear()  # a caller's list is its own: the next caller still gets every span
    assert split_sentences(text) == sentences._split(text, 0)
    lead = "The troops arrived in Qayyarah on Monday."
    assert split_sentences(text, offset=5)[0] == (5, 5 + len(lead))
