"""People who act in Arna: officials, supervisors, admins; their passwords, API tokens and web
sessions."""
