"""The only writes of consultations: each function owns its transaction."""
