"""Reading a tagged PDF's structure tree back (pypdf), for tests of PDF/UA tagging."""

import io

import pypdf

ROW_GROUPS = ("/THead", "/TBody", "/TFoot")


def table_headers(content: bytes) -> list[tuple[str, str | None]]:
    """Every TH structure element in document order, as (the row group it is in: "/THead", "/TBody", "/TFoot",
    or "" for a row straight under its table; its /Scope, or None when it has none)."""
    root = pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]["/StructTreeRoot"]
    found = []

    def walk(element, group):
        kind = element.get("/S")
        if kind == "/Table":
            group = ""
        elif kind in ROW_GROUPS:
            group = kind
        if kind == "/TH":
            attributes = element.get("/A")
            attributes = attributes.get_object() if attributes is not None else {}
            scope = attributes.get("/Scope")
            found.append((group, str(scope) if scope is not None else None))
            return
        for kid in _kids(element):
            walk(kid, group)

    walk(root, "")
    return found


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and "/S" in kid:
            yield kid
