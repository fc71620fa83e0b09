"""The named sets of the domain, defined once and imported everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderGroup(models.TextChoices):
    BRAND = "brand", _("Brand")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate / government")
    TRADE_UNION = "trade_union", _("Trade union / worker representative")
    FACTORY_MANAGEMENT = "factory_management", _("Factory management")
    EMPLOYER_ASSOCIATION = "employer_association", _("Employer association")
    PROGRAMME_STAFF = "programme_staff", _("Programme staff / facilitator")
    OTHER = "other", _("Other")


# The constituencies participants speak for: every stakeholder group but the programme's
# own staff, who run the sessions. A roundtable flags a constituency it has not heard;
# staff not taking the floor is no gap.
CONSTITUENCIES = frozenset(StakeholderGroup) - {StakeholderGroup.PROGRAMME_STAFF}


class OrganisationKind(models.TextChoices):
    BRAND = "brand", _("Brand")
    FACTORY = "factory", _("Factory")
    MANUFACTURING_GROUP = "manufacturing_group", _("Manufacturing group")
    UNION = "union", _("Trade union")
    MINISTRY = "ministry", _("Ministry")
    EMPLOYER_ASSOCIATION = "employer_association", _("Employer association")
    NGO = "ngo", _("NGO")


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


class MembershipRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator")
    OBSERVER = "observer", _("Observer")


class InvitationState(models.TextChoices):
    """Derived, never stored: computed from an invitation's timestamps."""

    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# Trainers are a group with rights on the course tree, not a cohort role.
TRAINERS_GROUP_NAME = "Trainers"
