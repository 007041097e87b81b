"""Ownership periods derived from customer lists, assignment histories and events
(``workstation.domain.ownership``): the rules of issue 11 §2, one by one."""

from __future__ import annotations

import itertools
from datetime import date

from workstation.domain.ownership import Assignment, Change, Derived, Period, Snapshot, derive

D = date
LIST_DAY = D(2024, 5, 19)


def _periods(result: Derived) -> list[tuple[str, date | None, date | None]]:
    return [(p.owner, p.start, p.end) for p in result.periods]


def test_an_owner_in_a_list_holds_the_customer_since_an_unknown_day() -> None:
    result = derive([Snapshot(LIST_DAY, "S1")], [], [])
    assert _periods(result) == [("S1", None, None)]
    assert result.periods[0].holds(D(2001, 1, 1))


def test_an_owner_since_column_gives_the_start() -> None:
    result = derive([Snapshot(LIST_DAY, "S1", since=D(2023, 6, 1))], [], [])
    assert _periods(result) == [("S1", D(2023, 6, 1), None)]


def test_a_since_after_the_lists_day_is_ignored() -> None:
    result = derive([Snapshot(LIST_DAY, "S1", since=D(2024, 6, 1))], [], [])
    assert _periods(result) == [("S1", None, None)]


def test_a_loss_ends_the_holding_and_counts_for_the_previous_owner_it_names() -> None:
    lost = Change("e1", D(2024, 4, 2), "lost", previous="S1")
    result = derive([Snapshot(LIST_DAY, "S1", status="lost")], [], [lost])
    assert _periods(result) == [("S1", None, D(2024, 4, 2))]
    assert result.owners == {"e1": "S1"}
    assert result.disagreements == []


def test_a_list_keeping_a_lost_customers_owner_says_who_lost_it() -> None:
    """The event names no previous owner: the list's last owner (客户状态 流失) lost it."""
    lost = Change("e1", D(2024, 4, 2), "transferred")
    result = derive([Snapshot(LIST_DAY, "S1", status="transferred")], [], [lost])
    assert _periods(result) == [("S1", None, D(2024, 4, 2))]
    assert result.owners == {"e1": "S1"}


def test_a_lost_status_without_an_event_ends_the_holding_on_the_lists_day() -> None:
    result = derive([Snapshot(LIST_DAY, "S1", since=D(2023, 2, 1), status="lost")], [], [])
    assert _periods(result) == [("S1", D(2023, 2, 1), LIST_DAY)]


def test_a_list_without_status_counts_a_lost_customer_held_again_from_its_day() -> None:
    """Without 客户状态 the list seems to say S1 still holds it: held until the loss, and
    (as far as the files tell) again from the list's day."""
    lost = Change("e1", D(2024, 4, 2), "lost")
    result = derive([Snapshot(LIST_DAY, "S1")], [], [lost])
    assert _periods(result) == [("S1", None, D(2024, 4, 2)), ("S1", LIST_DAY, None)]
    assert result.owners == {"e1": "S1"}


def test_a_reassignment_closes_one_period_and_opens_the_next() -> None:
    moved = Change("e1", D(2024, 4, 15), "reassigned", previous="S1", new="S2")
    result = derive([Snapshot(LIST_DAY, "S2", since=D(2024, 4, 15))], [], [moved])
    assert _periods(result) == [("S1", None, D(2024, 4, 15)), ("S2", D(2024, 4, 15), None)]
    assert result.owners == {"e1": "S1"}


def test_a_reassignment_without_the_previous_owner_starts_the_new_owners_period() -> None:
    """The list names the new owner without a since-date: the event tells when."""
    moved = Change("e1", D(2024, 4, 15), "reassigned", new="S2")
    result = derive([Snapshot(LIST_DAY, "S2")], [], [moved])
    assert _periods(result) == [("S2", D(2024, 4, 15), None)]
    assert result.owners == {"e1": None}


def test_a_later_list_naming_another_owner_changes_owner_on_its_day() -> None:
    result = derive([Snapshot(D(2024, 3, 31), "S1"), Snapshot(D(2024, 4, 30), "S2")], [], [])
    assert _periods(result) == [("S1", None, D(2024, 4, 30)), ("S2", D(2024, 4, 30), None)]


def test_of_two_lists_of_one_day_the_later_import_wins() -> None:
    result = derive([Snapshot(LIST_DAY, "S1"), Snapshot(LIST_DAY, "S2")], [], [])
    assert _periods(result) == [("S2", None, None)]


