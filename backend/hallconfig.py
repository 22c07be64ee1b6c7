"""Hall configuration files (TOML): load, validate, and report every problem by file and key
(``file: key: reason``: configfile, the same lines as the terminals' config files)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from configfile import WHOLE_FILE, ConfigError, Problem, read_toml

from .domain.appointments import Rules as AppointmentRules
from .domain.hours import OpeningHours
from .domain.network import PARENT_LEVELS, Level
from .domain.queue_policy import QueuePolicy
from .domain.tickets import Priority

CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~/-]*)?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(Strict):
    zh: str = Field(min_length=1, max_length=80)
    en: str = Field(default="", max_length=120)


class Hours(Strict):
    """Periods as ["08:30", "12:00"] pairs, local time."""

    working_days: list[tuple[str, str]] = Field(min_length=1)
    extended: list[tuple[str, str]] = []
    weekend_duty: list[tuple[str, str]] = []

    @field_validator("working_days", "extended", "weekend_duty")
    @classmethod
    def _periods(cls, periods: list[tuple[str, str]]) -> list[tuple[str, str]]:
        for start, end in periods:
            for value in (start, end):
                if not HHMM.match(value):
                    raise ValueError(f"{value!r} is not a HH:MM time")
            if start >= end:
                raise ValueError(f"period {start}-{end} ends before it starts")
        return periods

    def to_domain(self) -> OpeningHours:
        def conv(periods):
            return tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in periods)

        return OpeningHours(conv(self.working_days), conv(self.extended), conv(self.weekend_duty))


class Calendar(Strict):
    extra_closed: list[date] = []
    extra_working: list[date] = []


class Queue(Strict):
    number_width: int = Field(default=3, ge=2, le=5)
    aging_limit_minutes: int = Field(default=45, ge=5, le=600)
    requeue_behind: int = Field(default=3, ge=0, le=50)
    class_order: list[Priority] = [Priority.GREEN, Priority.APPOINTMENT, Priority.NORMAL]
    default_service_minutes: float = Field(default=8, gt=0, le=240)
    recent_services: int = Field(default=20, ge=3, le=500)
    enforce_opening_hours: bool = True
    # take tickets for an item no staffed window serves (told "no window open now", no wait
    # figure); false: the kiosk shows it as 暂停取号 and issuing answers 409 no_window_open
    issue_when_no_window: bool = False

    @field_validator("class_order")
    @classmethod
    def _all_classes(cls, order: list[Priority]) -> list[Priority]:
        if sorted(order) != sorted(Priority):
            raise ValueError("must list each of normal, green, appointment exactly once")
        return order

    def to_policy(self) -> QueuePolicy:
        return QueuePolicy(
            aging_limit_minutes=self.aging_limit_minutes,
            requeue_behind=self.requeue_behind,
            class_order=tuple(self.class_order),
        )


class Thresholds(Strict):
    """Alert thresholds for the managers' board."""

    queue_length: int = Field(default=15, ge=1)
    wait_minutes: int = Field(default=30, ge=1)
    pause_minutes: int = Field(default=20, ge=1)
    device_offline_seconds: int = Field(default=120, ge=10)


class Display(Strict):
    """Waiting-hall screens: voice call-out settings."""

    voice_repeat: int = Field(default=2, ge=1, le=5)
    chime: bool = True
    voice: str = "cmn"  # espeak-ng voice
    recent_calls: int = Field(default=6, ge=1, le=20)


class Cases(Strict):
    """Time-limited completion (限时办结): how deadlines count, warn and may be extended."""

    accepted_day_counts: bool = (
        False  # the acceptance day is day 1 (default: counting starts next working day)
    )
    yellow_within_days: float = Field(
        default=3, gt=0, le=30
    )  # 黄: at most this many working days left
    orange_within_days: float = Field(
        default=1, gt=0, le=30
    )  # 橙: due within this many working days
    supplement: Literal["resume", "restart"] = "resume"  # after 补正 the clock resumes or restarts
    extension_min_days: int = Field(default=1, ge=1, le=30)
    extension_max_days: int = Field(default=3, ge=1, le=30)
    max_extensions: int = Field(default=1, ge=0, le=5)
    repeat_visit_days: int = Field(default=30, ge=0, le=365)  # 重访: same applicant and item within
    rectification_days: int = Field(default=5, ge=1, le=30)  # 差评整改 deadline, working days
    callback_share: float = Field(
        default=1.0, ge=0, le=1
    )  # 回访: share of finished cases called back

    @model_validator(mode="after")
    def _order(self) -> Cases:
        if self.orange_within_days > self.yellow_within_days:
            raise ValueError("orange_within_days must not exceed yellow_within_days")
        if self.extension_min_days > self.extension_max_days:
            raise ValueError("extension_min_days must not exceed extension_max_days")
        return self


