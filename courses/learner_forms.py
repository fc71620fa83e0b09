"""Forms a learner fills in inside a lesson."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import ImprovementAction, Reflection


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["text", "shared"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5, "maxlength": Reflection.MAX_LENGTH})}
        labels = {"shared": _("Share this reflection with my cohort's facilitators")}
        error_messages = {"text": {"required": _("Write your reflection before saving it.")}}


class ImprovementActionForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["title", "owner", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "title": _("Specific enough that anyone could check it is done."),
            "owner": _("A named person, not a committee."),
        }
