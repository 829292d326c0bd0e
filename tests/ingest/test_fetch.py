import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from storyline import Article, Problem, Settings, Store
from storyline.ingest.fetch import (
    AddressGuard,
    BlockedAddress,
    Fetcher,
    FetchError,
    GuardedTransport,
    read_url,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iraq-troops-2016"
PARAGRAPHS = [
    p for p in (EXAMPLE / "001_153beaa652ab34ac.txt").read_text(encoding="utf-8").split("\n") if p
]
PAGE = (
    "<html><head><title>US will send 560 more soldiers to Iraq</title>"
    '<meta property="og:site_name" content="The New Arab"></head><body><article>'
    "<h1>US will send 560 more soldiers to Iraq</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    + "</article></body></html>"
).encode()
HOSTS = {
    "news.example": "93.184.216.34",
    "cdn.example": "151.101.1.69",
    "intranet.example": "10.1.2.3",
    "metadata.example": "169.254.169.254",
    "sneaky.example": "93.184.216.35",  # one public address and one private one
}


def resolver(host: str, port: int) -> list[str]:
    if host == "sneaky.example":
        return ["93.184.216.35", "192.168.0.10"]
    if host not in HOSTS:
        raise FetchError(f"cannot resolve {host}")
    return [HOSTS[host]]


def feed(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Entry {n}</title><link>{link}</link>"
        f"<description>{PARAGRAPHS[1]}</description></item>"
        for n, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
        "</channel></rss>"
    ).encode()


class Recorder:
    """A MockTransport handler that serves a small web and records every host it was asked."""

    def __init__(self, routes: dict[str, httpx.Response]) -> None:
        self.routes = routes
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(str(request.url))
        key = f"{request.url.host}{request.url.path}"
        if key in self.routes:
            return self.routes[key]
        return httpx.Response(404)


def fetcher(recorder: Recorder, **caps: int) -> Fetcher:
    transport = GuardedTransport(inner=httpx.MockTransport(recorder), resolver=resolver)
    return Fetcher(transport=transport, **caps)


HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "224.0.0.1",
     "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "100.64.0.1", "240.0.0.1"],
)  # fmt: skip
def test_guard_blocks_addresses_that_are_not_public(address: str) -> None:
    assert AddressGuard().blocked(ipaddress.ip_address(address))


def test_guard_passes_public_addresses_and_what_it_is_told_to_allow() -> None:
    assert AddressGuard().blocked(ipaddress.ip_address("93.184.216.34")) is None
    assert AddressGuard().blocked(ipaddress.ip_address("2606:4700::1111")) is None
    loopback = AddressGuard(allow=[ipaddress.ip_network("127.0.0.0/8")])
    assert loopback.blocked(ipaddress.ip_address("127.0.0.1")) is None
    assert loopback.blocked(ipaddress.ip_address("10.0.0.1")) == "private"


def test_a_page_is_fetched_and_read_as_an_article() -> None:
    recorder = Recorder({"news.example/iraq": httpx.Response(200, headers=HTML, content=PAGE)})
    (article,) = list(read_url("https://news.example/iraq", fetcher=fetcher(recorder)))
    assert isinstance(article, Article)
    assert article.title == "US will send 560 more soldiers to Iraq"
    assert "Qayyarah" in article.text or "Qayara" in article.text
    assert article.url == "https://news.example/iraq"


@pytest.mark.parametrize(
    "url",
    ["http://intranet.example/", "http://metadata.example/latest/meta-data/",
     "http://sneaky.example/", "http://127.0.0.1:8080/", "http://[::1]/", "http://0x7f000001/"],
)  # fmt: skip
def test_private_addresses_are_never_asked(url: str) -> None:
    recorder = Recorder({})
    with pytest.raises(FetchError):
        fetcher(recorder).fetch(url)
    assert recorder.asked == []


