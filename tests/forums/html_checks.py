"""Checks of HTML by parsing it (html.parser), not by looking for strings.

- `stored_post_problems(html)`: what a stored post's HTML has beyond the sanitizer's
  allow-list (tags, attributes and their values, link schemes, comments, declarations).
- `page_problems(html)`: active content anywhere in a rendered page: event handler and
  style attributes, scripts other than the site's own files, frames, plugins, SVG, MathML,
  and links, sources or form targets with a `javascript:`, `vbscript:` or `data:` URL.
"""

import re
from html.parser import HTMLParser

from academy.sanitizer import FORUM_LINK_REL, FORUM_TAGS, SAFE_PROTOCOLS

# A URL's scheme as a browser reads it: after dropping the whitespace and control
# characters browsers ignore (leading ones, and tabs and newlines anywhere).
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
DANGEROUS_SCHEMES = {"javascript", "vbscript", "data"}
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "portal",
    "style",
    "img",
    "video",
    "audio",
    "source",
    "image",
    "template",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster"}


def url_scheme(value: str) -> str | None:
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value))
    return match.group(1).lower() if match else None


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl):
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data):
        self.problems.append(f"declaration <![{data}]>")


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _stored_attribute_allowed(tag: str, name: str, value: str | None) -> bool:
    value = value or ""
    if tag == "a" and name == "href":
        scheme = url_scheme(value)
        return scheme is None or scheme in SAFE_PROTOCOLS
    if tag == "a" and name == "rel":
        return value == FORUM_LINK_REL
    if tag == "span" and name == "class":
        return value == "mention"
    if tag == "ol" and name == "start":
        return value.isdigit()
    return False


def stored_post_problems(html: str) -> list[str]:
    """Everything in a stored post's HTML that the forum's allow-list does not permit."""
    collector = _parse(html)
    problems = list(collector.problems)
    for tag, attrs in collector.tags:
        if tag not in FORUM_TAGS:
            problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if not _stored_attribute_allowed(tag, name, value):
                problems.append(f"attribute {name}={value!r} on <{tag}>")
        if tag == "a" and dict(attrs).get("rel") != FORUM_LINK_REL:
            problems.append(f"link without rel={FORUM_LINK_REL!r}: {attrs}")
    # Every "<" left in the text is the start of an allowed tag (bleach escapes the rest).
    for match in re.finditer(r"<(/?)([^\s/>]*)", html):
        if match.group(2).lower() not in FORUM_TAGS:
            problems.append(f"raw '<' at {match.start()}: {html[match.start() : match.start() + 30]!r}")
    return problems


def page_problems(html: str, *, static_prefix: str = "/static/") -> list[str]:
    """Active content anywhere in a rendered page (the site's own templates use none of
    it on the forum pages, except script and style sheet files under /static/)."""
    collector = _parse(html)
    problems = [problem for problem in collector.problems if not problem.startswith("declaration <!DOCTYPE")]
    for tag, attrs in collector.tags:
        values = dict(attrs)
        if tag == "script":
            src = values.get("src") or ""
            if not src.startswith(static_prefix):
                problems.append(f"script {attrs}")
        elif tag == "link":
            if not (values.get("href") or "").startswith(static_prefix):
                problems.append(f"link {attrs}")
        elif tag == "meta":
            if "http-equiv" in values:
                problems.append(f"meta {attrs}")
        elif tag in ACTIVE_TAGS:
            problems.append(f"tag <{tag}> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}={value!r} on <{tag}>")
            elif name == "style":
                problems.append(f"style attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and url_scheme(value or "") in DANGEROUS_SCHEMES:
                problems.append(f"{name}={value!r} on <{tag}>")
    return problems
