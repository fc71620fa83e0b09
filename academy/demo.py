"""Demo data for the embedded run: programmes, three cohorts, organisations of every kind
and about thirty people across every stakeholder group.

Everything is written for this field; the organisations are invented. `seed()` is
idempotent: running it again updates what it owns and creates nothing twice.
"""

import os
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from academy.choices import (
    TRAINERS_GROUP_NAME,
    CohortStatus,
    MembershipRole,
)
from academy.choices import (
    OrganisationKind as Kind,
)
from academy.choices import (
    StakeholderGroup as Group_,
)
from academy.models import Cohort, Invitation, Membership, Organisation, Programme, User

DEFAULT_DEMO_PASSWORD = "bridges-demo-2026"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


PROGRAMMES = [
    (
        "better-work-academy",
        "Better Work Academy",
        "For brand staff in sustainability and compliance who want to stop auditing their suppliers "
        "and start coaching them: better cooperation between workers and managers, problem solving "
        "and communication in the factories they buy from.",
        "Brand sustainability and compliance staff",
    ),
    (
        "building-bridges",
        "Building Bridges",
        "Eighteen months in one country that seat labour inspectors, union officials, factory "
        "managers, employer associations and brand staff side by side. It opens with roundtables "
        "where the group sets a joint agenda, then carries on between meetings on this platform.",
        "Labour inspectors, unions, factory managers, employer associations, brands",
    ),
    (
        "osh-leadership",
        "OSH Leadership",
        "Seven modules on occupational safety and health. Each ends with an improvement plan for one "
        "real hazard in your own workplace, so the course leaves something fixed behind it.",
        "Factory OSH staff and managers, whole manufacturing groups",
    ),
    (
        "industrial-relations-leadership",
        "Industrial Relations Leadership",
        "Starts with a two-day mapping of how your organisation handles workplace relations and a "
        "half-day kick-off on commitment, then nine modules over six to eight months.",
        "Owners, top management, union leaders, shop stewards, finance and HR managers",
    ),
    (
        "female-leadership",
        "Female Leadership",
        "A trust-based group across factories that strengthens women's voice and leadership in the "
        "factory's joint worker-management committee.",
        "Women members of joint committees",
    ),
    (
        "male-leadership",
        "Male Leadership",
        "Helps men on joint committees make room for women's voices: gender concepts and norms, and "
        "peer support for changing how meetings run.",
        "Men on joint committees",
    ),
    (
        "training-of-trainers",
        "Training of Trainers",
        "Five days on assessment processes and techniques, for labour inspectors who will train their colleagues.",
        "Labour inspectors",
    ),
]

ORGANISATIONS = [
    # key, name, kind, country
    ("mol-kh", "Ministry of Labour — Department of Labour Inspection", Kind.MINISTRY, "KH"),
    ("union-kh", "Cambodian Federation of Apparel Workers", Kind.UNION, "KH"),
    ("gma-kh", "Cambodian Garment Manufacturers' Association", Kind.EMPLOYER_ASSOCIATION, "KH"),
    ("mekong", "Mekong Apparel Factory No. 2", Kind.FACTORY, "KH"),
    ("angkor", "Angkor Knitwear", Kind.FACTORY, "KH"),
    ("lotus", "Lotus Textile Group", Kind.MANUFACTURING_GROUP, "KH"),
    ("dialogue-kh", "Workplace Dialogue Initiative", Kind.NGO, "KH"),
    ("dolisa-vn", "Binh Duong Department of Labour, Invalids and Social Affairs", Kind.MINISTRY, "VN"),
    ("union-vn", "Binh Duong Provincial Federation of Labour", Kind.UNION, "VN"),
    ("vea-vn", "Vietnam Apparel Employers' Association", Kind.EMPLOYER_ASSOCIATION, "VN"),
    ("saigon", "Saigon Stitch Co.", Kind.FACTORY, "VN"),
    ("dongnai", "Dong Nai Denim Works", Kind.FACTORY, "VN"),
    ("northwind", "Northwind Apparel", Kind.BRAND, "SE"),
    ("harbour", "Harbour & Pine", Kind.BRAND, "US"),
    ("kestrel", "Kestrel Sportswear", Kind.BRAND, "DE"),
]

COHORTS = [
    # slug, name, programme, country, language, second language, start, end, status
    (
        "building-bridges-cambodia",
        "Building Bridges Cambodia",
        "building-bridges",
        "KH",
        "km",
        "en",
        date(2026, 3, 2),
        date(2027, 8, 31),
        CohortStatus.ACTIVE,
    ),
    (
        "building-bridges-vietnam",
        "Building Bridges Vietnam",
        "building-bridges",
        "VN",
        "vi",
        "en",
        date(2026, 5, 11),
        date(2027, 10, 29),
        CohortStatus.ACTIVE,
    ),
    (
        "better-work-academy-brands",
        "Better Work Academy brand cohort",
        "better-work-academy",
        "KH",
        "en",
        "",
        date(2026, 9, 7),
        date(2027, 6, 25),
        CohortStatus.ACTIVE,
    ),
]

