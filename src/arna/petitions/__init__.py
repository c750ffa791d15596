"""Petitions under Kazakhstan's public-control rules: a citizen writes one to a body, 50 co-sign
it, it is moderated, it collects signatures for six months, and when it reaches its addressee's
threshold the body owes a public answer on a working-day clock, escalated like an appeal."""
