"""Writer process for tests/storage/test_durability.py; not a test module.

    python tests/storage/durability_writer.py DBPATH KEYHEX [SEED]

Opens (or creates) the encrypted database and writes through the real repositories until it is
killed. Its stdout is a protocol of one line per event, flushed at once:

    READY                      the database is open (migrations done)
    BEGIN <n> <item> ...       transaction <n> is about to start and will write these items
    COMMIT <n>                 transaction <n> has committed (printed only after COMMIT returned)

An item is `add:<entity>:<id>` (a new record) or `update:<entity>:<id>:<notes>` (the company's
`notes` set to a value it never had before; every company is updated at most once, so a reported
update must still be there at the end). A kill between BEGIN and COMMIT leaves a transaction of
which either every item or none must be in the file.
"""

from __future__ import annotations

import dataclasses
import random
import sys

from feltkonsulent.domain.entities import Company, Contact
from feltkonsulent.domain.ids import CompanyId, ContactId, TeamId, uuid7
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey
from feltkonsulent.storage.repositories import Repositories

CVR = "13585628"
TEAM = TeamId("local")
BATCH_MAX = 8


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def new_company() -> Company:
    company_id = CompanyId(uuid7())
    return Company(
        id=company_id,
        team_id=TEAM,
        name=f"Durability ApS {company_id}",
        cvr=CVR,
        city="Aarhus",
        postal_code="8000",
        notes=None,
    )


def new_contact(company_id: CompanyId) -> Contact:
    contact_id = ContactId(uuid7())
    return Contact(id=contact_id, team_id=TEAM, company_id=company_id, name=f"Kontakt {contact_id}")


class Writer:
    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store = store
        self.repos = Repositories(store)
        self.rng = rng
        self.seq = 0

    def company_to_update(self) -> Company | None:
        """A company that has never been updated (notes still empty), or None if there is none."""
        row = self.store.conn.execute(
            "SELECT id FROM companies WHERE notes IS NULL AND deleted = 0 ORDER BY random() LIMIT 1"
        ).fetchone()
        return None if row is None else self.repos.companies.require(row[0])

    def plan(self) -> tuple[list[Company], list[Contact], Company | None]:
        """What the next transaction writes: new companies, new contacts, maybe one update."""
        roll = self.rng.random()
        if roll < 0.15:
            target = self.company_to_update()
            if target is not None:
                notes = f"rev-{uuid7()}"
                return [], [], dataclasses.replace(target, notes=notes)
        if roll < 0.40:
            companies = [new_company() for _ in range(self.rng.randint(1, BATCH_MAX))]
            contacts = [new_contact(c.id) for c in companies for _ in range(self.rng.randint(0, 2))]
            update = None
            if self.rng.random() < 0.5 and (target := self.company_to_update()) is not None:
                update = dataclasses.replace(target, notes=f"rev-{uuid7()}")
            return companies, contacts, update
        return [new_company()], [], None

    def step(self) -> None:
        companies, contacts, update = self.plan()
        items = [f"add:companies:{c.id}" for c in companies]
        items += [f"add:contacts:{c.id}" for c in contacts]
        if update is not None:
            items.append(f"update:companies:{update.id}:{update.notes}")
        self.seq += 1
        emit(f"BEGIN {self.seq} " + " ".join(items))
        if len(items) == 1:
            # A single change: the repository's own transaction.
            if companies:
                self.repos.companies.add(companies[0])
            else:
                assert update is not None
                self.repos.companies.update(update)
        else:
            with self.store.write():
                for company in companies:
                    self.repos.companies.add(company)
                for contact in contacts:
                    self.repos.contacts.add(contact)
                if update is not None:
                    self.repos.companies.update(update)
        emit(f"COMMIT {self.seq}")


def main(argv: list[str]) -> None:
    path, key_hex = argv[0], argv[1]
    rng = random.Random(argv[2] if len(argv) > 2 else None)
    store = open_database(path, RawKey(bytes.fromhex(key_hex)), create=True, actor="durability")
    emit("READY")
    writer = Writer(store, rng)
    while True:
        writer.step()


if __name__ == "__main__":
    main(sys.argv[1:])
