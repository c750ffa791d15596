"""Keeping a database of Arna: schema migrations, reference data and the demo data set (what
`arna db …` runs). On floor 8: it knows every slice."""
