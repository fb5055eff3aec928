"""What the training domains share: audience fields (models, forms), evidence files (storage,
upload checks, serving), the supervisory roles, and the bound on one study-hours entry."""
