"""一人一档: one person's complete training file, as a page and as a printable PDF."""
