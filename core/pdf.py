"""Scope on the table header cells of a WeasyPrint tagged PDF (PDF/UA-1, check 15-003), added before the
bytes are written: `write_pdf(pdf_variant="pdf/ua-1", finisher=table_header_scopes)`. docs/core.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HEADER_ROW_GROUP = "/THead"
CELLS = ("/TH", "/TD")


def _number(reference: object) -> int | None:
    """The object number of an indirect reference as pydyf writes it (b"12 0 R")."""
    if isinstance(reference, bytes):
        reference = reference.decode()
    if isinstance(reference, str) and reference.endswith(" R"):
        return int(reference.split()[0])
    return None


def table_header_scopes(document: object, pdf: Any) -> None:
    """A WeasyPrint finisher: give every TH structure element of `pdf` (a pydyf.PDF) its /Scope."""
    objects = pdf.objects

    def get(reference: object) -> Any:
        number = _number(reference)
        return objects[number] if number is not None and 0 < number < len(objects) else None

    for element in objects:
        if not isinstance(element, dict) or element.get("S") != "/TH":
            continue
        attributes = element.get("A")
        if not isinstance(attributes, dict):
            attributes = element["A"] = type(element)({"O": "/Table"})
        if "Scope" in attributes:
            continue
        attributes["Scope"] = _scope(element, get)


def _scope(header: dict[str, Any], get: Callable[[object], Any]) -> str:
    row = get(header.get("P"))
    if not isinstance(row, dict):
        return "/Row"
    group = get(row.get("P"))
    if isinstance(group, dict) and group.get("S") == HEADER_ROW_GROUP:
        return "/Column"
    kinds = [cell.get("S") for cell in map(get, row.get("K") or []) if isinstance(cell, dict)]
    cells = [kind for kind in kinds if kind in CELLS]
    return "/Column" if cells and all(kind == "/TH" for kind in cells) else "/Row"
