"""Organisations (a-kasser, job centres, STAR) and their users with one role each."""
