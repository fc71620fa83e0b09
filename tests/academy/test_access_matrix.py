"""The authorization matrix: every URL pattern of the project against every persona.

`ROUTES` lists the project's own named routes; `INCLUDED` lists the third-party URL
trees mounted whole (allauth, the Wagtail admin, the Django admin) with representative
URLs. `test_every_url_pattern_is_in_the_matrix` walks the real URL resolver, so a new
pattern fails the suite until someone decides who may reach it and adds it here.

Objects always belong to cohort A. Expected answers: 200 page, 302 redirect (to sign
in for visitors, back to the page after an action), 403 (a member of the cohort who
lacks the role), 404 (anyone outside the cohort: its existence is not confirmed).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from academy.choices import MembershipRole
from academy.models import Invitation, Membership
from courses.models import Certificate, ImprovementAction
from forums import services as forum_services
from forums import unsubscribe as forum_unsubscribe
from forums.choices import NotificationKind
from forums.models import Notification, Subscription, Suspension
from roundtables.models import CalendarFeed, SessionMaterial
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    RoundtableSessionFactory,
    assign_course,
    course_tree,
    quiz_block_value,
)

PERSONAS = [
    "anonymous",
    "participant_a",
    "participant_b",
    "facilitator_a",
    "facilitator_b",
    "observer",
    "trainer",
    "staff",
]

SIGNED_IN = [persona for persona in PERSONAS if persona != "anonymous"]


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def members_only(member: int, manager: int | None = None, anonymous: int = 302) -> dict[str, int]:
    """Answers for a page of cohort A: members see it, others get 404."""
    manager = member if manager is None else manager
    return {
        "anonymous": anonymous,
        "participant_a": member,
        "participant_b": 404,
        "facilitator_a": manager,
        "facilitator_b": 404,
        "observer": member,
        "trainer": 404,
        "staff": manager,
    }


@dataclass
class Route:
    method: str
    expected: dict[str, int]


# The project's own routes, by name.
ROUTES = {
    "home": Route("get", everyone(200)),
    "healthz": Route("get", everyone(200)),
    "dashboard": Route("get", {**everyone(200), "anonymous": 302}),
    "profile": Route("get", {**everyone(200), "anonymous": 302}),
    "language_set": Route("post", everyone(302)),
    "cohort_detail": Route("get", members_only(200)),
    "cohort_manage": Route("get", members_only(403, manager=200)),
    "invitation_resend": Route("post", members_only(403, manager=302)),
    "invitation_revoke": Route("post", members_only(403, manager=302)),
    "membership_role": Route("post", members_only(403, manager=302)),
    "membership_remove": Route("post", members_only(403, manager=302)),
    # Possession of the emailed token shows the invitation; anyone signed in as someone
    # other than the invitee is told so (403) and nothing changes.
    "invitation_open": Route("get", {**dict.fromkeys(SIGNED_IN, 403), "anonymous": 200}),
    # Wagtail's login URL, answered through allauth; people without CMS rights: 403.
    "cms_login": Route("get", {**dict.fromkeys(SIGNED_IN, 403), "anonymous": 302, "staff": 302}),
    # Wagtail's front-end login, answered by allauth's sign-in.
    "frontend_login": Route("get", everyone(302)),
    # Wagtail's own pattern at the same path, shadowed by frontend_login above.
    "wagtailcore_login": Route("get", everyone(302)),
    # Wagtail's page tree; the URL used is a lesson of a course assigned to cohort A.
    # Course overviews are public (tests/courses/test_access.py).
    "wagtail_serve": Route("get", {**members_only(200), "trainer": 200}),
    # Quiz answers for a lesson of a course assigned to cohort A (the world's lesson has a quiz).
    "quiz_submit": Route("post", {**members_only(302), "trainer": 302}),
    # Progress on the world's lesson: completing it needs its quiz passed, so members are
    # sent back to the lesson with a message (302); time spent answers 204.
    "lesson_complete": Route("post", {**members_only(302), "trainer": 302}),
    "lesson_time": Route("post", {**members_only(204), "anonymous": 302, "trainer": 204}),
    "cohort_progress": Route("get", members_only(403, manager=200)),
    "course_search": Route("get", {**everyone(200), "anonymous": 302}),
    "improvement_plan": Route("get", {**everyone(200), "anonymous": 302}),
    "cohort_reflections": Route("get", members_only(403, manager=200)),
    # The world's lesson has no reflection or improvement step: members get 404 for the
    # block, as does anyone outside; visitors are asked to sign in.
    "reflection_save": Route("post", {**everyone(404), "anonymous": 302}),
    "improvement_action_add": Route("post", {**everyone(404), "anonymous": 302}),
    # The world's action belongs to participant A; anyone else: 404.
    "improvement_action_status": Route("post", {**everyone(404), "anonymous": 302, "participant_a": 302}),
    # The world's certificate belongs to participant A; verification is public.
    "certificate_detail": Route("get", {**everyone(404), "anonymous": 302, "participant_a": 200, "staff": 200}),
    "certificate_verify": Route("get", everyone(200)),
    # Password-protected pages and documents: none exist, so 404 for everyone.
    "wagtailcore_authenticate_with_password": Route("get", everyone(404)),
    "wagtaildocs_serve": Route("get", everyone(404)),
    "wagtaildocs_authenticate_with_password": Route("get", everyone(404)),
    # Roundtable sessions; the world's session and material belong to cohort A. An empty
    # upload form is shown again with its errors (200); an empty RSVP is refused with a
    # message and a redirect.
    "cohort_calendar": Route("get", members_only(200)),
    "roundtable_schedule": Route("get", members_only(403, manager=200)),
    "roundtable_edit": Route("get", members_only(403, manager=200)),
    "roundtable_detail": Route("get", members_only(200)),
    "roundtable_rsvp": Route("post", members_only(302)),
    "roundtable_ics": Route("get", members_only(200)),
    "roundtable_material_add": Route("post", members_only(403, manager=200)),
    "roundtable_material": Route("get", members_only(200)),
    "roundtable_material_delete": Route("post", members_only(403, manager=302)),
    "calendar_feed_settings": Route("get", {**everyone(200), "anonymous": 302}),
    "calendar_feed_rotate": Route("post", everyone(302)),
    # The world's feed belongs to participant A: its secret token is the only key, so it
    # answers whoever asks (calendar apps do not sign in).
    "calendar_feed": Route("get", everyone(200)),
    # The live room's page (its websocket has its own tests), and the record of the
    # world's session, which has not ended: members are sent to the session's page.
    "roundtable_room": Route("get", members_only(200)),
    "roundtable_record": Route("get", members_only(302)),
    "roundtable_record_markdown": Route("get", members_only(403, manager=200)),
    "roundtable_record_csv": Route("get", members_only(403, manager=200)),
    # Forums: the world's thread is in cohort A's forum, opened by participant A. Observers
    # read but do not write: the compose page sends them back with a message (302) and a
    # reply is refused with the form shown again (400). Another person's post: 403 to
    # edit or delete.
    "forums_home": Route("get", {**everyone(200), "anonymous": 302}),
    "forum_space": Route("get", members_only(200)),
    "forum_category": Route("get", members_only(200)),
    "forum_thread_new": Route("get", {**members_only(200), "observer": 302}),
    "forum_category_follow": Route("post", members_only(302)),
    "forum_thread": Route("get", members_only(200)),
    "forum_reply": Route("post", {**members_only(302), "observer": 400}),
    "forum_thread_follow": Route("post", members_only(302)),
    "forum_post": Route("get", members_only(302)),
    "forum_post_edit": Route("get", {**members_only(403), "participant_a": 200}),
    "forum_post_delete": Route("post", {**members_only(403), "participant_a": 302}),
    "forum_post_helpful": Route("post", members_only(302)),
    "forum_answer_accept": Route("post", members_only(302)),
    # Forum moderation (forums.moderation_urls): any reader flags (the world's post is
    # participant A's own, so they are told they cannot flag it: still 200); the tools
    # are for cohort A's facilitators and staff, 403 for its other members.
    "forum_flag": Route("get", members_only(200)),
    "forum_flags_dismiss": Route("post", members_only(403, manager=302)),
    "forum_post_hide": Route("post", members_only(403, manager=302)),
    "forum_post_restore": Route("post", members_only(403, manager=302)),
    "forum_post_history": Route("get", members_only(403, manager=200)),
    "forum_thread_lock": Route("post", members_only(403, manager=302)),
    "forum_thread_pin": Route("post", members_only(403, manager=302)),
    "forum_thread_hide": Route("post", members_only(403, manager=302)),
    "forum_thread_move": Route("get", members_only(403, manager=200)),
    "forum_moderation_queue": Route("get", members_only(403, manager=200)),
    "forum_moderation_log": Route("get", members_only(403, manager=200)),
    "forum_suspensions": Route("get", members_only(403, manager=200)),
    "forum_suspension_lift": Route("post", members_only(403, manager=302)),
    "forum_moderation_limits": Route("get", members_only(403, manager=200)),
    "forum_category_add": Route("get", members_only(403, manager=200)),
    # Links into the forums (forums.link_urls). The world lesson's discussion prompt: its
    # button starts the thread in cohort A's forum (302 to it); observers may not start
    # it (403, with the page explaining); a trainer, who opens the lesson but is in no
    # cohort of it, is sent back to the lesson with a message (302). The follow-up of
    # the world's ended session: a compose page for members who write. A cohort's forum
    # by its slug: a redirect to the forum.
    "forum_lesson_prompt": Route("post", {**members_only(302), "observer": 403, "trainer": 302}),
    "forum_roundtable_followup": Route("get", {**members_only(200), "observer": 403}),
    "forum_cohort": Route("get", members_only(302)),
    # Notifications and preferences (forums.notification_urls): everyone signed in has
    # their own pages. The world's notification and follow belong to participant A:
    # anyone else gets 404. The unsubscribe link's signed token is its only key (mail
    # apps do not sign in), so it answers whoever holds it.
    "forum_notifications": Route("get", {**everyone(200), "anonymous": 302}),
    "forum_notifications_read_all": Route("post", everyone(302)),
    "forum_notification_open": Route("get", {**everyone(404), "anonymous": 302, "participant_a": 302}),
    "forum_preferences": Route("get", {**everyone(200), "anonymous": 302}),
    "forum_unfollow": Route("post", {**everyone(404), "anonymous": 302, "participant_a": 302}),
    "forum_unsubscribe": Route("get", everyone(200)),
    # Forum search (forums.search_urls): everyone signed in searches the forums they may
    # read; a hit outside them is absent, never a 404 (tests/forums/test_search.py).
    "forum_search": Route("get", {**everyone(200), "anonymous": 302}),
}

# Third-party URL trees mounted whole, with representative URLs and their answers.
INCLUDED = {
    "accounts/": [
        ("/accounts/login/", {**dict.fromkeys(SIGNED_IN, 302), "anonymous": 200}),
        ("/accounts/email/", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 302}),
        ("/accounts/2fa/", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 302}),
    ],
    "cms/": [
        ("/cms/", {**everyone(302), "staff": 200}),
        ("/cms/users/", {**everyone(302), "staff": 200}),
    ],
    "django-admin/": [
        ("/django-admin/", {**everyone(302), "staff": 200}),
        ("/django-admin/academy/user/", {**everyone(302), "staff": 200}),
    ],
}


def leaf_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from leaf_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def test_every_url_pattern_is_in_the_matrix():
    missing = [
        (route, name) for route, name in leaf_patterns() if name not in ROUTES and not route.startswith(tuple(INCLUDED))
    ]
    assert missing == [], f"URL patterns missing from the authorization matrix: {missing}"


def test_every_matrix_route_exists():
    names = {name for _route, name in leaf_patterns()}
    assert set(ROUTES) <= names


def forum_notification_world(*, cohort, member, author) -> dict:
    """A thread in the cohort's forum that `member` follows and was notified of."""
    thread = forum_services.thread_create(
        author=author,
        category=forum_services.space_ensure_for_cohort(cohort=cohort).categories.order_by("position").first(),
        title="Heat stress on the cutting floor",
        text="What temperature limits do your factories work with?",
    )
    return {
        "forum_notification": Notification.objects.create(
            user=member, kind=NotificationKind.NEW_THREAD, thread=thread, post=thread.posts.get()
        ),
        "forum_subscription": Subscription.objects.create(user=member, thread=thread),
    }


