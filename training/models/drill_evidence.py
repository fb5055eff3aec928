"""Old path named by migrations."""

from training.common.files import evidence_storage  # noqa: F401
from training.drills.models.evidence import evidence_path  # noqa: F401
