"""Pages of the forums for readers and writers: the forums home, a space, a category,
a thread, composing, replying, editing, deleting, “helpful”, accepted answers, following.

Views are thin: fetch through `forums.access`, bind a form, call one service, render or
redirect. A refused post is shown again with the message and everything typed kept.
Moderation, notifications and search have their own view modules.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forums import access, notifications, selectors, services
from forums.forms import EditForm, ReplyForm, ThreadForm, add_refusal
from forums.markup import quote_source


# ------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------
@login_required
@require_GET
def forums_home(request):
    services.spaces_ensure_for(user=request.user)
    return render(request, "forums/forums_home.html", {"spaces": selectors.spaces_for(user=request.user)})


@login_required
@require_GET
def forum_space(request, space_id: int):
    space = access.access_space(request.user, space_id)
    context = {
        "space": space,
        "categories": selectors.categories_of(space=space),
        "recent": selectors.recent_threads(space=space, user=request.user),
        "moderator": access.can_moderate(request.user, space),
    }
    return render(request, "forums/space.html", context)


@login_required
@require_GET
def forum_category(request, category_id: int):
    category = access.access_category(request.user, category_id)
    listing = selectors.category_page(category=category, user=request.user, page=request.GET.get("page"))
    context = {
        "space": category.space,
        "category": category,
        "listing": listing,
        "can_write": access.can_write(request.user, category.space),
    }
    return render(request, "forums/category.html", context)


def _render_thread(request, thread, *, page=None, reply_form: ReplyForm | None = None, status: int = 200):
    listing = selectors.thread_page(thread=thread, user=request.user, page=page or request.GET.get("page"))
    newly_read = [view.post.pk for view in listing.posts if view.post.number > listing.last_read_number]
    if newly_read:
        # The reader has now seen these posts: move their mark, and clear the
        # notifications about them (nothing to write when the page was read before).
        services.thread_mark_read(user=request.user, thread=thread, up_to=listing.posts[-1].post.number)
        notifications.notifications_mark_read_for_posts(user=request.user, post_ids=newly_read)
    context = {
        "space": thread.space,
        "category": thread.category,
        "thread": thread,
        "listing": listing,
        "reply_form": reply_form or ReplyForm(),
    }
    return render(request, "forums/thread.html", context, status=status)


@login_required
@require_GET
def thread_detail(request, thread_id: int):
    """A thread opens at the reader's first unread post (a redirect to its page)."""
    thread = access.access_thread(request.user, thread_id)
    if "page" not in request.GET:
        first_unread = selectors.first_unread_number(thread=thread, user=request.user)
        if first_unread is not None:
            return redirect(selectors.post_location(thread_id=thread.pk, number=first_unread))
    return _render_thread(request, thread)


@login_required
@require_GET
def post_detail(request, post_id: int):
    """A post's own address: its place in its thread."""
    post = access.access_post(request.user, post_id)
    return redirect(selectors.post_location(thread_id=post.thread_id, number=post.number))


# ------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request, category_id: int):
    category = access.access_category(request.user, category_id)
    if not access.can_write(request.user, category.space):
        messages.error(request, services.MAY_NOT_WRITE)
        return redirect(category)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                author=request.user,
                category=category,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Your thread is posted."))
            return redirect(thread)
    status = 400 if form.errors else 200
    return render(
        request, "forums/thread_form.html", {"space": category.space, "category": category, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_reply(request, thread_id: int):
    """POST: add the reply. GET (?quote=<post id>): the reply box with the post quoted."""
    thread = access.access_thread(request.user, thread_id)
    if request.method == "GET":
        initial = {}
        quoted = request.GET.get("quote", "")
        if quoted.isdigit():
            post = access.access_post(request.user, int(quoted))
            if post.thread_id != thread.pk or not post.is_visible:
                raise Http404
            label = selectors.public_author_label(author=post.author, anonymous=post.anonymous)
            initial = {"text": quote_source(author_label=label, source=post.source), "quoted": post.pk}
        return render(
            request,
            "forums/reply_form.html",
            {"space": thread.space, "category": thread.category, "thread": thread, "form": ReplyForm(initial=initial)},
        )
    form = ReplyForm(request.POST)
    if form.is_valid():
        quoted = None
        if form.cleaned_data["quoted"]:
            try:
                quoted = access.access_post(request.user, form.cleaned_data["quoted"])
            except Http404:
                quoted = None
        try:
            post = services.post_reply(
                author=request.user, thread=thread, text=form.cleaned_data["text"], quoted=quoted
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return redirect(selectors.post_location(thread_id=thread.pk, number=post.number))
    # Shown again on the thread's last page, with the message and the text kept.
    return _render_thread(
        request, thread, page=selectors.page_of_number(thread.last_number), reply_form=form, status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, post_id: int):
    post = access.access_own_post(request.user, post_id)
    thread = post.thread
    initial = {"text": post.source, "title": thread.title if post.is_opening else ""}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                editor=request.user,
                post=post,
                text=form.cleaned_data["text"],
                title=form.cleaned_data["title"] if post.is_opening else None,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Your post is updated."))
            return redirect(selectors.post_location(thread_id=thread.pk, number=post.number))
    context = {"space": thread.space, "category": thread.category, "thread": thread, "post": post, "form": form}
    return render(request, "forums/post_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def post_delete(request, post_id: int):
    post = access.access_own_post(request.user, post_id)
    services.post_delete(user=request.user, post=post)
    messages.success(request, _("Your post is deleted."))
    return redirect(selectors.post_location(thread_id=post.thread_id, number=post.number))


@login_required
@require_POST
def post_helpful(request, post_id: int):
    post = access.access_post(request.user, post_id)
    if not access.can_write(request.user, post.thread.space):
        messages.error(request, services.MAY_NOT_WRITE)
    else:
        try:
            services.reaction_toggle(user=request.user, post=post)
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect(selectors.post_location(thread_id=post.thread_id, number=post.number))


@login_required
@require_POST
def answer_accept(request, post_id: int):
    post = access.access_post(request.user, post_id)
    try:
        thread = services.answer_accept(user=request.user, post=post)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if thread.accepted_post_id:
            messages.success(request, _("Marked as the accepted answer."))
    return redirect(selectors.post_location(thread_id=post.thread_id, number=post.number))


@login_required
@require_POST
def thread_follow(request, thread_id: int):
    thread = access.access_thread(request.user, thread_id)
    follow = request.POST.get("follow") == "1"
    services.thread_follow(user=request.user, thread=thread, follow=follow)
    messages.success(request, _("You follow this thread.") if follow else _("You no longer follow this thread."))
    return redirect(thread)


@login_required
@require_POST
def category_follow(request, category_id: int):
    category = access.access_category(request.user, category_id)
    follow = request.POST.get("follow") == "1"
    services.category_follow(user=request.user, category=category, follow=follow)
    messages.success(request, _("You follow this category.") if follow else _("You no longer follow this category."))
    return redirect(category)