@pytest.fixture
def world(
    cohort_a,
    cohort_b,
    participant_a,
    participant_b,
    facilitator_a,
    facilitator_b,
    observer,
    trainer,
    staff,
    settings,
    tmp_path,
):
    """Every persona, plus objects of cohort A for the routes to act on."""
    course, lessons = course_tree(
        body=[("quiz", quiz_block_value()), ("discussion", {"prompt": "Who walks the exits in your factory?"})]
    )
    assign_course(cohort_a, course)
    settings.MEDIA_ROOT = tmp_path / "media"
    session = RoundtableSessionFactory(cohort=cohort_a)
    return {
        "session": session,
        "ended_session": RoundtableSessionFactory(
            cohort=cohort_a, starts_at=timezone.now() - timedelta(days=1), ended_at=timezone.now() - timedelta(hours=20)
        ),
        "material": SessionMaterial.objects.create(
            session=session, title="Agenda", file=ContentFile(b"agenda", name="agenda.txt")
        ),
        "feed": CalendarFeed.objects.create(user=participant_a),
        "cohort": cohort_a,
        "lesson": lessons[0],
        "action": ImprovementAction.objects.create(
            user=participant_a, title="Clear exit B", owner="Dara", due_date="2026-12-15"
        ),
        "certificate": Certificate.objects.create(
            user=participant_a, course=course, cohort=cohort_a, learner_name="Vannak Heng", course_title=course.title
        ),
        "thread": forum_services.thread_create(
            author=participant_a,
            category=forum_services.space_ensure_for_cohort(cohort=cohort_a).categories.order_by("position").first(),
            title="Exit B blocked again",
            text="Cartons were back in front of exit B within a week of the audit.",
        ),
        "invitation": InvitationFactory(cohort=cohort_a, invited_by=facilitator_a),
        "membership": MembershipFactory(cohort=cohort_a, role=MembershipRole.PARTICIPANT),
        **forum_notification_world(cohort=cohort_a, member=participant_a, author=facilitator_a),
        # A running suspension of another member of cohort A (forum_suspension_lift).
        "forum_suspension": Suspension.objects.create(
            space=forum_services.space_ensure_for_cohort(cohort=cohort_a),
            user=MembershipFactory(cohort=cohort_a, role=MembershipRole.PARTICIPANT).user,
            until=timezone.now() + timedelta(days=1),
            reason="Repeated personal attacks",
        ),
        "personas": {
            "anonymous": None,
            "participant_a": participant_a,
            "participant_b": participant_b,
            "facilitator_a": facilitator_a,
            "facilitator_b": facilitator_b,
            "observer": observer,
            "trainer": trainer,
            "staff": staff,
        },
    }