class NoShow(Strict):
    """过号 guard, enforced by the API: a called ticket may be marked no-show once it was
    recalled ``min_recalls`` times OR ``min_seconds`` have passed since its first call (either
    suffices; a condition set to 0 is off; both 0: no guard)."""

    min_recalls: int = Field(default=1, ge=0, le=10)
    min_seconds: int = Field(default=60, ge=0, le=3600)


class LookupGuard(Strict):
    """办件查询 at the kiosk: after ``number_misses`` wrong tries on one acceptance number, or
    ``device_misses`` on one kiosk, within ``window_minutes``, that number (or that kiosk's
    lookups) is locked for ``lock_minutes``; a clerk can lift it."""

    number_misses: int = Field(default=5, ge=1, le=100)
    device_misses: int = Field(default=20, ge=1, le=1000)
    window_minutes: int = Field(default=15, ge=1, le=1440)
    lock_minutes: int = Field(default=15, ge=1, le=1440)


class Notify(Strict):
    """Messages to residents whose ticket has a phone (an appointment's): one when they are
    ``tickets_away`` people from being called (0: none) and one when called."""

    tickets_away: int = Field(default=3, ge=0, le=50)
    called: bool = True


class Staffing(Strict):
    """Staffing advice (onestop staffing, the board's strip): the hall's target is that
    ``target_share`` of residents are called within ``target_minutes``; residents leave after
    ``patience_minutes`` on average (0: nobody leaves, Erlang C instead of Erlang A)."""

    target_minutes: float = Field(default=15, gt=0, le=240)
    target_share: float = Field(default=0.9, gt=0, lt=1)
    patience_minutes: float = Field(default=60, ge=0, le=600)
    history_weeks: int = Field(default=8, ge=1, le=52)  # arrivals learnt from these weeks
    after_holiday_factor: float = Field(default=1.5, ge=0.5, le=5)  # when history has no such day
    makeup_workday_factor: float = Field(default=0.9, ge=0.1, le=5)  # 调休 working weekend
    sim_runs: int = Field(default=3, ge=1, le=50)  # seeded simulator runs checking each roster


class Appointments(Strict):
    """预约: bookable slots per item and day. A slot's places are ``share`` of what the windows
    serving the item can do in it; no booking or move into a slot starting within
    ``cutoff_minutes``; check-in is on time from ``early_minutes`` before the slot start to
    ``late_minutes`` after it; limits per phone and ID number stop hoarding, and
    ``no_show_limit`` no-shows within ``no_show_days`` stop booking (0: no such rule)."""

    enabled: bool = False
    slot_minutes: int = Field(default=30, ge=10, le=240)
    share: float = Field(default=0.3, gt=0, le=1)
    days_ahead: int = Field(default=7, ge=0, le=60)
    cutoff_minutes: int = Field(default=60, ge=0, le=2880)
    early_minutes: int = Field(default=15, ge=0, le=240)
    late_minutes: int = Field(default=10, ge=0, le=240)
    max_active_per_phone: int = Field(default=2, ge=1, le=20)
    max_active_per_id: int = Field(default=2, ge=1, le=20)
    no_show_limit: int = Field(default=3, ge=0, le=50)
    no_show_days: int = Field(default=30, ge=1, le=365)
    # true: POST /tickets takes priority=appointment with any code (an outside booking system);
    # false: the code must be today's booking of this hall for that item (routed to check-in)
    unchecked_codes: bool = False

    def to_rules(self) -> AppointmentRules:
        return AppointmentRules(**self.model_dump(exclude={"enabled", "unchecked_codes"}))


