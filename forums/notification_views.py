"""Pages of the forums' notifications: the notifications list, opening one, marking all
read, the preferences page (email mode and what the person follows), the one-click
unsubscribe from emails, and the header's links (settings.ACADEMY_HEADER_BADGES).

Views are thin: fetch through the access helpers, bind a form, call one service in
`forums.notifications`, render or redirect.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import access as academy_access
from forums import access, notification_selectors, notifications, services
from forums.choices import EmailMode


class EmailPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Forum emails"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": notifications.EMAIL_MODE_UNKNOWN,
            "invalid_choice": notifications.EMAIL_MODE_UNKNOWN,
        },
    )


# ------------------------------------------------------------------------------
# The header (settings.ACADEMY_HEADER_BADGES)
# ------------------------------------------------------------------------------
def header_badges(request) -> list[tuple[str, str, int | None]]:
    """The header's forum links for a signed-in person: the forums, and the
    notifications with the unread count (one query)."""
    if not academy_access.is_signed_in(request.user):
        return []
    return [
        (_("Forums"), reverse("forums_home"), None),
        (_("Notifications"), reverse("forum_notifications"), notification_selectors.unread_count(request.user)),
    ]


# ------------------------------------------------------------------------------
# Notifications
# ------------------------------------------------------------------------------
@login_required
@require_GET
def notification_list(request):
    listing = notification_selectors.notifications_page(user=request.user, page=request.GET.get("page"))
    return render(request, "forums/notifications.html", {"listing": listing})


@login_required
@require_GET
def notification_open(request, notification_id: int):
    """Opening a notification marks it read and goes to the post."""
    notification = access.access_notification(request.user, notification_id)
    notifications.notification_mark_read(user=request.user, notification=notification)
    return redirect(notification_selectors.post_path(notification.post))


@login_required
@require_POST
def notifications_read_all(request):
    notifications.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("forum_notifications")


# ------------------------------------------------------------------------------
# Preferences
# ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = EmailPreferenceForm(request.POST or None, initial={"mode": notifications.email_mode_of(user=request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            notifications.email_preference_set(user=request.user, mode=form.cleaned_data["mode"])
        except ValidationError as error:
            form.add_error("mode", error.message_dict.get("mode") or error.messages)
        else:
            messages.success(request, _("Your forum email preference is saved."))
            return redirect("forum_preferences")
    context = {"form": form, "follows": notification_selectors.follows_of(user=request.user)}
    return render(request, "forums/preferences.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def unfollow(request, subscription_id: int):
    """Stop following a thread or category from the preferences page."""
    subscription = access.access_own_subscription(request.user, subscription_id)
    if subscription.thread_id:
        services.thread_follow(user=request.user, thread=subscription.thread, follow=False)
        messages.success(request, _("You no longer follow this thread."))
    else:
        services.category_follow(user=request.user, category=subscription.category, follow=False)
        messages.success(request, _("You no longer follow this category."))
    return redirect("forum_preferences")


# ------------------------------------------------------------------------------
# One-click unsubscribe
# ------------------------------------------------------------------------------
# Mail apps send the RFC 8058 one-click POST (body `List-Unsubscribe=One-Click`) with no
# CSRF token and no session. It is safe without one: the signed token is the only key,
# and it can only turn off the emails of the person it was made for.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    """GET: a page with one button. POST (the button, or a mail app's one-click): no
    more forum emails for the token's owner. Works without signing in; a token not
    made here is a 404."""
    owner = access.access_unsubscribe_owner(token)
    done = False
    if request.method == "POST":
        notifications.email_preference_set(user=owner, mode=EmailMode.NONE)
        done = True
    context = {"done": done, "email": owner.email, "signed_in_as_owner": request.user.pk == owner.pk}
    return render(request, "forums/unsubscribe.html", context)
