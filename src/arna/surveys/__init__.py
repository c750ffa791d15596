"""Surveys: questionnaires read from XLSForm files, responses weighted to the population.

The pure modules so far: `forms` (an XLSForm read with pyxform into plain dataclasses),
`responses` (a response checked against its form), `weighting` (raking to population margins,
with trimming and re-raking; `bounded` holds its bounded step) and `estimates` (Kish's design
effect, effective n, weighted shares with 95 % margins of error, small cells suppressed). The
formulas are in docs/surveys-methodology-draft.md.
"""
