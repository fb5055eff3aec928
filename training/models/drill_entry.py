"""Old path named by migrations."""

from training.drills.models.entry import signature_path  # noqa: F401
