"""Background jobs: heavy work (exports, imports, documents, figures) run by a worker, with progress."""