class HallInfo(Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Name
    # the county network (县 → 乡镇/街道 → 村/社区): a county centre has no parent; a town's
    # parent is its county; a village/community service point's parent is its town
    level: Literal["county", "town", "village"] = "town"
    parent: Annotated[str, Field(pattern=CODE)] | None = None
    timezone: str = "Asia/Shanghai"
    address: str = ""
    supervision_phone: str = ""
    announcements: list[str] = []
    # What residents' phones open (the 受理回执's QR code): https://banshi.example.gov.cn; empty:
    # the counter falls back to its own backend address and says so
    public_url: str = ""

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return ""
        if not PUBLIC_URL.match(value):
            raise ValueError(f"{value!r} is not an http(s) address like https://banshi.example.cn")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _tree(self) -> HallInfo:
        if self.level == "county" and self.parent is not None:
            raise ValueError("a county centre (level county) has no parent")
        if self.level == "village" and self.parent is None:
            raise ValueError("a village/community service point needs its town as parent")
        if self.parent == self.code:
            raise ValueError("a hall cannot be its own parent")
        return self

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value


class Department(Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Name


class Item(Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Name
    department: str
    category: str = ""
    prefix: Annotated[str, Field(pattern=r"^[A-Z]{1,2}$")]
    kind: Literal["immediate", "promised"]
    promised_days: int = Field(default=0, ge=0, le=60)
    legal_days: int = Field(default=0, ge=0, le=120)
    materials: list[str] = []
    conditions: list[str] = []
    legal_basis: str = ""
    fees: str = "不收费"
    procedure: list[str] = []
    supervision_phone: str = ""
    service_minutes: float = Field(default=0, ge=0, le=240)
    pinyin: str = Field(default="", pattern=r"^[a-z]*$")
    bookable: bool = True  # may be booked as an appointment (when the hall takes them)
    # beyond this hall's remit: accepted here, then reported upward (上报) the same working day
    refer_up: bool = False


class Window(Strict):
    number: int = Field(ge=1, le=999)
    name: Name
    department: str | None = None
    comprehensive: bool = False
    area: str = "main"
    items: list[str] = []


class Device(Strict):
    code: Annotated[str, Field(pattern=CODE)]
    kind: Literal["kiosk", "display", "printer", "rating_pad"]
    name: str
    area: str = "main"
    attached_to: str | None = None


class HallConfig(Strict):
    hall: HallInfo
    hours: Hours
    calendar: Calendar = Calendar()
    queue: Queue = Queue()
    thresholds: Thresholds = Thresholds()
    display: Display = Display()
    cases: Cases = Cases()
    no_show: NoShow = NoShow()
    lookup_guard: LookupGuard = LookupGuard()
    staffing: Staffing = Staffing()
    notify: Notify = Notify()
    appointments: Appointments = Appointments()
    departments: list[Department] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    windows: list[Window] = Field(min_length=1)
    devices: list[Device] = []


def _key(loc: tuple, data: dict) -> str:
    """Turn a pydantic location into ``items[3] (MZ-001).prefix``."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                ident = node[part].get("code") or node[part].get("number")
                if ident is not None:
                    label += f" ({ident})"
            parts.append(label)
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            parts.append(("." if parts else "") + str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(parts) or WHOLE_FILE


def cross_check(cfg: HallConfig, file: str) -> list[Problem]:
    """Problems that involve more than one entry (unknown references, duplicates, gaps)."""
    problems: list[Problem] = []

    def dup(kind: str, values: list, key_of) -> None:
        seen: dict = {}
        for i, value in enumerate(values):
            k = key_of(value)
            if k in seen:
                problems.append(
                    Problem(file, f"{kind}[{i}]", f"duplicate {k!r} (first at {kind}[{seen[k]}])")
                )
            seen.setdefault(k, i)

    dup("departments", cfg.departments, lambda d: d.code)
    dup("items", cfg.items, lambda i: i.code)
    dup("windows", cfg.windows, lambda w: w.number)
    dup("devices", cfg.devices, lambda d: d.code)
    departments = {d.code for d in cfg.departments}
    items = {i.code: i for i in cfg.items}
    prefix_owner: dict[str, tuple[int, str]] = {}
    for i, item in enumerate(cfg.items):
        where = f"items[{i}] ({item.code})"
        if item.department not in departments:
            problems.append(
                Problem(file, f"{where}.department", f"unknown department {item.department!r}")
            )
        owner = prefix_owner.setdefault(item.prefix, (i, item.department))
        if owner[1] != item.department:
            problems.append(
                Problem(
                    file,
                    f"{where}.prefix",
                    f"duplicate prefix {item.prefix!r}: already used by department "
                    f"{owner[1]!r} (items[{owner[0]}]); a prefix belongs to one department",
                )
            )
        if item.kind == "promised" and item.promised_days < 1:
            problems.append(
                Problem(
                    file,
                    f"{where}.promised_days",
                    "a promised item (承诺件) needs promised_days >= 1",
                )
            )
        if item.kind == "immediate" and item.promised_days:
            problems.append(
                Problem(
                    file,
                    f"{where}.promised_days",
                    "an immediate item (即办件) has no promised days",
                )
            )
        if item.legal_days and item.legal_days < item.promised_days:
            problems.append(
                Problem(
                    file, f"{where}.legal_days", "legal limit is shorter than the promised limit"
                )
            )
    served: set[str] = set()
    for i, window in enumerate(cfg.windows):
        where = f"windows[{i}] ({window.number})"
        if window.department is not None and window.department not in departments:
            problems.append(
                Problem(file, f"{where}.department", f"unknown department {window.department!r}")
            )
        if not window.items:
            problems.append(Problem(file, f"{where}.items", "the window serves nothing"))
        seen_here: set[str] = set()
        for j, code in enumerate(window.items):
            if code not in items:
                problems.append(Problem(file, f"{where}.items[{j}]", f"unknown item {code!r}"))
            elif code in seen_here:
                problems.append(Problem(file, f"{where}.items[{j}]", f"item {code!r} listed twice"))
            seen_here.add(code)
            served.add(code)
        if not window.comprehensive and window.department is None:
            problems.append(
                Problem(
                    file,
                    f"{where}.department",
                    "a window that is not comprehensive needs a department",
                )
            )
    for i, item in enumerate(cfg.items):
        if item.code not in served:
            problems.append(
                Problem(file, f"items[{i}] ({item.code})", "no window serves this item")
            )
    codes = {d.code: d for d in cfg.devices}
    window_numbers = {str(w.number) for w in cfg.windows}
    for i, device in enumerate(cfg.devices):
        if device.attached_to is None:
            continue
        if device.kind == "rating_pad":  # a rating pad is attached to its window: "3"
            if device.attached_to.strip() not in window_numbers:
                problems.append(
                    Problem(
                        file,
                        f"devices[{i}] ({device.code}).attached_to",
                        f"a rating pad names its window number; no window {device.attached_to!r}",
                    )
                )
        elif device.attached_to not in codes:
            problems.append(
                Problem(
                    file,
                    f"devices[{i}] ({device.code}).attached_to",
                    f"unknown device {device.attached_to!r}",
                )
            )
    areas = {w.area for w in cfg.windows}
    for i, device in enumerate(cfg.devices):
        if device.kind == "display" and device.area not in areas and device.area != "all":
            problems.append(
                Problem(
                    file,
                    f"devices[{i}] ({device.code}).area",
                    f"no window is in area {device.area!r}",
                )
            )
    if cfg.hall.parent is None:
        for i, item in enumerate(cfg.items):
            if item.refer_up:
                problems.append(
                    Problem(
                        file,
                        f"items[{i}] ({item.code}).refer_up",
                        "a hall without a parent has nobody to report upward to",
                    )
                )
    if set(cfg.calendar.extra_closed) & set(cfg.calendar.extra_working):
        problems.append(
            Problem(file, "calendar", "a date is both an extra closure and an extra working day")
        )
    return problems


def parse_config(data: dict, file: str) -> HallConfig:
    try:
        cfg = HallConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            [Problem(file, _key(tuple(e["loc"]), data), e["msg"]) for e in exc.errors()]
        ) from None
    problems = cross_check(cfg, file)
    if problems:
        raise ConfigError(problems)
    return cfg


def check_tree(configs: Mapping[str, HallConfig]) -> tuple[list[Problem], list[Problem]]:
    """The county tree among several hall files (file name → its config): ``(problems,
    notes)``. A problem: two files for one hall, or a parent among the files whose level does not
    fit (a town under a county; a village under a town or the county). A note, not a failure: a
    parent that is not among the files (it must be loaded first), an item reported up that the
    parent does not have under the same code (the parent accepts it as another item)."""
    problems: list[Problem] = []
    notes: list[Problem] = []
    by_code: dict[str, tuple[str, HallConfig]] = {}
    for file, cfg in configs.items():
        first = by_code.setdefault(cfg.hall.code, (file, cfg))
        if first[0] != file:
            problems.append(
                Problem(file, "hall.code", f"hall {cfg.hall.code!r} is also in {first[0]}")
            )
    for file, cfg in configs.items():
        info = cfg.hall
        if info.parent is None:
            continue
        if info.parent not in by_code:
            notes.append(
                Problem(
                    file,
                    "hall.parent",
                    f"{info.parent!r} is not among these files: it must be loaded first",
                )
            )
            continue
        parent_file, parent = by_code[info.parent]
        allowed = PARENT_LEVELS[Level(info.level)]
        if Level(parent.hall.level) not in allowed:
            problems.append(
                Problem(
                    file,
                    "hall.parent",
                    f"{info.parent!r} ({parent_file}) is a {parent.hall.level} hall; a "
                    f"{info.level} hall sits under a {' or '.join(sorted(allowed)) or 'nothing'}",
                )
            )
            continue
        theirs = {item.code for item in parent.items}
        for i, item in enumerate(cfg.items):
            if item.refer_up and item.code not in theirs:
                notes.append(
                    Problem(
                        file,
                        f"items[{i}] ({item.code}).refer_up",
                        f"{info.parent!r} has no item {item.code!r}: it accepts the case as "
                        "another of its items",
                    )
                )
    return problems, notes


def load_config(path: str | Path) -> HallConfig:
    """Read and validate a hall file; ConfigError lists every problem with file and key."""
    return parse_config(read_toml(path), str(path))