def url_for(name: str, world: dict) -> str:
    cohort, invitation, membership = world["cohort"], world["invitation"], world["membership"]
    kwargs = {
        "cohort_detail": {"slug": cohort.slug},
        "cohort_manage": {"slug": cohort.slug},
        "invitation_resend": {"slug": cohort.slug, "invitation_id": invitation.pk},
        "invitation_revoke": {"slug": cohort.slug, "invitation_id": invitation.pk},
        "membership_role": {"slug": cohort.slug, "membership_id": membership.pk},
        "membership_remove": {"slug": cohort.slug, "membership_id": membership.pk},
        "invitation_open": {"token": invitation.token},
        "quiz_submit": {"lesson_id": world["lesson"].pk, "quiz_id": world["lesson"].body[0].id},
        "lesson_complete": {"lesson_id": world["lesson"].pk},
        "lesson_time": {"lesson_id": world["lesson"].pk},
        "certificate_detail": {"code": world["certificate"].code},
        "cohort_progress": {"slug": cohort.slug},
        "cohort_reflections": {"slug": cohort.slug},
        "reflection_save": {"lesson_id": world["lesson"].pk, "block_id": "no-such-block"},
        "improvement_action_add": {"lesson_id": world["lesson"].pk, "block_id": "no-such-block"},
        "improvement_action_status": {"action_id": world["action"].pk},
        "certificate_verify": {"code": world["certificate"].code},
        "cohort_calendar": {"slug": cohort.slug},
        "roundtable_schedule": {"slug": cohort.slug},
        **dict.fromkeys(
            [
                "roundtable_edit",
                "roundtable_detail",
                "roundtable_rsvp",
                "roundtable_ics",
                "roundtable_material_add",
                "roundtable_room",
                "roundtable_record",
                "roundtable_record_markdown",
                "roundtable_record_csv",
            ],
            {"session_id": world["session"].pk},
        ),
        **dict.fromkeys(
            ["roundtable_material", "roundtable_material_delete"],
            {"session_id": world["session"].pk, "material_id": world["material"].pk},
        ),
        "calendar_feed": {"token": world["feed"].token},
        **dict.fromkeys(["forum_space"], {"space_id": world["thread"].space_id}),
        **dict.fromkeys(
            ["forum_category", "forum_thread_new", "forum_category_follow"],
            {"category_id": world["thread"].category_id},
        ),
        **dict.fromkeys(["forum_thread", "forum_reply", "forum_thread_follow"], {"thread_id": world["thread"].pk}),
        **dict.fromkeys(
            ["forum_post", "forum_post_edit", "forum_post_delete", "forum_post_helpful", "forum_answer_accept"],
            {"post_id": world["thread"].posts.get().pk},
        ),
        **dict.fromkeys(
            ["forum_flag", "forum_flags_dismiss", "forum_post_hide", "forum_post_restore", "forum_post_history"],
            {"post_id": world["thread"].posts.get().pk},
        ),
        **dict.fromkeys(
            ["forum_thread_lock", "forum_thread_pin", "forum_thread_hide", "forum_thread_move"],
            {"thread_id": world["thread"].pk},
        ),
        **dict.fromkeys(
            [
                "forum_moderation_queue",
                "forum_moderation_log",
                "forum_suspensions",
                "forum_moderation_limits",
                "forum_category_add",
            ],
            {"space_id": world["thread"].space_id},
        ),
        "forum_suspension_lift": {
            "space_id": world["forum_suspension"].space_id,
            "suspension_id": world["forum_suspension"].pk,
        },
        "forum_lesson_prompt": {"lesson_id": world["lesson"].pk, "block_id": world["lesson"].body[1].id},
        "forum_roundtable_followup": {"session_id": world["ended_session"].pk},
        "forum_cohort": {"slug": cohort.slug},
        "forum_notification_open": {"notification_id": world["forum_notification"].pk},
        "forum_unfollow": {"subscription_id": world["forum_subscription"].pk},
        "forum_unsubscribe": {"token": forum_unsubscribe.token_for(user_id=world["personas"]["participant_a"].pk)},
    }.get(name, {})
    fixed = {
        "wagtail_serve": world["lesson"].url,
        "wagtailcore_authenticate_with_password": "/_util/authenticate_with_password/999999/999999/",
        "wagtaildocs_serve": "/documents/999999/missing.pdf",
        "wagtaildocs_authenticate_with_password": "/documents/authenticate_with_password/999999/",
    }
    return fixed.get(name) or reverse(name, kwargs=kwargs)


