"""The quarterly Board report: `quarters` (financial-year quarters), `data` (every figure, pure reads),
`chart` (the RAG-by-theme SVG) and `pdf` (the tagged PDF/UA-1 document)."""
