"""Forms for the action plan: input checks only; saving is the services' job."""

from pathlib import PurePath

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from partners.models import GovernanceBody
from partners.selectors import governance_bodies

from .models import UPDATE_STATUSES, Evidence, Milestone, Strategy, Theme
from .services import ActionFields, EvidenceFile

User = get_user_model()

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "period_start", "period_end", "status", "summary"]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"status": "Making a strategy active archives the plan that is active now."}

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", "The period must end on or after the day it starts.")
        return data


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["code", "title", "aim", "order"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"order": "Themes are shown in this order (lowest first)."}


class LeadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} (left)" if not obj.is_active else str(obj)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        ended = obj.end_date is not None and obj.end_date < timezone.localdate()
        return f"{obj} (ended)" if ended else str(obj)


class ActionForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none())
    code = forms.CharField(max_length=20, help_text='e.g. "2.3"; unique within the strategy.')
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    leads = LeadChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="One or more named people. Hold Ctrl (Cmd on a Mac) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    leading_body = GroupChoiceField(
        label="Leading group", queryset=GovernanceBody.objects.none(), required=False, empty_label="None",
        help_text="Optional: a governance body that leads with the named people.",
    )
    start_date = forms.DateField(required=False, widget=DATE_WIDGET)
    due_date = forms.DateField(required=False, widget=DATE_WIDGET,
                               help_text="Leave blank for on-going actions; say so under timescale.")
    timescale = forms.CharField(max_length=200, required=False,
                                help_text='As the plan says it, e.g. "Quarterly events throughout the year".')
    priorities = forms.CharField(label="Plan priorities", max_length=100, required=False,
                                 help_text='Codes in the partnership plan, e.g. "4a, 4c".')
    performance_measures = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, strategy: Strategy, action=None, **kwargs):
        """`action`: the action being edited. People who have left and groups that have ended are offered only
        where they already lead it (marked "(left)", "(ended)"), so saving the form keeps them."""
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = strategy.themes.order_by("order", "code")
        current_leads = Q(is_active=True)
        current_bodies = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
        if action is not None:
            current_leads |= Q(pk__in=action.leads.values("pk"))
            current_bodies |= Q(pk=action.leading_body_id)
        self.fields["leads"].queryset = User.objects.filter(current_leads).order_by("last_name", "first_name")
        self.fields["leading_body"].queryset = governance_bodies(on=timezone.localdate()).filter(current_bodies)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("due_date") and data["due_date"] < data["start_date"]:
            self.add_error("due_date", "The due date must be on or after the start date.")
        return data

    def to_fields(self) -> ActionFields:
        d = self.cleaned_data
        return ActionFields(
            theme=d["theme"], code=d["code"], title=d["title"], description=d["description"], leads=d["leads"],
            leading_body=d["leading_body"], start_date=d["start_date"], due_date=d["due_date"],
            timescale=d["timescale"], priorities=d["priorities"], performance_measures=d["performance_measures"],
        )

    @classmethod
    def initial_for(cls, action) -> dict:
        return {
            "theme": action.theme_id, "code": action.code, "title": action.title, "description": action.description,
            "leads": list(action.leads.values_list("pk", flat=True)), "leading_body": action.leading_body_id,
            "start_date": action.start_date,
            "due_date": action.due_date, "timescale": action.timescale, "priorities": action.priorities,
            "performance_measures": action.performance_measures,
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_date"]
        widgets = {"due_date": DATE_WIDGET, "done_date": DATE_WIDGET}
        help_texts = {"done_date": "Fill in when the milestone is reached: today or earlier, not before the action "
                                   "started."}


# --- Evidence files -----------------------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 5
MAX_LINK_LENGTH = Evidence._meta.get_field("url").max_length  # 500
# extension -> (content type served back, magic bytes the file must start with, or None for text)
ALLOWED_EVIDENCE = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}
ALLOWED_TYPES_TEXT = "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), CSV, text (.txt), PNG or JPEG"
# Programs, whatever their name says: Windows PE, ELF, Mach-O, Java class, scripts with a #! line.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")


def validate_evidence_file(uploaded) -> EvidenceFile:
    """Check an uploaded file's type (by extension and by its first bytes) and size; a clear message if not."""
    name = PurePath(uploaded.name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_EVIDENCE:
        raise ValidationError(f"“{name}” is not a type we accept: upload a {ALLOWED_TYPES_TEXT} file.")
    if uploaded.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            f"“{name}” is {filesizeformat(uploaded.size)}: each file must be {filesizeformat(MAX_EVIDENCE_BYTES)} "
            "or smaller."
        )
    if uploaded.size == 0:
        raise ValidationError(f"“{name}” is empty.")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    content_type, magic = ALLOWED_EVIDENCE[suffix]
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError(f"“{name}” is a program, not a document: programs cannot be uploaded.")
    if magic is None:
        if b"\x00" in head:
            raise ValidationError(f"“{name}” does not look like a {suffix[1:].upper()} file (it is not text).")
    elif not head.startswith(magic):
        raise ValidationError(f"“{name}” does not look like a {suffix[1:].upper()} file: its contents do not match "
                              "its name.")
    return EvidenceFile(file=uploaded, name=name, content_type=content_type, size=uploaded.size)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(f"Attach at most {MAX_EVIDENCE_FILES} files to one update.")
        checked, errors = [], []
        for item in files:
            super().clean(item, initial)
            try:
                checked.append(validate_evidence_file(item))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=UPDATE_STATUSES, widget=forms.RadioSelect, label="Status")
    percent_complete = forms.IntegerField(
        label="Percent complete", min_value=0, max_value=100, required=False,
        help_text="0 to 100. Leave blank to keep the current figure; completed means 100.",
    )
    commentary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="What has happened since the last update, and what comes next.")
    files = MultipleFileField(
        label="Evidence files", required=False,
        help_text=f"Optional. Up to {MAX_EVIDENCE_FILES} files, each 10 MB or smaller: {ALLOWED_TYPES_TEXT}.",
    )
    links = forms.CharField(
        label="Evidence links", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. One web address per line, starting https://, each at most 500 characters.",
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ",".join(sorted(ALLOWED_EVIDENCE))
        if action is not None and not self.is_bound:
            self.initial.setdefault("percent_complete", action.percent_complete)
            if action.current_status not in ("none", "completed", "dropped"):
                self.initial.setdefault("status", action.current_status)

    def clean_links(self) -> list[str]:
        validate = URLValidator(schemes=["http", "https"])
        links = []
        for line in self.cleaned_data["links"].splitlines():
            line = line.strip()
            if not line:
                continue
            if len(line) > MAX_LINK_LENGTH:
                raise ValidationError(f"“{line[:60]}…” is {len(line)} characters long: a link can be at most "
                                      f"{MAX_LINK_LENGTH}. Link to the page that holds the evidence, or attach it as "
                                      "a file.")
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(f"“{line}” is not a web address: start it with https://") from None
            links.append(line)
        return links


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Plan file",
        help_text="A Word .docx (its table of actions), or an .xlsx or .csv file: one row per action.",
    )
