"""Page notices and wire-photo captions in real Multi-News scrapes are removed as boilerplate."""

import storyline
from storyline.clean import clean_article, clean_text
from storyline.clean.rules import is_caption, notice
from storyline.model import Article

# From a Washington Times page in Multi-News (multinews-train-23526): an AP gallery caption with
# its teaser cut short, between two body paragraphs.
AP_GALLERY = (
    "WASHINGTON (AP) — Emboldened House Republicans issued a stern rebuke to President Barack "
    "Obama over immigration Thursday, passing a bill declaring his executive actions to curb "
    'deportations "null and void and without legal effect."\n'
    "House Speaker John Boehner of Ohio meets with reporters on Capitol Hill in Washington, "
    "Thursday, Dec. 4, 2014. Just days before government funding expires, House Republican "
    "leaders are trying to strike... (Associated Press)\n"
    "Outraged Democrats said the vote was a waste of time, since the Senate will not take up the "
    "bill and the White House has said the president would veto it."
)

# An Internet Archive page stored in place of a news article (multinews-train-24898).
WEB_ARCHIVE = (
    "These crawls are part of an effort to archive pages as they are created and archive the "
    "pages that they refer to. That way, as the pages that are referenced are changed or taken "
    "from the web, a link to the version that was live when the page was written will be "
    'preserved. The goal is to fix all broken links on the web . Crawls of supported "No More '
    '404" sites.'
)


def test_ap_gallery_caption_is_removed_and_the_body_kept() -> None:
    cleaned = clean_text(AP_GALLERY)
    assert "Associated Press" not in cleaned.text
    assert "trying to strike" not in cleaned.text
    assert cleaned.text.count("\n") == 1  # the two body paragraphs
    assert any(c.endswith("(Associated Press)") for c in cleaned.captions)


def test_web_archive_notice_is_not_article_text() -> None:
    assert notice(WEB_ARCHIVE) == "web archive notice"
    assert clean_text(WEB_ARCHIVE).text == ""


def test_correction_notices() -> None:
    correction = (
        "A previous version of this article misstated the size of industrial space dedicated "
        "to growing marijuana; these facilities occupy approximately 4.5 million square feet."
    )
    assert notice(correction) == "correction notice"
    assert notice("Correction: An earlier version of this story misspelled the mayor's name.")
    # News about corrections, updates and editors is news.
    assert notice("The newspaper ran a correction on Monday after the mayor complained.") is None
    assert notice("Update: the death toll has risen to 30, officials said.") is None
    assert notice("EDITOR'S NOTE -- Hastings is now a Democratic member of the House.") is None


def test_body_sentence_citing_the_agency_is_not_a_caption() -> None:
    assert not is_caption(
        "The Associated Press reported on Monday that the two sides had agreed to a ceasefire."
    )


def test_a_page_that_is_only_a_notice_is_no_article() -> None:
    article = clean_article(Article(text=WEB_ARCHIVE))
    assert article.text == ""
    report = storyline.digest([Article(text=WEB_ARCHIVE), Article(text=AP_GALLERY)])
    assert any("too little text" in p.reason for p in report.problems)
    assert len(report.stories[0].articles) == 1


def test_an_instagram_embed_is_not_article_text() -> None:
    # People and Us Weekly on Serena Williams's first child (multinews-train-18965): the embed
    # signature and the post's caption before it, glued into one line by the scrape.
    embed = (
        "Must read article. Link in bio A post shared by Serena Williams (@serenawilliams) on "
        "Jun 27, 2017 at 6:20am PDT"
    )
    assert notice(embed) == "social embed"
    assert notice("A post shared by Beyoncé (@beyonce) on Sep 1, 2017 at 1:24pm PDT")
    # News about a post is news.
    assert notice("Williams shared a post on Instagram on Friday showing her daughter.") is None


def test_an_embedded_tweet_is_not_article_text() -> None:
    # CNN on Omar al-Bashir leaving South Africa (multinews-train-2847): the tweet's words are
    # Max du Preez's, and glued to the next sentence they made "#Bashir" its subject.
    tweet = (
        "Obama, Blair etc are mass murderers & got away with it, why should we hold Zuma & his "
        "govt accountable for Marikana? #Bashir — Max du Preez (@MaxduPreez) June 15, 2015"
    )
    assert notice(tweet) == "social embed"
    assert (
        notice("The senator — a former governor — said on June 15, 2015 that he would run.") is None
    )
