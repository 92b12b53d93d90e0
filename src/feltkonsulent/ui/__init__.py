"""Everything Qt: the main window, pages, forms, item models, background tasks, printing."""
