"""Keeping a database of Arna: schema migrations, reference data and the demo data set (what
`arna db …` runs). On the top floor: it knows every slice."""
