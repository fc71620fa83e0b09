from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_context(context, quiz_id: str) -> dict:
    """Everything the quiz block shows for one quiz: the learner's state, and after a
    refused submission, its errors and the answers to keep ticked."""
    return {
        "state": context.get("quiz_states", {}).get(quiz_id),
        "errors": context.get("quiz_errors", {}).get(quiz_id, {}),
        "answers": context.get("quiz_answers", {}).get(quiz_id, {}),
    }


@register.filter
def lookup(mapping, key):
    """`mapping|lookup:key` for dicts keyed by ids."""
    return (mapping or {}).get(key)


@register.simple_tag(takes_context=True)
def reflection_form(context, block_id: str):
    """The reflection form of one prompt: refused and bound, or holding the saved answer."""
    from courses.learner_forms import ReflectionForm

    refused = context.get("reflection_forms", {}).get(block_id)
    if refused is not None:
        return refused
    return ReflectionForm(instance=context.get("reflections", {}).get(block_id), prefix=None)


@register.simple_tag(takes_context=True)
def action_form(context, block_id: str):
    from courses.learner_forms import ImprovementActionForm

    return context.get("action_forms", {}).get(block_id) or ImprovementActionForm()


CELL = {"done": '<td class="cell-done">%d%%</td>', "started": '<td class="cell-started">%d%%</td>'}
EMPTY_CELL = '<td class="cell-none">0%</td>'


@register.simple_tag
def matrix_rows(matrix):
    """The body rows of the facilitator's matrix (participants by modules).

    Built here rather than with nested template loops: at 200 participants by a dozen
    modules the template engine's per-cell lookups were most of the page's time. Names
    and organisations are escaped; the cells hold only integers."""
    from html import escape

    from django.utils.safestring import mark_safe

    rows = []
    for row in matrix.rows:
        person = row.participant
        organisation = f" · {escape(person.organisation)}" if person.organisation else ""
        cells = "".join(
            CELL["done" if percent == 100 else "started"] % percent if percent else EMPTY_CELL
            for percent in row.module_percents
        )
        rows.append(
            f'<tr><th scope="row"><span class="person-name">{escape(person.name)}</span><br>'
            f'<span class="meta">{escape(person.stakeholder_group_label)}{organisation}</span></th>'
            f"{cells}<td><strong>{row.percent:d}%</strong></td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped or an integer
