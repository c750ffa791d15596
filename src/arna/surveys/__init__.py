"""Surveys: questionnaires read from XLSForm files, responses weighted to the population.

Pure modules: `forms` (an XLSForm read with pyxform into plain dataclasses), `responses` (a
response checked against its form), `intake` (responses from the API or a Kobo/ODK CSV, keyed
and checked), `policy` (raking variables and their categories), `margins` (population margins
from the reference data or a CSV), `weighting` (raking with trimming and re-raking; `bounded`
holds its bounded step), `estimates` (Kish's design effect, effective n, weighted shares with
95 % margins of error, small cells suppressed), `figures` (results per question and the trust
index), `trust` (the standard trust block), `export` (CSV and Parquet). The tables are in
`models`, the writes in `actions`, the reads in `queries`; docs/surveys.md and the "Surveys"
section of docs/methodology.md describe them.
"""
