"""Forms of moderation. They shape input and keep what was typed; the rules live in
`forums.moderation` (and `forums.services.category_add`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import User
from forums import moderation
from forums.choices import FlagReason, IdentityMode
from forums.models import Category, Space, Thread


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": moderation.FLAG_REASON_MISSING, "invalid_choice": moderation.FLAG_REASON_MISSING},
    )
    note = forms.CharField(
        label=_("Anything the facilitators should know (optional)"),
        required=False,
        max_length=moderation.FLAG_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the forum's facilitators read flags. The author is not told who flagged their post."),
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.none(), empty_label=None)

    def __init__(self, *args, thread: Thread, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(space_id=thread.space_id).exclude(
            pk=thread.category_id
        )


class SuspendForm(forms.Form):
    HOURS, DAYS = "hours", "days"

    member = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.none())
    amount = forms.IntegerField(label=_("For"), min_value=1, max_value=moderation.SUSPENSION_MAX_HOURS, initial=1)
    unit = forms.ChoiceField(label=_("Unit"), choices=[(HOURS, _("hours")), (DAYS, _("days"))], initial=DAYS)
    reason = forms.CharField(
        label=_("Reason (for the facilitators' record)"),
        max_length=300,
        required=False,  # the service says what is missing
        widget=forms.TextInput,
    )

    def __init__(self, *args, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = moderation.suspendable_members(space=space)
        self.fields["member"].label_from_instance = lambda user: f"{user} · {user.get_stakeholder_group_display()}"

    def hours(self) -> int:
        amount = self.cleaned_data["amount"]
        return amount * 24 if self.cleaned_data["unit"] == self.DAYS else amount


class LimitsForm(forms.Form):
    new_member_hours = forms.IntegerField(
        label=_("New members' period (hours)"),
        min_value=0,
        max_value=24 * 90,
        help_text=_("How long after joining the limits below apply. 0 turns them off."),
    )
    new_member_post_interval = forms.IntegerField(
        label=_("Seconds between posts for new members"), min_value=0, max_value=24 * 60 * 60
    )
    new_member_max_links = forms.IntegerField(label=_("Links per post for new members"), min_value=0, max_value=100)

    @classmethod
    def for_space(cls, space: Space, data=None) -> "LimitsForm":
        initial = {
            "new_member_hours": space.new_member_hours,
            "new_member_post_interval": space.new_member_post_interval,
            "new_member_max_links": space.new_member_max_links,
        }
        return cls(data, initial=initial)


class CategoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    identity = forms.ChoiceField(
        label=_("Who members see as the author"),
        choices=IdentityMode.choices,
        initial=IdentityMode.NAMED,
        widget=forms.RadioSelect,
        help_text=_("Each post keeps the identity it was written under, even if its thread moves later."),
    )
