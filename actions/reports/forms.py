from django import forms
from django.utils import timezone

from ..models import Strategy
from .quarters import quarter_containing, quarter_from_key, quarters_between


class BoardReportForm(forms.Form):
    """Generate a report: which plan and quarter, and the words the strategy group adds."""

    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none(), label="Strategy", empty_label=None)
    quarter = forms.ChoiceField(label="Quarter", help_text="Quarters of the financial year (Q1 is April to June).")
    recommendations = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What the Board is asked to do, e.g. “That the Board notes progress…”. Separate paragraphs "
                  "with a blank line. Left empty, the report asks the Board to note progress.",
    )
    author = forms.CharField(max_length=200, required=False, help_text="Name and job title.")
    contact = forms.CharField(max_length=200, required=False, help_text="Email or phone for questions.")
    sponsor = forms.CharField(max_length=200, required=False, help_text="The Board sponsor of the strategy.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.order_by("-period_start")
        today = timezone.localdate()
        earliest = Strategy.objects.order_by("period_start").values_list("period_start", flat=True).first() or today
        self.quarters = quarters_between(earliest, today)
        self.fields["quarter"].choices = [(q.key, q.long_label) for q in self.quarters]
        current = quarter_containing(today)
        previous = next((q for q in self.quarters if q.end < current.start), None)
        if previous is not None:
            self.fields["quarter"].initial = previous.key

    def clean_quarter(self):
        try:
            return quarter_from_key(self.cleaned_data["quarter"])
        except ValueError:
            raise forms.ValidationError("Choose a quarter from the list.") from None

    def clean(self):
        cleaned = super().clean()
        strategy, quarter = cleaned.get("strategy"), cleaned.get("quarter")
        if strategy and quarter and (quarter.end < strategy.period_start or quarter.start > strategy.period_end):
            self.add_error("quarter", f"{quarter.label} is outside the strategy's period "
                                      f"({strategy.period_start:%-d %b %Y} to {strategy.period_end:%-d %b %Y}).")
        return cleaned
