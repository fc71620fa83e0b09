"""Personas shared by every test.

Cohort A is a Building Bridges cohort in Cambodia, cohort B one in Vietnam. The
personas of the authorization matrix: anonymous, participant of A, participant of B,
facilitator of A, facilitator of B, observer (of A), trainer, staff. The style guide's
names (`inspector`, `union_official`, `brand_staff`, `factory_manager`, `facilitator`,
`trainer`, `outsider`) are aliases or further members of cohort A.
"""

import pytest
from django.contrib.auth.models import Group

from academy.choices import TRAINERS_GROUP_NAME, MembershipRole, StakeholderGroup
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    give_totp,
)


@pytest.fixture
def programme(db):
    return ProgrammeFactory(slug="building-bridges", name="Building Bridges")


@pytest.fixture
def cohort_a(programme):
    return CohortFactory(programme=programme, name="Building Bridges Cambodia", slug="bb-cambodia", country="KH")


@pytest.fixture
def cohort_b(programme):
    return CohortFactory(
        programme=programme, name="Building Bridges Vietnam", slug="bb-vietnam", country="VN", language="vi"
    )


def _member(cohort, role, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, cohort=cohort, role=role)
    return user


@pytest.fixture
def participant_a(cohort_a):
    ministry = OrganisationFactory(name="Department of Labour Inspection", kind="ministry")
    return _member(
        cohort_a,
        MembershipRole.PARTICIPANT,
        email="inspector.a@example.org",
        display_name="Vannak Heng",
        stakeholder_group=StakeholderGroup.LABOUR_INSPECTORATE,
        organisation=ministry,
    )


@pytest.fixture
def inspector(participant_a):
    return participant_a


@pytest.fixture
def participant_b(cohort_b):
    return _member(
        cohort_b,
        MembershipRole.PARTICIPANT,
        email="inspector.b@example.org",
        display_name="Nguyen Thi Lan",
        stakeholder_group=StakeholderGroup.LABOUR_INSPECTORATE,
        country="VN",
    )


@pytest.fixture
def facilitator_a(cohort_a):
    user = _member(
        cohort_a,
        MembershipRole.FACILITATOR,
        email="facilitator.a@example.org",
        display_name="Sreymom Keo",
        stakeholder_group=StakeholderGroup.PROGRAMME_STAFF,
    )
    give_totp(user)
    return user


@pytest.fixture
def facilitator(facilitator_a):
    return facilitator_a


@pytest.fixture
def facilitator_b(cohort_b):
    user = _member(
        cohort_b,
        MembershipRole.FACILITATOR,
        email="facilitator.b@example.org",
        display_name="Pham Quoc Bao",
        stakeholder_group=StakeholderGroup.PROGRAMME_STAFF,
    )
    give_totp(user)
    return user


@pytest.fixture
def observer(cohort_a):
    return _member(cohort_a, MembershipRole.OBSERVER, email="observer.a@example.org", display_name="Bopha Meas")


@pytest.fixture
def union_official(cohort_a):
    union = OrganisationFactory(name="Federation of Apparel Workers", kind="union")
    return _member(
        cohort_a,
        MembershipRole.PARTICIPANT,
        email="union.a@example.org",
        display_name="Chenda Sok",
        stakeholder_group=StakeholderGroup.TRADE_UNION,
        organisation=union,
    )


@pytest.fixture
def factory_manager(cohort_a):
    factory_org = OrganisationFactory(name="Mekong Apparel", kind="factory")
    return _member(
        cohort_a,
        MembershipRole.PARTICIPANT,
        email="manager.a@example.org",
        display_name="Rithy Pich",
        stakeholder_group=StakeholderGroup.FACTORY_MANAGEMENT,
        organisation=factory_org,
    )


@pytest.fixture
def brand_staff(cohort_a):
    brand = OrganisationFactory(name="Northwind Apparel", kind="brand", country="SE")
    return _member(
        cohort_a,
        MembershipRole.PARTICIPANT,
        email="brand.a@example.org",
        display_name="Emma Larsen",
        stakeholder_group=StakeholderGroup.BRAND,
        organisation=brand,
    )


@pytest.fixture
def trainer(db):
    user = UserFactory(email="trainer@example.org", display_name="Mai Tran")
    group, _ = Group.objects.get_or_create(name=TRAINERS_GROUP_NAME)
    user.groups.add(group)
    return user


@pytest.fixture
def staff(db):
    user = UserFactory(
        email="staff@example.org",
        display_name="Programme Administrator",
        is_staff=True,
        is_superuser=True,
        stakeholder_group=StakeholderGroup.PROGRAMME_STAFF,
    )
    give_totp(user)
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but in no cohort at all."""
    return UserFactory(email="outsider@example.org", display_name="Someone Else")


@pytest.fixture
def login(client):
    """Sign a user into the test client (bypassing the MFA stage, which has its own tests)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits count in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def source_language():
    """Every test starts in English, whatever language a request of an earlier test
    left active (Django's LocaleMiddleware activates a visitor's language and leaves it)."""
    from django.utils import translation

    with translation.override("en"):
        yield