def test_an_event_before_the_first_known_period_counts_for_its_owner() -> None:
    lost = Change("e1", D(2023, 1, 5), "lost")
    won = Change("e2", D(2023, 2, 1), "won", new="S2")
    result = derive([Snapshot(LIST_DAY, "S2", since=D(2023, 2, 1))], [], [lost, won])
    assert _periods(result) == [("S2", D(2023, 2, 1), None)]
    # the loss predates every known period: its owner is the first period's; the win is the
    # first period's own beginning (no previous owner)
    assert result.owners == {"e1": "S2", "e2": None}


def test_an_assignment_history_with_open_starts() -> None:
    history = [
        Assignment("S1", None, D(2024, 4, 15)),
        Assignment("S2", D(2024, 4, 15), None),
    ]
    result = derive([Snapshot(LIST_DAY, "S2", since=D(2024, 4, 15))], history, [])
    assert _periods(result) == [("S1", None, D(2024, 4, 15)), ("S2", D(2024, 4, 15), None)]


def test_an_assignment_beats_a_list_and_a_list_fills_what_an_assignment_leaves() -> None:
    history = [Assignment("S1", D(2023, 1, 1), D(2024, 1, 1))]
    result = derive([Snapshot(LIST_DAY, "S3")], history, [])
    # S1's period as given; S3 from S1's end (nothing says otherwise) on
    assert _periods(result) == [("S1", D(2023, 1, 1), D(2024, 1, 1)), ("S3", D(2024, 1, 1), None)]


def test_a_customer_lost_and_won_back_the_same_day_is_held() -> None:
    changes = [
        Change("won", D(2024, 3, 1), "won", new="S2"),
        Change("lost", D(2024, 3, 1), "lost", previous="S1"),
    ]
    result = derive([], [], changes)
    assert _periods(result) == [("S1", None, D(2024, 3, 1)), ("S2", D(2024, 3, 1), None)]


def test_a_previous_owner_the_other_facts_contradict_is_flagged() -> None:
    changes = [
        Change("moved", D(2024, 3, 1), "reassigned", previous="S1", new="S2"),
        Change("lost", D(2024, 3, 10), "lost", previous="S3"),
    ]
    result = derive([], [], changes)
    assert result.owners == {"moved": "S1", "lost": "S3"}
    assert result.disagreements == ["lost"]
    assert _periods(result) == [("S1", None, D(2024, 3, 1)), ("S2", D(2024, 3, 1), D(2024, 3, 10))]


def test_the_same_facts_in_any_order_give_the_same_periods() -> None:
    """Imports come in any order; the facts are sorted before they are combined."""
    snapshots = [
        Snapshot(D(2024, 2, 29), "S1", source="a"),
        Snapshot(LIST_DAY, "S2", since=D(2024, 4, 15), source="b"),
    ]
    assignments = [Assignment("S1", None, D(2024, 4, 15), "c")]
    changes = [
        Change("e1", D(2024, 4, 15), "reassigned", previous="S1", new="S2"),
        Change("e2", D(2024, 5, 2), "lost"),
        Change("e3", D(2024, 5, 10), "won", new="S2"),
    ]
    expected = derive(snapshots, assignments, changes)
    assert [(p.owner, p.start, p.end) for p in expected.periods] == [
        ("S1", None, D(2024, 4, 15)),
        ("S2", D(2024, 4, 15), D(2024, 5, 2)),
        ("S2", D(2024, 5, 10), None),
    ]
    assert expected.owners == {"e1": "S1", "e2": "S2", "e3": None}
    for s, c in itertools.product(
        itertools.permutations(snapshots), itertools.permutations(changes)
    ):
        found = derive(list(s), assignments, list(c))
        assert (found.periods, found.owners) == (expected.periods, expected.owners)


def test_periods_name_the_fact_that_opened_them() -> None:
    moved = Change("e1", D(2024, 4, 15), "reassigned", previous="S1", new="S2", source=(7, 3))
    result = derive([Snapshot(LIST_DAY, "S1", source=(5, 2))], [], [moved])
    assert result.periods == [
        Period("S1", None, D(2024, 4, 15), (7, 3)),
        Period("S2", D(2024, 4, 15), LIST_DAY, (7, 3)),
        Period("S1", LIST_DAY, None, (5, 2)),
    ]
