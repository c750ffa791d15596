"""The only writes of petitions: lifecycle (create, send out, moderate, answer), signing (one or
a batch, in one transaction), invalidation, and the worker's sweep of the clock."""
