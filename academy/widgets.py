"""Form widgets for long lists."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A single <select> rendered in Python.

    Django renders every <option> through a template; for the few hundred organisations
    of a large cohort that costs more than the rest of the page. Same markup and
    attributes (id, aria-describedby, required); values and labels escaped; no optgroups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(str(option))}"{" selected" if str(option) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for option, label in ((("" if option is None else option), label) for option, label in self.choices)
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308 - escaped above
