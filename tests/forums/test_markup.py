"""forums.markup: the Markdown subset, mentions and link counting."""

import pytest

from forums.markup import quote_source, render_post

REL = 'rel="nofollow ugc noopener noreferrer"'


def html_of(source: str, **kwargs) -> str:
    return render_post(source, **kwargs).html


# ------------------------------------------------------------------------------
# The subset
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source,expected",
    [
        ("**bold**", "<p><strong>bold</strong></p>"),
        ("__bold__", "<p><strong>bold</strong></p>"),
        ("*italic*", "<p><em>italic</em></p>"),
        ("_italic_", "<p><em>italic</em></p>"),
        ("~~struck~~", "<p><s>struck</s></p>"),
        ("`code`", "<p><code>code</code></p>"),
        ("```\nline one\nline two\n```", "<pre><code>line one\nline two\n</code></pre>"),
        ("    indented code", "<pre><code>indented code\n</code></pre>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        ("first\nsecond", "<p>first<br>\nsecond</p>"),
        ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
    ],
)
def test_the_markdown_subset_is_rendered(source, expected):
    assert html_of(source) == expected


def test_a_written_link_gets_the_rel_of_user_content():
    assert html_of("[the tool](https://betterwork.example/tools)") == (
        f'<p><a href="https://betterwork.example/tools" {REL}>the tool</a></p>'
    )


def test_a_link_with_a_title_keeps_only_its_address():
    assert html_of('[x](https://example.org "Title")') == f'<p><a href="https://example.org" {REL}>x</a></p>'


def test_a_bare_url_becomes_a_link():
    assert html_of("See https://example.org/guide for more.") == (
        f'<p>See <a href="https://example.org/guide" {REL}>https://example.org/guide</a> for more.</p>'
    )


def test_an_autolink_becomes_a_link():
    assert html_of("<https://example.org>") == f'<p><a href="https://example.org" {REL}>https://example.org</a></p>'


def test_mail_and_phone_links_are_allowed_but_addresses_are_not_linkified():
    assert html_of("[mail](mailto:dara@example.org)") == f'<p><a href="mailto:dara@example.org" {REL}>mail</a></p>'
    assert html_of("[call](tel:+85512345678)") == f'<p><a href="tel:+85512345678" {REL}>call</a></p>'
    assert html_of("dara@example.org") == "<p>dara@example.org</p>"


def test_a_url_inside_code_is_not_a_link():
    assert html_of("`https://example.org`") == "<p><code>https://example.org</code></p>"


def test_code_shows_angle_brackets_and_ampersands_once_escaped():
    assert html_of("`a < b && c > d`") == "<p><code>a &lt; b &amp;&amp; c &gt; d</code></p>"
    assert render_post("`a < b && c`").text == "a < b && c"


@pytest.mark.parametrize(
    "source,expected",
    [
        ("# Heading", "<p># Heading</p>"),
        ("Heading\n=======", "<p>Heading<br>\n=======</p>"),
        # An image is not shown: what was written stays a link to it.
        ("![chart](https://example.org/c.png)", f'<p>!<a href="https://example.org/c.png" {REL}>chart</a></p>'),
        ("---", "<p>---</p>"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<p>| a | b |<br>\n|---|---|<br>\n| 1 | 2 |</p>"),
        ("<b>bold?</b>", "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"),
        ("<div>\nblock\n</div>", "<p>&lt;div&gt;<br>\nblock<br>\n&lt;/div&gt;</p>"),
        (
            "[x][ref]\n\n[ref]: https://example.org",
            '<p>[x][ref]</p>\n<p>[ref]: <a href="https://example.org" ' + REL + ">https://example.org</a></p>",
        ),
    ],
)
def test_headings_images_tables_rules_and_raw_html_are_not_rendered_as_such(source, expected):
    assert html_of(source) == expected


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,x", "file:///etc"])
def test_links_with_unsafe_schemes_stay_text(scheme):
    html = html_of(f"[x]({scheme})")
    assert "<a" not in html and "href" not in html


def test_the_plain_text_has_no_tags_or_entities():
    rendered = render_post("**Fire** exits & <doors> [map](https://example.org)")
    assert rendered.text == "Fire exits & <doors> map"


def test_an_empty_source_renders_to_nothing():
    assert render_post("").html == "" and render_post("").text == ""


# ------------------------------------------------------------------------------
# Link counting (new members' limits)
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source,count",
    [
        ("no links here", 0),
        ("[one](https://example.org)", 1),
        ("https://a.example.org and www.b.example.org and <https://c.example.org>", 3),
        ("[x](javascript:alert(1)) https://ok.example.org", 1),
        ("`https://in.code.example.org` https://out.example.org", 1),
        ("dara@example.org", 0),
        ("<a href='https://raw.example.org'>raw</a>", 1),  # shown as text, but the bare URL links
    ],
)
def test_links_are_counted_as_rendered(source, count):
    assert render_post(source).link_count == count


