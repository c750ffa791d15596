"""Appeals: submission, routing, the legal clock, lifecycle, escalation and notifications."""
