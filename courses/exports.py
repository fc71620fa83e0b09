"""CSV exports of the courses app."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from academy.spreadsheets import csv_response


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
