"""The home page, the dashboard, the cohort page and the profile."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from academy.choices import MembershipRole, StakeholderGroup
from academy.models import User
from tests.factories import CohortFactory, MembershipFactory, OrganisationFactory, UserFactory


def test_the_home_page_explains_the_programmes_to_a_newcomer(client, programme):
    page = client.get(reverse("home")).content.decode()
    assert "Building Bridges" in page
    assert "Labour inspectorate / government" in page
    assert reverse("account_signup") in page


ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


def test_pages_name_their_icon_so_browsers_never_ask_for_a_missing_favicon(client, programme):
    """Without an icon link, browsers request /favicon.ico, which is a 404 here."""
    for html in (client.get(reverse("home")).content.decode(), render_to_string("500.html")):
        found = ICON_LINK.search(html)
        assert found, "no <link rel=icon>"
        icon = client.get(found.group(1))
        assert icon.status_code == 200
        assert icon["Content-Type"].startswith("image/svg+xml")
        assert b"<svg" in b"".join(icon.streaming_content)


def test_the_dashboard_lists_my_cohorts_with_my_role(client, cohort_a, cohort_b, participant_a):
    client.force_login(participant_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert cohort_a.name in page
    assert cohort_b.name not in page
    assert "Participant" in page


def test_the_dashboard_of_a_facilitator_links_to_the_management_page(client, cohort_a, facilitator_a):
    client.force_login(facilitator_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("cohort_manage", kwargs={"slug": cohort_a.slug}) in page


def test_staff_see_every_cohort_on_the_dashboard(client, cohort_a, cohort_b, staff):
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "All cohorts" in page and cohort_a.name in page and cohort_b.name in page


def test_the_cohort_page_shows_who_is_in_the_room_by_stakeholder_group(
    client, cohort_a, inspector, union_official, factory_manager, brand_staff, facilitator_a
):
    client.force_login(inspector)
    response = client.get(cohort_a.get_absolute_url())
    seats = response.context["seats"]
    assert [seat.group for seat in seats] == [
        StakeholderGroup.BRAND,
        StakeholderGroup.LABOUR_INSPECTORATE,
        StakeholderGroup.TRADE_UNION,
        StakeholderGroup.FACTORY_MANAGEMENT,
        StakeholderGroup.PROGRAMME_STAFF,
    ]
    page = response.content.decode()
    for person in (inspector, union_official, factory_manager, brand_staff, facilitator_a):
        assert person.display_name in page
        if person.organisation:
            assert person.organisation.name in page
    assert "Who is in the room: 5 people" in page


def test_the_cohort_page_never_lists_another_cohorts_members(client, cohort_a, inspector, participant_b):
    client.force_login(inspector)
    assert participant_b.display_name not in client.get(cohort_a.get_absolute_url()).content.decode()


def test_the_cohort_page_takes_the_same_number_of_queries_for_5_or_50_members(
    client, cohort_a, inspector, django_assert_max_num_queries
):
    client.force_login(inspector)
    client.get(cohort_a.get_absolute_url())  # warm the session and content types

    def add_members(count):
        for n in range(count):
            organisation = OrganisationFactory(name=f"Factory {cohort_a.pk}-{User.objects.count()}-{n}")
            MembershipFactory(cohort=cohort_a, user=UserFactory(organisation=organisation))

    add_members(4)
    with django_assert_max_num_queries(8) as small:
        client.get(cohort_a.get_absolute_url())
    add_members(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(cohort_a.get_absolute_url())


def test_the_dashboard_takes_the_same_number_of_queries_for_1_or_20_cohorts(
    client, programme, django_assert_max_num_queries
):
    person = UserFactory()
    MembershipFactory(user=person, cohort=CohortFactory(programme=programme))
    client.force_login(person)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("dashboard"))
    for _ in range(19):
        MembershipFactory(user=person, cohort=CohortFactory(programme=programme), role=MembershipRole.OBSERVER)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboard"))


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_profile_fields_with_html_are_shown_as_text_everywhere(client, cohort_a, participant_a, facilitator_a):
    client.force_login(participant_a)
    response = client.post(
        reverse("profile"),
        {
            "display_name": XSS,
            "stakeholder_group": StakeholderGroup.LABOUR_INSPECTORATE,
            "organisation": "",
            "country": "KH",
            "preferred_language": "en",
            "time_zone": "Asia/Phnom_Penh",
        },
    )
    assert response.status_code == 302
    participant_a.refresh_from_db()
    assert participant_a.display_name == XSS  # stored as typed, escaped on output
    client.force_login(facilitator_a)
    pages = [
        client.get(cohort_a.get_absolute_url()),
        client.get(reverse("cohort_manage", kwargs={"slug": cohort_a.slug})),
    ]
    client.force_login(participant_a)
    pages += [client.get(reverse("dashboard")), client.get(reverse("profile"))]
    for response in pages:
        page = response.content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0].content.decode()


def test_the_profile_form_rejects_an_unknown_time_zone_and_keeps_the_rest(client, participant_a):
    client.force_login(participant_a)
    response = client.post(
        reverse("profile"),
        {
            "display_name": "Vannak H.",
            "stakeholder_group": StakeholderGroup.LABOUR_INSPECTORATE,
            "country": "KH",
            "preferred_language": "en",
            "time_zone": "Mars/Olympus_Mons",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert 'value="Vannak H."' in page
    participant_a.refresh_from_db()
    assert participant_a.display_name == "Vannak Heng"


def test_the_profile_form_refuses_a_blank_name(client, participant_a):
    client.force_login(participant_a)
    response = client.post(
        reverse("profile"),
        {"display_name": "   ", "stakeholder_group": "other", "preferred_language": "en", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]


@pytest.mark.parametrize("persona", ["participant_a", "facilitator_a", "observer"])
def test_every_member_sees_the_cohort_page(client, cohort_a, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(cohort_a.get_absolute_url()).status_code == 200


def test_a_deactivated_account_loses_access_at_its_next_request(client, cohort_a, participant_a):
    client.force_login(participant_a)
    assert client.get(cohort_a.get_absolute_url()).status_code == 200
    participant_a.is_active = False
    participant_a.save(update_fields=["is_active"])
    response = client.get(cohort_a.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_removed_member_gets_a_404_at_once(client, cohort_a, participant_a):
    from academy.models import Membership

    client.force_login(participant_a)
    Membership.objects.filter(user=participant_a, cohort=cohort_a).delete()
    assert client.get(cohort_a.get_absolute_url()).status_code == 404


def test_the_management_page_takes_the_same_number_of_queries_for_few_or_many_members(
    client, cohort_a, facilitator_a, django_assert_max_num_queries
):
    from tests.factories import InvitationFactory

    def add(count):
        for _ in range(count):
            MembershipFactory(cohort=cohort_a, user=UserFactory(organisation=OrganisationFactory()))
            InvitationFactory(cohort=cohort_a, invited_by=facilitator_a)

    url = reverse("cohort_manage", kwargs={"slug": cohort_a.slug})
    client.force_login(facilitator_a)
    add(4)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    add(36)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
