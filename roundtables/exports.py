"""The record of a session as Markdown and as CSV, for facilitators.

Both follow the session's privacy mode (see `roundtables.record`); times are in UTC
with the offset written out, so a file read in another country is not ambiguous.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from academy.spreadsheets import csv_response
from roundtables.record import GROUP_LABELS, Record


def _time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _markdown_text(text: str) -> str:
    """Plain text as one Markdown paragraph: markup characters escaped, lines kept."""
    escaped = "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|" else ch for ch in text)
    return escaped.replace("\n", "  \n")


def record_markdown(record: Record) -> HttpResponse:
    session = record.session
    lines = [f"# {_markdown_text(session.title)}", ""]
    lines.append(f"- {_('Cohort')}: {_markdown_text(session.cohort.name)}")
    lines.append(f"- {_('Kind')}: {session.get_kind_display()}")
    scheduled = _("Scheduled")  # outside the f-string, where makemessages finds it
    lines.append(f"- {scheduled}: {_time(session.starts_at)} – {_time(session.ends_at)}")
    if session.ended_at:
        lines.append(f"- {_('Ended')}: {_time(session.ended_at)}")
    lines.append(f"- {_('Privacy')}: {session.get_privacy_display()}")
    if record.chatham_house:
        lines += ["", _("Chatham House: speakers are shown only by stakeholder group.")]
    lines += ["", f"## {_('Transcript')}", ""]
    lines += [
        f"- {_time(line.at)} **{_markdown_text(line.speaker)}**: {_markdown_text(line.text)}"
        for line in record.transcript
    ]
    if not record.transcript:
        lines.append(_("No messages."))
    for number, breakout in enumerate(record.rounds, start=1):
        heading = _("Breakout round %(number)s") % {"number": number}
        lines += ["", f"## {heading}", ""]
        for group in breakout.groups:
            lines += [
                f"### {_markdown_text(group.label)}",
                "",
                f"{_('Members')}: {_markdown_text(', '.join(group.members))}",
                "",
            ]
            if group.notes:
                lines += [f"**{_('Notes')}**", ""]
                lines += [f"- {_markdown_text(note.text)} ({_markdown_text(note.speaker)})" for note in group.notes]
                lines.append("")
            lines += [
                f"- {_time(line.at)} **{_markdown_text(line.speaker)}**: {_markdown_text(line.text)}"
                for line in group.chat
            ]
    lines += ["", f"## {_('Polls')}", ""]
    for poll in record.polls:
        lines.append(f"### {_markdown_text(poll['question'])}")
        lines.append("")
        lines += [
            f"- {_markdown_text(option)}: {count}"
            for option, count in zip(poll["options"], poll["counts"], strict=True)
        ]
        lines.append("")
    if not record.polls:
        lines.append(_("No polls."))
    lines += ["", f"## {_('Action points')}", ""]
    for action in record.actions:
        owner = str(action.owner) if action.owner else _("no owner")
        due = action.due_date.isoformat() if action.due_date else _("no due date")
        lines.append(f"- {_markdown_text(action.text)} — {_markdown_text(owner)}, {due}")
    if not record.actions:
        lines.append(_("No action points."))
    lines += ["", f"## {_('Speaking turns by stakeholder group')}", ""]
    lines += [f"- {_markdown_text(turns.label)}: {turns.count}" for turns in record.turns]
    lines += ["", f"## {_('Attendance')}", ""]
    for person in record.attendance:
        lines.append(
            f"- {_markdown_text(person.name)} ({GROUP_LABELS.get(person.group, person.group)}): "
            f"{_time(person.first_joined)} – {_time(person.last_left)}, {person.minutes} min"
        )
    if not record.attendance:
        lines.append(_("Nobody joined the room."))
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roundtable-{session.pk}-record.md"'
    return response


def record_csv(record: Record) -> HttpResponse:
    """One table: section, time, breakout group, speaker, stakeholder group, text, detail."""
    header = [
        _("Section"),
        _("Time (UTC)"),
        _("Breakout group"),
        _("Speaker"),
        _("Stakeholder group"),
        _("Text"),
        _("Detail"),
    ]
    rows = []
    for line in record.transcript:
        rows.append(
            [_("transcript"), _time(line.at), "", line.speaker, GROUP_LABELS.get(line.group, ""), line.text, ""]
        )
    for breakout in record.rounds:
        for group in breakout.groups:
            for line in group.chat:
                rows.append(
                    [
                        _("breakout chat"),
                        _time(line.at),
                        group.label,
                        line.speaker,
                        GROUP_LABELS.get(line.group, ""),
                        line.text,
                        "",
                    ]
                )
            for line in group.notes:
                rows.append(
                    [
                        _("breakout note"),
                        _time(line.at),
                        group.label,
                        line.speaker,
                        GROUP_LABELS.get(line.group, ""),
                        line.text,
                        "",
                    ]
                )
    for poll in record.polls:
        for option, count in zip(poll["options"], poll["counts"], strict=True):
            rows.append([_("poll"), "", "", "", "", poll["question"], f"{option}: {count}"])
    for action in record.actions:
        owner = str(action.owner) if action.owner else ""
        rows.append(
            [_("action point"), "", "", owner, "", action.text, action.due_date.isoformat() if action.due_date else ""]
        )
    for person in record.attendance:
        rows.append(
            [
                _("attendance"),
                _time(person.first_joined),
                "",
                person.name,
                GROUP_LABELS.get(person.group, ""),
                _time(person.last_left),
                f"{person.minutes} min",
            ]
        )
    return csv_response(filename=f"roundtable-{record.session.pk}-record.csv", header=header, rows=rows)
