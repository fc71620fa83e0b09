"""Inviting people into a cohort, and opening the emailed link."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.adapters import PENDING_INVITATION_SESSION_KEY
from academy.choices import MembershipRole
from academy.invitation_import import NOT_CSV, parse_invite_text
from academy.models import Invitation, Membership, User
from tests.factories import InvitationFactory, UserFactory


@pytest.fixture
def manage_url(cohort_a):
    return reverse("cohort_manage", kwargs={"slug": cohort_a.slug})


def invite(client, url, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {"role": "participant", **data})


# ------------------------------------------------------------------------------
# Services
# ------------------------------------------------------------------------------
def test_inviting_sends_one_email_with_a_single_use_link(
    cohort_a, facilitator_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.cohort_invite(
            cohort=cohort_a, invited_by=facilitator_a, email=" Sokha@Example.org ", role=MembershipRole.PARTICIPANT
        )
    assert outcome.status == "invited"
    invitation = outcome.invitation
    assert invitation.email == "sokha@example.org"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sokha@example.org"]
    assert invitation.get_absolute_url() in mailoutbox[0].body
    assert "Building Bridges Cambodia" in mailoutbox[0].subject
    invitation.refresh_from_db()
    assert invitation.send_count == 1 and invitation.sent_at is not None


def test_no_email_leaves_before_the_invitation_is_committed(cohort_a, facilitator_a, mailoutbox):
    services.cohort_invite(cohort=cohort_a, invited_by=facilitator_a, email="a@example.org", role="participant")
    assert mailoutbox == []  # the test transaction never commits


def test_the_invitation_email_is_in_the_invitees_language_when_known(
    cohort_a, facilitator_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_invite(
            cohort=cohort_a, invited_by=facilitator_a, email="claire@example.org", role="participant", language="fr"
        )
    assert mailoutbox[0].subject.startswith("Vous")  # French translation of the subject


def test_the_email_language_falls_back_to_an_existing_accounts_preference(
    cohort_a, facilitator_a, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_invite(cohort=cohort_a, invited_by=facilitator_a, email="known@example.org", role="participant")
    assert mailoutbox[0].subject.startswith("Vous")


def test_inviting_a_member_again_creates_nothing_and_says_so(cohort_a, facilitator_a, participant_a, mailoutbox):
    outcome = services.cohort_invite(
        cohort=cohort_a, invited_by=facilitator_a, email=participant_a.email.upper(), role="participant"
    )
    assert outcome.status == "already_member"
    assert not Invitation.objects.filter(email=participant_a.email).exists()
    assert Membership.objects.filter(user=participant_a, cohort=cohort_a).count() == 1


def test_inviting_an_address_with_an_open_invitation_renews_it(cohort_a, facilitator_a):
    old = InvitationFactory(cohort=cohort_a, email="lan@example.org", expires_at=timezone.now() - timedelta(days=1))
    old_token = old.token
    outcome = services.cohort_invite(
        cohort=cohort_a, invited_by=facilitator_a, email="lan@example.org", role="observer"
    )
    assert outcome.status == "reinvited"
    assert Invitation.objects.filter(cohort=cohort_a, email="lan@example.org").count() == 1
    old.refresh_from_db()
    assert old.token != old_token and old.state == "pending" and old.role == "observer"


def test_a_bulk_invite_processes_good_lines_and_reports_bad_and_existing_ones(
    cohort_a, facilitator_a, participant_a, mailoutbox, django_capture_on_commit_callbacks
):
    parsed = parse_invite_text(f"one@example.org\nnonsense\n{participant_a.email}\ntwo@example.org, km")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.cohort_invite_many(
            cohort=cohort_a, invited_by=facilitator_a, parsed=parsed, role="participant"
        )
    assert [outcome.email for outcome in report.invited] == ["one@example.org", "two@example.org"]
    assert [(outcome.line, outcome.email) for outcome in report.already_members] == [(3, participant_a.email)]
    assert [error.line for error in report.errors] == [2]
    assert sorted(message.to[0] for message in mailoutbox) == ["one@example.org", "two@example.org"]


def test_accepting_seats_the_invitee_with_the_invited_role_once(cohort_a, facilitator_a):
    invitation = InvitationFactory(cohort=cohort_a, email="new@example.org", role=MembershipRole.OBSERVER)
    person = UserFactory(email="new@example.org")
    membership = services.invitation_accept(invitation=invitation, user=person)
    assert (membership.cohort, membership.role) == (cohort_a, MembershipRole.OBSERVER)
    with pytest.raises(services.InvitationError) as error:
        services.invitation_accept(invitation=invitation, user=person)
    assert error.value.code == "used"
    assert Membership.objects.filter(user=person).count() == 1


def test_an_invitation_cannot_be_accepted_by_someone_else(cohort_a):
    invitation = InvitationFactory(cohort=cohort_a, email="invited@example.org")
    intruder = UserFactory(email="intruder@example.org")
    with pytest.raises(services.InvitationError) as error:
        services.invitation_accept(invitation=invitation, user=intruder)
    assert error.value.code == "wrong_person"
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_unverified_address_does_not_prove_ownership(cohort_a):
    invitation = InvitationFactory(cohort=cohort_a, email="unverified@example.org")
    person = UserFactory(email="unverified@example.org", verified_email=False)
    with pytest.raises(services.InvitationError) as error:
        services.invitation_accept(invitation=invitation, user=person)
    assert error.value.code == "wrong_person"


def test_a_cohort_keeps_at_least_one_facilitator(cohort_a, facilitator_a):
    membership = Membership.objects.get(user=facilitator_a, cohort=cohort_a)
    with pytest.raises(services.MembershipError):
        services.membership_change_role(membership=membership, role=MembershipRole.PARTICIPANT)
    with pytest.raises(services.MembershipError):
        services.membership_remove(membership=membership)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.FACILITATOR


def test_a_membership_is_unique_per_person_and_cohort(cohort_a, participant_a):
    with pytest.raises(services.MembershipError):
        services.membership_add(user=participant_a, cohort=cohort_a, role=MembershipRole.OBSERVER)
    assert Membership.objects.filter(user=participant_a, cohort=cohort_a).count() == 1


# ------------------------------------------------------------------------------
# The facilitator's page
# ------------------------------------------------------------------------------
def test_a_facilitator_invites_a_pasted_list_and_sees_a_line_by_line_report(
    client, facilitator_a, participant_a, manage_url, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(facilitator_a)
    response = invite(
        client,
        manage_url,
        django_capture_on_commit_callbacks,
        addresses=f"good@example.org\nbad line here\n{participant_a.email}",
    )
    assert response.status_code == 302 and response.url == manage_url  # a reload cannot send twice
    page = client.get(manage_url).content.decode()
    assert "1 invitation sent" in page
    assert "Line 2" in page and "is not a valid email address" in page
    assert "Already members, not invited again" in page and participant_a.email in page
    # Only the line that could not be used waits in the box, to be corrected.
    textarea = page.split('name="addresses"', 1)[1].split("</textarea>", 1)[0]
    assert "bad line here" in textarea and "good@example.org" not in textarea
    assert [message.to for message in mailoutbox] == [["good@example.org"]]
    # The report is shown once.
    assert "1 invitation sent" not in client.get(manage_url).content.decode()


def test_a_facilitator_invites_from_a_csv_upload(
    client, facilitator_a, manage_url, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(facilitator_a)
    upload = SimpleUploadedFile("people.csv", b"email,language\na@example.org,km\nb@example.org,vi\n", "text/csv")
    response = invite(client, manage_url, django_capture_on_commit_callbacks, csv_file=upload)
    assert response.status_code == 302
    assert "2 invitations sent" in client.get(manage_url).content.decode()
    assert set(Invitation.objects.values_list("email", "language")) == {
        ("a@example.org", "km"),
        ("b@example.org", "vi"),
    }


def test_a_file_that_is_not_csv_gets_a_clear_error_and_nothing_is_done(
    client, facilitator_a, manage_url, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(facilitator_a)
    upload = SimpleUploadedFile("people.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x00\x00", "application/octet-stream")
    response = invite(client, manage_url, django_capture_on_commit_callbacks, csv_file=upload)
    assert response.status_code == 200
    assert (
        str(NOT_CSV).replace("“", "&ldquo;") in response.content.decode()
        or "could not be read as CSV" in response.content.decode()
    )
    assert Invitation.objects.count() == 0 and mailoutbox == []


def test_an_empty_invite_form_asks_for_addresses(client, facilitator_a, manage_url):
    client.force_login(facilitator_a)
    response = client.post(manage_url, {"role": "participant", "addresses": "   "})
    assert "Paste at least one email address" in response.content.decode()


def test_a_facilitator_resends_and_revokes_an_invitation(
    client, cohort_a, facilitator_a, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(cohort=cohort_a, email="lan@example.org")
    client.force_login(facilitator_a)
    kwargs = {"slug": cohort_a.slug, "invitation_id": invitation.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation_resend", kwargs=kwargs), follow=True)
    assert "was sent again" in response.content.decode()
    assert len(mailoutbox) == 1
    response = client.post(reverse("invitation_revoke", kwargs=kwargs), follow=True)
    assert "was withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_a_facilitator_changes_a_role_and_removes_a_member(client, cohort_a, facilitator_a, participant_a):
    client.force_login(facilitator_a)
    membership = Membership.objects.get(user=participant_a, cohort=cohort_a)
    kwargs = {"slug": cohort_a.slug, "membership_id": membership.pk}
    client.post(reverse("membership_role", kwargs=kwargs), {"role": "observer"})
    membership.refresh_from_db()
    assert membership.role == MembershipRole.OBSERVER
    response = client.post(reverse("membership_role", kwargs=kwargs), {"role": "emperor"}, follow=True)
    assert "Choose a role from the list" in response.content.decode()
    client.post(reverse("membership_remove", kwargs=kwargs))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_facilitator_cannot_demote_themselves_and_is_told_why(client, cohort_a, facilitator_a):
    client.force_login(facilitator_a)
    membership = Membership.objects.get(user=facilitator_a, cohort=cohort_a)
    kwargs = {"slug": cohort_a.slug, "membership_id": membership.pk}
    response = client.post(reverse("membership_remove", kwargs=kwargs), follow=True)
    assert "the only facilitator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_facilitator_cannot_act_on_another_cohorts_member(client, cohort_a, facilitator_a, participant_b):
    client.force_login(facilitator_a)
    foreign = Membership.objects.get(user=participant_b)
    url = reverse("membership_remove", kwargs={"slug": cohort_a.slug, "membership_id": foreign.pk})
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


# ------------------------------------------------------------------------------
# Opening the link
# ------------------------------------------------------------------------------
def test_a_visitor_opening_the_link_is_offered_signup_with_the_address_filled_in(client, cohort_a):
    invitation = InvitationFactory(cohort=cohort_a, email="sokha@example.org")
    response = client.get(invitation.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "You are invited to Building Bridges Cambodia" in page
    assert "/accounts/signup/?email=sokha%40example.org" in page
    assert client.session[PENDING_INVITATION_SESSION_KEY] == invitation.token


@pytest.mark.parametrize(
    "state,heading",
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "This invitation has expired"),
        ({"accepted_at": timezone.now()}, "This invitation has already been used"),
        ({"revoked_at": timezone.now()}, "This invitation was withdrawn"),
    ],
)
def test_an_unusable_link_says_why_and_whom_to_ask_and_creates_nothing(client, cohort_a, facilitator_a, state, heading):
    invitation = InvitationFactory(cohort=cohort_a, email="late@example.org", **state)
    users_before = User.objects.count()
    response = client.get(invitation.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert heading in page
    assert facilitator_a.email in page  # whom to ask
    assert PENDING_INVITATION_SESSION_KEY not in client.session
    assert User.objects.count() == users_before


def test_a_link_opened_while_signed_in_as_someone_else_says_so_and_changes_nothing(client, cohort_a, participant_b):
    invitation = InvitationFactory(cohort=cohort_a, email="invitee@example.org")
    client.force_login(participant_b)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 403
    assert "invitee@example.org" in response.content.decode()
    assert participant_b.email in response.content.decode()
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 403
    assert not Membership.objects.filter(user=participant_b, cohort=cohort_a).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_signed_in_invitee_joins_with_one_button(client, cohort_a):
    invitation = InvitationFactory(cohort=cohort_a, email="invitee@example.org")
    person = UserFactory(email="invitee@example.org")
    client.force_login(person)
    assert "Join the cohort" in client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302 and response.url == cohort_a.get_absolute_url()
    assert Membership.objects.filter(user=person, cohort=cohort_a).exists()


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(reverse("invitation_open", kwargs={"token": "no-such-token"})).status_code == 404


def test_the_dashboard_offers_invitations_waiting_for_the_persons_verified_address(client, cohort_a):
    InvitationFactory(cohort=cohort_a, email="invitee@example.org")
    person = UserFactory(email="invitee@example.org")
    client.force_login(person)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Invitations waiting for you" in page and cohort_a.name in page
