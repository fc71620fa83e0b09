"""Forms of the sessions pages. They check the shape of the input; the domain's rules
(times, agenda limits, file limits) are checked by `roundtables.services`, whose errors
the views put back on the form's fields."""

from django import forms
from django.core import validators
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from roundtables.choices import PrivacyMode, RsvpAnswer, SessionKind
from roundtables.services import AGENDA_ITEM_MAX_LENGTH, AGENDA_MAX_ITEMS, RSVP_INVALID_ANSWER, VIDEO_URL_INVALID

# Shown on the form under the two modes, and on the session's page.
PRIVACY_EXPLANATIONS = {
    PrivacyMode.NAMED: _("Everyone sees who said what, in the room and in the record."),
    PrivacyMode.CHATHAM_HOUSE: _(
        "Chatham House rule: people may use what is said, but the record and its exports show each speaker only "
        "as their stakeholder group, never by name or organisation."
    ),
}

# datetime-local: one picker for date and time on phones; Django parses the ISO value.
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WebLinkField(forms.URLField):
    """A web address: http or https only (no javascript:, data:, ftp:...)."""

    default_validators = [validators.URLValidator(schemes=["http", "https"], message=VIDEO_URL_INVALID)]
    default_error_messages = {"invalid": VIDEO_URL_INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class SessionForm(forms.Form):
    """Schedule or edit a session. Times are read in the active time zone (the
    facilitator's own, set by academy.middleware), whose name the view passes in to be
    shown on the form; `agenda` is cleaned into a list of non-empty lines."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the session is for and how to prepare. Plain text."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LOCAL_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LOCAL_DATETIME)
    video_url = WebLinkField(
        label=_("Video link"),
        required=False,
        max_length=200,
        help_text=_(
            "For seminars: the external video meeting (Zoom, Teams, Jitsi…) people join. Starts with https://."
        ),
    )
    privacy = forms.ChoiceField(label=_("Privacy"), choices=PrivacyMode.choices, widget=forms.RadioSelect)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, zone_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_name = zone_name
        in_zone = _("Date and time in your time zone, %(zone)s.") % {"zone": zone_name}
        self.fields["starts_at"].help_text = in_zone
        self.fields["ends_at"].help_text = in_zone
        self.fields["agenda"].help_text = _(
            "One item per line, in order: at most %(count)d items of %(length)d characters each."
        ) % {"count": AGENDA_MAX_ITEMS, "length": AGENDA_ITEM_MAX_LENGTH}

    @property
    def privacy_options(self) -> list[tuple]:
        """Each privacy radio button with the explanation shown under it."""
        return [(radio, PRIVACY_EXPLANATIONS[radio.data["value"]]) for radio in self["privacy"]]

    def clean_agenda(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]

    @classmethod
    def initial_for(cls, session) -> dict:
        """The form's initial values for an existing session."""
        return {
            "kind": session.kind,
            "title": session.title,
            "description": session.description,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "video_url": session.video_url,
            "privacy": session.privacy,
            "agenda": "\n".join(item.title for item in session.agenda_items.all()),
        }


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=RsvpAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RSVP_INVALID_ANSWER, "invalid_choice": RSVP_INVALID_ANSWER},
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), max_length=200)

    def __init__(self, *args, extensions: list[str], max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(size)s.") % {
            "types": ", ".join(f".{extension}" for extension in extensions),
            "size": filesizeformat(max_bytes),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{extension}" for extension in extensions)
