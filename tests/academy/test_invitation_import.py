"""Parsing pasted lists and CSV files of people to invite."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from academy import invitation_import as imp


def csv_upload(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_pasted_list_gives_one_row_per_address_with_its_language():
    parsed = imp.parse_invite_text("sokha@example.org\n\nLan.Nguyen@Example.org, vi\n")
    assert [(row.line, row.email, row.language) for row in parsed.rows] == [
        (1, "sokha@example.org", ""),
        (3, "lan.nguyen@example.org", "vi"),
    ]
    assert parsed.errors == []


def test_each_bad_line_is_reported_with_its_line_number_and_the_good_ones_kept():
    parsed = imp.parse_invite_text("good@example.org\nnot-an-address\nother@example.org, klingon\ngood@example.org")
    assert [row.email for row in parsed.rows] == ["good@example.org"]
    assert [(error.line, error.text) for error in parsed.errors] == [
        (2, "not-an-address"),
        (3, "other@example.org, klingon"),
        (4, "good@example.org"),
    ]
    assert "not a valid email address" in parsed.errors[0].message
    assert "not a language" in parsed.errors[1].message
    assert "line 1" in parsed.errors[2].message


def test_semicolons_and_tabs_from_spreadsheets_are_accepted():
    parsed = imp.parse_invite_text("a@example.org;km\nb@example.org\tfr")
    assert [(row.email, row.language) for row in parsed.rows] == [("a@example.org", "km"), ("b@example.org", "fr")]


def test_a_csv_with_a_header_row_is_read():
    parsed = imp.parse_invite_csv(csv_upload("email,language\r\nsokha@example.org,km\r\nlan@example.org,\r\n"))
    assert [(row.line, row.email, row.language) for row in parsed.rows] == [
        (2, "sokha@example.org", "km"),
        (3, "lan@example.org", ""),
    ]


def test_a_csv_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read():
    parsed = imp.parse_invite_csv(csv_upload("\ufeffemail\nsokha@example.org\n".encode()))
    assert [row.email for row in parsed.rows] == ["sokha@example.org"]


def test_a_csv_row_with_too_many_columns_is_a_line_error():
    parsed = imp.parse_invite_csv(csv_upload("a@example.org,en,extra\nb@example.org\n"))
    assert [row.email for row in parsed.rows] == ["b@example.org"]
    assert parsed.errors[0].line == 1
    assert parsed.errors[0].message == imp.LINE_TOO_MANY_COLUMNS


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",  # an image
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00",  # an .xlsx (zip) file
        "\xff\xfe".encode("latin-1") + "email".encode("utf-16-le"),  # UTF-16
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_whole(content):
    with pytest.raises(imp.InviteListError) as error:
        imp.parse_invite_csv(csv_upload(content))
    assert str(error.value) == str(imp.NOT_CSV)


def test_a_csv_with_a_broken_quote_is_refused_whole():
    with pytest.raises(imp.InviteListError) as error:
        imp.parse_invite_csv(csv_upload('email\n"a@example.org\nb@example.org'))
    assert str(error.value) == str(imp.NOT_CSV)


def test_a_file_over_one_megabyte_is_refused_whole():
    big = "email\n" + "".join(f"person{n}@example.org\n" for n in range(60_000))
    assert len(big) > 1024 * 1024
    with pytest.raises(imp.InviteListError) as error:
        imp.parse_invite_csv(csv_upload(big))
    assert str(error.value) == str(imp.FILE_TOO_LARGE)


def test_a_stream_without_a_size_is_still_held_to_one_megabyte():
    stream = io.BytesIO(b"a@example.org\n" * 80_000)
    with pytest.raises(imp.InviteListError):
        imp.parse_invite_csv(stream)


@pytest.mark.parametrize("parse", [imp.parse_invite_text, lambda text: imp.parse_invite_csv(csv_upload(text))])
def test_more_than_500_rows_are_refused_whole(parse):
    text = "\n".join(f"person{n}@example.org" for n in range(501))
    with pytest.raises(imp.InviteListError) as error:
        parse(text)
    assert "500" in str(error.value)


def test_exactly_500_rows_are_accepted():
    text = "\n".join(f"person{n}@example.org" for n in range(500))
    assert len(imp.parse_invite_text(text).rows) == 500


def test_a_list_with_nothing_in_it_is_refused():
    with pytest.raises(imp.InviteListError) as error:
        imp.parse_invite_text("\n  \n")
    assert str(error.value) == str(imp.NOTHING_TO_INVITE)
