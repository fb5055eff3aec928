"""Online learning: course progress and the study clock, the study-hours ledger, course
assignments and hour requirements, 我的学习 and 一人一档 (the person's training record)."""
