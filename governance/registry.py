"""Where the centers plug into the core without the core importing them.

Apps register, in their `AppConfig.ready()`:
- deadline kinds (what a timer is for, its default length, what a warning or a breach does),
- timeline event kinds (their labels),
- dashboard sections (their figures on the leader dashboard),
- extra case visibility for roles the core does not know the work of (e.g. a mediator's files),
- cases a user must never see whatever else grants them (e.g. an accusation against their
  department), and departments a case must never be dispatched to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q

if TYPE_CHECKING:
    from governance.models import Case, Center, Deadline, Department, User


@dataclass(frozen=True)
class DeadlineKind:
    key: str
    label: str
    default_unit: str
    default_amount: int
    basis: str
    # Called inside the sweep's transaction with the deadlines just warned / breached (a batch).
    on_warn: Callable[[list[Deadline], datetime], None] | None = None
    on_breach: Callable[[list[Deadline], datetime], None] | None = None
    # Statistics and SLA policies may be looked up per service line / risk level of the case.
    policy_by_case: bool = True


@dataclass(frozen=True)
class DashboardSection:
    key: str
    label: str
    compute: Callable[[Center, date, date], dict[str, Any]]
    # Figures merged into the summary's top level (e.g. visits and persons from intake).
    top_level: bool = False
    # Template the leader dashboard page includes for this section (context: `section` = the
    # computed figures, `center`, `date_from`, `date_to`); each figure links to its list.
    template: str | None = None


@dataclass
class _Registry:
    deadline_kinds: dict[str, DeadlineKind] = field(default_factory=dict)
    event_labels: dict[str, str] = field(default_factory=dict)
    dashboard_sections: dict[str, DashboardSection] = field(default_factory=dict)
    case_scopes: list[Callable[[User], Q | None]] = field(default_factory=list)
    case_exclusions: list[Callable[[User], Q | None]] = field(default_factory=list)
    case_closed_hooks: list[Callable[[Case], None]] = field(default_factory=list)
    case_registered_hooks: list[Callable[[Case, str], None]] = field(default_factory=list)
    case_guards: list[Callable[[Case, str, str], None]] = field(default_factory=list)
    case_links: list[Callable[[Case, User], list[tuple[str, str]]]] = field(default_factory=list)
    dispatch_checks: list[Callable[[Case, Department], None]] = field(default_factory=list)
    stats_rebuilders: list[Callable[[dict[int, list[int]]], None]] = field(default_factory=list)
    demo_structure: list[Callable[[Any, str], None]] = field(default_factory=list)
    demo_history: list[Callable[[Any], None]] = field(default_factory=list)


_registry = _Registry()


def register_deadline_kind(kind: DeadlineKind) -> None:
    _registry.deadline_kinds[kind.key] = kind


def deadline_kind(key: str) -> DeadlineKind:
    try:
        return _registry.deadline_kinds[key]
    except KeyError:
        raise LookupError(f"deadline kind {key!r} is not registered") from None


def deadline_kinds() -> dict[str, DeadlineKind]:
    return dict(_registry.deadline_kinds)


def register_event_kinds(labels: dict[str, str]) -> None:
    _registry.event_labels.update(labels)


def event_label(kind: str) -> str:
    return str(_registry.event_labels.get(kind, kind))


def register_dashboard_section(section: DashboardSection) -> None:
    _registry.dashboard_sections[section.key] = section


def dashboard_sections() -> Iterable[DashboardSection]:
    return _registry.dashboard_sections.values()


def register_case_scope(rule: Callable[[User], Q | None]) -> None:
    """`rule(user)` returns a Q over Case for the extra cases this user may see, or None."""
    _registry.case_scopes.append(rule)


def case_scopes() -> list[Callable[[User], Q | None]]:
    return list(_registry.case_scopes)


def register_case_exclusion(rule: Callable[[User], Q | None]) -> None:
    """`rule(user)` returns a Q over Case for the cases this user must never see, whatever else
    would grant them (role, dispatch, extra scopes), or None. Applied after every grant."""
    _registry.case_exclusions.append(rule)


def case_exclusions() -> list[Callable[[User], Q | None]]:
    return list(_registry.case_exclusions)


def register_dispatch_check(check: Callable[[Case, Department], None]) -> None:
    """`check(case, department)` raises an `ApplicationError` when the case must not be
    dispatched to that department; called by `dispatch_create` before anything is written."""
    _registry.dispatch_checks.append(check)


def dispatch_checks() -> list[Callable[[Case, Department], None]]:
    return list(_registry.dispatch_checks)


def register_case_closed(hook: Callable[[Case], None]) -> None:
    """`hook(case)` runs inside `case_close`'s transaction once the case is closed (`status`,
    `outcome`, `closed_at` set), e.g. to mark the grid event the case came from as closed and count
    it; raising refuses the close."""
    _registry.case_closed_hooks.append(hook)


def case_closed_hooks() -> list[Callable[[Case], None]]:
    return list(_registry.case_closed_hooks)


def register_case_registered(hook: Callable[[Case, str], None]) -> None:
    """`hook(case, origin)` runs at the end of `case_register`'s transaction. `origin` names the app
    whose own service registered the case ("" for the core API, the desk, imports…), so an app that
    owns a service line can complete what other doors let in (e.g. a petition for every case of the
    petition line)."""
    _registry.case_registered_hooks.append(hook)


def case_registered_hooks() -> list[Callable[[Case, str], None]]:
    return list(_registry.case_registered_hooks)


def register_case_guard(guard: Callable[[Case, str, str], None]) -> None:
    """`guard(case, action, origin)` runs before the core closes ("close") or dispatches
    ("dispatch") a case and raises an `ApplicationError` to refuse it — e.g. a petition must be
    dispatched and closed through the petition procedure (origin "petitions"), not around it."""
    _registry.case_guards.append(guard)


def case_guards() -> list[Callable[[Case, str, str], None]]:
    return list(_registry.case_guards)


def register_case_links(links: Callable[[Case, User], list[tuple[str, str]]]) -> None:
    """`links(case, user)` returns (label, url) pairs the case page shows under "相关办理": where the
    same matter is worked in an app (its petition, its mediation file, the grid event it came from),
    or what the user may start there. One query at most; [] when nothing applies."""
    _registry.case_links.append(links)


def case_links(case: Case, user: User) -> list[tuple[str, str]]:
    return [link for links in _registry.case_links for link in links(case, user)]


def register_stats_rebuilder(rebuild: Callable[[dict[int, list[int]]], None]) -> None:
    """`rebuild(scopes)` recomputes an app's own rollups from its ledger; `scopes` maps each center
    id to its scope ids (itself and its ancestors). Called by `stats_rebuild` after the core's."""
    _registry.stats_rebuilders.append(rebuild)


def stats_rebuilders() -> list[Callable[[dict[int, list[int]]], None]]:
    return list(_registry.stats_rebuilders)


def register_demo_structure(seed: Callable[[Any, str], None]) -> None:
    """`seed(structure, password)` adds an app's demo set-up (its users, committees, grids…) after
    the core's; it must be idempotent (`seed_demo` may run any number of times)."""
    _registry.demo_structure.append(seed)


def demo_structure_seeders() -> list[Callable[[Any, str], None]]:
    return list(_registry.demo_structure)


def register_demo_history(generate: Callable[[Any], None]) -> None:
    """`generate(generator)` adds an app's share of generated history (its files on the cases the
    core generator just wrote, in proportion) inside the same transaction, before the rollups are
    rebuilt. `generator` is a `governance.demo.generator.CaseGenerator` after its run."""
    _registry.demo_history.append(generate)


def demo_history_generators() -> list[Callable[[Any], None]]:
    return list(_registry.demo_history)
