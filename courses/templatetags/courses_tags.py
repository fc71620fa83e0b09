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
