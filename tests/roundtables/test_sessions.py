"""Sessions: scheduling and editing, the cohort calendar, the details page, RSVPs,
materials, and the links from the dashboard and the cohort pages."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy.choices import MembershipRole
from roundtables import services
from roundtables.choices import PrivacyMode, RsvpAnswer, SessionKind
from roundtables.models import AgendaItem, RoundtableSession, Rsvp, SessionMaterial
from tests.factories import AgendaItemFactory, MembershipFactory, RoundtableSessionFactory

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")  # the personas' time zone, UTC+7


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def next_year(hour: int, minute: int = 0, day: int = 4) -> datetime:
    """A time next year, naive: what a facilitator types into the form."""
    return datetime(timezone.now().year + 1, 5, day, hour, minute)


def form_data(**overrides) -> dict:
    data = {
        "kind": SessionKind.ROUNDTABLE,
        "title": "Safe exits: who checks them, and when",
        "description": "Bring one example from your factory or inspection.",
        "starts_at": next_year(9, 30).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": next_year(11, 30).strftime("%Y-%m-%dT%H:%M"),
        "video_url": "",
        "privacy": PrivacyMode.CHATHAM_HOUSE,
        "agenda": "Welcome and rules of the table\n\n  What inspectors find  \nWhat unions hear\n",
    }
    return {**data, **overrides}


def errors_of(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# ------------------------------------------------------------------------------
# Scheduling
# ------------------------------------------------------------------------------
def test_a_facilitator_schedules_a_session_in_their_time_zone_and_it_is_stored_in_utc(login, cohort_a, facilitator_a):
    client = login(facilitator_a)
    response = client.post(reverse("roundtable_schedule", args=[cohort_a.slug]), form_data())
    session = RoundtableSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("roundtable_detail", kwargs={"session_id": session.pk})
    assert session.starts_at == next_year(9, 30).replace(tzinfo=PHNOM_PENH)
    assert session.starts_at.astimezone(UTC).hour == 2  # 09:30 in Phnom Penh is 02:30 UTC
    assert session.cohort == cohort_a and session.created_by == facilitator_a
    assert session.privacy == PrivacyMode.CHATHAM_HOUSE
    assert [item.title for item in session.agenda_items.order_by("position")] == [
        "Welcome and rules of the table",
        "What inspectors find",
        "What unions hear",
    ]


def test_the_form_says_which_time_zone_the_times_are_in_and_explains_privacy(login, cohort_a, facilitator_a):
    response = login(facilitator_a).get(reverse("roundtable_schedule", args=[cohort_a.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Date and time in your time zone, Asia/Phnom Penh." in html
    assert "show each speaker only as their stakeholder group" in html


def test_a_session_must_end_after_it_starts_and_the_form_keeps_the_input(login, cohort_a, facilitator_a):
    data = form_data(ends_at=next_year(8).strftime("%Y-%m-%dT%H:%M"))
    response = login(facilitator_a).post(reverse("roundtable_schedule", args=[cohort_a.slug]), data)
    assert response.status_code == 200
    assert errors_of(response, "ends_at") == [services.SESSION_ENDS_BEFORE_START]
    html = response.content.decode()
    assert 'value="Safe exits: who checks them, and when"' in html
    assert "What inspectors find" in html
    assert not RoundtableSession.objects.exists()


def test_a_new_session_cannot_start_in_the_past(login, cohort_a, facilitator_a):
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1), PHNOM_PENH)
    data = form_data(
        starts_at=yesterday.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(yesterday + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = login(facilitator_a).post(reverse("roundtable_schedule", args=[cohort_a.slug]), data)
    assert errors_of(response, "starts_at") == [services.SESSION_STARTS_IN_PAST]
    assert not RoundtableSession.objects.exists()


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "ftp://files.example.org/x", "data:text/html,x"])
def test_a_video_link_must_be_a_web_address(login, cohort_a, facilitator_a, link):
    data = form_data(kind=SessionKind.SEMINAR, video_url=link)
    response = login(facilitator_a).post(reverse("roundtable_schedule", args=[cohort_a.slug]), data)
    assert errors_of(response, "video_url") == [services.VIDEO_URL_INVALID]
    assert not RoundtableSession.objects.exists()


def test_the_service_refuses_a_video_link_that_is_not_http_too(cohort_a, facilitator_a):
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(services.ValidationError) as refused:
        services.session_schedule(
            cohort=cohort_a,
            created_by=facilitator_a,
            kind=SessionKind.SEMINAR,
            title="Seminar",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            video_url="javascript:alert(1)",
        )
    assert refused.value.message_dict == {"video_url": [str(services.VIDEO_URL_INVALID)]}


def test_an_agenda_has_at_most_thirty_items(login, cohort_a, facilitator_a):
    agenda = "\n".join(f"Item {n}" for n in range(31))
    response = login(facilitator_a).post(reverse("roundtable_schedule", args=[cohort_a.slug]), form_data(agenda=agenda))
    assert errors_of(response, "agenda") == [services.AGENDA_TOO_MANY_ITEMS % {"max": 30, "count": 31}]
    assert not RoundtableSession.objects.exists()


def test_an_agenda_item_has_at_most_two_hundred_characters(login, cohort_a, facilitator_a):
    agenda = "Welcome\n" + "x" * 201
    response = login(facilitator_a).post(reverse("roundtable_schedule", args=[cohort_a.slug]), form_data(agenda=agenda))
    assert errors_of(response, "agenda") == [services.AGENDA_ITEM_TOO_LONG % {"number": 2, "max": 200}]


def test_a_seminar_keeps_its_https_video_link(login, cohort_a, facilitator_a):
    data = form_data(kind=SessionKind.SEMINAR, video_url="https://meet.example.org/bb-cambodia")
    login(facilitator_a).post(reverse("roundtable_schedule", args=[cohort_a.slug]), data)
    assert RoundtableSession.objects.get().video_url == "https://meet.example.org/bb-cambodia"


@pytest.mark.parametrize(("persona", "status"), [("participant_a", 403), ("observer", 403), ("participant_b", 404)])
def test_only_facilitators_schedule(request, login, cohort_a, persona, status):
    response = login(request.getfixturevalue(persona)).post(
        reverse("roundtable_schedule", args=[cohort_a.slug]), form_data()
    )
    assert response.status_code == status
    assert not RoundtableSession.objects.exists()


# ------------------------------------------------------------------------------
# Editing
# ------------------------------------------------------------------------------
def test_editing_the_agenda_keeps_items_whose_title_is_unchanged(login, cohort_a, facilitator_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    welcome = AgendaItemFactory(session=session, position=0, title="Welcome")
    findings = AgendaItemFactory(session=session, position=1, title="What inspectors find")
    AgendaItemFactory(session=session, position=2, title="Dropped item")
    RoundtableSession.objects.filter(pk=session.pk).update(current_agenda_item=findings)
    start = timezone.localtime(session.starts_at, PHNOM_PENH)
    data = form_data(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        agenda="What inspectors find\nA new item\nWelcome",
    )
    response = login(facilitator_a).post(reverse("roundtable_edit", args=[session.pk]), data)
    assert response.status_code == 302
    items = list(session.agenda_items.order_by("position"))
    assert [item.title for item in items] == ["What inspectors find", "A new item", "Welcome"]
    assert items[0].pk == findings.pk and items[2].pk == welcome.pk
    assert not AgendaItem.objects.filter(title="Dropped item").exists()
    session.refresh_from_db()
    assert session.current_agenda_item_id == findings.pk
    assert session.ends_at == session.starts_at + timedelta(hours=3)
    assert session.revision == 1


def test_the_edit_form_shows_the_session_in_the_facilitators_time_zone(login, cohort_a, facilitator_a):
    session = RoundtableSessionFactory(cohort=cohort_a, title="Joint agenda")
    AgendaItemFactory(session=session, title="Welcome")
    response = login(facilitator_a).get(reverse("roundtable_edit", args=[session.pk]))
    local = timezone.localtime(session.starts_at, PHNOM_PENH).strftime("%Y-%m-%dT%H:%M")
    html = response.content.decode()
    assert f'value="{local}"' in html
    assert "Welcome</textarea>" in html


def test_an_edit_may_keep_a_start_that_has_passed_but_not_move_one_into_the_past(cohort_a, facilitator_a):
    started = timezone.now() - timedelta(minutes=30)
    session = RoundtableSessionFactory(cohort=cohort_a, starts_at=started, ends_at=started + timedelta(hours=2))
    fields = {"kind": SessionKind.ROUNDTABLE, "title": "Running late", "privacy": PrivacyMode.NAMED}
    services.session_update(session=session, starts_at=started, ends_at=started + timedelta(hours=3), **fields)
    with pytest.raises(services.ValidationError) as refused:
        services.session_update(
            session=session, starts_at=started - timedelta(hours=1), ends_at=started + timedelta(hours=3), **fields
        )
    assert refused.value.message_dict == {"starts_at": [str(services.SESSION_STARTS_IN_PAST)]}


def test_an_ended_session_cannot_be_edited(login, cohort_a, facilitator_a):
    session = RoundtableSessionFactory(cohort=cohort_a, title="Done")
    RoundtableSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
    client = login(facilitator_a)
    response = client.post(reverse("roundtable_edit", args=[session.pk]), form_data(), follow=True)
    assert str(services.SESSION_ENDED) in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Done"
    assert client.get(reverse("roundtable_edit", args=[session.pk])).status_code == 302


@pytest.mark.parametrize(("persona", "status"), [("participant_a", 403), ("facilitator_b", 404), ("outsider", 404)])
def test_only_the_cohorts_facilitators_edit(request, login, cohort_a, persona, status):
    session = RoundtableSessionFactory(cohort=cohort_a, title="Original")
    response = login(request.getfixturevalue(persona)).post(reverse("roundtable_edit", args=[session.pk]), form_data())
    assert response.status_code == status
    session.refresh_from_db()
    assert session.title == "Original"


# ------------------------------------------------------------------------------
# The cohort calendar
# ------------------------------------------------------------------------------
def test_the_calendar_lists_upcoming_sessions_first_then_past_ones_in_the_viewers_time_zone(
    login, cohort_a, cohort_b, participant_a
):
    now = timezone.now()
    soon = RoundtableSessionFactory(cohort=cohort_a, title="Soon", starts_at=now + timedelta(days=2))
    later = RoundtableSessionFactory(cohort=cohort_a, title="Later", starts_at=now + timedelta(days=40))
    past = RoundtableSessionFactory(
        cohort=cohort_a, title="Earlier", starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2)
    )
    RoundtableSessionFactory(cohort=cohort_b, title="In Vietnam")
    Rsvp.objects.create(session=soon, user=participant_a, answer=RsvpAnswer.MAYBE)
    response = login(participant_a).get(reverse("cohort_calendar", args=[cohort_a.slug]))
    html = response.content.decode()
    assert html.index("Soon") < html.index("Later") < html.index("Earlier")
    assert "In Vietnam" not in html
    assert "Asia/Phnom Penh" in html
    local = timezone.localtime(later.starts_at, PHNOM_PENH)
    assert local.strftime("%H:%M") in html and local.strftime("%B %Y") in html
    assert "You might go" in html
    assert "Schedule a session" not in html
    assert "people going" not in html
    assert past.get_absolute_url() in html


def test_facilitators_see_how_many_said_yes_and_the_schedule_button(login, cohort_a, facilitator_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    Rsvp.objects.create(session=session, user=participant_a, answer=RsvpAnswer.YES)
    Rsvp.objects.create(session=session, user=facilitator_a, answer=RsvpAnswer.NO)
    html = login(facilitator_a).get(reverse("cohort_calendar", args=[cohort_a.slug])).content.decode()
    assert "1 person going" in html
    assert reverse("roundtable_schedule", args=[cohort_a.slug]) in html


def test_the_calendar_page_makes_the_same_queries_for_one_session_or_twenty(
    login, cohort_a, participant_a, django_assert_max_num_queries
):
    client = login(participant_a)
    RoundtableSessionFactory(cohort=cohort_a)
    url = reverse("cohort_calendar", args=[cohort_a.slug])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(20):
        session = RoundtableSessionFactory(cohort=cohort_a, starts_at=timezone.now() + timedelta(days=n - 10))
        Rsvp.objects.create(session=session, user=participant_a, answer=RsvpAnswer.YES)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("You are going") == 20


# ------------------------------------------------------------------------------
# The details page
# ------------------------------------------------------------------------------
def test_the_details_page_shows_what_a_member_needs(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(
        cohort=cohort_a,
        kind=SessionKind.SEMINAR,
        title="Supply chains",
        description="Who decides prices?",
        video_url="https://meet.example.org/seminar",
        privacy=PrivacyMode.CHATHAM_HOUSE,
    )
    AgendaItemFactory(session=session, title="Brands explain their purchasing")
    SessionMaterial.objects.create(session=session, title="Slides", file=ContentFile(b"x" * 2048, name="slides.pdf"))
    html = login(participant_a).get(session.get_absolute_url()).content.decode()
    assert "Supply chains" in html and "Virtual seminar" in html and "Who decides prices?" in html
    assert "only as their stakeholder group" in html
    assert "Brands explain their purchasing" in html
    assert 'href="https://meet.example.org/seminar" target="_blank" rel="noopener noreferrer"' in html
    assert reverse("roundtable_room", kwargs={"session_id": session.pk}) in html
    assert reverse("roundtable_ics", args=[session.pk]) in html
    material = session.materials.get()
    assert reverse("roundtable_material", args=[session.pk, material.pk]) in html
    assert "2.0\xa0KB" in html
    assert "/media/" not in html
    local = timezone.localtime(session.starts_at, PHNOM_PENH)
    assert local.strftime("%H:%M") in html
    assert "Share a file" not in html and "Answers so far" not in html
    assert 'value="yes"' in html


def test_facilitators_see_the_answers_the_edit_link_and_the_upload_form(login, cohort_a, facilitator_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    Rsvp.objects.create(session=session, user=participant_a, answer=RsvpAnswer.YES)
    html = login(facilitator_a).get(session.get_absolute_url()).content.decode()
    assert "Answers so far: 1 yes, 0 maybe, 0 no." in html
    assert reverse("roundtable_edit", args=[session.pk]) in html
    assert reverse("roundtable_material_add", args=[session.pk]) in html


def test_an_ended_session_links_to_its_record(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    RoundtableSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
    html = login(participant_a).get(session.get_absolute_url()).content.decode()
    assert reverse("roundtable_record", kwargs={"session_id": session.pk}) in html
    assert "answers are closed" in html


# ------------------------------------------------------------------------------
# RSVPs
# ------------------------------------------------------------------------------
def test_a_member_answers_and_changes_their_answer(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    client = login(participant_a)
    url = reverse("roundtable_rsvp", args=[session.pk])
    assert client.post(url, {"answer": "yes"}).url == session.get_absolute_url()
    client.post(url, {"answer": "no"})
    assert list(Rsvp.objects.values_list("user", "answer")) == [(participant_a.pk, "no")]
    html = client.get(session.get_absolute_url()).content.decode()
    assert re.search(r'value="no"[^>]*checked', html) and not re.search(r'value="yes"[^>]*checked', html)


def test_observers_may_answer_too(login, cohort_a, observer):
    session = RoundtableSessionFactory(cohort=cohort_a)
    login(observer).post(reverse("roundtable_rsvp", args=[session.pk]), {"answer": "maybe"})
    assert Rsvp.objects.get().answer == RsvpAnswer.MAYBE


@pytest.mark.parametrize("answer", ["", "perhaps", "YES"])
def test_an_answer_outside_the_three_is_refused(login, cohort_a, participant_a, answer):
    session = RoundtableSessionFactory(cohort=cohort_a)
    response = login(participant_a).post(reverse("roundtable_rsvp", args=[session.pk]), {"answer": answer}, follow=True)
    assert str(services.RSVP_INVALID_ANSWER) in response.content.decode()
    assert not Rsvp.objects.exists()


def test_answers_close_when_the_session_is_over(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    RoundtableSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
    response = login(participant_a).post(reverse("roundtable_rsvp", args=[session.pk]), {"answer": "yes"}, follow=True)
    assert str(services.RSVP_CLOSED) in response.content.decode()
    assert not Rsvp.objects.exists()


# ------------------------------------------------------------------------------
# Materials
# ------------------------------------------------------------------------------
def upload(client, session, name="agenda.pdf", content=b"%PDF-1.4 agenda", title="Agenda and rules"):
    return client.post(
        reverse("roundtable_material_add", args=[session.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_a_facilitator_shares_a_file_that_members_download_through_the_access_check(
    login, client, cohort_a, facilitator_a, participant_a, media_root
):
    session = RoundtableSessionFactory(cohort=cohort_a)
    assert upload(login(facilitator_a), session).status_code == 302
    material = SessionMaterial.objects.get()
    assert material.file.name.startswith(f"roundtables/{session.pk}/")
    response = login(participant_a).get(reverse("roundtable_material", args=[session.pk, material.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 agenda"
    assert response["Content-Disposition"].startswith('attachment; filename="agenda.pdf"')


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "no-extension", "slides.pdf.svg"])
def test_a_file_type_outside_the_document_list_is_refused(login, cohort_a, facilitator_a, name):
    session = RoundtableSessionFactory(cohort=cohort_a)
    response = upload(login(facilitator_a), session, name=name)
    assert response.status_code == 200
    error = response.context["material_form"].errors["file"][0]
    assert error.startswith("Files ending in")
    assert 'value="Agenda and rules"' in response.content.decode()
    assert not SessionMaterial.objects.exists()


def test_a_file_over_the_size_limit_is_refused(login, settings, cohort_a, facilitator_a):
    settings.ROUNDTABLE_MATERIAL_MAX_BYTES = 1000
    session = RoundtableSessionFactory(cohort=cohort_a)
    response = upload(login(facilitator_a), session, content=b"x" * 1001)
    assert response.context["material_form"].errors["file"] == [
        services.MATERIAL_TOO_LARGE % {"size": "1001\xa0bytes", "limit": "1000\xa0bytes"}
    ]
    assert not SessionMaterial.objects.exists()


def test_the_default_size_limit_is_twenty_megabytes(settings):
    assert settings.ROUNDTABLE_MATERIAL_MAX_BYTES == 20 * 1024 * 1024
    assert settings.ROUNDTABLE_MATERIAL_EXTENSIONS == settings.WAGTAILDOCS_EXTENSIONS


@pytest.mark.parametrize(("persona", "status"), [("participant_a", 403), ("observer", 403), ("participant_b", 404)])
def test_only_facilitators_share_files(request, login, cohort_a, persona, status):
    session = RoundtableSessionFactory(cohort=cohort_a)
    assert upload(login(request.getfixturevalue(persona)), session).status_code == status
    assert not SessionMaterial.objects.exists()


def test_a_facilitator_removes_a_material_and_its_file(
    login, cohort_a, facilitator_a, django_capture_on_commit_callbacks
):
    session = RoundtableSessionFactory(cohort=cohort_a)
    material = SessionMaterial.objects.create(session=session, title="Old", file=ContentFile(b"x", name="old.txt"))
    storage, name = material.file.storage, material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = login(facilitator_a).post(reverse("roundtable_material_delete", args=[session.pk, material.pk]))
    assert response.status_code == 302
    assert not SessionMaterial.objects.exists()
    assert not storage.exists(name)


def test_another_cohorts_sessions_and_materials_do_not_exist_for_a_member(login, cohort_b, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_b)
    material = SessionMaterial.objects.create(session=session, title="B only", file=ContentFile(b"x", name="b.txt"))
    client = login(participant_a)
    for url in [
        session.get_absolute_url(),
        reverse("roundtable_ics", args=[session.pk]),
        reverse("roundtable_material", args=[session.pk, material.pk]),
        reverse("roundtable_edit", args=[session.pk]),
        reverse("cohort_calendar", args=[cohort_b.slug]),
        reverse("roundtable_detail", args=[999999]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("roundtable_rsvp", args=[session.pk]), {"answer": "yes"}).status_code == 404
    assert not Rsvp.objects.exists()


def test_a_material_id_of_another_session_is_not_found(login, cohort_a, participant_a):
    mine, other = RoundtableSessionFactory(cohort=cohort_a), RoundtableSessionFactory(cohort=cohort_a)
    material = SessionMaterial.objects.create(session=other, title="Other", file=ContentFile(b"x", name="o.txt"))
    response = login(participant_a).get(reverse("roundtable_material", args=[mine.pk, material.pk]))
    assert response.status_code == 404


def test_a_removed_member_loses_the_session_at_once(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    client = login(participant_a)
    assert client.get(session.get_absolute_url()).status_code == 200
    participant_a.memberships.all().delete()
    assert client.get(session.get_absolute_url()).status_code == 404


# ------------------------------------------------------------------------------
# Dashboard and cohort pages
# ------------------------------------------------------------------------------
def test_the_dashboard_shows_the_next_three_sessions_with_my_answers(login, cohort_a, cohort_b, participant_a):
    now = timezone.now()
    sessions = [
        RoundtableSessionFactory(cohort=cohort_a, title=f"Session {n}", starts_at=now + timedelta(days=n))
        for n in range(1, 5)
    ]
    RoundtableSessionFactory(cohort=cohort_b, title="Vietnam only", starts_at=now + timedelta(hours=2))
    RoundtableSessionFactory(
        cohort=cohort_a, title="Yesterday", starts_at=now - timedelta(days=1), ends_at=now - timedelta(hours=20)
    )
    Rsvp.objects.create(session=sessions[0], user=participant_a, answer=RsvpAnswer.YES)
    html = login(participant_a).get(reverse("dashboard")).content.decode()
    assert "Your next sessions" in html
    assert "Session 1" in html and "Session 3" in html
    assert "Session 4" not in html and "Vietnam only" not in html and "Yesterday" not in html
    assert "You are going" in html


def test_the_dashboard_has_no_sessions_panel_without_sessions(login, participant_a):
    assert "Your next sessions" not in login(participant_a).get(reverse("dashboard")).content.decode()


def test_the_cohort_page_links_every_member_to_the_calendar(login, cohort_a, participant_a, facilitator_a):
    calendar = reverse("cohort_calendar", args=[cohort_a.slug])
    assert calendar in login(participant_a).get(cohort_a.get_absolute_url()).content.decode()
    manage = login(facilitator_a).get(reverse("cohort_manage", args=[cohort_a.slug])).content.decode()
    assert calendar in manage and "Sessions and calendar" in manage


def test_a_member_who_joins_later_sees_the_cohorts_sessions(login, cohort_a):
    session = RoundtableSessionFactory(cohort=cohort_a, title="Open to newcomers")
    newcomer = MembershipFactory(cohort=cohort_a, role=MembershipRole.PARTICIPANT).user
    html = login(newcomer).get(reverse("cohort_calendar", args=[cohort_a.slug])).content.decode()
    assert session.title in html
