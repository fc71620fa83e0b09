"""Links into the forums from the rest of the platform: a lesson's discussion prompt and
a roundtable's record.

- **A lesson's discussion prompt** opens its thread in the learner's cohort forum: the
  cohort is the first (by id) of the learner's cohorts the lesson's course is assigned
  to, unless they pick another of those. Each space has at most one thread per prompt
  (a unique constraint on space, lesson and block). The first person to open it starts
  it: they are its author, the thread goes to the space's first *named* category, and
  its opening post quotes the prompt with a link back to the lesson. Two people opening
  it at once get the same thread.
- **A roundtable's record** can start follow-up threads in the cohort's forum once the
  session has ended, prefilled with the session's title and its action points (text,
  owner as recorded, due date): never who said what, so a Chatham House session's
  speakers stay unnamed. The person edits the title and text before posting.

The forums read the courses and roundtables apps only through their selectors
(`courses.selectors.discussion_prompt_for`, `roundtables.selectors.followup_source`);
those apps link here by URL name and never import the forums.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy import access as academy_access
from academy.access import AnyUser
from academy.models import Cohort, User
from forums import access, services
from forums.choices import IdentityMode, SpaceKind
from forums.models import Category, Space, Thread

# Messages, asserted by the tests.
NO_COHORT_FORUM = gettext_lazy(
    "You are not a member of a cohort that takes this course, so there is no cohort forum to discuss it in."
)
PROMPT_NOT_STARTED = gettext_lazy("Nobody has started this discussion yet. Participants and facilitators can.")
PROMPT_THREAD_CLOSED = gettext_lazy("A facilitator has closed this discussion.")
FOLLOWUP_NOT_YET = gettext_lazy("Follow-up threads can be started once the session has ended and its record is ready.")
FOLLOWUP_WRONG_CATEGORY = gettext_lazy("Choose one of this cohort forum's categories.")


# ------------------------------------------------------------------------------
# Lesson prompts
# ------------------------------------------------------------------------------
def prompt_cohorts(*, user: AnyUser, cohort_ids: tuple[int, ...]) -> list[Cohort]:
    """The user's cohorts (all cohorts for staff) among those a lesson's course is
    assigned to, by id (one query)."""
    if not cohort_ids:
        return []
    return list(
        academy_access.cohorts_visible_to(user).filter(pk__in=cohort_ids).select_related("programme").order_by("pk")
    )


def prompt_cohort(*, cohorts: list[Cohort], chosen: str | int | None) -> Cohort | None:
    """The cohort the person asked for, if it is one of theirs; else the first by id."""
    if not cohorts:
        return None
    return next((cohort for cohort in cohorts if str(cohort.pk) == str(chosen)), cohorts[0])


def cohort_space(*, cohort_id: int) -> Space:
    """The cohort's forum (created with its categories the first time it is asked for).
    Call after checking the user may see the cohort."""
    space = Space.objects.select_related("cohort", "programme").filter(cohort_id=cohort_id).first()
    return space or services.space_ensure_for_cohort(cohort=Cohort.objects.get(pk=cohort_id))


def prompt_thread(*, space: Space, lesson_id: int, block_id: str) -> Thread | None:
    return Thread.objects.filter(space=space, lesson_page_id=lesson_id, lesson_block_id=block_id).first()


def _markdown_text(text: str) -> str:
    """Text for a Markdown link label or a title: brackets and asterisks escaped."""
    for char in "\\[]*_`":
        text = text.replace(char, "\\" + char)
    return text


def prompt_title(*, lesson_title: str, prompt: str) -> str:
    first_line = next((line.strip() for line in prompt.splitlines() if line.strip()), "")
    title = f"{lesson_title}: {first_line}" if first_line else lesson_title
    return Truncator(" ".join(title.split())).chars(services.TITLE_MAX_LENGTH)


def prompt_opening_text(*, lesson_title: str, lesson_url: str, prompt: str) -> str:
    """The opening post of a prompt's thread: the prompt quoted, with a link back."""
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in prompt.strip().splitlines())
    lead = _("From the lesson %(lesson)s:") % {"lesson": f"[{_markdown_text(lesson_title)}]({lesson_url})"}
    return f"*{lead}*\n\n{quoted}\n\n{_('Share your experience below: what have you seen in your workplace?')}"


