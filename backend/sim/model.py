"""What the simulator consumes: arrivals, service-time laws, window rosters and arrival profiles.

Times of day are hall-local; datetimes are timezone-aware in the hall's zone. A *slot* is a half
hour starting on the hour or the half hour. ``service_seconds`` is how long the resident holds the
window once called (walking up and being served: from the call to the finish), which is what
limits a window's throughput.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain.hours import DayKind
from ..hallconfig import HallConfig

SLOT_MINUTES = 30
SLOT = timedelta(minutes=SLOT_MINUTES)
DEFAULT_CV = 0.6  # coefficient of variation of a service time when history gives none


@dataclass(frozen=True)
class Arrival:
    """One resident taking a ticket."""

    at: datetime  # timezone-aware (hall's timezone)
    item_code: str
    service_seconds: float  # how long they hold the window once called (a no-show: until marked)
    priority: str = "normal"  # "normal" | "green" | "appointment"
    no_show: bool = False  # does not answer the call
    patience_seconds: float | None = None  # leaves unserved after waiting this long (None: stays)
    transfer_to: str | None = None  # after this service, queues again for this item (转办)
    transfer_window: int | None = None  # ... reserved for this window (None: any window)
    transfer_service_seconds: float = 0.0  # how long the transferred leg holds its window
    seq: int | None = None  # the ticket's number sequence (queue-key tie-break); None: its index


@dataclass(frozen=True)
class Shift:
    """A window open from ``start`` to ``end`` (local time of day, ``end`` excluded). Several
    shifts of one window make pauses; a service running at ``end`` is finished, nothing new is
    called."""

    window: int  # window number in the hall config
    start: time
    end: time


Roster = tuple[Shift, ...]


@dataclass(frozen=True)
class Profile:
    """Arrival rates per item per half hour (residents per half hour), by local slot start."""

    name: str
    rates: Mapping[str, Mapping[time, float]]  # item_code -> slot start -> rate
    green_share: float = 0.05  # share of tickets in the green channel (绿色通道)
    appointment_share: float = 0.10  # share of checked-in appointments (预约)
    transfer_rate: float = 0.0  # share of services ending in a transfer to another item

    def total(self) -> float:
        return sum(sum(by_slot.values()) for by_slot in self.rates.values())

    def scaled(self, factor: float, name: str | None = None) -> Profile:
        rates = {c: {s: r * factor for s, r in by.items()} for c, by in self.rates.items()}
        return Profile(
            name or self.name, rates, self.green_share, self.appointment_share, self.transfer_rate
        )


@dataclass(frozen=True)
class LogNormal:
    """Service time law: lognormal with this mean and coefficient of variation (seconds)."""

    mean_seconds: float
    cv: float = DEFAULT_CV

    def sample(self, rng: random.Random) -> float:
        if self.cv <= 0:
            return self.mean_seconds
        sigma2 = math.log1p(self.cv * self.cv)
        mu = math.log(self.mean_seconds) - sigma2 / 2
        return rng.lognormvariate(mu, math.sqrt(sigma2))


@dataclass(frozen=True)
class ServiceTimes:
    """Service time law per item; items not listed use their configured minutes (or the hall's
    default) with ``DEFAULT_CV``."""

    laws: Mapping[str, LogNormal] = field(default_factory=dict)

    def law(self, cfg: HallConfig, item_code: str) -> LogNormal:
        known = self.laws.get(item_code)
        return known if known is not None else configured_law(cfg, item_code)


def configured_law(cfg: HallConfig, item_code: str) -> LogNormal:
    minutes = next((i.service_minutes for i in cfg.items if i.code == item_code), 0)
    return LogNormal((minutes or cfg.queue.default_service_minutes) * 60.0)


# --- slots and rosters ---------------------------------------------------------------------


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


def time_of(minutes: int) -> time:
    minutes = max(0, min(minutes, 24 * 60 - 1))
    return time(minutes // 60, minutes % 60)


def day_periods(cfg: HallConfig, kind: DayKind = DayKind.WORKING) -> tuple[tuple[time, time], ...]:
    """Opening periods of a day of this kind (working days include extended hours)."""
    hours = cfg.hours.to_domain()
    return hours.periods_on(date(2000, 1, 3), lambda _d: kind)


def slots_between(start: time, end: time) -> list[time]:
    """Slot starts covering [start, end)."""
    first = minutes_of(start) // SLOT_MINUTES * SLOT_MINUTES
    return [time_of(m) for m in range(first, minutes_of(end), SLOT_MINUTES)]


def slots_of(periods: Iterable[tuple[time, time]]) -> list[time]:
    """Slot starts covering the periods, in order, without repeats."""
    seen: set[time] = set()
    for start, end in periods:
        seen.update(slots_between(start, end))
    return sorted(seen)


def slot_end(start: time) -> time:
    m = minutes_of(start) + SLOT_MINUTES
    return time(23, 59, 59) if m >= 24 * 60 else time_of(m)


def default_roster(cfg: HallConfig, kind: DayKind = DayKind.WORKING) -> Roster:
    """Every window open during the opening periods of a day of ``kind`` (working days: office
    and extended hours)."""
    periods = merge_periods(day_periods(cfg, kind))
    return tuple(
        Shift(w.number, start, end)
        for w in sorted(cfg.windows, key=lambda w: w.number)
        for start, end in periods
    )


def merge_periods(periods: Iterable[tuple[time, time]]) -> list[tuple[time, time]]:
    """Sorted periods with touching or overlapping ones joined."""
    merged: list[tuple[time, time]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def roster_from_counts(cfg: HallConfig, counts: Mapping[time, Sequence[int]]) -> Roster:
    """A roster opening, in each slot, the windows listed for it (consecutive slots merged)."""
    shifts: list[Shift] = []
    open_since: dict[int, time] = {}
    last_end: dict[int, time] = {}
    for start in sorted(counts):
        end = slot_end(start)
        here = set(counts[start])
        for number in list(open_since):
            if number not in here or last_end[number] != start:
                shifts.append(Shift(number, open_since.pop(number), last_end[number]))
        for number in here:
            open_since.setdefault(number, start)
            last_end[number] = end
    shifts += [Shift(n, s, last_end[n]) for n, s in open_since.items()]
    return tuple(sorted(shifts, key=lambda s: (s.window, s.start)))


def open_windows(roster: Roster, at: time) -> list[int]:
    return sorted({s.window for s in roster if s.start <= at < s.end})


# --- named demo profiles -------------------------------------------------------------------

PROFILE_NAMES: tuple[str, ...] = (
    "monday-after-holiday",
    "normal-wednesday",
    "pension-certification-peak",
)

# Relative arrival intensity over a day (local time, minutes -> weight), linearly interpolated:
# a morning peak at 9:00-10:00, a lunch dip, a smaller afternoon peak, a quiet evening.
_SHAPE = (
    (8 * 60, 0.9),
    (9 * 60, 1.6),
    (10 * 60, 1.5),
    (11 * 60, 1.0),
    (12 * 60, 0.35),
    (13 * 60, 0.3),
    (14 * 60, 1.0),
    (15 * 60, 1.2),
    (16 * 60, 0.9),
    (17 * 60, 0.5),
    (18 * 60, 0.25),
    (19 * 60, 0.1),
)
NORMAL_LOAD = 0.5  # a normal day keeps the full roster this busy on average
AFTER_HOLIDAY = 1.5  # residents who could not come during the holiday
PENSION_PEAK = 5.0  # pension eligibility verification (养老待遇领取资格认证) in its season


def shape(start: time) -> float:
    """Arrival weight of the slot starting at ``start`` (mid-slot value of ``_SHAPE``)."""
    m = minutes_of(start) + SLOT_MINUTES / 2
    if m <= _SHAPE[0][0]:
        return _SHAPE[0][1]
    for (m0, w0), (m1, w1) in zip(_SHAPE, _SHAPE[1:], strict=False):
        if m <= m1:
            return w0 + (w1 - w0) * (m - m0) / (m1 - m0)
    return _SHAPE[-1][1]


def item_weight(cfg: HallConfig, code: str) -> float:
    item = next(i for i in cfg.items if i.code == code)
    return 2.0 if item.kind == "immediate" else 1.0


def base_volumes(cfg: HallConfig, load: float = NORMAL_LOAD) -> dict[str, float]:
    """Residents per item over a working day such that every window, open all day, is busy
    about ``load`` of the time (windows whose items take over ten minutes less: such offices see
    fewer residents): each window's hours are shared among its items (immediate items twice as
    much as promised ones), converted to residents by the item's service minutes."""
    periods = day_periods(cfg)
    open_minutes = sum(minutes_of(b) - minutes_of(a) for a, b in periods)
    volumes = {i.code: 0.0 for i in cfg.items}
    for w in cfg.windows:
        weights = {code: item_weight(cfg, code) for code in w.items}
        total = sum(weights.values()) or 1.0
        minutes = {code: configured_law(cfg, code).mean_seconds / 60.0 for code in w.items}
        typical = sum(minutes[c] * weights[c] for c in w.items) / total
        busy = load * min(1.0, math.sqrt(10.0 / typical))  # slow windows (mediation...) see fewer
        for code, weight in weights.items():
            volumes[code] += busy * open_minutes * weight / total / minutes[code]
    return volumes