# ------------------------------------------------------------------------------
# Mentions
# ------------------------------------------------------------------------------
PEOPLE = {"Chenda": 1, "Chenda Sok": 2, "Vannak Heng": 3, 'Dara "DK" Kim': 4, "Sophal <Admin>": 5, "O'Neil & Sons": 6}


def test_a_mention_is_marked_and_reported():
    rendered = render_post("Thanks @Vannak Heng, that helps.", mentionable=PEOPLE)
    assert rendered.html == '<p>Thanks <span class="mention">@Vannak Heng</span>, that helps.</p>'
    assert rendered.mentioned_ids == [3]


def test_the_longest_name_wins():
    rendered = render_post("@Chenda Sok and @Chenda", mentionable=PEOPLE)
    assert rendered.mentioned_ids == [2, 1]
    assert rendered.html == '<p><span class="mention">@Chenda Sok</span> and <span class="mention">@Chenda</span></p>'


def test_mentions_ignore_case_and_are_reported_once():
    rendered = render_post("@chenda sok, @CHENDA SOK and @Chenda Sok", mentionable=PEOPLE)
    assert rendered.mentioned_ids == [2]
    assert rendered.html.count('<span class="mention">') == 3


def test_a_name_followed_by_more_letters_is_not_a_mention():
    assert render_post("@Chendas", mentionable=PEOPLE).mentioned_ids == []
    assert render_post("@Vannak Hengly", mentionable=PEOPLE).mentioned_ids == []


def test_a_mention_inside_code_is_not_a_mention():
    rendered = render_post("`@Chenda Sok` and\n\n```\n@Vannak Heng\n```", mentionable=PEOPLE)
    assert rendered.mentioned_ids == []
    assert "mention" not in rendered.html


def test_mentions_work_in_quotes_lists_and_emphasis():
    rendered = render_post("> @Chenda Sok said\n\n- **@Vannak Heng**", mentionable=PEOPLE)
    assert rendered.mentioned_ids == [2, 3]


@pytest.mark.parametrize(
    "name,person",
    [('Dara "DK" Kim', 4), ("Sophal <Admin>", 5), ("O'Neil & Sons", 6)],
)
def test_names_with_html_special_characters_are_mentioned_and_stay_text(name, person):
    rendered = render_post(f"Asking @{name} here", mentionable=PEOPLE)
    assert rendered.mentioned_ids == [person]
    assert "<Admin>" not in rendered.html and "<admin>" not in rendered.html
    assert rendered.text == f"Asking @{name} here"


def test_a_name_that_looks_like_markup_cannot_inject_it():
    people = {"<img src=x onerror=alert(1)>": 7, '"><script>alert(1)</script>': 8}
    rendered = render_post('@<img src=x onerror=alert(1)> @"><script>alert(1)</script>', mentionable=people)
    assert rendered.mentioned_ids == [7, 8]
    assert "<img" not in rendered.html and "<script" not in rendered.html


def test_someone_not_mentionable_is_not_mentioned():
    rendered = render_post("@Someone Else", mentionable=PEOPLE)
    assert rendered.mentioned_ids == [] and "mention" not in rendered.html


def test_a_mention_inside_a_link_text_is_marked_but_the_link_stays_whole():
    rendered = render_post("[ask @Chenda Sok](https://example.org)", mentionable=PEOPLE)
    assert rendered.mentioned_ids == [2]
    assert rendered.link_count == 1


# ------------------------------------------------------------------------------
# Quoting
# ------------------------------------------------------------------------------
def test_a_quote_names_the_author_and_quotes_every_line():
    source = quote_source(author_label="Chenda Sok", source="Line one\n\nLine two")
    assert source == "> **Chenda Sok:**\n>\n> Line one\n>\n> Line two\n\n"
    assert render_post(source).html.startswith("<blockquote>")
