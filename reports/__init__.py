"""The report the office sends upward: 6-month, annual, review reports of a locality and the
city's comparison, as a Nghị định 30/2020 .docx with an .xlsx appendix (``python -m reports``).

Sits above ``scoring`` and below ``ui``: it reads the scoring results (``LocalityReport``),
the plan files and the store, never the pages.
"""
