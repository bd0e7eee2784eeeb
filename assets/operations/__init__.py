"""Firearm recoveries and operational activity (warrants, visits, referrals): the force's monthly extracts
(SOURCES.md)."""
