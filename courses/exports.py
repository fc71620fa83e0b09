"""CSV exports that open cleanly in a spreadsheet."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

# A cell starting with one of these would be run as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(*, filename: str, header: list[str], rows) -> HttpResponse:
    """UTF-8 with a byte-order mark (so Excel reads Khmer and Vietnamese names right),
    CRLF line ends, every cell defused against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def progress_matrix_csv(matrix, *, cohort) -> HttpResponse:
    header = [_("Name"), _("Email"), _("Stakeholder group"), _("Organisation")]
    header += [module.title for module in matrix.modules]
    header += [_("Lessons completed"), _("Course completion (%)")]
    rows = (
        [
            row.participant.name,
            row.participant.email,
            row.participant.stakeholder_group_label,
            row.participant.organisation,
            *row.module_percents,
            f"{row.completed_lessons}/{row.total_lessons}",
            row.percent,
        ]
        for row in matrix.rows
    )
    return csv_response(filename=f"{cohort.slug}-{matrix.course.slug}-progress.csv", header=header, rows=rows)
