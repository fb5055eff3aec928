from dossiers.models.batches import DossierBatch, DossierBatchItem, DossierItemKind

__all__ = ["DossierBatch", "DossierBatchItem", "DossierItemKind"]
