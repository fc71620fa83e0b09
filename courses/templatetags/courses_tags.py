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
