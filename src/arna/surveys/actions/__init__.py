"""The only writes of surveys: each function owns its transaction."""
