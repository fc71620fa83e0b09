"""Forms of the core: signup details, profile, invitations, roles."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from academy.choices import MembershipRole, StakeholderGroup
from academy.invitation_import import InviteListError, parse_invite_csv, parse_invite_text
from academy.models import Organisation, User

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]

INVITE_NEEDS_ADDRESSES = _("Paste at least one email address, or choose a CSV file.")
INVITE_ONE_SOURCE = _("Paste addresses or upload a file, not both at once.")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} — {obj.country.name}" if obj.country else obj.name


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's signup form: who the person is in the programme."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("As the other members of your cohort will see it."),
    )
    # No default: the cohort page groups people by this, so each person chooses it.
    stakeholder_group = forms.ChoiceField(
        label=_("You take part as"), choices=[("", _("Choose…")), *StakeholderGroup.choices]
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Leave empty if yours is not listed; a facilitator can add it."),
    )
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", "—")] + list(countries), required=False)

    def signup(self, request, user: User) -> None:
        """Called by allauth once the account exists."""
        user.display_name = self.cleaned_data["display_name"].strip()
        user.stakeholder_group = self.cleaned_data["stakeholder_group"]
        user.organisation = self.cleaned_data.get("organisation")
        user.country = self.cleaned_data.get("country") or ""
        user.preferred_language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE) or "en"
        if user.preferred_language not in dict(settings.LANGUAGES):
            user.preferred_language = settings.LANGUAGE_CODE
        user.save()


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.all(), required=False)

    class Meta:
        model = User
        fields = ["display_name", "stakeholder_group", "organisation", "country", "preferred_language", "time_zone"]

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name other members will see."))
        return name


class InviteForm(forms.Form):
    """One address, a pasted list, or a CSV file; all invited with one role."""

    addresses = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "sokha.chan@example.org\nlan.nguyen@example.org, vi"}),
        required=False,
        help_text=_(
            "One per line. Add a comma and a language code (en, fr, es, km, vi, zh-hans) to choose the language of the email."
        ),
    )
    csv_file = forms.FileField(
        label=_("…or a CSV file"),
        required=False,
        help_text=_("Columns: email, and optionally language. At most 500 rows and 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.PARTICIPANT)

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("addresses") or "").strip()
        upload = cleaned.get("csv_file")
        if text and upload:
            raise forms.ValidationError(INVITE_ONE_SOURCE)
        if not text and not upload:
            raise forms.ValidationError(INVITE_NEEDS_ADDRESSES)
        try:
            cleaned["parsed"] = parse_invite_csv(upload) if upload else parse_invite_text(text)
        except InviteListError as error:
            self.add_error("csv_file" if upload else "addresses", str(error))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
