"""The rules a row's cells are checked by on their own (against the file, not the portal): one function a rule,
each adding to the row's errors and typed `clean` values, in the order the preview reports them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from partners.models import Organisation

from ..models import CTS_BANDS, StaffProfile, User
from .columns import DATE_FORMATS, REQUIRED, RowResult


def _choice_map(choices) -> dict[str, str]:
    """Accept a choice's value, its label, or its label's short form ("Core" for "Core (works with …)")."""
    accepted = {}
    for value, label in choices:
        for key in (value, label.lower(), label.split(" (")[0].lower()):
            accepted[key] = value
    return accepted


CHOICE_COLUMNS = [
    ("workforce", _choice_map(StaffProfile.Workforce.choices), StaffProfile.Workforce.CORE),
    ("service_tier", _choice_map(StaffProfile.ServiceTier.choices), StaffProfile.ServiceTier.UNIVERSAL),
    ("employment", _choice_map(StaffProfile.Employment.choices), StaffProfile.Employment.PAID),
    ("hours", _choice_map(StaffProfile.Hours.choices), StaffProfile.Hours.FULL_TIME),
]
CHOICE_VALUES = {
    "workforce": StaffProfile.Workforce.values,
    "service_tier": StaffProfile.ServiceTier.values,
    "employment": StaffProfile.Employment.values,
    "hours": StaffProfile.Hours.values,
}
# Sizes the database keeps: a longer cell is refused in the preview, not a 500 (PostgreSQL) or stored (SQLite).
MAX_LENGTHS = {
    "email": User._meta.get_field("email").max_length,
    "first_name": User._meta.get_field("first_name").max_length,
    "last_name": User._meta.get_field("last_name").max_length,
    "job_title": StaffProfile._meta.get_field("job_title").max_length,
    "hr_reference": StaffProfile._meta.get_field("employee_ref").max_length,
}
EARLIEST_START = date(1900, 1, 1)


@dataclass
class FileCheck:
    """What checking the rows one after another learns: the organisations by name, and the emails and HR
    references seen so far (each person once in a file)."""

    organisation: Organisation | None  # the lead's organisation; None when an administrator imports
    on: date
    organisations: dict[str, Organisation]
    seen_email: dict[str, int] = field(default_factory=dict)
    seen_ref: dict[tuple, int] = field(default_factory=dict)
    refs: set[tuple[int, str]] = field(default_factory=set)

    @property
    def latest_start(self) -> date:
        return self.on + timedelta(days=365)


def _read_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _required(result: RowResult, check: FileCheck) -> None:
    for name in REQUIRED:
        if not result.values[name].strip():
            result.errors[name] = "This column is empty, and every person needs it."


def _lengths(result: RowResult, check: FileCheck) -> None:
    for name, limit in MAX_LENGTHS.items():
        length = len(result.values[name].strip())
        if length > limit and name not in result.errors:
            result.errors[name] = f"This is {length} characters long; the portal keeps at most {limit}. Shorten it."


def _email(result: RowResult, check: FileCheck) -> None:
    v, errors = result.values, result.errors
    email = v["email"].strip().lower()
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = f"“{v['email']}” is not an email address."
        else:
            if email in check.seen_email:
                errors["email"] = f"This email is also on row {check.seen_email[email]}: each person once."
            else:
                check.seen_email[email] = result.line
    result.clean["email"] = email


def _organisation(result: RowResult, check: FileCheck) -> None:
    org_text = result.values["organisation"].strip()
    if not org_text or "organisation" in result.errors:
        return
    org = check.organisations.get(org_text.lower())
    if org is None:
        result.errors["organisation"] = f"There is no organisation called “{org_text}” in the partnership."
    elif check.organisation is not None and org.pk != check.organisation.pk:
        result.errors["organisation"] = f"You can import people of {check.organisation.name} only."
    else:
        result.clean["organisation_id"] = org.pk
        if not org.is_active:
            result.clean["inactive_organisation"] = org.name  # only those already in it may stay (checking.py)


def _band(result: RowResult, check: FileCheck) -> None:
    band_text = result.values["cts_band"].strip()
    if not band_text or "cts_band" in result.errors:
        return
    digits = band_text.lower().removeprefix("band").strip()
    if digits.isdigit() and int(digits) in CTS_BANDS:
        result.clean["cts_band"] = int(digits)
    else:
        allowed = ", ".join(str(b) for b in CTS_BANDS)
        result.errors["cts_band"] = f"“{band_text}” is not a Core Training Standard band (use one of {allowed})."


def _choices(result: RowResult, check: FileCheck) -> None:
    for column, accepted, default in CHOICE_COLUMNS:
        text = result.values[column].strip()
        value = accepted.get(text.lower()) if text else default
        if value is None:
            result.errors[column] = f"“{text}” is not one of: {', '.join(CHOICE_VALUES[column])}."
        result.clean[column] = value


def _start_date(result: RowResult, check: FileCheck) -> None:
    start = result.values["start_date"].strip()
    result.clean["start_date"] = None
    if not start:
        return
    parsed = _read_date(start)
    latest_start = check.latest_start
    if parsed is None:
        result.errors["start_date"] = (
            f"“{start}” is not a date that can be read. Write it as 2024-01-31 or 31/01/2024."
        )
    elif parsed < EARLIEST_START:
        result.errors["start_date"] = f"“{start}” is before 1900. Check the year."
    elif parsed > latest_start:
        result.errors["start_date"] = (
            f"“{start}” is more than a year from now ({latest_start:%d/%m/%Y} at the latest). Check the year."
        )
    else:
        result.clean["start_date"] = parsed


def _line_manager(result: RowResult, check: FileCheck) -> None:
    manager = result.values["line_manager_email"].strip().lower()
    result.clean["line_manager_email"] = manager
    if manager and manager == result.clean["email"]:
        result.errors["line_manager_email"] = "A person cannot be their own line manager."


def _hr_reference(result: RowResult, check: FileCheck) -> None:
    ref = result.values["hr_reference"].strip()
    clean = result.clean
    clean["employee_ref"] = ref
    if ref and "organisation_id" in clean and "hr_reference" not in result.errors:
        key = (clean["organisation_id"], ref)
        if key in check.seen_ref:
            result.errors["hr_reference"] = f"This HR reference is also on row {check.seen_ref[key]}: each person once."
        else:
            check.seen_ref[key] = result.line
            check.refs.add(key)


def _names(result: RowResult, check: FileCheck) -> None:
    for name in ("first_name", "last_name", "job_title"):
        result.clean[name] = result.values[name].strip()


CELL_RULES: list[Callable[[RowResult, FileCheck], None]] = [
    _required, _lengths, _email, _organisation, _band, _choices, _start_date, _line_manager, _hr_reference, _names,
]
