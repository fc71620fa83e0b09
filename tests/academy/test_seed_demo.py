"""`manage.py seed_demo`: the documented accounts, and safe to run twice."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from academy.choices import TRAINERS_GROUP_NAME, MembershipRole, StakeholderGroup
from academy.demo import DEFAULT_DEMO_PASSWORD
from academy.models import Cohort, Invitation, Membership, Organisation, Programme, User

COUNTED = [Programme, Organisation, Cohort, User, Membership, Invitation]


def counts():
    return [model.objects.count() for model in COUNTED]


def test_seeding_twice_creates_nothing_twice(db):
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert first[0] == 7 and first[2] == 3 and 28 <= first[3] <= 35


def test_the_documented_accounts_exist_with_their_roles(db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=StringIO())

    def role(email, cohort_slug):
        return Membership.objects.get(user__email=email, cohort__slug=cohort_slug).role

    assert role("facilitator.kh@example.org", "building-bridges-cambodia") == MembershipRole.FACILITATOR
    assert role("inspector.kh@example.org", "building-bridges-cambodia") == MembershipRole.PARTICIPANT
    assert role("union.kh@example.org", "building-bridges-cambodia") == MembershipRole.PARTICIPANT
    assert role("manager.kh@example.org", "building-bridges-cambodia") == MembershipRole.PARTICIPANT
    assert role("brand@example.org", "better-work-academy-brands") == MembershipRole.PARTICIPANT
    assert role("inspector.vn@example.org", "building-bridges-vietnam") == MembershipRole.PARTICIPANT
    assert User.objects.get(email="inspector.kh@example.org").stakeholder_group == StakeholderGroup.LABOUR_INSPECTORATE
    assert User.objects.get(email="trainer@example.org").groups.filter(name=TRAINERS_GROUP_NAME).exists()
    assert User.objects.get(email="admin@example.org").is_staff
    assert authenticate(email="inspector.kh@example.org", password=DEFAULT_DEMO_PASSWORD) is not None


def test_the_demo_password_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    call_command("seed_demo", stdout=StringIO())
    assert authenticate(email="brand@example.org", password="another-demo-secret") is not None


def test_every_stakeholder_group_and_organisation_kind_is_in_the_demo(db):
    call_command("seed_demo", stdout=StringIO())
    assert set(User.objects.values_list("stakeholder_group", flat=True)) == set(StakeholderGroup.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == {
        "brand",
        "factory",
        "manufacturing_group",
        "union",
        "ministry",
        "employer_association",
        "ngo",
    }
    cohorts = dict(Cohort.objects.values_list("name", "language"))
    assert cohorts == {
        "Building Bridges Cambodia": "km",
        "Building Bridges Vietnam": "vi",
        "Better Work Academy brand cohort": "en",
    }
