"""One pattern for every lifecycle: a small declared transition table with guarded transitions.

Each app declares its lifecycle once, as data::

    RETURN_LIFECYCLE = Lifecycle(
        "caseload return",
        ReturnStatus,
        {
            "submit": ({ReturnStatus.DRAFT}, ReturnStatus.SUBMITTED),
            "reopen": ({ReturnStatus.SUBMITTED}, ReturnStatus.DRAFT),
        },
    )

and every writer (services, imports, demo loaders, admin actions) moves an object with
``lifecycle.next_status(name, current)``, which raises the one ``InvalidTransition`` when the
transition is not allowed from the current state. ``lifecycle.status_constraint(field)`` gives
the CheckConstraint that makes the database refuse any state outside the table.
Why a table and not a library: see docs/decisions/ (the lifecycle pattern).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models


class InvalidTransition(Exception):
    """A transition asked of an object whose current state does not allow it."""

    def __init__(self, lifecycle: Lifecycle, transition: str, current: str):
        self.lifecycle = lifecycle
        self.transition = transition
        self.current = current
        allowed = ", ".join(sorted(lifecycle.label(s) for s in lifecycle.sources(transition)))
        super().__init__(
            f"A {lifecycle.name} cannot {transition} when it is {lifecycle.label(current)}; only when it is {allowed}."
        )


@dataclass(frozen=True)
class Lifecycle:
    """A named set of states (a TextChoices) and the transitions allowed between them."""

    name: str
    states: type[models.TextChoices]
    table: Mapping[str, tuple[Iterable[str], str]]
    _table: dict[str, tuple[frozenset[str], str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        normalised = {}
        for transition, (sources, target) in self.table.items():
            sources = frozenset(str(s) for s in sources)
            unknown = (sources | {str(target)}) - set(self.states.values)
            if unknown:
                raise ValueError(f"{self.name} lifecycle: {transition!r} names unknown states {sorted(unknown)}")
            normalised[str(transition)] = (sources, str(target))
        object.__setattr__(self, "_table", normalised)

    @property
    def transitions(self) -> tuple[str, ...]:
        return tuple(self._table)

    def label(self, state: str) -> str:
        return self.states(state).label.lower() if state in self.states.values else str(state)

    def sources(self, transition: str) -> frozenset[str]:
        return self._table[str(transition)][0]

    def target(self, transition: str) -> str:
        return self._table[str(transition)][1]

    def can(self, transition: str, current: str) -> bool:
        return current in self.sources(transition)

    def next_status(self, transition: str, current: str) -> str:
        """The state ``transition`` leads to from ``current``; raises InvalidTransition if not allowed."""
        if not self.can(transition, current):
            raise InvalidTransition(self, str(transition), current)
        return self.target(transition)

    def reachable(self) -> frozenset[str]:
        """Every state some transition leads to or leaves from."""
        states: set[str] = set()
        for sources, target in self._table.values():
            states |= sources | {target}
        return frozenset(states)

    def status_constraint(self, field_name: str, name: str) -> models.CheckConstraint:
        """A database constraint refusing any value of ``field_name`` outside the declared states."""
        return models.CheckConstraint(condition=models.Q(**{f"{field_name}__in": list(self.states.values)}), name=name)
