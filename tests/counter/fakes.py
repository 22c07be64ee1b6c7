"""Test doubles for the counter: an in-memory backend with the window and case rules, a live
client, a view that records what it was told and a printer that records what it printed (the
runner and clock-driven scheduler are tests.clientlib.fakes')."""

from __future__ import annotations

import re
import threading
import tomllib
from pathlib import Path
from typing import Any

from clientlib.api import ApiError, ApiUnavailable
from counter.config import CounterConfig, parse_config

ROOT = Path(__file__).resolve().parents[2]
DEMO_HALL = ROOT / "config" / "demo-hall.toml"
PASSWORD = "secret-pw-123"
USERS = {"clerk1": "李敏", "clerk2": "张伟", "clerk3": "刘洋", "manager": "王主任"}


def make_config(**overrides) -> CounterConfig:
    data: dict[str, Any] = {"backend_url": "http://127.0.0.1:9", "hall": "qingshan"}
    data.update(overrides)
    return parse_config(data, "test.toml")


def demo_catalog() -> dict:
    """GET /catalog of the demo hall (the parts the counter uses), from config/demo-hall.toml."""
    cfg = tomllib.loads(DEMO_HALL.read_text(encoding="utf-8"))
    return {
        "hall": {
            "code": "qingshan",
            "name": cfg["hall"]["name"],
            "timezone": "Asia/Shanghai",
            "supervision_phone": "0571-12345",
        },
        "departments": [{"code": d["code"], "name": d["name"]} for d in cfg["departments"]],
        "items": [
            {
                "code": i["code"],
                "name": i["name"],
                "department": i["department"],
                "prefix": i["prefix"],
                "kind": i["kind"],
                "promised_days": i.get("promised_days"),
                "guide": {"materials": i.get("materials", [])},
            }
            for i in cfg["items"]
        ],
        "windows": [
            {"number": w["number"], "name": w["name"], "items": w["items"]} for w in cfg["windows"]
        ],
    }


def _conflict(code: str, message: str = "", field: str = "window") -> ApiError:
    return ApiError(409, code, message or code, field)


def _invalid(code: str, message: str, field: str) -> ApiError:
    return ApiError(400, code, message, field)


