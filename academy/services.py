"""Every write to the core goes through here.

Functions are named `<entity>_<action>`, take keyword-only typed arguments, validate,
and run inside a transaction. Access has already been checked by the caller through
`academy.access`; services check only the domain's own rules (a cohort keeps at least
one facilitator, an invitation is used once, ...).
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.choices import InvitationState, MembershipRole
from academy.invitation_import import LineError, ParsedInviteList
from academy.models import Cohort, Invitation, Membership, User, default_invitation_expiry, new_invitation_token
from academy.tasks import send_invitation_email

# Error messages, asserted by the tests.
ALREADY_MEMBER = _("%(email)s is already a member of this cohort.")
INVITATION_EXPIRED = _("This invitation expired on %(date)s.")
INVITATION_USED = _("This invitation has already been used.")
INVITATION_REVOKED = _("This invitation was withdrawn by the cohort’s facilitators.")
INVITATION_WRONG_PERSON = _("This invitation was sent to %(invited)s, but you are signed in as %(current)s.")
INVITATION_NOT_OPEN = _("Only a pending or expired invitation can be sent again.")
LAST_FACILITATOR = _("%(name)s is the only facilitator of this cohort. Make someone else a facilitator first.")


class InvitationError(Exception):
    """An invitation cannot be used; `code` says why (expired, used, revoked, wrong_person)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class MembershipError(Exception):
    pass


@dataclass
class InviteOutcome:
    email: str
    status: str  # "invited", "reinvited", "already_member"
    invitation: Invitation | None = None
    line: int | None = None


