"""Journeys through a real browser: a facilitator invites a labour inspector, who creates
her account from the emailed link and lands in a cohort where she sees who is in the
room; and an expired link that tells the visitor whom to ask.

The facilitator signs in through the real forms, two-factor code included. Emails are the
ones the platform sends (django-tasks runs them at once, after the commit) and are read
from django.core.mail.outbox.
"""

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from academy.choices import InvitationState, MembershipRole, OrganisationKind, StakeholderGroup
from academy.models import Invitation, Membership, User
from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    give_totp,
)

# Transactional: the live server's thread must see the test's rows. The flush after each
# test removes the rows data migrations created (Wagtail's root page, site and locale);
# journeys through the CMS recreate them (the `wagtail_site` fixture), and the flush's
# post_migrate signal recreates content types and permissions.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INSPECTOR_NAME = "Sokha Chan"
INSPECTOR_PASSWORD = "Kampot-river-2026!"
LABOUR_INSPECTORATE = "Labour inspectorate / government"
INVITATION_LINK = re.compile(r"https?://\S+/invitations/[^/\s]+/")
# allauth's verification code on a line of its own: letters/digits, perhaps in dashed groups.
VERIFICATION_CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


@pytest.fixture
def cambodia_cohort():
    """A Building Bridges cohort with a facilitator (TOTP on) and three members from
    three sides of the room."""
    programme = ProgrammeFactory(slug="building-bridges", name="Building Bridges")
    cohort = CohortFactory(programme=programme, name="Building Bridges Cambodia", slug="bb-cambodia", country="KH")
    facilitator = UserFactory(
        email="facilitator.kh@example.org",
        display_name="Sreymom Keo",
        stakeholder_group=StakeholderGroup.PROGRAMME_STAFF,
    )
    MembershipFactory(user=facilitator, cohort=cohort, role=MembershipRole.FACILITATOR)
    totp_secret = give_totp(facilitator)
    members = [
        ("Chenda Sok", StakeholderGroup.TRADE_UNION, "Cambodian Federation of Apparel Workers", OrganisationKind.UNION),
        ("Rithy Pich", StakeholderGroup.FACTORY_MANAGEMENT, "Mekong Apparel Factory No. 2", OrganisationKind.FACTORY),
        ("Emma Larsen", StakeholderGroup.BRAND, "Northwind Apparel", OrganisationKind.BRAND),
    ]
    for name, group, organisation, kind in members:
        user = UserFactory(
            display_name=name,
            stakeholder_group=group,
            organisation=OrganisationFactory(name=organisation, kind=kind),
        )
        MembershipFactory(user=user, cohort=cohort, role=MembershipRole.PARTICIPANT)
    return cohort, facilitator, totp_secret, [name for name, *_ in members]


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def sign_in_with_two_factor(page, site_url, *, email, password, totp, screenshot):
    page.goto(f"{site_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    screenshot(page, "sign-in")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label("Code").fill(totp())
    screenshot(page, "two-factor")
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_facilitator_invites_an_inspector_who_signs_up_and_sees_who_is_in_the_room(
    site_url, new_page, screenshot, authenticator_app, cambodia_cohort
):
    cohort, facilitator, totp_secret, other_members = cambodia_cohort
    # A fresh address each run: allauth limits verification emails per address.
    inspector_email = f"sokha.chan.{uuid4().hex[:8]}@example.org"

    # The facilitator signs in (password, then authenticator code) and invites her.
    facilitator_page = new_page()
    sign_in_with_two_factor(
        facilitator_page,
        site_url,
        email=facilitator.email,
        password=TEST_PASSWORD,
        totp=lambda: authenticator_app(totp_secret),
        screenshot=screenshot,
    )
    facilitator_page.goto(f"{site_url}/cohorts/{cohort.slug}/manage/")
    invite = facilitator_page.get_by_role("region", name="Invite people")
    invite.get_by_label("Email addresses").fill(inspector_email)
    invite.get_by_label("Role").select_option(label="Participant")
    screenshot(facilitator_page, "facilitator-invites")
    invite.get_by_role("button", name="Send invitations").click()

    report = facilitator_page.get_by_role("region", name="Invite people").get_by_role("status")
    expect(report).to_contain_text("1 invitation sent")
    expect(report).to_contain_text(inspector_email)
    expect(facilitator_page.get_by_role("region", name="Invitations not yet accepted")).to_contain_text(inspector_email)
    screenshot(facilitator_page, "invitation-sent")

    # The invitation arrives by email, with a link to this site.
    [invitation_email] = emails_to(inspector_email)
    link = INVITATION_LINK.search(invitation_email.body).group(0)
    assert link.startswith(site_url + "/invitations/"), link
    assert cohort.name in invitation_email.body

    # The inspector, in her own browser, opens it and creates her account.
    inspector_page = new_page()
    inspector_page.goto(link)
    expect(inspector_page.get_by_role("heading", name=f"You are invited to {cohort.name}")).to_be_visible()
    screenshot(inspector_page, "invitation-opened")
    inspector_page.get_by_role("link", name="Create my account").click()

    expect(inspector_page.get_by_label("Email")).to_have_value(inspector_email)
    # "Password *" (the star is aria-hidden), not "Password (again) *".
    inspector_page.get_by_label(re.compile(r"^Password\W*$")).fill(INSPECTOR_PASSWORD)
    inspector_page.get_by_label("Password (again)").fill(INSPECTOR_PASSWORD)
    inspector_page.get_by_label("Your name").fill(INSPECTOR_NAME)
    inspector_page.get_by_label("You take part as").select_option(label=LABOUR_INSPECTORATE)
    screenshot(inspector_page, "signup-filled")
    inspector_page.get_by_role("button", name="Sign Up").click()

    # She confirms her address with the code from the newest email.
    expect(inspector_page.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    newest = mail.outbox[-1]
    assert newest.to == [inspector_email]
    code = VERIFICATION_CODE.search(newest.body).group(1)
    inspector_page.get_by_label("Code").fill(code)
    screenshot(inspector_page, "verification-code")
    inspector_page.get_by_role("button", name="Confirm").click()

    # She lands in the cohort and sees who is in the room, herself among the inspectors.
    expect(inspector_page).to_have_url(f"{site_url}/cohorts/{cohort.slug}/")
    expect(inspector_page.get_by_role("heading", name=cohort.name, exact=True)).to_be_visible()
    for name in [*other_members, facilitator.display_name]:
        expect(inspector_page.get_by_text(name, exact=True)).to_be_visible()
    # The seat's name is its heading: the group, then how many people sit there.
    inspectors = inspector_page.get_by_role("region", name=LABOUR_INSPECTORATE)
    expect(inspectors).to_contain_text(INSPECTOR_NAME)
    screenshot(inspector_page, "inspector-in-the-cohort")

    inspector = User.objects.get(email=inspector_email)
    assert inspector.display_name == INSPECTOR_NAME
    assert inspector.stakeholder_group == StakeholderGroup.LABOUR_INSPECTORATE
    assert Membership.objects.get(user=inspector, cohort=cohort).role == MembershipRole.PARTICIPANT
    assert Invitation.objects.get(cohort=cohort, email=inspector_email).state == InvitationState.ACCEPTED


def test_an_expired_invitation_link_says_whom_to_ask_and_creates_no_account(
    site_url, new_page, screenshot, cambodia_cohort
):
    cohort, facilitator, _, _ = cambodia_cohort
    invitee = "late.reader@example.org"
    invitation = InvitationFactory(
        cohort=cohort,
        email=invitee,
        invited_by=facilitator,
        created_at=timezone.now() - timedelta(days=20),
        expires_at=timezone.now() - timedelta(days=6),
    )

    page = new_page()
    response = page.goto(f"{site_url}/invitations/{invitation.token}/")

    assert response.status == 410
    expect(page.get_by_role("heading", name="This invitation has expired")).to_be_visible()
    expect(page.get_by_text("This invitation expired on")).to_be_visible()
    expect(page.get_by_role("heading", name="Whom to ask")).to_be_visible()
    expect(page.get_by_text(facilitator.display_name)).to_be_visible()
    expect(page.get_by_role("link", name=facilitator.email)).to_have_attribute("href", f"mailto:{facilitator.email}")
    expect(page.get_by_role("link", name="Create my account")).to_have_count(0)
    screenshot(page, "expired-invitation")

    assert not User.objects.filter(email__iexact=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert invitation.state == InvitationState.EXPIRED


# ------------------------------------------------------------------------------
# Courses: authored in the CMS, reviewed, learned, tracked, certified
# ------------------------------------------------------------------------------
@pytest.fixture
def course_people(cambodia_cohort, wagtail_site):
    """Trainers of both kinds, a learner of the cohort, and a course of one empty module
    assigned to the cohort (the trainer writes its only lesson in the journey)."""
    from django.contrib.auth.models import Group

    from academy.choices import TRAINERS_GROUP_NAME
    from courses.authoring import SENIOR_TRAINERS_GROUP_NAME, setup_course_authoring
    from tests.factories import assign_course, course_tree

    cohort, facilitator, totp_secret, _members = cambodia_cohort
    setup_course_authoring()
    trainer = UserFactory(email="trainer.kh@example.org", display_name="Dara Kim")
    Group.objects.get(name=TRAINERS_GROUP_NAME).user_set.add(trainer)
    senior = UserFactory(email="senior.trainer@example.org", display_name="Malika Rao")
    Group.objects.get(name=SENIOR_TRAINERS_GROUP_NAME).user_set.add(senior)
    learner = UserFactory(
        email="inspector.kampot@example.org",
        display_name="Sokha Chan",
        stakeholder_group=StakeholderGroup.LABOUR_INSPECTORATE,
    )
    MembershipFactory(user=learner, cohort=cohort, role=MembershipRole.PARTICIPANT)
    course, _lessons = course_tree(title="OSH Leadership", modules=1, lessons=0)
    assign_course(cohort, course)
    module = course.get_children().get().specific
    return {
        "cohort": cohort,
        "facilitator": facilitator,
        "totp_secret": totp_secret,
        "trainer": trainer,
        "senior": senior,
        "learner": learner,
        "course": course,
        "module": module,
    }


def sign_in(page, site_url, email, password=TEST_PASSWORD):
    page.goto(f"{site_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_a_lesson_goes_from_trainer_to_learner_to_facilitator_and_a_certificate(
    site_url, new_page, screenshot, authenticator_app, course_people
):
    from courses.models import Certificate, LessonPage, LessonProgress

    people = course_people
    module = people["module"]

    # A trainer writes a lesson with a quiz in the CMS and submits it for review.
    trainer_page = new_page()
    sign_in(trainer_page, site_url, people["trainer"].email)
    trainer_page.goto(f"{site_url}/cms/pages/add/courses/lessonpage/{module.pk}/")
    trainer_page.locator("#id_title").fill("The floor walk")
    trainer_page.get_by_role("button", name="Insert a block").first.click()
    trainer_page.get_by_role("option", name=re.compile("Quiz")).click()
    question = "body-0-value-questions-0-value-"
    trainer_page.locator('[name="body-0-value-pass_mark"]').fill("100")
    trainer_page.locator(f'[name="{question}text"]').fill("Who should own an action on a blocked fire exit?")
    trainer_page.locator(f'[name="{question}options-0-value-text"]').fill("A named person with a due date")
    trainer_page.locator(f'[name="{question}options-0-value-correct"]').check()
    trainer_page.locator(f'[name="{question}options-0-value-feedback"]').fill("Yes: owned and dated.")
    trainer_page.locator(
        f'xpath=//input[@name="{question}options-0-value-feedback"]/following::button[@title="Add"][1]'
    ).click()
    trainer_page.locator(f'[name="{question}options-1-value-text"]').fill("The whole committee")
    trainer_page.locator(f'[name="{question}options-1-value-feedback"]').fill("Shared by all is owned by none.")
    screenshot(trainer_page, "trainer-writes-the-quiz")
    trainer_page.get_by_role("button", name="More actions").click()
    trainer_page.get_by_role("button", name="Submit to Course review").click()
    expect(trainer_page.get_by_text("created and submitted for moderation")).to_be_visible()
    lesson = LessonPage.objects.get(title="The floor walk")
    assert not lesson.live  # a trainer cannot publish

    # The senior trainer finds it awaiting review and approves it, which publishes it.
    senior_page = new_page()
    sign_in(senior_page, site_url, people["senior"].email)
    senior_page.goto(f"{site_url}/cms/")
    senior_page.get_by_role("link", name="The floor walk").first.click()
    senior_page.get_by_role("button", name="More actions").click()
    screenshot(senior_page, "senior-trainer-reviews")
    senior_page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(senior_page.get_by_text("Page 'The floor walk' has been updated.")).to_be_visible()
    lesson.refresh_from_db()
    assert lesson.live

    # The learner of the assigned cohort opens it, passes the quiz and sees her progress.
    learner_page = new_page()
    sign_in(learner_page, site_url, people["learner"].email)
    learner_page.goto(f"{site_url}{lesson.url}")
    expect(learner_page.get_by_role("heading", name="The floor walk")).to_be_visible()
    learner_page.get_by_label("A named person with a due date").check()
    screenshot(learner_page, "learner-answers")
    learner_page.get_by_role("button", name="Submit answers").click()
    expect(learner_page.get_by_role("status").filter(has_text="You passed with 100%")).to_be_visible()
    expect(learner_page.get_by_text("Yes: owned and dated.")).to_be_visible()
    expect(learner_page.get_by_text("You have completed this lesson.")).to_be_visible()
    learner_page.get_by_role("link", name="Course outline").click()
    expect(learner_page.get_by_text("You have completed 100% of this course.")).to_be_visible()
    expect(learner_page.get_by_text("1 of 1 lessons completed")).to_be_visible()
    screenshot(learner_page, "learner-progress")
    assert LessonProgress.objects.get(user=people["learner"], lesson=lesson).completed_at

    # The facilitator sees her in the matrix and downloads the CSV.
    facilitator_page = new_page()
    sign_in_with_two_factor(
        facilitator_page,
        site_url,
        email=people["facilitator"].email,
        password=TEST_PASSWORD,
        totp=lambda: authenticator_app(people["totp_secret"]),
        screenshot=screenshot,
    )
    facilitator_page.goto(f"{site_url}/cohorts/{people['cohort'].slug}/progress/")
    row = facilitator_page.get_by_role("row").filter(has_text="Sokha Chan")
    expect(row).to_contain_text("100%")
    screenshot(facilitator_page, "facilitator-matrix")
    with facilitator_page.expect_download() as download_info:
        facilitator_page.get_by_role("button", name="Download CSV").click()
    csv_text = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert "Sokha Chan" in csv_text and people["learner"].email in csv_text

    # Her certificate verifies at its public address, for anyone.
    learner_page.goto(f"{site_url}/dashboard/")
    learner_page.get_by_role("region", name="My certificates").get_by_role("link", name="OSH Leadership").click()
    certificate = Certificate.objects.get(user=people["learner"])
    expect(learner_page.get_by_text(certificate.code).first).to_be_visible()
    screenshot(learner_page, "certificate")
    visitor_page = new_page()
    visitor_page.goto(f"{site_url}/certificates/verify/{certificate.code}/")
    expect(visitor_page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    expect(visitor_page.get_by_text("Sokha Chan")).to_be_visible()
    screenshot(visitor_page, "certificate-verified")
