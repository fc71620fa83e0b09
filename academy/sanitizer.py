"""The one place where HTML written by people is cleaned, at write time.

Templates render what was stored; so whatever is stored must already be safe. Each
kind of content names the tags and attributes it may keep; links keep only safe schemes
(no `javascript:` or `data:`), and everything else is stripped.
"""

import bleach

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