def valid_id_number(text: str) -> bool:
    """18 characters with the GB 11643 check digit (the backend's rule)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    if not re.fullmatch(r"\d{17}[\dX]", text.upper()):
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], weights, strict=True))
    return "10X98765432"[total % 11] == text[17].upper()


def _mask(name: str, phone: str, id_number: str) -> dict:
    return {
        "name": (name[0] + "*" + name[-1] if len(name) > 2 else name[0] + "*") if name else "",
        "phone": phone[:3] + "****" + phone[-4:] if phone else "",
        "id_number": id_number[:4] + "*" * 10 + id_number[-4:] if id_number else "",
    }


class FakeApi:
    """The ApiClient methods the counter uses, over an in-memory hall with the server's rules
    for windows and tickets, request-id replay, and an audit list.

    `down` makes every call raise ApiUnavailable; `lose_answers` = n makes the next n changes
    happen but their answers get lost (ApiUnavailable), as when the network drops mid-reply.
    """

    def __init__(self):
        self.hall = "qingshan"
        self.token: str | None = None
        self.catalog_data = demo_catalog()
        self.items = {i["code"]: i for i in self.catalog_data["items"]}
        self.windows = {
            w["number"]: {
                "number": w["number"],
                "name": w["name"],
                "items": w["items"],
                "state": "closed",
                "clerk": None,
                "pause_reason": None,
                "current": None,
            }
            for w in self.catalog_data["windows"]
        }
        self.tickets: list[dict] = []
        self.sessions: dict[str, str] = {}  # token -> username
        self.replies: dict[tuple[str, str], tuple[tuple, dict]] = {}
        self.calls: list[tuple[str, Any, str | None, dict]] = []  # action, target, rid, body
        self.audit: list[tuple[str, str]] = []  # action, number
        self.logins: list[str] = []
        self.state_loads = 0
        self.cases: dict[str, dict] = {}  # number -> the case as GET /cases shows it
        self.case_clerks: dict[str, str] = {}  # number -> username of the accepting clerk
        self.case_loads = 0
        self.rated: set[str] = set()  # ticket numbers already rated
        self.rating_requests: list[tuple[int, str]] = []  # (window, ticket number)
        self.status_tokens = False  # True: the counter state names the ticket's status token
        self.down = False
        self.lose_answers = 0
        self.lock = threading.RLock()

    # -- plumbing --------------------------------------------------------------------------------
    def _check(self) -> None:
        if self.down:
            raise ApiUnavailable("服务器无法连接 / server unreachable: fake is down")

    def _user(self) -> str:
        user = self.sessions.get(self.token or "")
        if user is None:
            raise ApiError(401, "unauthenticated", "a valid token is required", "Authorization")
        return user

    def hall_path(self, path: str) -> str:
        return f"/api/v1/halls/{self.hall}{path}"

    # -- calls -----------------------------------------------------------------------------------
    def login(self, username: str, password: str, client: str = "") -> dict:
        self._check()
        with self.lock:
            if username not in USERS or password != PASSWORD:
                raise ApiError(403, "bad_credentials", "用户名或密码错误", "password")
            self.logins.append(username)
            token = f"token-{username}-{len(self.logins)}"
            self.sessions[token] = username
            self.token = token
        return {
            "token": token,
            "user": {"username": username, "display_name": USERS[username], "role": "clerk"},
        }

    def logout(self) -> None:
        self._check()
        with self.lock:
            self.sessions.pop(self.token or "", None)
            self.token = None

    def catalog(self) -> dict:
        self._check()
        return self.catalog_data

    def get(self, path: str) -> dict:
        self._check()
        with self.lock:
            self._user()
            listing = re.fullmatch(r"/api/v1/halls/qingshan/cases\?clerk=(\w+)", path)
            if listing:
                self.case_loads += 1
                return self.case_list(listing.group(1))
            if re.fullmatch(r"/api/v1/halls/qingshan/cases\?clerk=\w+&state=referred", path):
                return {"cases": [], "counts": {}}  # the demo hall refers nowhere
            if path == "/api/v1/halls/qingshan/network/targets":
                return {"up": None, "down": [], "refer_up": []}
            one = re.fullmatch(r"/api/v1/halls/qingshan/cases/([\w-]+)", path)
            if one:
                return {"case": dict(self._case(one.group(1)))}
            match = re.fullmatch(r"/api/v1/halls/qingshan/windows/(\d+)", path)
            assert match, path
            self.state_loads += 1
            return self.counter_state(int(match.group(1)))

    def post(self, path: str, body: dict | None = None, request_id: str | None = None) -> dict:
        match = re.fullmatch(r"/api/v1/halls/qingshan/cases/([\w-]+)/([a-z-]+)", path)
        assert match, path
        number, action = match.groups()
        return self._command("case_" + action, number, request_id, body or {})

    def window_action(self, window: int, action: str, request_id: str | None = None, **body):
        return self._command(action, window, request_id, body)

    def ticket_action(self, number: str, action: str, request_id: str | None = None):
        return self._command(action, number, request_id, {})

    def _command(self, action: str, target, request_id: str | None, body: dict) -> dict:
        with self.lock:
            self.calls.append((action, target, request_id, dict(body)))
        self._check()
        with self.lock:
            user = self._user()
            key = (user, request_id or f"auto-{len(self.calls)}")
            fingerprint = (action, target, repr(sorted(body.items())))
            if key in self.replies:
                first, answer = self.replies[key]
                if first != fingerprint:
                    raise _conflict("idempotency_mismatch")
                return answer
            handler = getattr(self, "_do_" + action.replace("-", "_"))
            answer = handler(user, target, **body)
            self.replies[key] = (fingerprint, answer)
            if self.lose_answers:
                self.lose_answers -= 1
                raise ApiUnavailable("服务器无法连接 / the answer was lost")
            return answer

    # -- the hall ----------------------------------------------------------------------------------
    def add_ticket(self, item: str, priority: str = "normal", reason: str | None = None) -> str:
        with self.lock:
            prefix = self.items[item]["prefix"]
            seq = 1 + sum(1 for t in self.tickets if t["prefix"] == prefix and not t["parent"])
            ticket = {
                "id": len(self.tickets) + 1,
                "number": f"{prefix}{seq:03d}",
                "prefix": prefix,
                "item": item,
                "priority": priority,
                "priority_reason": reason,
                "state": "waiting",
                "window": None,
                "clerk": None,
                "call_count": 0,
                "target_window": None,
                "parent": None,
                "note": None,
            }
            self.tickets.append(ticket)
            return ticket["number"]

    def audited(self, action: str, number: str | None = None) -> int:
        return sum(1 for a, n in self.audit if a == action and (number is None or n == number))

    def sent(self, action: str) -> list[tuple]:
        return [c for c in self.calls if c[0] == action]

    def _window(self, number: int, user: str, operator: bool = True) -> dict:
        w = self.windows.get(number)
        if w is None:
            raise ApiError(404, "window_not_found", f"no window {number}", "window")
        if operator and w["clerk"] != user:
            raise ApiError(403, "not_your_window", f"not signed in to {number}", "window")
        return w

    def _ticket(self, w: dict) -> dict:
        if w["current"] is None:
            raise _conflict("no_current_ticket")
        return next(t for t in self.tickets if t["id"] == w["current"])

    def _brief(self, t: dict) -> dict:
        return {
            "id": t["id"],
            "number": t["number"],
            "item": t["item"],
            "item_name": self.items[t["item"]]["name"],
            "state": t["state"],
            "priority": t["priority"],
            "call_count": t["call_count"],
        }

    def _view(self, w: dict) -> dict:
        current = self._ticket(w) if w["current"] else None
        return {
            "number": w["number"],
            "name": w["name"],
            "state": w["state"],
            "pause_reason": w["pause_reason"],
            "clerk": USERS.get(w["clerk"]) if w["clerk"] else None,
            "items": w["items"],
            "current": self._brief(current) if current else None,
        }

    def _answer(self, w: dict, ticket: dict | None = None, **extra) -> dict:
        return {"ticket": self._brief(ticket) if ticket else None, "window": self._view(w)} | extra

    def _do_sign_in(self, user, number):
        w = self._window(number, user, operator=False)
        if w["state"] != "closed" and w["clerk"] == user:
            return {"window": self._view(w)}
        if any(o["clerk"] == user for o in self.windows.values()):
            raise _conflict("signed_in_elsewhere")
        if w["state"] != "closed":
            raise _conflict("window_taken")
        w.update(state="open", clerk=user, pause_reason=None)
        self.audit.append(("window.opened", str(number)))
        return {"window": self._view(w)}

    def _do_sign_out(self, user, number):
        w = self._window(number, user)
        if w["current"]:
            raise _conflict("ticket_in_progress")
        w.update(state="closed", clerk=None, pause_reason=None)
        return {"window": self._view(w)}

    def _do_take_over(self, user, number):
        w = self._window(number, user, operator=False)
        if w["state"] == "closed":
            raise _conflict("window_closed")
        if not (w["state"] == "paused" and (w["pause_reason"] or "").startswith("handover")):
            raise _conflict("no_handover")
        w.update(state="open", clerk=user, pause_reason=None)
        self.audit.append(("window.handed_over", str(number)))
        return {"window": self._view(w)}

    def _do_pause(self, user, number, reason, note=None):
        w = self._window(number, user)
        if w["state"] != "open":
            raise _conflict("invalid_window_transition")
        w.update(state="paused", pause_reason=f"{reason}: {note}" if note else reason)
        self.audit.append(("window.paused", str(number)))
        return {"window": self._view(w)}

    def _do_resume(self, user, number):
        w = self._window(number, user)
        if w["state"] != "paused":
            raise _conflict("invalid_window_transition")
        w.update(state="open", pause_reason=None)
        return {"window": self._view(w)}

    def _ready(self, w: dict) -> None:
        if w["state"] != "open":
            raise _conflict("window_not_open")
        if w["current"]:
            raise _conflict("ticket_in_progress")

    def _call(self, w: dict, t: dict) -> dict:
        t.update(state="called", window=w["number"], clerk=w["clerk"], call_count=1)
        w["current"] = t["id"]
        self.audit.append(("ticket.called", t["number"]))
        return self._answer(w, t)

    def line(self, w: dict) -> list[dict]:
        waiting = [
            t
            for t in self.tickets
            if t["state"] == "waiting"
            and t["item"] in w["items"]
            and t["target_window"] in (None, w["number"])
        ]
        rank = {"green": 0, "appointment": 1, "normal": 2}
        return sorted(
            waiting,
            key=lambda t: (t["target_window"] != w["number"], rank[t["priority"]], t["id"]),
        )

    def _do_call_next(self, user, number):
        w = self._window(number, user)
        self._ready(w)
        line = self.line(w)
        if not line:
            return self._answer(w, None, message="暂无等候 / nobody is waiting")
        return self._call(w, line[0])

    def _do_call(self, user, window, number, reason):
        """Call `number` (the ticket) at `window` out of order."""
        w = self._window(window, user)
        if not reason.strip():
            raise ApiError(400, "reason_required", "calling out of order needs a reason", "reason")
        self._ready(w)
        legs = [t for t in self.tickets if t["number"] == number]
        if not legs:
            raise ApiError(404, "ticket_not_found", f"no ticket {number} today", "number")
        if legs[-1]["state"] != "waiting":
            raise _conflict("not_waiting")
        answer = self._call(w, legs[-1])
        self.audit.append(("out_of_order", reason))
        return answer

    def _do_recall(self, user, number):
        w = self._window(number, user)
        t = self._ticket(w)
        if t["state"] != "called":
            raise _conflict("invalid_transition")
        t["call_count"] += 1
        self.audit.append(("ticket.recalled", t["number"]))
        return self._answer(w, t)

    def _do_start(self, user, number):
        w = self._window(number, user)
        t = self._ticket(w)
        if t["state"] != "called":
            raise _conflict("invalid_transition")
        t["state"] = "serving"
        self.audit.append(("ticket.started", t["number"]))
        return self._answer(w, t)

    def _end(self, w: dict, t: dict, state: str, event: str) -> None:
        t["state"] = state
        w["current"] = None
        self.audit.append((event, t["number"]))

    def _do_finish(self, user, number):
        w = self._window(number, user)
        t = self._ticket(w)
        self._end(w, t, "finished", "ticket.finished")
        return self._answer(w, t)

    def _do_no_show(self, user, number):
        w = self._window(number, user)
        t = self._ticket(w)
        if t["state"] != "called":
            raise _conflict("invalid_transition")
        self._end(w, t, "no_show", "ticket.no_show")
        return self._answer(w, t)

    def _do_transfer(self, user, number, to_item=None, to_window=None, note=None):
        w = self._window(number, user)
        t = self._ticket(w)
        if to_item is None and to_window is None:
            raise ApiError(400, "transfer_target_required", "name a target", "to_item")
        self._end(w, t, "transferred", "ticket.transferred")
        leg = dict(t)
        leg.update(
            id=len(self.tickets) + 1,
            item=to_item or t["item"],
            state="waiting",
            window=None,
            call_count=0,
            target_window=to_window,
            parent=t["id"],
            note=note,
        )
        self.tickets.append(leg)
        return self._answer(w, t, new_leg=self._brief(leg))

    def _do_requeue(self, user, number):
        legs = [t for t in self.tickets if t["number"] == number]
        if not legs:
            raise ApiError(404, "ticket_not_found", f"no ticket {number} today", "number")
        t = legs[-1]
        if t["state"] != "no_show":
            raise _conflict("invalid_transition")
        t.update(state="waiting", window=None)
        self.audit.append(("ticket.requeued", number))
        return {"ticket": self._brief(t), "people_ahead": 0}

    # -- cases ---------------------------------------------------------------------------------------
    def _do_accept(
        self,
        user,
        window,
        applicant=None,
        materials_received=(),
        decision="done_now",
        handling_unit=None,
        note=None,
    ):
        w = self._window(window, user)
        t = self._ticket(w)
        if any(c["ticket_id"] == t["id"] for c in self.cases.values()):
            raise _conflict("already_accepted", "already accepted", "ticket")
        item = self.items[t["item"]]
        a = {"name": "", "phone": "", "id_number": ""} | (applicant or {})
        if item["kind"] == "promised":
            for key in ("name", "phone"):
                if not a[key]:
                    raise _invalid("applicant_required", f"{key} is required", f"applicant.{key}")
        if a["phone"] and not re.fullmatch(r"1[3-9]\d{9}", a["phone"]):
            raise _invalid("invalid_phone", "电话号码格式不正确", "applicant.phone")
        if a["id_number"] and not valid_id_number(a["id_number"]):
            raise _invalid("invalid_id_number", "身份证号码校验不通过", "applicant.id_number")
        if decision == "refused":
            raise _invalid("use_refuse", "refuse with /refuse", "decision")
        units = {d["code"] for d in self.catalog_data["departments"]}
        if handling_unit and handling_unit not in units:
            raise ApiError(404, "department_not_found", "no such department", "handling_unit")
        number = f"QINGSHAN-20240506-{len(self.cases) + 1:04d}"
        promised = item["kind"] == "promised"
        case = {
            "number": number,
            "ticket_id": t["id"],
            "ticket_number": t["number"],
            "item": t["item"],
            "item_name": item["name"]["zh"],
            "kind": item["kind"],
            "state": "open" if promised else "finished",
            "state_zh": "办理中" if promised else "已办结",
            "decision": decision,
            "handling_unit": handling_unit or item["department"],
            "applicant": _mask(a["name"], a["phone"], a["id_number"]),
            "materials_received": list(materials_received),
            "missing_materials": [],
            "accepted_at": "2024-05-06T01:40:00+00:00",
            "working_days": item["promised_days"] or 0,
            "extended_days": 0,
            "deadline_at": "2024-06-03T17:30:00+08:00" if promised else "2024-05-06T09:40:00+08:00",
            "colour": "green" if promised else None,
            "note": note,
            "status_token": f"case-token-{len(self.cases) + 1}",
        }
        self.cases[number] = case
        self.case_clerks[number] = user
        self.audit.append(("case.accepted", number))
        return {"case": dict(case)}

    def _do_rating_request(self, user, window):
        w = self._window(window, user)
        done = [t for t in self.tickets if t["window"] == window and t["state"] == "finished"]
        if not done:
            raise _invalid("nothing_to_rate", "nothing finished yet", "window")
        number = done[-1]["number"]
        if number in self.rated:
            raise _conflict("already_rated", "这次服务已评价 / already rated", "ticket")
        self.rating_requests.append((w["number"], number))
        self.audit.append(("evaluation.requested", number))
        return {"requested": {"window": w["number"], "number": number}}

    def _case(self, number: str) -> dict:
        case = self.cases.get(number)
        if case is None:
            raise ApiError(404, "case_not_found", f"no case {number!r}", "number")
        return case

    def _case_state(self, case: dict, allowed: tuple[str, ...]) -> None:
        if case["state"] not in allowed:
            raise _conflict("invalid_case_transition", "not now", "state")

    def _changed(self, case: dict, action: str, state: str | None = None) -> dict:
        if state:
            zh = {"open": "办理中", "suspended": "待补正材料", "finished": "已办结"}
            case.update(state=state, state_zh=zh.get(state, "不予办理"))
            case["colour"] = "green" if state == "open" else None
        self.audit.append((f"case.{action}", case["number"]))
        return {"case": dict(case)}

    def _do_case_suspend(self, user, number, missing, note=None):
        case = self._case(number)
        self._case_state(case, ("open",))
        missing = [m.strip() for m in missing if m.strip()]
        if not missing:
            raise _invalid("missing_required", "list every missing material", "missing")
        case["missing_materials"] = missing
        return self._changed(case, "suspended", "suspended")

    def _do_case_supplement(self, user, number, received=()):
        case = self._case(number)
        self._case_state(case, ("suspended",))
        case["materials_received"] = [*case["materials_received"], *received]
        case["missing_materials"] = []
        return self._changed(case, "supplemented", "open")

    def _do_case_extension(self, user, number, days, reason):
        case = self._case(number)
        self._case_state(case, ("open",))
        if not 1 <= days <= 3:
            raise _invalid("invalid_extension", "1 to 3 working days", "days")
        if case.get("extension_requested"):
            raise _conflict("extension_pending", "already waiting", "days")
        case["extension_requested"] = days
        out = self._changed(case, "extension_requested")
        return out | {"extension": {"days": days, "reason": reason, "state": "requested"}}

    def _do_case_finish(self, user, number, result):
        case = self._case(number)
        self._case_state(case, ("open",))
        case["result"] = result
        return self._changed(case, "finished", "finished")

    def _do_case_refuse(self, user, number, reason):
        case = self._case(number)
        self._case_state(case, ("open", "suspended"))
        case["refuse_reason"] = reason
        return self._changed(case, "refused", "refused")

    def case_list(self, clerk: str) -> dict:
        rank = {"red": 0, "orange": 1, "yellow": 2, "green": 3, None: 4}
        mine = [
            dict(c) | {"clerk": USERS[clerk]}
            for n, c in self.cases.items()
            if self.case_clerks[n] == clerk and c["state"] in ("open", "suspended")
        ]
        mine.sort(key=lambda c: (rank[c["colour"]], c["deadline_at"]))
        counts = {k: sum(1 for c in mine if c["colour"] == k) for k in rank if k}
        counts["suspended"] = sum(1 for c in mine if c["state"] == "suspended")
        return {"cases": mine, "counts": counts}

    # -- GET /windows/<n> ---------------------------------------------------------------------------
    def counter_state(self, number: int) -> dict:
        w = self.windows[number]
        current = None
        if w["current"]:
            t = self._ticket(w)
            item = self.items[t["item"]]
            history = [
                {
                    "item": o["item"],
                    "item_name": self.items[o["item"]]["name"]["zh"],
                    "window": o["window"],
                    "state": o["state"],
                    "note": o["note"],
                }
                for o in self.tickets
                if o["number"] == t["number"] and o["id"] != t["id"]
            ]
            current = self._brief(t) | {
                "priority_reason": t["priority_reason"],
                "waited_minutes": 7,
                "issued_at": "2024-05-06T01:30:00+00:00",
                **({"status_token": f"tok-{t['number']}"} if self.status_tokens else {}),
                "materials": item["guide"]["materials"],
                "kind": item["kind"],
                "promised_days": item["promised_days"],
                "note": t["note"],
                "history": history,
            }
        line = self.line(w)
        per_item: dict[str, int] = {}
        for t in line:
            per_item[t["item"]] = per_item.get(t["item"], 0) + 1
        mine = [t for t in self.tickets if t["window"] == number]
        figures = {
            "served": sum(1 for t in mine if t["state"] == "finished"),
            "no_show": sum(1 for t in mine if t["state"] == "no_show"),
            "transferred": sum(1 for t in mine if t["state"] == "transferred"),
            "avg_service_minutes": 6.5 if any(t["state"] == "finished" for t in mine) else None,
        }
        return {
            "window": self._view(w),
            "current": current,
            "line": {
                "waiting": len(line),
                "per_item": per_item,
                "oldest_wait_minutes": 12 if line else 0,
                "next": [
                    {
                        "id": t["id"],
                        "number": t["number"],
                        "item": t["item"],
                        "priority": t["priority"],
                        "waited_minutes": 12 - i,
                        "transferred_here": t["target_window"] == number,
                    }
                    for i, t in enumerate(line)
                ],
            },
            "today": {"window": figures, "clerk": figures},
        }


class FakeLive:
    def __init__(self, factory: FakeLiveFactory, token, on_snapshot, on_event, on_connection):
        self.factory, self.token = factory, token
        self.on_snapshot, self.on_event, self.on_connection = on_snapshot, on_event, on_connection
        self.connected = False
        self.closed = False

    def connect(self) -> None:
        if self.factory.refuse:
            raise ConnectionError("fake live refused")
        self.connected = True

    def close(self) -> None:
        self.closed, self.connected = True, False

    # what the server does
    def up(self, seq: int = 1) -> None:
        self.on_connection(True)
        self.on_snapshot({"seq": seq, "kind": "staff"})

    def drop(self) -> None:
        self.connected = False
        self.on_connection(False)

    def event(self, type_: str, data: dict | None = None, seq: int = 2) -> None:
        self.on_event({"seq": seq, "type": type_, "data": data or {}})


class FakeLiveFactory:
    def __init__(self):
        self.made: list[FakeLive] = []
        self.refuse = False

    def __call__(self, token, on_snapshot, on_event, on_connection) -> FakeLive:
        live = FakeLive(self, token, on_snapshot, on_event, on_connection)
        self.made.append(live)
        return live

    @property
    def latest(self) -> FakeLive:
        return self.made[-1]


class FakeView:
    """Records what the presenter shows; dialogs are recorded, not opened."""

    def __init__(self):
        self.page = ""
        self.login = None
        self.main = None
        self.connection = None
        self.message = ""
        self.notices: list[tuple[str, str]] = []
        self.dialogs: list[tuple[str, Any]] = []
        self.form: str | None = None  # the case dialog open, until the presenter closes it
        self.form_errors: list[tuple[str, str | None, str]] = []
        self.cases = None  # the My cases page, None when not showing

    def show_login(self, screen) -> None:
        self.page, self.login = "login", screen

    def show_main(self, screen) -> None:
        self.page, self.main = "main", screen

    def set_connection(self, connection) -> None:
        self.connection = connection

    def show_message(self, text: str) -> None:
        self.message = text

    def show_notice(self, text: str, level: str) -> None:
        self.notices.append((text, level))

    @property
    def notice(self) -> str:
        return self.notices[-1][0] if self.notices else ""

    def open_transfer(self, choices) -> None:
        self.dialogs.append(("transfer", choices))

    def open_call_number(self, suggestions) -> None:
        self.dialogs.append(("call_number", suggestions))

    def open_requeue(self) -> None:
        self.dialogs.append(("requeue", None))

    def open_pause(self, choices) -> None:
        self.dialogs.append(("pause", choices))

    def open_accept(self, form) -> None:
        self.dialogs.append(("accept", form))
        self.form = "accept"

    def open_missing(self, form) -> None:
        self.dialogs.append(("missing", form))
        self.form = "missing"

    def open_case_action(self, form) -> None:
        self.dialogs.append(("case_action", form))
        self.form = "case_action"

    def form_error(self, form: str, field: str | None, text: str) -> None:
        self.form_errors.append((form, field, text))

    def close_form(self, form: str) -> None:
        if self.form == form:
            self.form = None

    def show_cases(self, screen) -> None:
        self.cases = screen


class FakePrinter:
    """A CounterPrinter that records receipts; `fault` makes it fail like a real one."""

    def __init__(self, fault=None):
        self.printed: list[tuple[str, Any]] = []
        self.fault = fault

    def _result(self):
        from clientlib.printing import PrintResult, fault_result

        if self.fault is None:
            return PrintResult(True, None, "打印完成", "printed")
        return fault_result(self.fault)

    def print_acceptance(self, receipt, tz=None):
        self.printed.append(("acceptance", receipt))
        return self._result()

    def print_notice(self, receipt):
        self.printed.append(("notice", receipt))
        return self._result()

    def print_refusal(self, receipt):
        self.printed.append(("refusal", receipt))
        return self._result()
