"""Pages of moderation: flagging a post (any member who reads it), and for the space's
moderators the queue, hiding and restoring, thread tools, suspensions, new members'
limits, edit histories, the audit log and new categories.

Every view fetches through `forums.access` (404 outside the user's spaces, 403 for a
member who does not moderate), binds a form, calls one service in `forums.moderation`
and redirects; a refused form is shown again with its message and what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forums import access, moderation, selectors, services
from forums.forms import add_refusal
from forums.moderation_forms import CategoryForm, FlagForm, LimitsForm, MoveForm, SuspendForm


def _post_url(post) -> str:
    return selectors.post_location(thread_id=post.thread_id, number=post.number)


def _back(request, default: str) -> str:
    """Where to return after an action: the page it came from (the queue, the thread), if
    it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# ------------------------------------------------------------------------------
# Flags (members)
# ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, post_id: int):
    """Report a post to the facilitators. Refusals that typing again cannot fix (one's own
    post, a removed post, a flag already open) are told as a message on the thread."""
    post = access.access_post(request.user, post_id)
    thread = post.thread
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.flag_create(
                reporter=request.user, post=post, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_refusal(form, error)
            else:
                messages.warning(request, error.messages[0])
                return redirect(_post_url(post))
        else:
            messages.success(request, _("Thank you. The facilitators will look at the post."))
            return redirect(_post_url(post))
    refusal = None
    if post.author_id == request.user.pk:
        refusal = moderation.FLAG_OWN_POST
    elif not post.is_visible:
        refusal = moderation.FLAG_POST_GONE
    elif moderation.open_flag_of(reporter=request.user, post=post) is not None:
        refusal = moderation.FLAG_ALREADY_OPEN
    context = {
        "space": thread.space,
        "category": thread.category,
        "thread": thread,
        "post": post,
        "author": selectors.author_shown(
            request.user,
            author=post.author,
            anonymous=post.anonymous,
            moderator=access.can_moderate(request.user, thread.space),
        ),
        "form": form,
        "refusal": refusal,
        "back_url": _post_url(post),
    }
    return render(request, "forums/moderation/flag.html", context, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------
# The queue and flagged posts
# ------------------------------------------------------------------------------
@login_required
@require_GET
def moderation_queue(request, space_id: int):
    space = access.access_space_to_moderate(request.user, space_id)
    queue = moderation.queue_page(space=space, user=request.user, page=request.GET.get("page"))
    return render(request, "forums/moderation/queue.html", {"space": space, "queue": queue})


@login_required
@require_POST
def flags_dismiss(request, post_id: int):
    post = access.access_post_to_moderate(request.user, post_id)
    dismissed = moderation.flags_dismiss(actor=request.user, post=post)
    if dismissed:
        messages.success(request, _("The flags are dismissed; the post stays as it is."))
    else:
        messages.info(request, _("This post has no open flag."))
    return redirect(_back(request, _post_url(post)))


@login_required
@require_POST
def post_hide(request, post_id: int):
    post = access.access_post_to_moderate(request.user, post_id)
    moderation.post_hide(actor=request.user, post=post)
    messages.success(request, _("The post is hidden from members."))
    return redirect(_back(request, _post_url(post)))


@login_required
@require_POST
def post_restore(request, post_id: int):
    post = access.access_post_to_moderate(request.user, post_id)
    moderation.post_restore(actor=request.user, post=post)
    messages.success(request, _("The post is shown to members again."))
    return redirect(_back(request, _post_url(post)))


@login_required
@require_GET
def post_history(request, post_id: int):
    post = access.access_post_to_moderate(request.user, post_id)
    thread = post.thread
    context = {
        "space": thread.space,
        "category": thread.category,
        "thread": thread,
        "post": post,
        "author": selectors.author_shown(request.user, author=post.author, anonymous=post.anonymous, moderator=True),
        "revisions": moderation.post_history_read(actor=request.user, post=post),
        "back_url": _post_url(post),
    }
    return render(request, "forums/moderation/post_history.html", context)


# ------------------------------------------------------------------------------
# Threads
# ------------------------------------------------------------------------------
@login_required
@require_POST
def thread_lock(request, thread_id: int):
    thread = access.access_thread_to_moderate(request.user, thread_id)
    locked = request.POST.get("locked") == "1"
    moderation.thread_lock(actor=request.user, thread=thread, locked=locked)
    messages.success(request, _("The thread is locked.") if locked else _("The thread is open for replies again."))
    return redirect(thread)


@login_required
@require_POST
def thread_pin(request, thread_id: int):
    thread = access.access_thread_to_moderate(request.user, thread_id)
    pinned = request.POST.get("pinned") == "1"
    moderation.thread_pin(actor=request.user, thread=thread, pinned=pinned)
    messages.success(request, _("The thread is pinned.") if pinned else _("The thread is no longer pinned."))
    return redirect(thread)


@login_required
@require_POST
def thread_hide(request, thread_id: int):
    thread = access.access_thread_to_moderate(request.user, thread_id)
    hidden = request.POST.get("hidden") == "1"
    moderation.thread_hide(actor=request.user, thread=thread, hidden=hidden)
    messages.success(
        request, _("The thread is hidden from members.") if hidden else _("The thread is shown to members again.")
    )
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_move(request, thread_id: int):
    thread = access.access_thread_to_moderate(request.user, thread_id)
    form = MoveForm(request.POST or None, thread=thread)
    if request.method == "POST" and form.is_valid():
        try:
            moved = moderation.thread_move(actor=request.user, thread=thread, category=form.cleaned_data["category"])
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("The thread is now in “%(category)s”. Its posts keep the identity they were written under.")
                % {"category": moved.category.title},
            )
            return redirect(moved)
    context = {"space": thread.space, "category": thread.category, "thread": thread, "form": form}
    return render(request, "forums/moderation/thread_move.html", context, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------
# The space: suspensions, limits, the log, categories
# ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def suspensions(request, space_id: int):
    """Active suspensions, and the form to suspend a member (?member=<id> preselects one)."""
    space = access.access_space_to_moderate(request.user, space_id)
    initial = {}
    if request.GET.get("member", "").isdigit():
        initial["member"] = int(request.GET["member"])
    form = SuspendForm(request.POST or None, space=space, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            suspension = moderation.member_suspend(
                actor=request.user,
                space=space,
                member=form.cleaned_data["member"],
                hours=form.hours(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("%(name)s cannot post in this forum for now.") % {"name": str(suspension.user)})
            return redirect("forum_suspensions", space_id=space.pk)
    context = {"space": space, "form": form, "suspensions": moderation.suspensions_active(space=space)}
    return render(request, "forums/moderation/suspensions.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def suspension_lift(request, space_id: int, suspension_id: int):
    space = access.access_space_to_moderate(request.user, space_id)
    suspension = moderation.access_suspension(space=space, suspension_id=suspension_id)
    try:
        moderation.suspension_lift(actor=request.user, suspension=suspension)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, _("The suspension is lifted."))
    return redirect("forum_suspensions", space_id=space.pk)


@login_required
@require_http_methods(["GET", "POST"])
def limits(request, space_id: int):
    space = access.access_space_to_moderate(request.user, space_id)
    form = LimitsForm.for_space(space, request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.limits_change(
            actor=request.user,
            space=space,
            hours=form.cleaned_data["new_member_hours"],
            post_interval=form.cleaned_data["new_member_post_interval"],
            max_links=form.cleaned_data["new_member_max_links"],
        )
        messages.success(request, _("The new members' limits are saved."))
        return redirect("forum_moderation_queue", space_id=space.pk)
    return render(
        request, "forums/moderation/limits.html", {"space": space, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def moderation_log(request, space_id: int):
    space = access.access_space_to_moderate(request.user, space_id)
    entries = moderation.log_page(space=space, page=request.GET.get("page"))
    return render(request, "forums/moderation/log.html", {"space": space, "log": entries})


@login_required
@require_http_methods(["GET", "POST"])
def category_add(request, space_id: int):
    space = access.access_space_to_moderate(request.user, space_id)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_add(
                space=space,
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                identity=form.cleaned_data["identity"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The category “%(title)s” is added.") % {"title": category.title})
            return redirect(category)
    return render(
        request,
        "forums/moderation/category_add.html",
        {"space": space, "form": form},
        status=400 if form.errors else 200,
    )