def pension_items(cfg: HallConfig) -> list[str]:
    """Items of the pension certification season: 养老 / 资格认证 in their name, else the
    quickest immediate item."""
    found = [i.code for i in cfg.items if "资格认证" in i.name.zh or "认证" in i.name.zh]
    if not found:
        found = [i.code for i in cfg.items if "养老" in i.name.zh]
    if not found:
        quick = sorted(cfg.items, key=lambda i: (i.kind != "immediate", i.service_minutes))
        found = [quick[0].code]
    return found


def profile_from_volumes(
    cfg: HallConfig, name: str, volumes: Mapping[str, float], morning: float = 1.0
) -> Profile:
    """Spread daily volumes over the working day's slots by ``shape`` (``morning`` boosts the
    slots before noon)."""
    slots = slots_of(day_periods(cfg))
    weights = {s: shape(s) * (morning if s < time(12) else 1.0) for s in slots}
    total = sum(weights.values()) or 1.0
    rates = {
        code: {s: volume * w / total for s, w in weights.items()}
        for code, volume in volumes.items()
    }
    return Profile(name, rates)


def named_profile(name: str, cfg: HallConfig) -> Profile:
    """One of ``PROFILE_NAMES``, sized to the hall's windows and items."""
    volumes = base_volumes(cfg)
    if name == "normal-wednesday":
        return profile_from_volumes(cfg, name, volumes)
    if name == "monday-after-holiday":
        more = {c: v * AFTER_HOLIDAY for c, v in volumes.items()}
        return profile_from_volumes(cfg, name, more, morning=1.3)
    if name == "pension-certification-peak":
        peak = set(pension_items(cfg))
        more = {c: v * (PENSION_PEAK if c in peak else 1.0) for c, v in volumes.items()}
        profile = profile_from_volumes(cfg, name, more, morning=1.4)
        return Profile(name, profile.rates, green_share=0.15)  # many elderly residents
    raise ValueError(f"unknown profile {name!r} (known: {', '.join(PROFILE_NAMES)})")


