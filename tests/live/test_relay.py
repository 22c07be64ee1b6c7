"""The relay on its own (fake outbox, real asyncio loop): order per hall, holding, backfill,
dropping what was delivered, halls first seen later, and the tail check."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from backend.db.uow import PublishedEvent
from backend.live.relay import Relay

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def ev(seq: int, hall: int = 1, type_: str = "ticket.issued") -> PublishedEvent:
    return PublishedEvent(hall, seq, type_, {"n": seq}, AT)


class Outbox:
    """Committed events per hall, as the database would hold them."""

    def __init__(self, committed: dict[int, int]):
        self.events = {h: [ev(s, h) for s in range(1, n + 1)] for h, n in committed.items()}
        self.reads: list[tuple[int, int, int]] = []

    def commit(self, hall: int = 1) -> PublishedEvent:
        event = ev(len(self.events.setdefault(hall, [])) + 1, hall)
        self.events[hall].append(event)
        return event

    def seqs(self, halls):
        halls = list(self.events) if halls is None else halls
        return {h: len(self.events.get(h, [])) for h in halls}

    def read(self, hall, first, last):
        self.reads.append((hall, first, last))
        return [e for e in self.events.get(hall, []) if first <= e.seq <= last]


async def started(outbox: Outbox, hold=0.05, tail=0.0) -> tuple[Relay, list[PublishedEvent]]:
    got: list[PublishedEvent] = []
    relay = Relay(got.append, outbox.seqs, outbox.read, asyncio.to_thread, hold=hold, tail=tail)
    await relay.start()
    return relay, got


async def until(condition, timeout=2.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


def test_an_event_handed_over_early_waits_for_the_one_before_it():
    async def scenario():
        outbox = Outbox({1: 1})
        relay, got = await started(outbox, hold=1.0)
        two, three = outbox.commit(), outbox.commit()
        relay.accept([three])
        await asyncio.sleep(0.05)
        assert got == []  # held: seq 2 is missing
        relay.accept([two])
        assert [e.seq for e in got] == [2, 3]
        assert outbox.reads == []  # it came in time: no outbox read
        await relay.stop()

    asyncio.run(scenario())


def test_a_missing_event_is_read_from_the_outbox_after_the_hold():
    async def scenario():
        outbox = Outbox({1: 4})
        relay, got = await started(outbox, hold=0.05)
        outbox.commit(), outbox.commit()  # 5 and 6 committed, never handed over
        relay.accept([outbox.commit()])  # 7
        await until(lambda: len(got) == 3)
        assert [e.seq for e in got] == [5, 6, 7]
        assert outbox.reads == [(1, 5, 6)]
        relay.accept([ev(6), ev(7)])  # late duplicates are dropped
        await asyncio.sleep(0.1)
        assert [e.seq for e in got] == [5, 6, 7]
        await relay.stop()

    asyncio.run(scenario())


def test_halls_are_ordered_independently():
    async def scenario():
        outbox = Outbox({1: 0, 2: 10})
        relay, got = await started(outbox, hold=1.0)
        a1, a2, b11 = outbox.commit(1), outbox.commit(1), outbox.commit(2)
        relay.accept([a2, b11])
        assert [(e.hall_id, e.seq) for e in got] == [(2, 11)]  # hall 2 is not held up by hall 1
        relay.accept([a1])
        assert [(e.hall_id, e.seq) for e in got] == [(2, 11), (1, 1), (1, 2)]
        await relay.stop()

    asyncio.run(scenario())


def test_a_hall_first_seen_later_starts_from_what_the_database_says():
    async def scenario():
        outbox = Outbox({1: 3})
        relay, got = await started(outbox, hold=0.05)
        outbox.events[2] = [ev(s, 2) for s in range(1, 6)]  # created after startup, 5 events
        await relay.watch(2)  # a client of hall 2 connects: its snapshot covers 1..5
        relay.accept([outbox.commit(2)])
        assert [(e.hall_id, e.seq) for e in got] == [(2, 6)]
        assert outbox.reads == []
        await relay.stop()

    asyncio.run(scenario())


def test_the_tail_check_delivers_a_last_event_that_was_lost_on_the_way():
    async def scenario():
        outbox = Outbox({1: 2})
        relay, got = await started(outbox, hold=0.05, tail=0.05)
        outbox.commit()  # seq 3 committed; its hand-over is lost and nothing follows it
        await until(lambda: len(got) == 1)
        assert [e.seq for e in got] == [3]
        await relay.stop()

    asyncio.run(scenario())
