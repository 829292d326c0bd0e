"""A small XSS corpus and the checks every rendered page must pass (parsed as a browser would)."""

from __future__ import annotations

import base64
import hashlib
import re

import html5lib

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-img')\">",
    '"><svg onload=alert(1)>',
    "</title><script>alert(2)</script>",
    "</style><script>alert(3)</script>",
    '<a href="javascript:alert(4)">click</a>',
    "' onmouseover='alert(5)' x='",
    "<!-- <b>broken markup <i>never closed",
    "]]><x>cdata break</x>",
    "{{ 7*7 }} {% raw %}",
    '<iframe src="https://evil.example/"></iframe>',
    '<form action="https://evil.example/"><button formaction=javascript:alert(6)>',
    "\u2028line sep\x0bvertical tab\x00nul",
]
BAD_URLS = [
    "javascript:alert('xss-url')",
    " JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/path",
    "java\tscript:alert(1)",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
# The only links a page may hold: in-page anchors, the app's own paths, http(s).
SAFE_LINK = re.compile(r"^(#|/(?!/)|\?|https?://)", re.I)


def hostile(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)]


def assert_safe_html(page: str, *, expect_csp: bool = True) -> None:
    """No script element, no event handler attribute, no script-capable URL, no frame or form
    pointing elsewhere, and (when asked) a CSP that forbids script and allows only our CSS."""
    document = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False)
    ids = [e.get("id") for e in document.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids)), "every anchor id once (links and :target rely on it)"
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.rsplit("}", 1)[-1].lower()
        assert local not in ("script", "iframe", "object", "embed", "base"), f"live <{local}>"
        for name, value in element.attrib.items():
            attribute = name.rsplit("}", 1)[-1].lower()
            assert not attribute.startswith("on"), f"event handler {name}={value!r} on <{local}>"
            assert attribute != "style", f"style attribute on <{local}> (CSP would block it)"
            if attribute in URL_ATTRIBUTES or name.endswith("}href"):
                assert SAFE_LINK.match(value.strip()), f"unsafe URL {value!r} in <{local}>"
        if local == "form":
            assert element.get("action", "/").startswith("/"), "form posting elsewhere"
    if expect_csp:
        metas = document.findall(".//meta[@http-equiv='Content-Security-Policy']")
        assert len(metas) == 1
        policy = metas[0].get("content")
        assert "script-src 'none'" in policy and "default-src 'none'" in policy
        styles = document.findall(".//style")
        assert len(styles) == 1, "one stylesheet, ours"
        digest = base64.b64encode(hashlib.sha256(styles[0].text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, "the stylesheet's hash is what the CSP allows"


def text_of(page: str) -> str:
    document = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False)
    return " ".join(document.getroot().itertext())
