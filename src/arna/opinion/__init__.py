"""Consultations: people vote on short statements; opinion groups, and what they agree on."""
