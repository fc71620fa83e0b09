"""Posts are written in a small Markdown subset and stored as clean HTML.

The subset: paragraphs and line breaks, **bold**, *italic*, ~~struck~~, `code` and
code blocks, > quotes, lists, and links (written or bare URLs). No headings, images,
tables or raw HTML: what someone types in angle brackets is shown as text. The HTML
that Markdown produces then goes through `academy.sanitizer.clean_forum_html`, the one
sanitizer, so what is stored is safe whatever the parser did.

Mentions: `@` followed by the display name of someone who may read the space
(“@Chenda Sok”) notifies them; the longest matching name wins.
"""

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from academy.sanitizer import clean_forum_html, plain_text

_markdown = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    .enable("strikethrough")
    .disable(["image", "heading", "lheading", "hr", "html_block", "html_inline", "reference"])
)

_LINK = re.compile(r"<a\s", re.IGNORECASE)
# Text between tags (mentions are looked for only there, never inside a tag or code).
_TEXT_OR_TAG = re.compile(r"(<[^>]*>)")


@dataclass
class Rendered:
    html: str
    text: str
    link_count: int
    mentioned_ids: list[int] = field(default_factory=list)


def _mark_mentions(rendered: str, names: dict[str, int]) -> tuple[str, list[int]]:
    """Wrap “@Name” in text (not in code) in a mention span; return the people named."""
    if "@" not in rendered or not names:
        return rendered, []
    # Longest names first, so “@Chenda Sok” wins over “@Chenda”.
    # Names are looked for in Markdown's output, so escaped as markdown-it escapes text
    # (“"” too, which html.escape(quote=False) would leave: “@Sok "Dara"” never matched).
    escaped = sorted(((escapeHtml(name), key) for name, key in names.items()), key=lambda p: -len(p[0]))
    pattern = re.compile("@(" + "|".join(re.escape(name) for name, _key in escaped) + r")(?![\w])", re.IGNORECASE)
    lookup = {name.casefold(): key for name, key in escaped}
    mentioned: list[int] = []
    parts = _TEXT_OR_TAG.split(rendered)
    in_code = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            tag = part.lower()
            if tag.startswith(("<code", "<pre")):
                in_code += 1
            elif tag.startswith(("</code", "</pre")):
                in_code = max(0, in_code - 1)
            continue
        if in_code or "@" not in part:
            continue

        def wrap(match: re.Match) -> str:
            key = lookup.get(match.group(1).casefold())
            if key is not None and key not in mentioned:
                mentioned.append(key)
            return f'<span class="mention">{match.group(0)}</span>'

        parts[index] = pattern.sub(wrap, part)
    return "".join(parts), mentioned


def render_post(source: str, *, mentionable: dict[str, int] | None = None) -> Rendered:
    """The stored form of a post: clean HTML, its plain text, how many links it has,
    and who it mentions. `mentionable` maps display names to user ids."""
    rendered = _markdown.render(source)
    rendered, mentioned = _mark_mentions(rendered, mentionable or {})
    clean = clean_forum_html(rendered).strip()
    return Rendered(
        html=clean,
        text=plain_text(clean).strip(),
        link_count=len(_LINK.findall(clean)),
        mentioned_ids=mentioned,
    )


def quote_source(*, author_label: str, source: str) -> str:
    """Markdown that quotes a post, for the reply box: “Name wrote:” and the text."""
    lines = source.strip().splitlines() or [""]
    quoted = "\n".join("> " + line if line else ">" for line in lines)
    return f"> **{author_label}:**\n>\n{quoted}\n\n"
