"""The core of the platform: who people are, and which rooms they sit in.

- A **User** signs in with an email address and says who they are: a display name, a
  stakeholder group (brand, labour inspectorate, trade union, factory management,
  employer association, programme staff, other), an organisation, a country, a
  preferred language and a time zone.
- An **Organisation** is a brand, factory, manufacturing group, union, ministry,
  employer association or NGO, in a country.
- A **Programme** (Better Work Academy, Building Bridges, each leadership programme)
  runs in **Cohorts**: one country, one working language (and perhaps a second), dates
  and a status.
- A **Membership** seats one user in one cohort with a role: participant, facilitator or
  observer. A user has at most one membership per cohort.
- An **Invitation** is a single-use, expiring link for an email address, a cohort and a
  role; accepting it creates the membership.

Who may see or do what is decided in `academy.access`, nowhere else.
"""

import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from academy.choices import (
    CohortStatus,
    InvitationState,
    MembershipRole,
    OrganisationKind,
    StakeholderGroup,
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class UserManager(BaseUserManager):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        extra_fields.setdefault("stakeholder_group", StakeholderGroup.PROGRAMME_STAFF)
        return self._create_user(email, password, **extra_fields)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = CountryField(_("country"))

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(Lower("name"), "country", name="organisation_name_country_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})" if self.country else self.name


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("How other members see you, for example “Sokha Chan”."),
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"),
        max_length=32,
        choices=StakeholderGroup.choices,
        default=StakeholderGroup.OTHER,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    country = CountryField(_("country"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences for newcomers."))
    audience = models.CharField(_("who takes it"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), unique=True, max_length=160)
    country = CountryField(_("country"))
    language = models.CharField(_("working language"), max_length=10, choices=settings.LANGUAGES)
    second_language = models.CharField(_("second language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=16, choices=CohortStatus.choices, default=CohortStatus.PLANNED)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="cohorts")

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohort_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.PARTICIPANT
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        ordering = ["cohort", "role", "user__display_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "cohort"], name="membership_unique_per_cohort")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.ACADEMY_INVITATION_VALID_DAYS)


class Invitation(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.PARTICIPANT
    )
    language = models.CharField(_("email language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and cohort: inviting again refreshes it.
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email_and_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("invitation_open", kwargs={"token": self.token})

    @property
    def state(self) -> InvitationState:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING
