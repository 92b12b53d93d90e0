"""The team sync server: an ASGI app (`app.create_app`) over one storage interface
(`storage.ServerStorage`), with SQLite as the embedded default (`sqlite.SqliteStorage`)."""
