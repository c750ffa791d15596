"""The only writes of appeals, one module per kind of change:

- `submit`: register appeals, one or a batch in one transaction (group commit);
- `lifecycle`: accept, forward, answer, extend, feedback, escalation;
- `triage`: an official corrects the topic or place Arna read from the text;
- `sweep`: the worker's escalation of overdue appeals and reminders;
- `outbox`: delivering the e-mails;
- `effects`: the audit events and e-mails every change records, defined once for all of them.
"""
