"""Old path named by migrations."""

from training.drills.models.evidence import evidence_path, evidence_storage  # noqa: F401
