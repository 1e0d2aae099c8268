"""Coordinators' forms for a session: its details, its dates (a formset) and cancelling it."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import Course, Event, Session
from ..services import DateSpan
from ._fields import DATE, DATETIME, TIME, ModelMultipleChoiceField


class SessionForm(forms.ModelForm):
    # The model's bounds (1–1000), stated on the field so the number box's min and max agree with the server.
    capacity = forms.IntegerField(min_value=1, max_value=1000, help_text="The number of places (1 to 1,000).")
    online_url = forms.URLField(label="Online link", required=False, assume_scheme="https", max_length=200)
    trainers = ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Session
        fields = [
            "course", "event", "capacity", "venue_name", "venue_address", "access_notes", "online_url",
            "booking_opens_at", "booking_closes_at", "notes",
        ]
        widgets = {
            "booking_opens_at": DATETIME,
            "booking_closes_at": DATETIME,
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True).order_by("title")
        self.fields["event"].queryset = Event.objects.order_by("-starts_on")
        if self.instance.pk:
            self.fields["course"].disabled = True
            self.fields["course"].help_text = "A session's course cannot change once it exists."
            self.initial["trainers"] = list(self.instance.trainers.all())

    def clean(self):
        data = super().clean()
        if not data.get("venue_name") and not data.get("online_url"):
            self.add_error("venue_name", "Give a venue, an online link, or both.")
        opens, closes = data.get("booking_opens_at"), data.get("booking_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("booking_closes_at", "Booking must close after it opens.")
        return data


def _exists_on(day: dt.date, time: dt.time) -> bool:
    """Whether the clock shows this time on this day here: not in the hour skipped when the clocks go forward
    (01:00–02:00 in London on the last Sunday of March). A time that happens twice (the clocks going back) exists;
    it means the first of the two, as in calendar files (RFC 5545 3.3.5), so the .ics and the page agree."""
    tz = timezone.get_current_timezone()
    wall = dt.datetime.combine(day, time)
    return wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == wall


class SessionDateForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    start = forms.TimeField(label="Starts", widget=TIME)
    end = forms.TimeField(label="Ends", widget=TIME)

    def clean(self):
        data = super().clean()
        day = data.get("day")
        for name in ("start", "end"):
            if day and data.get(name) and not _exists_on(day, data[name]):
                self.add_error(name, f"{data[name]:%H:%M} does not exist on {day:%-d %B %Y}: the clocks go forward an "
                                     "hour that night. Choose another time.")
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The end time must be after the start time.")
        return data

    def span(self) -> DateSpan:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return DateSpan(
            starts_at=dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=tz),
            ends_at=dt.datetime.combine(day, self.cleaned_data["end"], tzinfo=tz),
        )


class BaseSessionDateFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        spans = self.spans()
        if not spans:
            raise ValidationError("Give at least one date with its start and end times.")
        spans.sort(key=lambda s: s.starts_at)
        for earlier, later in zip(spans, spans[1:], strict=False):
            if later.starts_at < earlier.ends_at:
                raise ValidationError("Two of the dates overlap. Each date needs its own time.")

    def spans(self) -> list[DateSpan]:
        return [form.span() for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]


def session_date_formset(*, data=None, session: Session | None = None, extra: int = 2):
    initial = []
    if session is not None:
        for date in session.dates.all():
            start, end = timezone.localtime(date.starts_at), timezone.localtime(date.ends_at)
            initial.append({"day": start.date(), "start": start.time(), "end": end.time()})
    formset_class = forms.formset_factory(
        SessionDateForm, formset=BaseSessionDateFormSet, extra=extra, max_num=10, validate_max=True,
        can_delete=bool(initial),
    )
    return formset_class(data=data, initial=initial, prefix="dates")


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to everyone booked)", max_length=250, widget=forms.Textarea(attrs={"rows": 2})
    )
