from django import forms
from django.utils.translation import gettext_lazy as _

from academy.choices import MembershipRole, StakeholderGroup
from academy.models import Organisation
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

    def __init__(self, *args, cohort, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(course.pk, course.title) for course in courses]
        organisations = (
            Organisation.objects.filter(
                people__memberships__cohort=cohort, people__memberships__role=MembershipRole.PARTICIPANT
            )
            .distinct()
            .values_list("pk", "name")
        )
        self.fields["organisation"].choices = [("", _("All")), *organisations]
