"""Fetch pages and RSS/Atom feeds over HTTP(S), safely, and read them with the ingest readers.

Everything goes through :class:`GuardedTransport`, an httpx transport that resolves the host
itself, refuses the request when any address it resolves to is loopback, private, link-local,
multicast, reserved or unspecified (IPv4-mapped IPv6 included), and then connects to the
address it checked (so a DNS answer cannot change between the check and the connection).
Redirects are followed by hand, at most ``max_redirects``, and every hop goes through the same
transport; a feed entry's link is fetched through it too, so neither a redirect nor a feed is
a way into the local network. Responses are capped in time and size and must have a content
type that a reader understands. Tests give the transport an ``httpx.MockTransport`` and a fake
resolver, or tell the guard to allow the loopback server they started.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import httpx

from storyline.model import Article, Problem
from storyline.settings import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "text/plain": "text",
}
USER_AGENT = "storyline (+https://github.com/storyline; news digest)"


class FetchError(Exception):
    """A URL that was not fetched, and why."""


class BlockedAddress(FetchError):
    """The URL resolves to an address storyline never fetches from."""


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host} ({error.strerror or error})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass
class AddressGuard:
    """Which addresses may be fetched: public ones, plus networks explicitly allowed."""

    allow: list[Network] = field(default_factory=list)

    def blocked(self, address: Address) -> str | None:
        """Why ``address`` may not be fetched, or None."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if any(address in network for network in self.allow):
            return None
        for reason, flag in (
            ("loopback", address.is_loopback),
            ("private", address.is_private),
            ("link-local", address.is_link_local),
            ("multicast", address.is_multicast),
            ("reserved", address.is_reserved),
            ("unspecified", address.is_unspecified),
            ("not globally routable", not address.is_global),
        ):
            if flag:
                return reason
        return None

    def check(self, host: str, addresses: Iterable[str]) -> str:
        """The first address to connect to, once every address of ``host`` passed."""
        checked = []
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            reason = self.blocked(address)
            if reason:
                raise BlockedAddress(f"{host} resolves to {address}, a {reason} address")
            checked.append(text)
        if not checked:
            raise FetchError(f"{host}: no address")
        return checked[0]


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that checks every address before any connection is made."""

    def __init__(
        self,
        guard: AddressGuard | None = None,
        *,
        inner: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.guard = guard or AddressGuard()
        self.resolver = resolver
        # Pin the connection to the checked address only on the real network transport; a
        # mock transport in tests routes by host name.
        self.pin = inner is None
        self.inner = inner or httpx.HTTPTransport(retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https are fetched")
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            literal = ipaddress.ip_address(host)
            addresses = [str(literal)]
        except ValueError:
            addresses = self.resolver(host, port)
        address = self.guard.check(host, addresses)
        if self.pin and address != host:
            extensions = dict(request.extensions)
            if url.scheme == "https":
                extensions["sni_hostname"] = host
            request = httpx.Request(
                request.method,
                url.copy_with(host=address),
                headers=request.headers,  # keeps Host: the name, not the address
                stream=request.stream,
                extensions=extensions,
            )
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    kind: str  # "html", "feed", "text"
    data: bytes


@dataclass
class Fetcher:
    """Fetch URLs with caps on time, size and redirects, through a :class:`GuardedTransport`."""

    transport: httpx.BaseTransport = field(default_factory=GuardedTransport)
    timeout: float = 15.0  # seconds for the whole response, connection to last byte
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    _client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self.transport,
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,  # followed by hand below, each hop checked
                headers={"User-Agent": USER_AGENT},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def fetch(self, url: str) -> Fetched:
        current = httpx.URL(url)
        deadline = time.monotonic() + self.timeout
        for _hop in range(self.max_redirects + 1):
            if current.scheme not in ("http", "https"):
                raise FetchError(f"{current}: only http and https are fetched")
            try:
                with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise FetchError(f"{current}: redirect without a location")
                        current = current.join(location)
                        continue
                    if response.status_code != 200:
                        raise FetchError(f"{current}: HTTP {response.status_code}")
                    kind = _kind(response.headers.get("content-type", ""), current)
                    data = self._read(response, current, deadline)
                    return Fetched(url=url, final_url=str(current), kind=kind, data=data)
            except httpx.TimeoutException:
                raise FetchError(f"{current}: timed out after {self.timeout:g} s") from None
            except httpx.HTTPError as error:
                raise FetchError(f"{current}: {type(error).__name__}: {error}") from None
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    def _read(self, response: httpx.Response, url: httpx.URL, deadline: float) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"{url}: {int(declared):,} bytes, over the {self.max_bytes:,} byte limit"
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: over the {self.max_bytes:,} byte limit")
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: timed out after {self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def _kind(content_type: str, url: httpx.URL) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if media in CONTENT_TYPES:
        return CONTENT_TYPES[media]
    raise FetchError(f"{url}: content type {media or 'missing'!r} is not a page or a feed")


def is_url(item: object) -> bool:
    return isinstance(item, str) and item.lower().startswith(("http://", "https://"))


def read_url(
    url: str,
    settings: Settings | None = None,
    *,
    fetcher: Fetcher | None = None,
    follow_links: bool = True,
    skip_link: Callable[[str], bool] | None = None,
) -> Iterator[Article | Problem]:
    """Articles of a page or a feed at ``url``; what cannot be fetched is a problem.

    For a feed, each entry is an article; with ``follow_links`` the page an entry links to is
    fetched (through the same guard) and read instead when it gives a longer text.
    ``skip_link(url)`` says an entry is already known, so its page is not fetched again.
    """
    from storyline.ingest import read_bytes  # the readers of files, given the bytes

    settings = settings or Settings()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        try:
            fetched = fetcher.fetch(url)
        except FetchError as error:
            yield Problem(source=url, reason=str(error))
            return
        # The reader picks the format by the name's extension, so name it by what came back.
        source = (
            fetched.final_url + {"html": "#.html", "feed": "#.xml", "text": "#.txt"}[fetched.kind]
        )
        for outcome in read_bytes(fetched.data, source, settings):
            if isinstance(outcome, Article):
                outcome.source = fetched.final_url if fetched.kind != "feed" else outcome.source
                if fetched.kind == "html" and not outcome.url:
                    outcome.url = fetched.final_url
                if fetched.kind == "feed" and follow_links and outcome.url:
                    if skip_link and skip_link(outcome.url):
                        continue
                    outcome = _with_linked_page(outcome, settings, fetcher)
            yield outcome
    finally:
        if own:
            fetcher.close()


def _with_linked_page(entry: Article, settings: Settings, fetcher: Fetcher) -> Article | Problem:
    from storyline.ingest import read_bytes

    link = entry.url or ""
    if not is_url(link):
        return entry
    try:
        fetched = fetcher.fetch(link)
    except BlockedAddress as error:
        return Problem(source=entry.source or link, reason=f"entry link not fetched: {error}")
    except FetchError:
        return entry  # the feed's own text still stands
    if fetched.kind != "html":
        return entry
    for outcome in read_bytes(fetched.data, fetched.final_url + "#.html", settings):
        if isinstance(outcome, Article) and len(outcome.text) > len(entry.text):
            return outcome.model_copy(
                update={
                    "title": outcome.title or entry.title,
                    "published": outcome.published or entry.published,
                    "outlet": outcome.outlet or entry.outlet,
                    "author": outcome.author or entry.author,
                    "url": fetched.final_url,
                    "source": fetched.final_url,
                }
            )
    return entry
