"""The one place where HTML written by people is cleaned, at write time.

Templates render what was stored; so whatever is stored must already be safe. Each
kind of content names the tags and attributes it may keep; links keep only safe schemes
(no `javascript:` or `data:`), and everything else is stripped.
"""

import html as html_entities
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter

SAFE_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# Wagtail's stored rich text for lessons: the editor's features, plus the attributes
# Wagtail uses for internal links (<a linktype="page" id="3">) and documents.
LESSON_RICH_TEXT_TAGS = frozenset({"p", "br", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "a"})
LESSON_RICH_TEXT_ATTRIBUTES = {"a": ["href", "linktype", "id"]}


def clean_html(html: str, *, tags: frozenset[str], attributes: dict[str, list[str]]) -> str:
    """Keep only the allowed tags and attributes; drop unsafe link schemes."""
    return bleach.clean(
        html, tags=tags, attributes=attributes, protocols=SAFE_PROTOCOLS, strip=True, strip_comments=True
    )


def clean_lesson_rich_text(html: str) -> str:
    return clean_html(html, tags=LESSON_RICH_TEXT_TAGS, attributes=LESSON_RICH_TEXT_ATTRIBUTES)


# Forum posts: the Markdown subset's output (forums.markup), and mentions. Every link,
# written or bare, gets the rel of user-generated content; bare URLs become links.
FORUM_TAGS = frozenset({"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "span", "s"})
FORUM_LINK_REL = "nofollow ugc noopener noreferrer"


def _forum_attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name == "href"
    if tag == "span":
        return name == "class" and value == "mention"
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


def _forum_link_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = FORUM_LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def clean_forum_html(html: str) -> str:
    """Keep the forum's few tags; make bare URLs links; give every link the rel of
    user-generated content (no referrer, no opener, no ranking credit)."""
    # One pass, linkifying as a filter of the cleaner: `bleach.linkify` run on cleaned
    # HTML escapes the text of skipped tags a second time (code showed "&lt;" as text).
    # A cleaner per call: bleach's cleaners are not thread-safe.
    cleaner = bleach.sanitizer.Cleaner(
        tags=FORUM_TAGS,
        attributes=_forum_attribute_allowed,
        protocols=SAFE_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(LinkifyFilter, callbacks=[_forum_link_rel], skip_tags={"pre", "code"}, parse_email=False)],
    )
    return cleaner.clean(html)


def plain_text(html: str) -> str:
    """The text of cleaned HTML, without tags or entities (for search and excerpts)."""
    return html_entities.unescape(bleach.clean(html, tags=set(), strip=True, strip_comments=True))
