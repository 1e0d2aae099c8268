"""Forms for training: validation and widgets. Saving goes through training.services."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Band, Course, Event, Requirement, Session, StandardVersion, Theme
from .services import DateSpan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# The largest id a database column holds (64 bits). SQLite cannot even bind a larger integer, and Django's `__in`
# lookup (which ModelMultipleChoiceField uses) passes one through: an OverflowError, a 500. No row has such an id.
MAX_ID = 2**63 - 1


def _beyond_any_id(value) -> bool:
    try:
        return abs(int(value)) > MAX_ID
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check says so


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database can hold with its usual "Select a valid choice" message, before
    it reaches the database."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if _beyond_any_id(pk):
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})
        return super()._check_values(value)


# === People's forms ========================================================================================


class BookingCreateForm(forms.Form):
    confirm_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BookingDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the person)", required=False, max_length=250, widget=forms.Textarea(attrs={"rows": 2})
    )


class BookingTransferForm(forms.Form):
    to_person = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Pass the place to")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = team
        self.fields["to_person"].label_from_instance = lambda user: f"{user.full_name or user.email} ({user.email})"


# === Coordinators' forms ===================================================================================


class StandardVersionForm(forms.ModelForm):
    class Meta:
        model = StandardVersion
        fields = ["name", "effective_from", "notes"]
        widgets = {"effective_from": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class BandForm(forms.ModelForm):
    class Meta:
        model = Band
        fields = ["number", "label", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "slug", "description", "is_common_core", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RequirementForm(forms.ModelForm):
    # The model's bounds, stated on the field too, so the number box's min and max agree with what is accepted.
    refresher_months = forms.IntegerField(
        label="Refresher months", required=False, min_value=1, max_value=240,
        help_text=Requirement._meta.get_field("refresher_months").help_text,
        error_messages={"min_value": "Enter at least 1 month, or leave it empty if once is enough.",
                        "max_value": "Enter at most 240 months (20 years), or leave it empty if once is enough."},
    )

    class Meta:
        model = Requirement
        fields = ["version", "band", "title", "courses", "refresher_months", "order"]
        widgets = {"courses": forms.SelectMultiple(attrs={"size": 10})}
        labels = {"courses": "Courses (any one meets the requirement)"}
        field_classes = {"courses": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = Course.objects.filter(is_active=True).order_by("title")
        self.fields["courses"].help_text = "Hold Ctrl (or Cmd) to choose more than one equivalent course."


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "code", "title", "summary", "outcomes", "audience", "duration", "delivery_mode", "themes", "provider",
            "prerequisites", "variant", "refresher_of", "needs_manager_approval", "copy_line_manager",
            "cancellation_notice_days", "is_active",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "themes": forms.CheckboxSelectMultiple,
            "prerequisites": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"themes": ModelMultipleChoiceField, "prerequisites": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Course.objects.order_by("title")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = others
        self.fields["refresher_of"].queryset = others

    def clean(self):
        data = super().clean()
        if data.get("variant") == Course.Variant.REFRESHER and not data.get("refresher_of"):
            self.add_error("refresher_of", "Choose the course this refresher refreshes.")
        if data.get("variant") != Course.Variant.REFRESHER and data.get("refresher_of"):
            self.add_error("variant", "Only a refresher refreshes another course: choose “Refresher” or clear it.")
        circular = self._prerequisites_needing_this_course(data.get("prerequisites") or [])
        if circular:
            titles = ", ".join(course.title for course in circular)
            self.add_error("prerequisites", f"{titles} already needs this course first, so it cannot also be a "
                                            "prerequisite of it: nobody could ever book either.")
        return data

    def _prerequisites_needing_this_course(self, chosen) -> list[Course]:
        """The chosen prerequisites that (directly or through others) already require this course."""
        if not self.instance.pk:
            return []
        needs = {}
        for course_id, prerequisite_id in Course.prerequisites.through.objects.values_list(
            "from_course_id", "to_course_id"
        ):
            needs.setdefault(course_id, set()).add(prerequisite_id)

        def requires_this(course_id, seen) -> bool:
            for prerequisite_id in needs.get(course_id, ()):
                if prerequisite_id == self.instance.pk:
                    return True
                if prerequisite_id not in seen:
                    seen.add(prerequisite_id)
                    if requires_this(prerequisite_id, seen):
                        return True
            return False

        return [course for course in chosen if requires_this(course.pk, {course.pk})]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "slug", "summary", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The event must end on or after the day it starts.")
        return data


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


# --- register, certificates, evaluations, compliance ---------------------------------------------------


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

    def __init__(self, *args, whole_partnership: bool = False, **kwargs):
        from .selectors import compliance_filter_choices

        super().__init__(*args, **kwargs)
        options = compliance_filter_choices()
        self.fields["band"].choices = [("", "All bands"), *options["bands"]]
        if whole_partnership:
            self.fields["organisation"].choices = [("", "All organisations"), *options["organisations"]]
            self.fields["sector"].choices = [("", "All sectors"), *options["sectors"]]
        else:
            del self.fields["organisation"], self.fields["sector"]
