"""A title field filled with the page's first characters must not bring its chrome back.

Some corpora (the clustering stream of ../shared/data) set an article's title to the start
of its scraped text; when that start is chrome the cleaner removes, the title is chrome too.
"""

from storyline.clean import clean_article
from storyline.model import Article

# NBC News on the Niger ambush (Multi-News multinews-val-48540), as scraped, with the first
# 200 characters as its title.
NBC = (
    "Breaking News Emails Get breaking news alerts and special reports. The news and stories "
    "that matter, delivered weekday mornings. \n \n / Updated By Robert Windrem and Courtney "
    "Kube \n \n The U.S. military is still searching for answers on what happened in Niger two "
    "weeks ago when four U.S. soldiers were killed during an ambush, apparently by a branch of "
    "ISIS. \n \n Now the Pentagon's Africa Command (AFRICOM) has sent a team to the African "
    'nation to conduct a "review of the facts," according to two U.S. defense officials. The '
    "officials are careful not to call the inquiry an investigation, but admit they simply "
    "don't know what happened on Oct. 4."
)
# Reuters on Kellogg leaving Venezuela (multinews-train-2082): the title starts with the
# wire dateline that the cleaner takes off the first paragraph, and is the article's lead.
KELLOGG = (
    "CARACAS (Reuters) - U.S.-based cereal maker Kellogg Co (K.N) on Tuesday pulled out of "
    "Venezuela due to the country's deep economic crisis, and an angry President Nicolas Maduro "
    "said its units would be taken over and given to workers. \n \n Maduro said the government "
    "would take over the plant in the city of Maracay and hand it to its 400 workers."
)


def test_a_title_that_is_removed_chrome_is_dropped() -> None:
    article = clean_article(Article(text=NBC, title=NBC[:200]))
    assert article.text.startswith("The U.S. military is still searching for answers")
    assert article.title is None
    assert article.author == "Robert Windrem and Courtney Kube"


def test_a_title_that_starts_with_the_removed_dateline_is_kept() -> None:
    article = clean_article(Article(text=KELLOGG, title=KELLOGG[:200]))
    assert article.title == KELLOGG[:200]
    assert "Kellogg Co (K.N) on Tuesday pulled out" in article.text


def test_a_real_headline_is_kept() -> None:
    headline = "U.S. military still searching for answers in deadly Niger ambush"
    article = clean_article(Article(text=NBC, title=headline))
    assert article.title == headline
