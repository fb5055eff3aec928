"""Offline training sessions: rosters, QR sign-in, attendance, photos, and what attendance feeds
(principal coverage, criteria study, inspectors)."""