@dataclass
class BulkInviteReport:
    invited: list[InviteOutcome] = field(default_factory=list)
    already_members: list[InviteOutcome] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data for the session, so the page can show it after a redirect."""
        return {
            "invited": [{"email": o.email, "status": o.status} for o in self.invited],
            "already_members": [{"email": o.email, "line": o.line} for o in self.already_members],
            "errors": [{"line": e.line, "text": e.text, "message": str(e.message)} for e in self.errors],
        }


# ------------------------------------------------------------------------------
# Invitations
# ------------------------------------------------------------------------------
def cohort_invite(*, cohort: Cohort, invited_by: User, email: str, role: str, language: str = "") -> InviteOutcome:
    """Invite one address into a cohort and send the email once the invitation is saved.

    An address that already belongs to a member is not invited again. An address with an
    open invitation (pending or expired) gets that invitation refreshed: a new link, a
    new expiry date, and the email sent again.
    """
    email = email.strip().lower()
    if Membership.objects.filter(cohort=cohort, user__email__iexact=email).exists():
        return InviteOutcome(email=email, status="already_member")
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(cohort=cohort, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        status = "reinvited" if invitation else "invited"
        if invitation is None:
            invitation = Invitation(cohort=cohort, email=email)
        else:
            invitation.token = new_invitation_token()
            invitation.expires_at = default_invitation_expiry()
        invitation.role = role
        invitation.language = language or invitation.language
        invitation.invited_by = invited_by
        invitation.save()
        _send_after_commit(invitation)
    return InviteOutcome(email=email, status=status, invitation=invitation)


def cohort_invite_many(*, cohort: Cohort, invited_by: User, parsed: ParsedInviteList, role: str) -> BulkInviteReport:
    """Invite every good row of a parsed list; bad rows come back in the report."""
    report = BulkInviteReport(errors=list(parsed.errors))
    for row in parsed.rows:
        outcome = cohort_invite(cohort=cohort, invited_by=invited_by, email=row.email, role=role, language=row.language)
        outcome.line = row.line
        if outcome.status == "already_member":
            report.already_members.append(outcome)
        else:
            report.invited.append(outcome)
    return report


def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send a pending or expired invitation again, with a fresh expiry date."""
    if invitation.state not in (InvitationState.PENDING, InvitationState.EXPIRED):
        raise InvitationError("not_open", str(INVITATION_NOT_OPEN))
    with transaction.atomic():
        invitation.expires_at = default_invitation_expiry()
        invitation.save(update_fields=["expires_at"])
        _send_after_commit(invitation)
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    if invitation.state in (InvitationState.ACCEPTED, InvitationState.REVOKED):
        raise InvitationError("not_open", str(INVITATION_NOT_OPEN))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_check(*, invitation: Invitation, user: User | None = None) -> None:
    """Raise InvitationError if the invitation cannot be used (by this user)."""
    state = invitation.state
    if state == InvitationState.ACCEPTED:
        raise InvitationError("used", str(INVITATION_USED))
    if state == InvitationState.REVOKED:
        raise InvitationError("revoked", str(INVITATION_REVOKED))
    if state == InvitationState.EXPIRED:
        date = timezone.localtime(invitation.expires_at).date().isoformat()
        raise InvitationError("expired", INVITATION_EXPIRED % {"date": date})
    if user is not None and not user_owns_email(user=user, email=invitation.email):
        raise InvitationError(
            "wrong_person",
            INVITATION_WRONG_PERSON % {"invited": invitation.email, "current": user.email},
        )


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Seat the user in the invitation's cohort; the invitation is used up.

    The user must own the invited address (as a verified email). A user who is already a
    member keeps their membership and role; the invitation is still marked used.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_check(invitation=invitation, user=user)
        membership, _created = Membership.objects.get_or_create(
            user=user, cohort_id=invitation.cohort_id, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def user_owns_email(*, user: User, email: str) -> bool:
    """True when the address is one of the user's verified addresses."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitations_open_for_user(*, user: User):
    """Pending invitations addressed to any of the user's verified addresses."""
    from allauth.account.models import EmailAddress

    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return (
        Invitation.objects.filter(
            email__in=[email.lower() for email in emails],
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(cohort__memberships__user=user)
        .select_related("cohort__programme")
    )


def _send_after_commit(invitation: Invitation) -> None:
    invitation_id = invitation.pk

    def enqueue() -> None:
        send_invitation_email.enqueue(invitation_id=invitation_id)

    transaction.on_commit(enqueue)


# ------------------------------------------------------------------------------
# Memberships
# ------------------------------------------------------------------------------
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; a cohort keeps at least one facilitator."""
    if role not in MembershipRole.values:
        raise MembershipError(_("Unknown role."))
    with transaction.atomic():
        _lock_cohort_facilitators(membership.cohort_id)
        if membership.role == MembershipRole.FACILITATOR and role != MembershipRole.FACILITATOR:
            _ensure_not_last_facilitator(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    """Take a member out of a cohort; a cohort keeps at least one facilitator."""
    with transaction.atomic():
        _lock_cohort_facilitators(membership.cohort_id)
        if membership.role == MembershipRole.FACILITATOR:
            _ensure_not_last_facilitator(membership)
        membership.delete()


def membership_add(*, user: User, cohort: Cohort, role: str) -> Membership:
    """Seat a user directly (staff tools and demo data); unique per user and cohort."""
    try:
        with transaction.atomic():
            return Membership.objects.create(user=user, cohort=cohort, role=role)
    except IntegrityError as error:
        raise MembershipError(ALREADY_MEMBER % {"email": user.email}) from error


def _lock_cohort_facilitators(cohort_id: int) -> None:
    # Serialise concurrent demotions so two facilitators cannot remove each other.
    list(
        Membership.objects.select_for_update()
        .filter(cohort_id=cohort_id, role=MembershipRole.FACILITATOR)
        .values_list("pk", flat=True)
    )


def _ensure_not_last_facilitator(membership: Membership) -> None:
    others = (
        Membership.objects.filter(cohort_id=membership.cohort_id, role=MembershipRole.FACILITATOR)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise MembershipError(LAST_FACILITATOR % {"name": membership.user})


# ------------------------------------------------------------------------------
# People
# ------------------------------------------------------------------------------
def user_update_profile(*, user: User, **fields) -> User:
    """Save the editable profile fields (validated by the profile form)."""
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user
