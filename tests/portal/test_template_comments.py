"""Django's one-line comments ({# … #}) end on the line they start on: one spread over two lines is not a comment
and is shown to everyone as text. Longer notes use {% comment %}."""

import re
from pathlib import Path

from django.conf import settings

OPENED = re.compile(r"\{#(?!.*#\})")


def test_every_one_line_comment_closes_on_its_line():
    unclosed = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1)
        if OPENED.search(line)
    ]
    assert unclosed == [], "a {# comment #} spread over lines is shown as text: use {% comment %}"
