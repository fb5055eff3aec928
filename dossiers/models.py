"""The dossiers app's tables: the yearly archive (dossiers.archive) and the batch prints
(dossiers.batch)."""

from dossiers.archive.models import ArchivedFile, ArchiveRun
from dossiers.batch.models import DossierBatch, DossierBatchItem, DossierItemKind

__all__ = ["ArchiveRun", "ArchivedFile", "DossierBatch", "DossierBatchItem", "DossierItemKind"]
