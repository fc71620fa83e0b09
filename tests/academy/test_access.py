"""academy.access: the rules behind the matrix, tested directly."""

from django.contrib.auth.models import Group, Permission

from academy import access
from academy.choices import TRAINERS_GROUP_NAME


def test_cohorts_visible_to_a_member_are_only_their_own(cohort_a, cohort_b, participant_a):
    assert list(access.cohorts_visible_to(participant_a)) == [cohort_a]


def test_staff_see_and_manage_every_cohort(cohort_a, cohort_b, staff):
    assert set(access.cohorts_visible_to(staff)) == {cohort_a, cohort_b}
    assert set(access.cohorts_managed_by(staff)) == {cohort_a, cohort_b}


def test_a_facilitator_manages_only_the_cohort_they_facilitate(cohort_a, cohort_b, facilitator_a):
    assert list(access.cohorts_managed_by(facilitator_a)) == [cohort_a]
    assert access.can_manage_cohort(facilitator_a, cohort_a)
    assert not access.can_manage_cohort(facilitator_a, cohort_b)


def test_an_inactive_account_sees_nothing(cohort_a, participant_a):
    participant_a.is_active = False
    assert list(access.cohorts_visible_to(participant_a)) == []
    assert not access.can_view_cohort(participant_a, cohort_a)


def test_two_factor_is_required_of_staff_and_facilitators_only(staff, facilitator_a, participant_a, trainer):
    assert access.requires_mfa(staff) and access.requires_mfa(facilitator_a)
    assert not access.requires_mfa(participant_a) and not access.requires_mfa(trainer)


def test_the_cms_opens_to_trainers_once_their_group_holds_wagtails_admin_permission(
    client, trainer, participant_a, staff
):
    assert access.may_use_cms(staff)
    assert not access.may_use_cms(participant_a)
    assert not access.may_use_cms(trainer)
    Group.objects.get(name=TRAINERS_GROUP_NAME).permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    trainer = type(trainer).objects.get(pk=trainer.pk)  # a fresh permission cache
    assert access.may_use_cms(trainer)
    client.force_login(trainer)
    assert client.get("/cms/").status_code == 200
    assert 'href="/cms/"' in client.get("/dashboard/").content.decode()
