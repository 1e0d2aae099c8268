"""The register's marks, a session's evaluation and the compliance matrix's filters."""


from django import forms
from django.core.exceptions import ValidationError


class RegisterMarkForm(forms.Form):
    """The register's buttons: one row (`one` = "<booking id>:attended|no_show") or the ticked rows in bulk.
    A person's own button may change their mark; a bulk mark changes someone already marked only when
    `overwrite` confirms it (the register asked first)."""

    booking = forms.TypedMultipleChoiceField(coerce=int, required=False, label="People")
    one = forms.RegexField(regex=r"^\d{1,18}:(attended|no_show)$", required=False)  # an id, within 64 bits
    bulk = forms.ChoiceField(choices=[("attended", "Attended"), ("no_show", "Did not attend")], required=False)
    overwrite = forms.BooleanField(required=False)
    next = forms.ChoiceField(choices=[("register", "register"), ("close", "close")], required=False)

    def __init__(self, *args, booking_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].choices = [(pk, pk) for pk in booking_ids]

    def clean(self):
        data = super().clean()
        if self.errors:  # a booking not on this register, a tampered button: the page says so
            return data
        if data.get("one"):
            pk, status = data["one"].split(":")
            data["ids"], data["attended"], data["overwrite"] = [int(pk)], status == "attended", True
        elif data.get("bulk"):
            if not data.get("booking"):
                raise ValidationError("Tick at least one person, then choose how to mark them.")
            data["ids"], data["attended"] = data["booking"], data["bulk"] == "attended"
        else:
            raise ValidationError("Choose attended or did not attend.")
        return data


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How useful was this session for your work?",
        choices=[(5, "5 – Very useful"), (4, "4 – Useful"), (3, "3 – Somewhat useful"), (2, "2 – Not very useful"),
                 (1, "1 – Not useful at all")],
        coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5."},
    )
    comments = forms.CharField(
        label="Comments (optional)", required=False, max_length=2000,
        help_text="What worked, what could be better, and how you will use it.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ComplianceFilterForm(forms.Form):
    """Filters for the compliance matrix (organisation and sector only for those who see everyone). The options
    come from the cache (selectors.compliance_filter_choices); cleaned values are an organisation id, a sector id
    and a band number."""

    organisation = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    sector = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    band = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    q = forms.CharField(label="Name", required=False, max_length=100)
    requirement = forms.ChoiceField(required=False)
    state = forms.ChoiceField(required=False)

    def __init__(self, *args, whole_partnership: bool = False, **kwargs):
        from ..selectors import compliance_filter_choices

        super().__init__(*args, **kwargs)
        options = compliance_filter_choices()
        self.fields["band"].choices = [("", "All bands"), *options["bands"]]
        self.fields["requirement"].choices = [("", "All requirements"), *options["requirements"]]
        from ..compliance import SUMMARY_STATES

        self.fields["state"].choices = [("", "Any state"), *((s.value, s.label) for s in SUMMARY_STATES)]
        if whole_partnership:
            self.fields["organisation"].choices = [("", "All organisations"), *options["organisations"]]
            self.fields["sector"].choices = [("", "All sectors"), *options["sectors"]]
        else:
            del self.fields["organisation"], self.fields["sector"]
