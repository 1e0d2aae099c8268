"""The file's headings mapped to the plan's fields: "Lead(s)" and "Responsibility lead" are both Leads."""

import re

# Field -> headings plans use for it (lower case, punctuation removed). The export's own headings come first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Theme code": ("theme code", "theme no", "theme number", "objective code"),
    "Theme": ("theme", "theme title", "priority", "strategic priority", "objective", "aim", "outcome"),
    "Action code": ("action code", "ref", "reference", "no", "number", "action no", "action number", "id"),
    "Title": ("title", "action", "actions", "specific challenge", "specific challenges", "challenge", "task",
              "what we will do", "action title", "activity"),
    "Description": ("description", "detail", "details", "how", "how we will do it"),
    "Leads": ("leads", "lead", "lead s", "responsibility lead", "responsibility", "responsible",
              "responsible lead", "who", "lead officer", "lead person", "owner"),
    "Leading group": ("leading group", "lead group", "lead body", "group", "governance"),
    "Start date": ("start date", "start", "from"),
    "Due date": ("due date", "due", "deadline", "target date", "by when date"),
    "Timescale": ("timescale", "timescales", "timescale completed", "timeframe", "by when", "when", "target",
                  "completion date"),
    "Plan priorities": ("plan priorities", "priorities"),
    "Performance measures": ("performance measures", "performance measure", "measures", "measure of success",
                             "success measures", "success criteria", "outcomes measures", "impact"),
    "Status": ("status", "rag", "rag status", "progress status", "complete", "completed"),
    "Latest commentary": ("latest commentary", "commentary", "progress", "comments", "update", "progress update",
                          "notes"),
}
IGNORED = {"lead names", "percent complete", "overdue", "last updated"}  # the export's columns for readers


def heading_key(heading: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", heading.lower()).split())


def suggest(header: list[str]) -> list[str | None]:
    """Each heading's field, or None; each field is used once (the first heading that names it)."""
    lookup = {name: field for field, names in SYNONYMS.items() for name in names}
    keys = {heading_key(str(h or "")) for h in header}
    # The export's status columns are for readers: status changes only through dated updates (docs/actions.md).
    used: set[str] = {"Status", "Latest commentary"} if keys >= IGNORED else set()
    columns: list[str | None] = []
    for heading in header:
        key = heading_key(str(heading or ""))
        field = None if key in IGNORED else lookup.get(key)
        columns.append(field if field and field not in used else None)
        if field:
            used.add(field)
    return columns


def missing_fields(columns: list[str | None]) -> list[str]:
    """A plan needs at least its actions' titles; a code and a theme are made up when the file has none."""
    return [] if "Title" in columns else ["Title (the action itself)"]
