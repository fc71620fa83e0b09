"""factory_boy factories for the core models."""

import time
from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone
from factory.django import DjangoModelFactory

from academy.choices import CohortStatus, MembershipRole, OrganisationKind, StakeholderGroup
from academy.models import Cohort, Invitation, Membership, Organisation, Programme, User

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.FACTORY
    country = "KH"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    stakeholder_group = StakeholderGroup.OTHER
    country = "KH"
    preferred_language = "en"
    time_zone = "Asia/Phnom_Penh"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """allauth's mandatory verification: test people have a verified address."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    summary = "A programme."


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    country = "KH"
    language = "km"
    start_date = date(2026, 3, 1)
    end_date = date(2027, 8, 31)
    status = CohortStatus.ACTIVE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    role = MembershipRole.PARTICIPANT
    # Members of some standing: the forums' first-day limits apply only to tests that
    # make a member join now.
    joined_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    cohort = factory.SubFactory(CohortFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = MembershipRole.PARTICIPANT


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret`, computed with allauth's own
    helpers. Waits out the last seconds of a period so the code is still current when
    the server checks it (allauth accepts only the current period by default)."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.2)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def give_totp(user: User) -> str:
    """Activate an authenticator app for the user; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# ------------------------------------------------------------------------------
# Courses: page trees built under Wagtail's site root
# ------------------------------------------------------------------------------
def quiz_block_value(*, pass_mark: int = 50, max_attempts: int = 2) -> dict:
    """A two-question quiz: one single choice, one multiple choice."""
    return {
        "title": "Check your understanding",
        "pass_mark": pass_mark,
        "max_attempts": max_attempts,
        "questions": [
            {
                "kind": "single",
                "text": "Who should own an action on a blocked fire exit?",
                "options": [
                    {"text": "A named person with a due date", "correct": True, "feedback": "Yes: owned and dated."},
                    {"text": "The whole committee", "correct": False, "feedback": "Shared by all is owned by none."},
                ],
            },
            {
                "kind": "multiple",
                "text": "Which are root causes rather than symptoms?",
                "options": [
                    {"text": "No one checks the exits each shift", "correct": True, "feedback": "A missing routine."},
                    {"text": "Boxes in front of the exit", "correct": False, "feedback": "That is the symptom."},
                    {"text": "Storage space is too small", "correct": True, "feedback": "A cause behind it."},
                ],
            },
        ],
    }


def ensure_wagtail_site():
    """Wagtail's root collection, root page, home page, English locale and default site,
    as its data migrations create them. A transactional test (the browser journeys)
    flushes the database and removes them; tests after it that build pages call this."""
    from wagtail.models import Collection, Locale, Page, Site

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site
    locale, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=Page(title="Better Work Academy", slug="home", locale=locale, live=True))
    return Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def course_tree(*, title: str = "OSH Leadership", modules: int = 1, lessons: int = 1, body=None):
    """A published catalogue > course > modules > lessons; returns (course, [lessons])."""
    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

    root = ensure_wagtail_site().root_page
    catalogue = CourseIndexPage.objects.filter(locale__language_code="en").first()
    if catalogue is None:
        catalogue = root.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    slug = title.lower().replace(" ", "-")
    course = catalogue.add_child(
        instance=CoursePage(title=title, slug=slug, summary=f"{title}: a course for the whole factory.")
    )
    created = []
    for m in range(modules):
        module = course.add_child(instance=ModulePage(title=f"Module {m + 1}", slug=f"module-{m + 1}"))
        for n in range(lessons):
            lesson = module.add_child(
                instance=LessonPage(
                    title=f"Lesson {m + 1}.{n + 1}",
                    slug=f"lesson-{n + 1}",
                    body=body if body is not None else [("text", "<p>Find the problem and its root cause.</p>")],
                )
            )
            created.append(lesson)
    return course, created


def assign_course(cohort, course):
    from courses.models import CohortCourse

    return CohortCourse.objects.create(cohort=cohort, course=course)


# ------------------------------------------------------------------------------
# Roundtables
# ------------------------------------------------------------------------------
class RoundtableSessionFactory(DjangoModelFactory):
    """A roundtable of a cohort, tomorrow at 09:00 UTC for two hours."""

    class Meta:
        model = "roundtables.RoundtableSession"

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Roundtable {n}: building a joint agenda")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2))


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = "roundtables.AgendaItem"

    session = factory.SubFactory(RoundtableSessionFactory)
    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
