from django import forms
from django.utils.translation import gettext_lazy as _

from academy.choices import MembershipRole, StakeholderGroup
from academy.models import Organisation


class ProgressFilterForm(forms.Form):
    """Filters of the facilitator's progress matrix; choices come from the cohort."""

    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=[("", _("All"))] + StakeholderGroup.choices, required=False
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, cohort, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(course.pk, course.title) for course in courses]
        organisations = Organisation.objects.filter(
            people__memberships__cohort=cohort, people__memberships__role=MembershipRole.PARTICIPANT
        ).distinct()
        self.fields["organisation"].choices = [("", _("All"))] + [(org.pk, org.name) for org in organisations]
