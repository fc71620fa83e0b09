"""The facilitator's progress matrix and its CSV."""

import csv
import io

import pytest
from django.urls import reverse

from academy.choices import MembershipRole, StakeholderGroup
from courses.models import LessonProgress
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, assign_course, course_tree


@pytest.fixture
def setup(cohort_a, inspector, union_official, factory_manager, facilitator_a):
    course, lessons = course_tree(title="OSH Leadership", modules=2, lessons=2)
    assign_course(cohort_a, course)
    for lesson in lessons[:2]:  # the inspector finishes module 1
        LessonProgress.objects.create(user=inspector, lesson=lesson, completed_at="2026-11-01T10:00:00Z")
    LessonProgress.objects.create(user=union_official, lesson=lessons[0], completed_at="2026-11-02T10:00:00Z")
    return course, lessons


def url(cohort, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("cohort_progress", kwargs={"slug": cohort.slug}) + (f"?{query}" if query else "")


def test_the_matrix_shows_each_participant_by_module(client, cohort_a, setup, facilitator_a, inspector):
    client.force_login(facilitator_a)
    response = client.get(url(cohort_a))
    rows = {row.participant.name: row for row in response.context["matrix"].rows}
    assert rows["Vannak Heng"].module_percents == [100, 0] and rows["Vannak Heng"].percent == 50
    assert rows["Chenda Sok"].module_percents == [50, 0]
    assert rows["Rithy Pich"].percent == 0
    assert "Sreymom Keo" not in rows  # facilitators are not in the matrix


def test_completion_rates_per_stakeholder_group(client, cohort_a, setup, facilitator_a):
    client.force_login(facilitator_a)
    rates = {rate.group: rate for rate in client.get(url(cohort_a)).context["matrix"].group_rates}
    assert rates[StakeholderGroup.LABOUR_INSPECTORATE].average_percent == 50
    assert rates[StakeholderGroup.TRADE_UNION].average_percent == 25
    assert rates[StakeholderGroup.FACTORY_MANAGEMENT].average_percent == 0


def test_the_matrix_filters_by_stakeholder_group_and_organisation(
    client, cohort_a, setup, facilitator_a, union_official
):
    client.force_login(facilitator_a)
    by_group = client.get(url(cohort_a, stakeholder_group="trade_union")).context["matrix"].rows
    assert [row.participant.user_id for row in by_group] == [union_official.pk]
    by_org = client.get(url(cohort_a, organisation=union_official.organisation_id)).context["matrix"].rows
    assert [row.participant.user_id for row in by_org] == [union_official.pk]


def test_bad_filter_values_are_ignored_with_a_message_not_a_500(client, cohort_a, setup, facilitator_a):
    client.force_login(facilitator_a)
    response = client.get(url(cohort_a, course="abc", organisation="999999", stakeholder_group="pirates"))
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_csv_opens_cleanly_in_a_spreadsheet_and_defuses_formulas(client, cohort_a, setup, facilitator_a):
    evil = UserFactory(
        display_name='=HYPERLINK("http://evil.example")', organisation=OrganisationFactory(name="+Factory")
    )
    MembershipFactory(user=evil, cohort=cohort_a, role=MembershipRole.PARTICIPANT)
    client.force_login(facilitator_a)
    response = client.get(url(cohort_a, format="csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="bb-cambodia-osh-leadership-progress.csv"' == response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "\r\n" in body
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Name", "Email", "Stakeholder group", "Organisation"] and rows[0][4:6] == [
        "Module 1",
        "Module 2",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Vannak Heng"][4:] == ["100", "0", "2/4", "50"]
    assert (
        '\'=HYPERLINK("http://evil.example")' in by_name
        and by_name['\'=HYPERLINK("http://evil.example")'][3] == "'+Factory"
    )


@pytest.mark.parametrize(
    "persona,status",
    [("participant_a", 403), ("observer", 403), ("participant_b", 404), ("facilitator_b", 404), ("staff", 200)],
)
def test_only_the_cohorts_facilitators_and_staff_see_the_matrix(client, cohort_a, setup, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(cohort_a)).status_code == status
    assert client.get(url(cohort_a, format="csv")).status_code == status


def test_the_matrix_takes_the_same_queries_for_few_or_many_participants(
    client, cohort_a, setup, facilitator_a, django_assert_max_num_queries
):
    client.force_login(facilitator_a)
    client.get(url(cohort_a))
    with django_assert_max_num_queries(20) as few:
        client.get(url(cohort_a))
    for _ in range(30):
        MembershipFactory(cohort=cohort_a, user=UserFactory(organisation=OrganisationFactory()))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(cohort_a))


def test_the_manage_page_links_to_the_matrix(client, cohort_a, setup, facilitator_a):
    client.force_login(facilitator_a)
    page = client.get(reverse("cohort_manage", kwargs={"slug": cohort_a.slug})).content.decode()
    assert reverse("cohort_progress", kwargs={"slug": cohort_a.slug}) in page


def test_names_and_organisations_are_escaped_in_the_matrix_and_its_filters(client, cohort_a, setup, facilitator_a):
    person = UserFactory(
        display_name="<script>alert('x')</script>", organisation=OrganisationFactory(name='Factory "A" & <b>Sons</b>')
    )
    MembershipFactory(cohort=cohort_a, user=person)
    client.force_login(facilitator_a)
    page = client.get(url(cohort_a)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>Sons</b>" not in page and "Factory &quot;A&quot; &amp; &lt;b&gt;Sons&lt;/b&gt;" in page


def test_the_filters_keep_the_chosen_values(client, cohort_a, setup, facilitator_a, union_official):
    client.force_login(facilitator_a)
    page = client.get(
        url(cohort_a, stakeholder_group=StakeholderGroup.TRADE_UNION, organisation=union_official.organisation_id)
    ).content.decode()
    assert f'<option value="{StakeholderGroup.TRADE_UNION}" selected>' in page
    assert f'<option value="{union_official.organisation_id}" selected>' in page
