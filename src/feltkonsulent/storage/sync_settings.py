"""What the desktop keeps about its sync server in the (encrypted) database: the server's address,
the device's token where the OS has no keyring, and conflicts the consultant has settled."""

from __future__ import annotations

from feltkonsulent.storage.database import Store

SERVER_URL = "sync_server_url"
TOKEN = "sync_token"  # only when the OS has no keyring (services/sync.py)


def put(store: Store, key: str, value: str) -> None:
    with store.write():
        store._set_state(key, value)


def remove(store: Store, *keys: str) -> None:
    with store.write():
        store.conn.executemany("DELETE FROM local_state WHERE key = ?", [(k,) for k in keys])


def settle_conflict(store: Store, op_id: str) -> None:
    """The consultant has chosen a value: the conflict leaves the list (the server keeps its own
    record of it). Inside the caller's transaction, with the chosen value's edit."""
    assert store.in_write
    store.conn.execute("DELETE FROM sync_conflicts WHERE op_id = ?", (op_id,))


def drop_rejected(store: Store, op_id: str) -> None:
    """A rejected change leaves the list: applied again as a new edit, or let go by the user.
    Inside the caller's transaction."""
    assert store.in_write
    store.conn.execute("DELETE FROM rejected_changes WHERE op_id = ?", (op_id,))