# --- arrivals ------------------------------------------------------------------------------


def _transfer_targets(cfg: HallConfig) -> dict[str, list[str]]:
    """Where a transfer from an item may go: other items of the same department."""
    by_dept: dict[str, list[str]] = {}
    for i in cfg.items:
        by_dept.setdefault(i.department, []).append(i.code)
    return {i.code: [c for c in by_dept[i.department] if c != i.code] or [] for i in cfg.items}


def arrivals(
    cfg: HallConfig,
    profile: Profile,
    day: date,
    seed: int,
    service: ServiceTimes | None = None,
    no_show_rate: float = 0.03,
    patience_minutes: float | None = None,
) -> list[Arrival]:
    """A seeded day of arrivals, sorted by ``.at``: Poisson within each half hour at the
    profile's rate; lognormal service times; no-shows hold the window for the hall's no-show
    guard (at least a minute); patience is exponential with mean ``patience_minutes``."""
    service = service or ServiceTimes()
    rng = random.Random(seed)
    tz = ZoneInfo(cfg.hall.timezone)
    guard = max(60.0, float(cfg.no_show.min_seconds))
    targets = _transfer_targets(cfg)
    known = {i.code for i in cfg.items}
    out: list[Arrival] = []
    for code in sorted(profile.rates):
        if code not in known:
            raise ValueError(f"profile {profile.name!r}: unknown item {code!r}")
        law = service.law(cfg, code)
        for start in sorted(profile.rates[code]):
            rate = profile.rates[code][start]
            if rate <= 0:
                continue
            begin = datetime.combine(day, start, tzinfo=tz)
            offset = rng.expovariate(rate)  # in slots
            while offset < 1.0:
                out.append(
                    _arrival(
                        rng,
                        cfg,
                        profile,
                        code,
                        law,
                        begin + offset * SLOT,
                        service,
                        targets,
                        guard,
                        no_show_rate,
                        patience_minutes,
                    )
                )
                offset += rng.expovariate(rate)
    out.sort(key=lambda a: (a.at, a.item_code))
    return out


def _arrival(rng, cfg, profile, code, law, at, service, targets, guard, no_show_rate, patience):
    u = rng.random()
    priority = (
        "green"
        if u < profile.green_share
        else "appointment"
        if u < profile.green_share + profile.appointment_share
        else "normal"
    )
    no_show = rng.random() < no_show_rate
    seconds = guard if no_show else law.sample(rng)
    wait_limit = rng.expovariate(1.0 / (patience * 60.0)) if patience else None
    transfer_to, transfer_seconds = None, 0.0
    transferred = profile.transfer_rate and targets[code] and rng.random() < profile.transfer_rate
    if transferred and not no_show:
        transfer_to = rng.choice(targets[code])
        transfer_seconds = service.law(cfg, transfer_to).sample(rng)
    return Arrival(
        at=at,
        item_code=code,
        service_seconds=seconds,
        priority=priority,
        no_show=no_show,
        patience_seconds=wait_limit,
        transfer_to=transfer_to,
        transfer_service_seconds=transfer_seconds,
    )