POST_DATA = {
    "language_set": {"language": "fr", "next": "/"},
    "membership_role": {"role": "observer"},
    "lesson_time": {"seconds": 30},
    "forum_reply": {"text": "We marked a zone for cartons and check it daily."},
    "forum_search": {"q": "cartons exit"},
}


def quiz_answers(lesson) -> dict:
    """A complete, valid answer to the world lesson's quiz: the first option of each question."""
    quiz = lesson.body[0].value
    return {
        "attempt": 1,
        **{f"q-{q.id}": [q.value["options"].bound_blocks[0].id] for q in quiz["questions"].bound_blocks},
    }


def request_as(client, persona: str, world: dict, method: str, url: str, data=None):
    user = world["personas"][persona]
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_persona_as_the_matrix_says(client, world, name, persona):
    route = ROUTES[name]
    data = quiz_answers(world["lesson"]) if name == "quiz_submit" else POST_DATA.get(name)
    response = request_as(client, persona, world, route.method, url_for(name, world), data)
    assert response.status_code == route.expected[persona], f"{persona} {route.method.upper()} {name}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url,expected",
    [sample for samples in INCLUDED.values() for sample in samples],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_included_url_trees_answer_each_persona_as_the_matrix_says(client, world, url, expected, persona):
    response = request_as(client, persona, world, "get", url)
    assert response.status_code == expected[persona], f"{persona} GET {url}"


