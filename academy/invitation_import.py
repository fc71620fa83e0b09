"""Turn a pasted list or an uploaded CSV into invitation rows, line by line.

Both accept one person per line: an email address, optionally followed by a comma and
a language code for the invitation email (`en`, `fr`, `es`, `km`, `vi`, `zh-hans`).
A CSV may start with a header row naming the columns `email` and `language`.

Bad lines are reported with their line number and the rest still go through. A file
that cannot be read as CSV at all, or is too large, is refused whole.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# Error messages, asserted by the tests.
FILE_TOO_LARGE = _("The file is larger than 1 MB. Split it into smaller files and upload each.")
TOO_MANY_ROWS = _("The list has more than %(max)d rows. Invite at most %(max)d people at a time.")
NOT_CSV = _("This file could not be read as CSV text. Save it from your spreadsheet as “CSV UTF-8” and try again.")
NOTHING_TO_INVITE = _("There is no email address to invite.")
LINE_NOT_AN_EMAIL = _("“%(value)s” is not a valid email address.")
LINE_UNKNOWN_LANGUAGE = _("“%(value)s” is not a language of this platform (use one of: %(codes)s).")
LINE_DUPLICATE = _("%(email)s already appears on line %(first)d.")
LINE_TOO_MANY_COLUMNS = _("Expected an email address and at most a language code.")


class InviteListError(Exception):
    """The whole list or file is refused; nothing is invited."""


@dataclass
class InviteRow:
    line: int
    email: str
    language: str = ""


@dataclass
class LineError:
    line: int
    text: str
    message: str


@dataclass
class ParsedInviteList:
    rows: list[InviteRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def parse_invite_text(text: str) -> ParsedInviteList:
    """Parse a pasted list: one address per line, optionally `, language`."""
    lines = text.splitlines()
    return _parse_records((number, line, _split_pasted(line)) for number, line in enumerate(lines, 1))


def parse_invite_csv(upload) -> ParsedInviteList:
    """Parse an uploaded CSV file (a Django UploadedFile or any binary file object)."""
    size = getattr(upload, "size", None)
    max_bytes = settings.ACADEMY_BULK_INVITE_MAX_BYTES
    raw = upload.read(max_bytes + 1)
    if (size is not None and size > max_bytes) or len(raw) > max_bytes:
        raise InviteListError(FILE_TOO_LARGE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InviteListError(NOT_CSV) from error
    if "\x00" in text:
        raise InviteListError(NOT_CSV)
    try:
        records = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as error:
        raise InviteListError(NOT_CSV) from error
    numbered = [(number, ",".join(cells), cells) for number, cells in enumerate(records, 1)]
    if numbered and _is_header(numbered[0][2]):
        numbered = numbered[1:]
    return _parse_records(numbered)


def _split_pasted(line: str) -> list[str]:
    # People paste from mail clients and spreadsheets: commas, semicolons or tabs.
    for separator in (",", ";", "\t"):
        if separator in line:
            return line.split(separator)
    return [line]


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip().lower() in {"email", "e-mail", "email address"}


def _parse_records(records) -> ParsedInviteList:
    parsed = ParsedInviteList()
    first_seen: dict[str, int] = {}
    content_lines = 0
    for number, text, cells in records:
        cells = [cell.strip() for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue  # blank lines are not errors
        content_lines += 1
        if content_lines > settings.ACADEMY_BULK_INVITE_MAX_ROWS:
            raise InviteListError(TOO_MANY_ROWS % {"max": settings.ACADEMY_BULK_INVITE_MAX_ROWS})
        row_or_error = _parse_cells(number, text, cells, first_seen)
        if isinstance(row_or_error, LineError):
            parsed.errors.append(row_or_error)
        else:
            first_seen[row_or_error.email] = number
            parsed.rows.append(row_or_error)
    if not parsed.rows and not parsed.errors:
        raise InviteListError(NOTHING_TO_INVITE)
    return parsed


def _parse_cells(number: int, text: str, cells: list[str], first_seen: dict[str, int]):
    if len(cells) > 2:
        return LineError(number, text, LINE_TOO_MANY_COLUMNS)
    email = cells[0].strip("<>").lower()
    try:
        validate_email(email)
    except ValidationError:
        return LineError(number, text, LINE_NOT_AN_EMAIL % {"value": cells[0]})
    language = cells[1].lower() if len(cells) == 2 else ""
    if language and language not in LANGUAGE_CODES:
        return LineError(
            number,
            text,
            LINE_UNKNOWN_LANGUAGE % {"value": cells[1], "codes": ", ".join(LANGUAGE_CODES)},
        )
    if email in first_seen:
        return LineError(number, text, LINE_DUPLICATE % {"email": email, "first": first_seen[email]})
    return InviteRow(line=number, email=email, language=language)
