"""Writing the staff file: the export, in exactly the shape the import reads."""

from collections.abc import Iterator

from core.exports import csv_lines

from .columns import COLUMNS


def staff_export_lines(users) -> Iterator[str]:
    """The staff file, line by line (core.exports): the header, then one row per person, in the shape the
    import reads."""
    rows = users.values_list(
        "email", "profile__employee_ref", "first_name", "last_name", "profile__organisation__name",
        "profile__job_title", "profile__workforce", "profile__service_tier", "profile__cts_band",
        "profile__line_manager__email", "profile__employment", "profile__hours", "profile__start_date",
    )  # fmt: skip
    return csv_lines([heading for _name, heading in COLUMNS], rows.iterator(chunk_size=2000), bom=False)
