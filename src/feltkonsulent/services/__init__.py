"""Use cases the desktop app and the command line call: each one transaction over the store."""
