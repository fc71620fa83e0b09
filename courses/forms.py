from django import forms
from django.utils.translation import gettext_lazy as _

from academy.choices import StakeholderGroup
from academy.widgets import QuickSelect


class ProgressFilterForm(forms.Form):
    """Filters of the facilitator's progress matrix; choices come from the cohort."""

    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, widget=QuickSelect)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        choices=[("", _("All"))] + StakeholderGroup.choices,
        required=False,
        widget=QuickSelect,
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args, courses, organisations, **kwargs):
        """`organisations`: (id, name) of the organisations of the cohort's participants."""
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(course.pk, course.title) for course in courses]
        self.fields["organisation"].choices = [("", _("All")), *organisations]
