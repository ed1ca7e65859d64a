"""Case management: members, spells, conversations, referral and hand-over (services.py), isolated by
access.py."""
