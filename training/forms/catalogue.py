"""Coordinators' forms for the standard (versions, bands, themes, requirements), courses and events."""


from django import forms

from ..models import Band, Course, Event, Requirement, StandardVersion, Theme
from ._fields import DATE, ModelMultipleChoiceField


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
