"""Word plans in the three shapes partnerships write, built here with fictional people and bodies."""

import io

from docx import Document


def docx_bytes(*tables: list[list[str]], merge: tuple[int, int] | None = None) -> bytes:
    """A Word document with these tables (first row the headings); `merge` joins two cells of the first row."""
    document = Document()
    document.add_paragraph("Children's workforce strategy: action plan")
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        document.add_paragraph("")
    if merge:
        first = document.tables[0]
        first.cell(merge[0], 0).merge(first.cell(merge[0], merge[1]))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Shape 1: no lead column; themes by title; timescales in words.
THEMED = [
    ["Theme", "Action", "Timescale", "Performance measures"],
    ["A confident and competent workforce", "Publish the induction standard for all new starters", "March 2027",
     "Every new starter inducted"],
    ["A confident and competent workforce", "Run the multi-agency audit", "January to April 2027", "Audit reported"],
    ["Working together", "Agree the joint supervision framework", "2026/27", "Framework signed off"],
    ["Working together", "Hold the practitioner forum", "Quarterly", "Forum attendance"],
    ["Working together", "Keep the training directory current", "On-going", "Directory checked"],
]

# Shape 2: leads are pairs and groups; status a tick or "P".
LEADS_AND_STATUS = [
    ["Action", "Lead(s)", "Timescale", "Status"],
    ["Map the early help offer", "Head of Early Help & Workforce Development Manager", "June – November 2026", "✓"],
    ["Recruit practice educators", "Workforce Strategy Group / Director of Children's Services", "Q3 2026/27", "P"],
    ["Refresh the safer recruitment course", "Lena Lead and Principal Social Worker", "November 2026 – June 2027", "P"],
    ["Launch the apprenticeship route", "Strategic Integrated Workforce Lead", "2026 – 2027 initially", ""],
]

# Shape 3: the challenge is a title with bullets ending in bracketed dates.
CHALLENGES = [
    ["Specific challenge", "Timescale completed", "Responsibility lead"],
    ["Too few newly qualified social workers stay a second year\n• Offer a protected caseload (Oct 2026)\n"
     "• Pair each with a mentor (March 27)", "Completed April 2026", "Principal Social Worker"],
    ["Supervision is not recorded consistently\n• Agree one template (Jan 2027)", "Feb 2027",
     "Head of Early Help; lead@example.org"],
    ["Partners do not know the threshold document\n• Briefings in every locality (Summer 2026)",
     "February, June and October", "Workforce Strategy Group"],
]
