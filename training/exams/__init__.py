"""Exams: question banks, papers and draws, attempts and grading, contests and their rankings,
results; passed exams credit the study-hours ledger through learning's services."""