@pytest.mark.parametrize("persona", ["anonymous", "participant_a", "participant_b", "observer", "trainer"])
@pytest.mark.parametrize("name", ["invitation_revoke", "invitation_resend", "membership_role", "membership_remove"])
def test_refused_facilitator_actions_change_nothing(client, world, name, persona, mailoutbox):
    invitation, membership = world["invitation"], world["membership"]
    before = (
        Invitation.objects.filter(pk=invitation.pk).values("revoked_at", "expires_at", "send_count").get(),
        Membership.objects.filter(pk=membership.pk).values("role").get(),
    )
    response = request_as(client, persona, world, "post", url_for(name, world), POST_DATA.get(name))
    assert response.status_code in (302, 403, 404)
    if persona == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    after = (
        Invitation.objects.filter(pk=invitation.pk).values("revoked_at", "expires_at", "send_count").get(),
        Membership.objects.filter(pk=membership.pk).values("role").get(),
    )
    assert after == before
    assert mailoutbox == []


@pytest.mark.parametrize("url", ["/cms/", "/django-admin/"])
def test_signed_in_people_without_admin_rights_are_refused_without_a_redirect_loop(client, participant_a, url):
    client.force_login(participant_a)
    response = client.get(url, follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/cms/", "/django-admin/"])
def test_visitors_are_sent_to_the_allauth_sign_in_page_for_the_admins(client, db, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200
