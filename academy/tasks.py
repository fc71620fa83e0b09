"""Background work of the core, run by django-tasks (at once in development, by the
`db_worker` process in production)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task


@task()
def send_invitation_email(*, invitation_id: int) -> None:
    """Email an invitation link, in the invitee's language when it is known."""
    from academy.models import Invitation, User

    invitation = Invitation.objects.select_related("cohort__programme", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return  # withdrawn or used before the worker got to it
    known_user = User.objects.filter(email__iexact=invitation.email).only("preferred_language").first()
    language = invitation.language or (known_user and known_user.preferred_language) or invitation.cohort.language
    context = {
        "invitation": invitation,
        "cohort": invitation.cohort,
        "inviter": invitation.invited_by,
        "link": settings.ACADEMY_SITE_URL.rstrip("/") + invitation.get_absolute_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "has_account": known_user is not None,
    }
    with translation.override(language):
        subject = render_to_string("academy/email/invitation_subject.txt", context).strip()
        body = render_to_string("academy/email/invitation_body.txt", context)
        html = render_to_string("academy/email/invitation_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now(), send_count=F("send_count") + 1)