def first_named_category(space: Space) -> Category:
    category = space.categories.filter(identity=IdentityMode.NAMED).order_by("position", "pk").first()
    if category is None:  # a forum whose facilitators left only anonymous categories
        category = space.categories.order_by("position", "pk").first()
    return category


def prompt_thread_open(
    *, user: User, space: Space, lesson_id: int, lesson_title: str, lesson_url: str, block_id: str, prompt: str
) -> tuple[Thread, bool]:
    """The prompt's thread in this space, started by `user` if nobody has yet. Returns
    (thread, created). Raises ValidationError when the user may not post (an observer,
    a suspension, new members' limits)."""
    existing = prompt_thread(space=space, lesson_id=lesson_id, block_id=block_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            thread = services.thread_create(
                author=user,
                category=first_named_category(space),
                title=prompt_title(lesson_title=lesson_title, prompt=prompt),
                text=prompt_opening_text(lesson_title=lesson_title, lesson_url=lesson_url, prompt=prompt),
                lesson_page_id=lesson_id,
                lesson_block_id=block_id,
            )
    except IntegrityError:  # someone else opened it at the same moment
        return Thread.objects.get(space=space, lesson_page_id=lesson_id, lesson_block_id=block_id), False
    return thread, True


# ------------------------------------------------------------------------------
# Roundtable follow-ups
# ------------------------------------------------------------------------------
def cohort_space_stub(*, cohort_id: int, programme_id: int) -> Space:
    """An unsaved stand-in for a cohort's forum, enough for `forums.access` checks
    (which read only kind, cohort and programme): the record page asks without a query."""
    return Space(kind=SpaceKind.COHORT, cohort_id=cohort_id, programme_id=programme_id)


def followups_of(*, user: AnyUser, cohort_id: int, programme_id: int, session_id: int) -> list[Thread]:
    """The follow-up threads of a session the user may see, oldest first (one query;
    hidden ones only for the forum's moderators)."""
    stub = cohort_space_stub(cohort_id=cohort_id, programme_id=programme_id)
    if not access.can_read(user, stub):
        return []
    threads = Thread.objects.filter(space__cohort_id=cohort_id, roundtable_session_id=session_id)
    if not access.can_moderate(user, stub):
        threads = threads.filter(is_hidden=False)
    return list(threads.only("pk", "title", "reply_count", "created_at", "is_hidden").order_by("created_at", "pk"))


def followup_initial(*, source) -> dict[str, str]:
    """The compose form's starting title and text, from a `FollowUpSource`."""
    title = Truncator(_("Follow-up: %(title)s") % {"title": source.title}).chars(services.TITLE_MAX_LENGTH)
    lines = [
        _("Following up on the roundtable %(session)s.")
        % {"session": f"[{_markdown_text(source.title)}]({source.record_url})"},
        "",
        f"**{_('Action points')}**",
        "",
    ]
    for action in source.actions:
        details = [action.owner or _("no owner")]
        if action.due_date:
            details.append(_("due %(date)s") % {"date": formats.date_format(action.due_date, "j M Y")})
        lines.append(f"- {action.text} ({', '.join(details)})")
    if not source.actions:
        lines.append(_("No action points were recorded."))
    lines += ["", _("Where does each of these stand? What is in the way?")]
    return {"title": title, "text": "\n".join(lines)}


def followup_category(*, space: Space, category_id) -> Category:
    category = space.categories.filter(pk=category_id).first() if str(category_id).isdigit() else None
    if category is None:
        raise ValidationError({"category": [FOLLOWUP_WRONG_CATEGORY]})
    return category


def followup_create(*, author: User, space: Space, source, category_id, title: str, text: str) -> Thread:
    """Start a follow-up thread of an ended session in its cohort's forum."""
    if not source.has_ended:
        raise ValidationError(FOLLOWUP_NOT_YET)
    if space.cohort_id != source.cohort_id:
        raise ValueError("a follow-up belongs in the session's cohort forum")
    category = followup_category(space=space, category_id=category_id)
    return services.thread_create(
        author=author, category=category, title=title, text=text, roundtable_session_id=source.session_id
    )