P, F, OBS = MembershipRole.PARTICIPANT, MembershipRole.FACILITATOR, MembershipRole.OBSERVER
KH, VN, ACADEMY = "building-bridges-cambodia", "building-bridges-vietnam", "better-work-academy-brands"

# email, name, stakeholder group, organisation key, country, language, time zone, [(cohort, role)]
PEOPLE = [
    # The documented accounts (README.md).
    (
        "facilitator.kh@example.org",
        "Sreymom Keo",
        Group_.PROGRAMME_STAFF,
        None,
        "KH",
        "km",
        "Asia/Phnom_Penh",
        [(KH, F)],
    ),
    (
        "inspector.kh@example.org",
        "Vannak Heng",
        Group_.LABOUR_INSPECTORATE,
        "mol-kh",
        "KH",
        "km",
        "Asia/Phnom_Penh",
        [(KH, P)],
    ),
    ("union.kh@example.org", "Chenda Sok", Group_.TRADE_UNION, "union-kh", "KH", "km", "Asia/Phnom_Penh", [(KH, P)]),
    (
        "manager.kh@example.org",
        "Rithy Pich",
        Group_.FACTORY_MANAGEMENT,
        "mekong",
        "KH",
        "en",
        "Asia/Phnom_Penh",
        [(KH, P)],
    ),
    ("brand@example.org", "Emma Larsen", Group_.BRAND, "northwind", "SE", "en", "Europe/Stockholm", [(ACADEMY, P)]),
    (
        "inspector.vn@example.org",
        "Nguyen Thi Lan",
        Group_.LABOUR_INSPECTORATE,
        "dolisa-vn",
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, P)],
    ),
    ("trainer@example.org", "Mai Tran", Group_.PROGRAMME_STAFF, None, "VN", "en", "Asia/Ho_Chi_Minh", []),
    ("trainer.senior@example.org", "Amara Diallo", Group_.PROGRAMME_STAFF, None, "KH", "fr", "Asia/Phnom_Penh", []),
    ("admin@example.org", "Programme Administrator", Group_.PROGRAMME_STAFF, None, "CH", "en", "Europe/Zurich", []),
    # Other facilitators and an observer.
    (
        "facilitator.vn@example.org",
        "Pham Quoc Bao",
        Group_.PROGRAMME_STAFF,
        None,
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, F)],
    ),
    (
        "facilitator.academy@example.org",
        "Daniel Okafor",
        Group_.PROGRAMME_STAFF,
        None,
        "KH",
        "en",
        "Asia/Phnom_Penh",
        [(ACADEMY, F), (KH, OBS)],
    ),
    ("observer.kh@example.org", "Bopha Meas", Group_.OTHER, "dialogue-kh", "KH", "km", "Asia/Phnom_Penh", [(KH, OBS)]),
    # Cambodia.
    (
        "inspector2.kh@example.org",
        "Sokunthea Lim",
        Group_.LABOUR_INSPECTORATE,
        "mol-kh",
        "KH",
        "km",
        "Asia/Phnom_Penh",
        [(KH, P)],
    ),
    ("steward.kh@example.org", "Kosal Ly", Group_.TRADE_UNION, "union-kh", "KH", "km", "Asia/Phnom_Penh", [(KH, P)]),
    (
        "hr.angkor@example.org",
        "Sophea Chhun",
        Group_.FACTORY_MANAGEMENT,
        "angkor",
        "KH",
        "km",
        "Asia/Phnom_Penh",
        [(KH, P)],
    ),
    ("osh.lotus@example.org", "Dara Kim", Group_.FACTORY_MANAGEMENT, "lotus", "KH", "en", "Asia/Phnom_Penh", [(KH, P)]),
    (
        "employers.kh@example.org",
        "Rathana Ouk",
        Group_.EMPLOYER_ASSOCIATION,
        "gma-kh",
        "KH",
        "en",
        "Asia/Phnom_Penh",
        [(KH, P)],
    ),
    (
        "compliance.harbour@example.org",
        "Sarah Whitfield",
        Group_.BRAND,
        "harbour",
        "US",
        "en",
        "America/New_York",
        [(KH, P), (ACADEMY, P)],
    ),
    # Vietnam.
    (
        "inspector2.vn@example.org",
        "Tran Van Minh",
        Group_.LABOUR_INSPECTORATE,
        "dolisa-vn",
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, P)],
    ),
    ("union.vn@example.org", "Le Thi Hoa", Group_.TRADE_UNION, "union-vn", "VN", "vi", "Asia/Ho_Chi_Minh", [(VN, P)]),
    (
        "shopsteward.vn@example.org",
        "Vo Thi Mai",
        Group_.TRADE_UNION,
        "saigon",
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, P)],
    ),
    (
        "manager.vn@example.org",
        "Hoang Duc Anh",
        Group_.FACTORY_MANAGEMENT,
        "saigon",
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, P)],
    ),
    (
        "hr.dongnai@example.org",
        "Dang Thu Trang",
        Group_.FACTORY_MANAGEMENT,
        "dongnai",
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, P)],
    ),
    (
        "employers.vn@example.org",
        "Bui Minh Khoa",
        Group_.EMPLOYER_ASSOCIATION,
        "vea-vn",
        "VN",
        "vi",
        "Asia/Ho_Chi_Minh",
        [(VN, P)],
    ),
    (
        "sourcing.kestrel@example.org",
        "Jonas Becker",
        Group_.BRAND,
        "kestrel",
        "DE",
        "en",
        "Europe/Berlin",
        [(VN, P), (ACADEMY, P)],
    ),
    # Better Work Academy brand cohort.
    (
        "csr.northwind@example.org",
        "Ingrid Holm",
        Group_.BRAND,
        "northwind",
        "SE",
        "en",
        "Europe/Stockholm",
        [(ACADEMY, P)],
    ),
    (
        "supplier.harbour@example.org",
        "Priya Raman",
        Group_.BRAND,
        "harbour",
        "US",
        "en",
        "Asia/Kolkata",
        [(ACADEMY, P)],
    ),
    ("audit.kestrel@example.org", "Li Wei", Group_.BRAND, "kestrel", "DE", "zh-hans", "Asia/Shanghai", [(ACADEMY, P)]),
    (
        "sustain.kestrel@example.org",
        "Sofia Marques",
        Group_.BRAND,
        "kestrel",
        "DE",
        "es",
        "Europe/Berlin",
        [(ACADEMY, P)],
    ),
    (
        "lotus.group@example.org",
        "Samnang Prak",
        Group_.FACTORY_MANAGEMENT,
        "lotus",
        "KH",
        "en",
        "Asia/Phnom_Penh",
        [(ACADEMY, OBS)],
    ),
    (
        "coach.kh@example.org",
        "Claire Dubois",
        Group_.OTHER,
        "dialogue-kh",
        "KH",
        "fr",
        "Asia/Phnom_Penh",
        [(ACADEMY, P)],
    ),
]

