"""Principals' own duties: the 五带头 checklist of each principal per year, reviewed by the
enterprise's lead department, and the quarterly self-inspection the principal leads."""