def test_a_redirect_into_the_local_network_is_refused_before_connecting() -> None:
    recorder = Recorder({
        "news.example/go": httpx.Response(302, headers={"location": "https://cdn.example/x"}),
        "cdn.example/x": httpx.Response(301, headers={"location": "http://intranet.example/a"}),
    })  # fmt: skip
    with pytest.raises(BlockedAddress, match=r"10\.1\.2\.3, a private address"):
        fetcher(recorder).fetch("https://news.example/go")
    assert [httpx.URL(u).host for u in recorder.asked] == ["news.example", "cdn.example"]


def test_redirects_are_capped_and_schemes_checked() -> None:
    loop = {
        f"news.example/{n}": httpx.Response(302, headers={"location": f"/{n + 1}"})
        for n in range(10)
    }
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher(Recorder(loop), max_redirects=3).fetch("https://news.example/0")
    to_file = {"news.example/f": httpx.Response(302, headers={"location": "file:///etc/passwd"})}
    with pytest.raises(FetchError, match="only http and https"):
        fetcher(Recorder(to_file)).fetch("https://news.example/f")


def test_size_and_content_type_are_checked() -> None:
    big = {"news.example/big": httpx.Response(200, headers=HTML, content=b"x" * 5000)}
    with pytest.raises(FetchError, match="byte limit"):
        fetcher(Recorder(big), max_bytes=1000).fetch("https://news.example/big")
    # No Content-Length: the stream is cut as soon as it passes the cap.
    chunks = {"news.example/s": httpx.Response(200, headers=HTML, content=iter([b"x" * 600] * 9))}
    with pytest.raises(FetchError, match="over the 1,000 byte limit"):
        fetcher(Recorder(chunks), max_bytes=1000).fetch("https://news.example/s")
    image = {"news.example/a.png": httpx.Response(200, headers={"content-type": "image/png"},
                                                  content=b"\x89PNG")}  # fmt: skip
    with pytest.raises(FetchError, match="content type 'image/png'"):
        fetcher(Recorder(image)).fetch("https://news.example/a.png")


def test_a_feed_entry_linking_into_the_local_network_is_not_followed() -> None:
    xml = {"content-type": "application/rss+xml"}
    recorder = Recorder({
        "news.example/feed": httpx.Response(
            200, headers=xml, content=feed(["https://news.example/iraq", "http://intranet.example/"])
        ),
        "news.example/iraq": httpx.Response(200, headers=HTML, content=PAGE),
    })  # fmt: skip
    outcomes = list(read_url("https://news.example/feed", fetcher=fetcher(recorder)))
    article, problem = outcomes
    assert isinstance(article, Article) and len(article.text) > len(PARAGRAPHS[1])
    assert article.url == "https://news.example/iraq"
    assert isinstance(problem, Problem) and "private address" in problem.reason
    assert "intranet.example" not in " ".join(recorder.asked)


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/iraq"
    server.shutdown()
    server.server_close()


def test_a_real_loopback_server_only_when_the_guard_allows_it(
    loopback_server: str, tmp_path: Path
) -> None:
    with pytest.raises(BlockedAddress, match="loopback"):
        Fetcher().fetch(loopback_server)
    allowed = Fetcher(
        transport=GuardedTransport(AddressGuard(allow=[ipaddress.ip_network("127.0.0.1/32")]))
    )
    # A host name is resolved once, checked, and the connection goes to the checked address.
    pinned = GuardedTransport(
        AddressGuard(allow=[ipaddress.ip_network("127.0.0.1/32")]),
        resolver=lambda host, port: ["127.0.0.1"],
    )
    by_name = loopback_server.replace("127.0.0.1", "pages.test")
    assert Fetcher(transport=pinned).fetch(by_name).data == PAGE
    store = Store(tmp_path / "store", settings=Settings(compare=False))
    result = store.ingest([loopback_server], fetcher=allowed, summarize=False)
    assert (result.new, result.rejected) == (1, [])
    (row,) = store.stories()
    assert row.title == "US will send 560 more soldiers to Iraq"
    refused = store.ingest([loopback_server.replace("/iraq", "/other")])  # default guard
    assert refused.new == 0 and "loopback" in refused.rejected[0].reason
