"""The small core every slice stands on: settings, database, errors, clock, audit log."""
