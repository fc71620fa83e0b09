"""Forms of the forums. Limits live in `forums.services`; the forms only shape input and
keep what the person typed when the service refuses it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forums.choices import ThreadKind
from forums.services import POST_MAX_LENGTH, TITLE_MAX_LENGTH

TEXT_HELP = _("Markdown: **bold**, *italic*, > quote, - list, `code`, links. Mention someone with @ and their name.")


class PostTextField(forms.CharField):
    """The text box: no max_length on the widget, so an over-long draft is refused with
    a message by the service and kept in the box rather than cut by the browser."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your post"))
        kwargs.setdefault("help_text", TEXT_HELP)
        kwargs.setdefault("required", False)  # the service says what is missing
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8, "data-max-length": POST_MAX_LENGTH}))
        super().__init__(**kwargs)


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH * 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ThreadKind.choices, initial=ThreadKind.DISCUSSION, widget=forms.RadioSelect
    )
    text = PostTextField()


class ReplyForm(forms.Form):
    text = PostTextField(label=_("Your reply"))
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False)
    text = PostTextField()


def add_refusal(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form, which keeps what was typed: errors keyed by
    one of the form's fields go on that field, the rest on top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
