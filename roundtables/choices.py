"""The named sets of the roundtables app, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    ROUNDTABLE = "roundtable", _("Roundtable")
    SEMINAR = "seminar", _("Virtual seminar")


class PrivacyMode(models.TextChoices):
    NAMED = "named", _("Named")
    CHATHAM_HOUSE = "chatham_house", _("Chatham House")


class RsvpAnswer(models.TextChoices):
    YES = "yes", _("Yes, I will attend")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No, I cannot attend")


class BreakoutMode(models.TextChoices):
    MIXED = "mixed", _("Mixed: each group balanced across stakeholder groups")
    CAUCUS = "caucus", _("By constituency (caucus)")


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "24h", _("24 hours before")
    HOUR_BEFORE = "1h", _("1 hour before")
