"""Ways into the forums from elsewhere: a lesson's discussion prompt, a roundtable's
record, a cohort's page. See `forums.links` for the rules."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from academy import access as academy_access
from courses import selectors as course_selectors
from forums import access, links
from forums.forms import PostTextField, add_refusal
from forums.services import MAY_NOT_WRITE, TITLE_MAX_LENGTH
from roundtables import selectors as roundtable_selectors


class FollowUpForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH * 2})
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    text = PostTextField()

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped, so the choice says plainly whether members will see the author's name.
        named = [(category.pk, category.title) for category in categories if not category.is_anonymous]
        anonymous = [(category.pk, category.title) for category in categories if category.is_anonymous]
        self.fields["category"].choices = [
            group for group in ((_("Named"), named), (_("Anonymous to peers"), anonymous)) if group[1]
        ]


# ------------------------------------------------------------------------------
# A lesson's discussion prompt
# ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def lesson_prompt(request, lesson_id: int, block_id: str):
    """GET: open the prompt's thread in the learner's cohort forum, or show what starting
    it means. POST: open it, starting it if nobody has (the lesson's button)."""
    prompt = course_selectors.discussion_prompt_for(user=request.user, lesson_id=lesson_id, block_id=block_id)
    if prompt is None:
        raise Http404
    cohorts = links.prompt_cohorts(user=request.user, cohort_ids=prompt.cohort_ids)
    cohort = links.prompt_cohort(cohorts=cohorts, chosen=request.POST.get("cohort") or request.GET.get("cohort"))
    if cohort is None:  # a trainer, or staff before any cohort takes the course
        messages.info(request, links.NO_COHORT_FORUM)
        return redirect(prompt.lesson_url or "dashboard")
    space = links.cohort_space(cohort_id=cohort.pk)
    thread = links.prompt_thread(space=space, lesson_id=prompt.lesson_id, block_id=prompt.block_id)
    if thread is not None:
        if thread.is_hidden and not access.can_moderate(request.user, space):
            messages.info(request, links.PROMPT_THREAD_CLOSED)
            return redirect(prompt.lesson_url or "dashboard")
        return redirect(thread)
    can_write = access.can_write(request.user, space)
    error, status = "", 200
    if request.method == "POST":
        if not can_write:
            error, status = MAY_NOT_WRITE, 403
        else:
            try:
                thread, _created = links.prompt_thread_open(
                    user=request.user,
                    space=space,
                    lesson_id=prompt.lesson_id,
                    lesson_title=prompt.lesson_title,
                    lesson_url=prompt.lesson_url,
                    block_id=prompt.block_id,
                    prompt=prompt.prompt,
                )
            except ValidationError as refusal:
                error, status = " ".join(refusal.messages), 400
            else:
                return redirect(thread)
    context = {
        "prompt": prompt,
        "space": space,
        "cohort": cohort,
        "cohorts": cohorts,
        "category": links.first_named_category(space),
        "can_write": can_write,
        "error": error,
    }
    return render(request, "forums/lesson_prompt.html", context, status=status)


# ------------------------------------------------------------------------------
# A roundtable's follow-up threads
# ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def roundtable_followup(request, session_id: int):
    """Compose a follow-up thread of an ended session, prefilled from its record."""
    source = roundtable_selectors.followup_source(user=request.user, session_id=session_id)
    if source is None:
        raise Http404
    if not source.has_ended:
        messages.info(request, links.FOLLOWUP_NOT_YET)
        return redirect(source.session_url)
    space = links.cohort_space(cohort_id=source.cohort_id)
    if not access.can_write(request.user, space):
        raise PermissionDenied
    categories = list(space.categories.order_by("position", "title"))
    initial = {**links.followup_initial(source=source), "category": links.first_named_category(space).pk}
    form = FollowUpForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            thread = links.followup_create(
                author=request.user,
                space=space,
                source=source,
                category_id=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Your follow-up thread is posted."))
            return redirect(thread)
    chosen = form["category"].value()
    context = {
        "source": source,
        "space": space,
        "form": form,
        "category": next((c for c in categories if str(c.pk) == str(chosen)), None),
        "followups": links.followups_of(
            user=request.user,
            cohort_id=source.cohort_id,
            programme_id=source.programme_id,
            session_id=source.session_id,
        ),
    }
    return render(request, "forums/roundtable_followup.html", context, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------
# A cohort's forum, by the cohort's address (the cohort page links here)
# ------------------------------------------------------------------------------
@login_required
@require_GET
def cohort_forum(request, slug: str):
    cohort = academy_access.access_cohort(request.user, slug)
    return redirect(links.cohort_space(cohort_id=cohort.pk))
