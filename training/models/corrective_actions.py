"""Old path named by migrations."""

from training.drills.models.corrective_actions import closing_evidence_path  # noqa: F401
