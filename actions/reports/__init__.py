"""The quarterly Board report: its data (pure reads), its chart (SVG built here), its PDF (WeasyPrint).

- `quarters`: the partnership's reporting quarters (financial year, April to March).
- `data.report_data`: every figure, computed from live data as at the end of the quarter.
- `chart.rag_chart_svg`: the RAG-by-theme chart, an SVG string with the same figures as its table.
- `pdf.report_pdf`: the tagged PDF (PDF/UA-1), with a table of contents and page numbers.
"""
