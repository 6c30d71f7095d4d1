"""Accounts on the web: who is asking (identity), log in and out (web), and the callback guard (guard)."""
