"""Old path named by migrations."""

from training.sessions.models.photos import session_photo_path  # noqa: F401
