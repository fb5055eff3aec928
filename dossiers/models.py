"""The dossiers app's tables: the yearly archive (dossiers.archive)."""

from dossiers.archive.models import ArchivedFile, ArchiveRun

__all__ = ["ArchiveRun", "ArchivedFile"]
