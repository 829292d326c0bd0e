"""A small gazetteer of news outlets: canonical name, short names a text uses, web domains.

Written once from general knowledge of the major English-language outlets and wires (not from
any dev file), so that a self-reference ("Get unlimited Monitor journalism"), a wire credit
("(AP)") or a URL's domain ("independent.co.uk") maps to one canonical name. An outlet that is
not listed is still found from the text itself (:mod:`storyline.clean.inference`); the list
only makes short names and domains comparable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


# name | aliases (comma separated, as texts write them) | domains
_TABLE = """
The Associated Press|AP,Associated Press,AP News|apnews.com,ap.org
Reuters|Thomson Reuters|reuters.com
Agence France-Presse|AFP,Agence France Presse|afp.com
Xinhua|Xinhua News Agency|xinhuanet.com,news.cn
United Press International|UPI|upi.com
Bloomberg|Bloomberg News|bloomberg.com
Kyodo News|Kyodo|kyodonews.net
Press Trust of India|PTI|ptinews.com
Anadolu Agency|Anadolu|aa.com.tr
Deutsche Presse-Agentur|dpa|dpa.com
Al Jazeera|Al Jazeera English|aljazeera.com,aljazeera.net
The New York Times|New York Times,NYT|nytimes.com
The Washington Post|Washington Post,The Post|washingtonpost.com
The Wall Street Journal|Wall Street Journal,WSJ,The Journal|wsj.com
Los Angeles Times|LA Times,L.A. Times|latimes.com
USA Today||usatoday.com
Chicago Tribune||chicagotribune.com
The Boston Globe|Boston Globe,The Globe|bostonglobe.com
The Christian Science Monitor|Christian Science Monitor,CSMonitor,The Monitor,Monitor|csmonitor.com
The Guardian|Guardian|theguardian.com,guardian.co.uk
The Independent|Independent|independent.co.uk
The Telegraph|Telegraph,The Daily Telegraph|telegraph.co.uk
The Times (London)|The Times of London|thetimes.co.uk
Financial Times|FT,The Financial Times|ft.com
The Economist|Economist|economist.com
BBC News|BBC|bbc.com,bbc.co.uk
Sky News|Sky|news.sky.com,sky.com
Daily Mail|Mail Online,MailOnline,The Daily Mail|dailymail.co.uk
The Sun||thesun.co.uk
The Mirror|Daily Mirror,Mirror|mirror.co.uk
Evening Standard|The Evening Standard,Standard|standard.co.uk
Metro||metro.co.uk
The Irish Times|Irish Times|irishtimes.com
CNN|CNN.com|cnn.com
NBC News|NBC|nbcnews.com
CBS News|CBS|cbsnews.com
ABC News|ABC|abcnews.go.com,abc.net.au
Fox News|Fox|foxnews.com
MSNBC||msnbc.com
NPR|National Public Radio|npr.org
PBS NewsHour|PBS|pbs.org
Politico|POLITICO|politico.com,politico.eu
The Hill||thehill.com
Axios||axios.com
Vox||vox.com
HuffPost|Huffington Post,The Huffington Post|huffpost.com,huffingtonpost.com,huffingtonpost.co.uk
BuzzFeed News|BuzzFeed|buzzfeednews.com,buzzfeed.com
Business Insider|Insider|businessinsider.com,insider.com
Forbes||forbes.com
Fortune||fortune.com
CNBC||cnbc.com
MarketWatch||marketwatch.com
Time|TIME,Time magazine|time.com
Newsweek||newsweek.com
The Atlantic|Atlantic|theatlantic.com
The New Yorker|New Yorker|newyorker.com
Slate||slate.com
Salon||salon.com
Vice|VICE,Vice News|vice.com
Wired|WIRED|wired.com
The Verge|Verge|theverge.com
TechCrunch||techcrunch.com
Ars Technica||arstechnica.com
Engadget||engadget.com
CNET||cnet.com
ZDNet||zdnet.com
Gizmodo||gizmodo.com
Mashable||mashable.com
The Next Web|TNW|thenextweb.com
VentureBeat||venturebeat.com
New York Post|NY Post|nypost.com
New York Daily News|Daily News|nydailynews.com
Newsday||newsday.com
The Philadelphia Inquirer|Philadelphia Inquirer,The Inquirer|inquirer.com
Miami Herald||miamiherald.com
The Dallas Morning News|Dallas Morning News|dallasnews.com
Houston Chronicle||houstonchronicle.com
San Francisco Chronicle|SF Chronicle,The Chronicle|sfchronicle.com,sfgate.com
The Seattle Times|Seattle Times|seattletimes.com
The Denver Post|Denver Post|denverpost.com
Star Tribune||startribune.com
The Baltimore Sun|Baltimore Sun|baltimoresun.com
The Atlanta Journal-Constitution|AJC|ajc.com
Tampa Bay Times||tampabay.com
The Arizona Republic|Arizona Republic|azcentral.com
Detroit Free Press|Freep|freep.com
Pittsburgh Post-Gazette|Post-Gazette|post-gazette.com
The Oregonian||oregonlive.com
The Sydney Morning Herald|Sydney Morning Herald,SMH|smh.com.au
The Age||theage.com.au
The Australian||theaustralian.com.au
News.com.au||news.com.au
The Globe and Mail|Globe and Mail|theglobeandmail.com
Toronto Star|The Star|thestar.com
National Post||nationalpost.com
CBC News|CBC|cbc.ca
CTV News|CTV|ctvnews.ca
The Times of India|Times of India,TOI|timesofindia.indiatimes.com,indiatimes.com
Hindustan Times||hindustantimes.com
The Hindu||thehindu.com
NDTV||ndtv.com
The Indian Express|Indian Express|indianexpress.com
Dawn||dawn.com
South China Morning Post|SCMP|scmp.com
The Japan Times|Japan Times|japantimes.co.jp
The Korea Herald|Korea Herald|koreaherald.com
Yonhap|Yonhap News Agency|yna.co.kr
The Straits Times|Straits Times|straitstimes.com
The Jerusalem Post|Jerusalem Post|jpost.com
Haaretz||haaretz.com
The Times of Israel|Times of Israel|timesofisrael.com
Al Arabiya||alarabiya.net
Middle East Eye||middleeasteye.net
RT|Russia Today|rt.com
TASS||tass.com
Sputnik||sputniknews.com
Deutsche Welle|DW|dw.com
France 24|France24|france24.com
Euronews||euronews.com
The Local||thelocal.com
Mail & Guardian||mg.co.za
News24||news24.com
Daily Star||thedailystar.net
The Nation||thenation.com
Mother Jones||motherjones.com
The Intercept||theintercept.com
ProPublica||propublica.org
The Daily Beast|Daily Beast|thedailybeast.com
National Review||nationalreview.com
Breitbart|Breitbart News|breitbart.com
The Washington Times|Washington Times|washingtontimes.com
PR Newswire||prnewswire.com
Business Wire||businesswire.com
Scientific American||scientificamerican.com
New Scientist||newscientist.com
Nature||nature.com
National Geographic||nationalgeographic.com
Rolling Stone||rollingstone.com
Variety||variety.com
The Hollywood Reporter|Hollywood Reporter|hollywoodreporter.com
Deadline||deadline.com
Billboard||billboard.com
ESPN||espn.com
Sports Illustrated|SI|si.com
Yahoo News|Yahoo|yahoo.com,news.yahoo.com
MSN||msn.com
"""


@cache
def outlets() -> tuple[Outlet, ...]:
    rows = []
    for line in _TABLE.strip().splitlines():
        name, aliases, domains = line.split("|")
        rows.append(
            Outlet(
                name=name,
                aliases=tuple(a for a in aliases.split(",") if a),
                domains=tuple(d for d in domains.split(",") if d),
            )
        )
    return tuple(rows)


def squash(name: str) -> str:
    """A name reduced for comparison: lower case, letters and digits, no leading "the"."""
    lowered = name.lower().replace("&", "and")
    lowered = re.sub(r"^the\s+", "", lowered)
    return re.sub(r"[^a-z0-9]", "", lowered)


@cache
def _by_key() -> dict[str, Outlet]:
    index: dict[str, Outlet] = {}
    for outlet in outlets():
        for key in (outlet.name, *outlet.aliases):
            index.setdefault(squash(key), outlet)
    return index


def lookup(name: str) -> Outlet | None:
    """The listed outlet a name or short name stands for ("NYT", "the Monitor"), if any."""
    return _by_key().get(squash(name))


def host_of(url: str) -> str | None:
    """The lower-case host of a URL without ``www.``, or None when it has none."""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def registered_label(host: str) -> str:
    """The label a site is known by: ``independent`` for ``www.independent.co.uk``."""
    parts = host.split(".")
    # Two-part public suffixes such as co.uk, com.au: the label is the one before them.
    if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net", "ac", "gov", "go"}:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


def from_domain(url: str) -> Outlet | None:
    """The listed outlet whose domain serves ``url`` (subdomains included)."""
    host = host_of(url)
    if host is None:
        return None
    for outlet in outlets():
        for domain in outlet.domains:
            if host == domain or host.endswith("." + domain):
                return outlet
    return None


def same_outlet(name: str, url_or_host: str) -> bool:
    """Whether an outlet name and a site are the same outlet.

    True when the gazetteer maps both to one outlet, or when the squashed name and the site's
    label are the same word ("The Independent" / independent.co.uk, "Vox" / vox.com), or one is
    the other's initials ("NPR" / npr.org is the former, "BBC" / bbc.co.uk too).
    """
    host = host_of(url_or_host)
    if host is None:
        return False
    site = from_domain(host)
    named = lookup(name)
    if site is not None and named is not None:
        return site is named
    if site is not None and any(squash(a) == squash(name) for a in (site.name, *site.aliases)):
        return True
    label = re.sub(r"[^a-z0-9]", "", registered_label(host))
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name.lower()):
        # A name written as a domain ("Phys.org", "Sportsnet.ca"): compare the site labels.
        return re.sub(r"[^a-z0-9]", "", registered_label(name.lower())) == label
    key = squash(name)
    if not key or not label:
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() != "the")
    if key == label or key == label.removesuffix("news") or initials.lower() == label:
        return True
    return _brand_of_site(name, label)


# Words that make a site label a different outlet from a name it starts with: "Washington"
# is not washingtonpost.com, "CBS" is not cbssports.com.
_OTHER_OUTLET_TAIL = re.compile(
    r"(?:post|times|news|tribune|herald|journal|daily|sports?|business|money|tv|radio|weekly|"
    r"today|online|press|star|sun|mail|express|chronicle|gazette|review|magazine)"
)
_FUNCTION_WORDS = frozenset({"the", "of", "and", "de", "da", "do", "des", "du", "la", "le"})


def _brand_of_site(name: str, label: str) -> bool:
    """A site label that is the name with a tail that names no other outlet ("The Republic" /
    therepublic.com, "The Paradigm" / theparadigmng.com, "Beachbody" / beachbodyondemand.com),
    or the first words of the name ("Vortex Cannon Entertainment" / vortexcannon.org).
    Accents and small function words do not count ("Mensagens de Reflexão" /
    mensagensreflexao.com.br). Six letters at least, so that a short word is never a brand."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    tokens = re.findall(r"[a-z0-9]+", folded.replace("&", " and "))
    content = [t for t in tokens if t not in _FUNCTION_WORDS]
    forms = {"".join(tokens), "".join(content), "".join(t for t in tokens if t != "the")}
    for form in forms:
        if len(form) < 6:
            continue
        if form == label:
            return True
        if label.startswith(form) and not _OTHER_OUTLET_TAIL.match(label[len(form) :]):
            return True
    # The label spells the first words of the name, word for word.
    for count in range(1, len(content)):
        if len(head := "".join(content[:count])) >= 6 and head == label:
            return True
    return False
