"""academy.sanitizer: what survives, what does not."""

import pytest

from academy.sanitizer import clean_lesson_rich_text


def test_lesson_formatting_and_wagtail_internal_links_survive():
    html = '<h3>Exits</h3><p><b>Clear</b> <i>every</i> exit. See <a linktype="page" id="12">module 2</a>.</p><ul><li>Daily</li></ul>'
    assert clean_lesson_rich_text(html) == html


def test_external_links_keep_safe_schemes():
    html = '<p><a href="https://betterwork.example/tools">tools</a> <a href="mailto:a@example.org">mail</a></p>'
    assert clean_lesson_rich_text(html) == html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)">x</p>',
        "<svg><script>alert(1)</script></svg>",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    ],
)
def test_active_content_is_removed(payload):
    cleaned = clean_lesson_rich_text(payload).lower()
    for marker in (
        "<script",
        "javascript:",
        "data:",
        "onerror",
        "onclick",
        "onmouseover",
        "<svg",
        "<iframe",
        "<style",
        "<img",
    ):
        assert marker not in cleaned
