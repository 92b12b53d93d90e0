"""The one door for writes. A use case that writes is an *operation*: a function of a workspace
(its first argument) marked `@operation`. Called on a workspace that has a door (the desktop
app's, `ui/door.py`), it does not run where it was called: the door runs it on its one writer —
a thread with the one writing connection — and hands back its value (or its exception) and what
it changed. Called on any other workspace (the command line, a background thread, the writer's
own), it simply runs. So the app's window never writes and never waits for the write lock, and
no caller needs to know which kind of workspace it has.

An operation must take and return plain values (records, ids, summaries): they cross threads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from feltkonsulent.services.workspace import Workspace

T = TypeVar("T")
P = ParamSpec("P")
W = TypeVar("W", bound="Workspace")


@dataclass(frozen=True)
class Done:
    """What an operation gave back, and the kinds of record it changed (for the views)."""

    value: Any
    changed: frozenset[str]


class Door(Protocol):
    def run(self, job: Callable[[Workspace], T]) -> T:
        """Run `job` on the writer's workspace and return its value; its exception is raised
        here. The changes it made are noted on the calling workspace's store."""
        ...


def operation(function: Callable[Concatenate[W, P], T]) -> Callable[Concatenate[W, P], T]:
    """Mark a use case that writes (a method of `Workspace`, or a function whose first argument
    is one): through the workspace's door when it has one, else here."""

    @functools.wraps(function)
    def through_the_door(ws: W, /, *args: P.args, **kwargs: P.kwargs) -> T:
        door = ws.door
        if door is None:
            return function(ws, *args, **kwargs)
        return door.run(lambda writer: function(writer, *args, **kwargs))  # type: ignore[arg-type]

    return through_the_door


def run_here(ws: Workspace, job: Callable[[Workspace], T]) -> Done:
    """Run `job` on `ws` (the writer's workspace) and take what it changed."""
    value = job(ws)
    return Done(value, ws.store.take_changes())
