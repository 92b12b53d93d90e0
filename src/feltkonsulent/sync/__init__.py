"""Sync: the wire protocol and the merge shared by client and server, the client, the server."""