STAFF = {"admin@example.org"}
TRAINERS = {"trainer@example.org"}

# Invitations still open in the demo, so the facilitator's page has something to show.
PENDING_INVITATIONS = [
    (KH, "inspector3.kh@example.org", P, "km"),
    (KH, "womencommittee.angkor@example.org", P, "km"),
    (VN, "osh.dongnai@example.org", P, "vi"),
]


@transaction.atomic
def seed() -> dict[str, int]:
    """Create or update the demo data; return how many of each thing exist."""
    seated_at = timezone.now() - timedelta(days=30)
    programmes = {}
    for order, (slug, name, summary, audience) in enumerate(PROGRAMMES):
        programmes[slug], _ = Programme.objects.update_or_create(
            slug=slug, defaults={"name": name, "summary": summary, "audience": audience, "sort_order": order}
        )

    organisations = {}
    for key, name, kind, country in ORGANISATIONS:
        organisations[key], _ = Organisation.objects.update_or_create(
            name=name, country=country, defaults={"kind": kind}
        )

    cohorts = {}
    for slug, name, programme, country, language, second, start, end, status in COHORTS:
        cohorts[slug], _ = Cohort.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "programme": programmes[programme],
                "country": country,
                "language": language,
                "second_language": second,
                "start_date": start,
                "end_date": end,
                "status": status,
            },
        )

    trainers, _ = Group.objects.get_or_create(name=TRAINERS_GROUP_NAME)
    password_hash = make_password(demo_password())  # hashing is slow: once, not per person
    for email, name, group, org, country, language, tz, seats in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "stakeholder_group": group,
                "organisation": organisations.get(org),
                "country": country,
                "preferred_language": language,
                "time_zone": tz,
                "is_staff": email in STAFF,
                "is_superuser": email in STAFF,
            },
        )
        if created:
            user.password = password_hash
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if email in TRAINERS:
            user.groups.add(trainers)
        for cohort_slug, role in seats:
            # Seated a month ago: demo people are not "new members" held to the forums'
            # first-day limits when someone tries the demo right after seeding it.
            Membership.objects.get_or_create(
                user=user, cohort=cohorts[cohort_slug], defaults={"role": role, "joined_at": seated_at}
            )

    for cohort_slug, email, role, language in PENDING_INVITATIONS:
        cohort = cohorts[cohort_slug]
        inviter = Membership.objects.filter(cohort=cohort, role=MembershipRole.FACILITATOR).first()
        if not Invitation.objects.filter(cohort=cohort, email=email).exists():
            Invitation.objects.create(
                cohort=cohort, email=email, role=role, language=language, invited_by=inviter and inviter.user
            )

    return {
        "programmes": Programme.objects.count(),
        "organisations": Organisation.objects.count(),
        "cohorts": Cohort.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "invitations": Invitation.objects.count(),
    }
