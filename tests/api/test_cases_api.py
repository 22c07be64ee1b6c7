"""Cases through the API, whole lifecycles: accept -> suspend -> supplement -> extend -> finish;
overdue -> escalation; bad rating -> rectification -> callback; immediate item closed the same
day; the kiosk query; bad input that names the field and writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.db.engine import open_database
from backend.db.models import Case, Notification

ID_NUMBER = "320102198503151230"  # a valid check digit
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": ID_NUMBER}


def at_window(hall, item: str = "MZ-02", window: int = 2, clerk: str = "clerk1") -> str:
    """Issue a ticket and bring it to the window; returns its number."""
    number = hall.issue(item)["ticket"]["number"]
    if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
        hall.open_window(window, clerk)
    assert hall.window(window, "call-next", clerk).json["ticket"]["number"] == number
    assert hall.window(window, "start", clerk).status_code == 200
    return number


def accept(hall, window: int = 2, clerk: str = "clerk1", **body) -> dict:
    body = {"applicant": APPLICANT, "materials_received": ["居民身份证"]} | body
    r = hall.window(window, "accept", clerk, **body)
    assert r.status_code == 200, r.json
    return r.json["case"]


def act(hall, number: str, what: str, who: str = "clerk1", **body):
    return hall.post(f"/cases/{number}/{what}", body, hall.staff(who))


def detail(hall, number: str) -> dict:
    return hall.get(f"/cases/{number}", hall.staff("clerk1")).json["case"]


def count_cases(db_url) -> int:
    db = open_database(db_url)
    try:
        with db.reader() as s:
            return s.scalar(select(func.count()).select_from(Case))
    finally:
        db.dispose()


def test_accept_suspend_supplement_extend_finish(hall, clock, db_url):
    at_window(hall)
    case = accept(hall)
    # Monday 2026-11-23: 5 working days -> Monday 30 November at the end of office hours.
    assert case["number"] == "TOWN-20261123-0001" and case["state"] == "open"
    assert case["deadline_at"] == "2026-11-30T17:30:00+08:00" and case["colour"] == "green"
    assert case["applicant"] == {
        "name": "张*三",
        "phone": "138****1234",
        "id_number": "3201**********1230",
    }
    number = case["number"]

    hall.next_day(clock, 1)  # Tuesday: materials missing, the clock stops
    r = act(hall, number, "suspend", missing=["户口簿", "收入证明"], note="一次性告知")
    assert r.json["case"]["state"] == "suspended" and r.json["case"]["colour"] is None
    hall.next_day(clock, 2)  # Thursday: supplements arrive; Tuesday and Wednesday do not count
    r = act(hall, number, "supplement", received=["户口簿", "收入证明"])
    assert r.json["case"]["deadline_at"] == "2026-12-02T17:30:00+08:00"

    r = act(hall, number, "extension", days=2, reason="需入户核查家庭经济状况")
    assert r.json["extension"]["state"] == "requested"
    assert act(hall, number, "extension", days=1, reason="again").status_code == 409
    assert act(hall, number, "extension/decision", approve=True).status_code == 403  # clerk
    r = act(hall, number, "extension/decision", who="boss", approve=True, note="同意")
    assert r.json["case"]["deadline_at"] == "2026-12-04T17:30:00+08:00"
    r = act(hall, number, "extension", days=1, reason="再次延期")
    assert r.status_code == 409 and r.json["error"]["code"] == "extension_limit"

    r = act(hall, number, "finish", result="经审核符合条件，已纳入低保")
    assert r.json["case"]["state"] == "finished" and r.json["case"]["on_time"] is True
    assert act(hall, number, "finish", result="again").status_code == 409

    history = [h["action"] for h in detail(hall, number)["history"]]
    assert history == [
        "case.accepted",
        "case.suspended",
        "case.supplemented",
        "case.extension_requested",
        "case.extension_approved",
        "case.finished",
    ]
    db = open_database(db_url)
    with db.reader() as s:
        note = s.scalar(select(Notification))
    db.dispose()
    assert note.to_masked == "138****1234" and number in note.text and "张" not in note.text
    follow = hall.get("/follow-ups?state=pending", hall.staff("clerk1")).json["follow_ups"]
    assert [f["case"] for f in follow] == [number]
    r = hall.post(
        f"/follow-ups/{follow[0]['id']}",
        {"state": "done", "result": "satisfied", "note": "群众表示满意"},
        hall.staff("clerk2"),
    )
    assert r.json["follow_up"]["state"] == "done"


def test_overdue_turns_red_opens_a_record_and_is_escalated(hall, clock, publisher):
    at_window(hall)
    number = accept(hall)["number"]
    sweep = hall.post("/cases/sweep", {}, hall.staff("boss")).json["sweep"]
    assert sweep == {"checked": 1, "changed": 0, "overdue": 0}

    hall.next_day(clock, 3)  # Thursday morning: under 3 working days left
    assert hall.post("/cases/sweep", {}, hall.staff("boss")).json["sweep"]["changed"] == 1
    assert detail(hall, number)["colour"] == "yellow"
    listed = hall.get("/cases?colour=yellow", hall.staff("boss")).json
    assert [c["number"] for c in listed["cases"]] == [number] and listed["counts"]["yellow"] == 1
    hall.next_day(clock, 4)  # Monday 30 November, 09:00: due tonight
    hall.post("/cases/sweep", {}, hall.staff("boss"))
    assert detail(hall, number)["colour"] == "orange"
    hall.next_day(clock, 1)  # Tuesday: overdue
    sweep = hall.post("/cases/sweep", {}, hall.staff("boss")).json["sweep"]
    assert sweep == {"checked": 1, "changed": 1, "overdue": 1}
    colours = [e.payload["case"]["colour"] for e in publisher.events if e.type == "case.colour"]
    assert colours == ["yellow", "orange", "red"]
    [record] = hall.get("/overdue?pending=1", hall.staff("clerk1")).json["overdue"]
    assert record["case"] == number and record["handling_unit"] == "MZ"
    assert hall.post("/cases/sweep", {}, hall.staff("boss")).json["sweep"]["overdue"] == 0

    r = act(hall, number, "overdue", who="boss", reason="入户核查未完成", action="责令两日内办结")
    assert r.json["overdue"]["action"] == "责令两日内办结"
    assert hall.get("/overdue?pending=1", hall.staff("clerk1")).json["overdue"] == []

    r = act(hall, number, "escalate", to_unit="县民政局", reason="超出镇级权限")
    assert r.json["escalation"]["reply"] is None
    r = act(hall, number, "escalation-reply", reply="县局已受理，三日内答复")
    assert r.json["escalation"]["reply"] == "县局已受理，三日内答复"
    actions = [h["action"] for h in detail(hall, number)["history"]]
    assert actions == [
        "case.accepted",
        "case.colour",
        "case.colour",
        "case.colour",
        "overdue.opened",
        "overdue.handled",
        "case.escalated",
        "case.escalation_replied",
    ]
    # finished late: on_time is false and counts as overdue in the statistics
    r = act(hall, number, "finish", result="已办结")
    assert r.json["case"]["on_time"] is False


def test_bad_rating_opens_a_rectification_done_in_order(hall, clock):
    number = at_window(hall, "RS-01", window=3, clerk="clerk2")
    pad = hall.device("pad-3")
    early = hall.post("/evaluations", {"ticket": number, "rating": "satisfied"}, pad)
    assert early.status_code == 409 and early.json["error"]["code"] == "not_finished"
    hall.window(3, "finish", "clerk2")
    assert hall.window(3, "rating-request", "clerk2").status_code == 200
    r = hall.post("/evaluations", {"ticket": number, "rating": "dissatisfied"}, pad)
    assert r.status_code == 200 and r.json["evaluation"]["rating_zh"] == "不满意"
    rect = r.json["rectification"]
    assert rect["deadline_at"] == "2026-11-30T17:30:00+08:00" and rect["next_step"] == "callback"
    again = hall.post("/evaluations", {"ticket": number, "rating": "very_satisfied"}, pad)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
    staff_rating = hall.post(
        "/evaluations", {"ticket": number, "rating": "satisfied"}, hall.staff("boss")
    )
    assert staff_rating.status_code == 403

    rid = rect["id"]
    steps = f"/rectifications/{rid}/steps"
    boss = hall.staff("boss")
    wrong = hall.post(steps, {"step": "fix", "note": "x"}, boss)
    assert wrong.status_code == 409 and wrong.json["error"]["code"] == "step_out_of_order"
    for step, note in [
        ("callback", "电话回访群众，了解到等候时间过长"),
        ("verify", "核实属实"),
        ("fix", "高峰时段加开窗口"),
        ("inform", "已告知群众整改结果"),
    ]:
        r = hall.post(steps, {"step": step, "note": note}, boss)
        assert r.status_code == 200, r.json
    assert r.json["rectification"]["state"] == "done"
    assert hall.get("/rectifications?state=open", boss).json["rectifications"] == []


def test_appeal_upheld_voids_the_rectification(hall):
    number = at_window(hall, "RS-01", window=3, clerk="clerk2")
    hall.window(3, "finish", "clerk2")
    hall.window(3, "rating-request", "clerk2")
    r = hall.post(
        "/evaluations", {"ticket": number, "rating": "very_dissatisfied"}, hall.device("pad-3")
    )
    rid = r.json["rectification"]["id"]
    mine = hall.get("/rectifications?state=open", hall.staff("clerk2")).json["rectifications"]
    assert [x["id"] for x in mine] == [rid]  # the clerk who served sees it, to appeal
    assert hall.get("/rectifications", hall.staff("clerk1")).json["rectifications"] == []
    bad = hall.get("/rectifications?state=closed", hall.staff("boss"))
    assert bad.status_code == 400 and bad.json["error"]["field"] == "state"
    assert hall.get("/follow-ups?state=later", hall.staff("boss")).status_code == 400
    r = hall.post(f"/rectifications/{rid}/appeal", {"reason": "误触"}, hall.staff("clerk2"))
    assert r.json["rectification"]["appeal"]["state"] == "pending"
    denied = hall.post(
        f"/rectifications/{rid}/appeal/decision",
        {"upheld": True, "note": "x"},
        hall.staff("clerk2"),
    )
    assert denied.status_code == 403
    r = hall.post(
        f"/rectifications/{rid}/appeal/decision",
        {"upheld": True, "note": "监控核实为误触"},
        hall.staff("boss"),
    )
    assert r.json["rectification"]["state"] == "void" and r.json["rectification"]["closed_at"]


def test_immediate_item_is_a_case_closed_the_same_day(hall):
    number = at_window(hall, "RS-01", window=3, clerk="clerk2")
    hall.window(3, "finish", "clerk2")
    finished = hall.get("/cases?state=finished", hall.staff("boss")).json["cases"]
    assert len(finished) == 1 and finished[0]["kind"] == "immediate"
    assert finished[0]["on_time"] is True and finished[0]["result"] == "当场办结"
    # accepting explicitly (with the applicant) also closes at once, and only once per ticket
    at_window(hall, "RS-02", window=3, clerk="clerk2")
    case = accept(hall, window=3, clerk="clerk2", applicant={"name": "李四"})
    assert case["state"] == "finished" and case["kind"] == "immediate"
    again = hall.window(3, "accept", "clerk2", applicant={"name": "李四"})
    assert again.status_code == 409 and again.json["error"]["code"] == "already_accepted"
    hall.window(3, "finish", "clerk2")
    finished = hall.get("/cases?state=finished", hall.staff("boss")).json["cases"]
    assert sorted(c["ticket_number"] for c in finished) == sorted([number, "B002"])


def test_kiosk_query_needs_number_and_phone_digits(hall):
    at_window(hall)
    number = accept(hall)["number"]
    kiosk = hall.device("kiosk-1")
    r = hall.get(f"/cases/lookup?number={number.lower()}&phone_last4=1234", kiosk)
    assert r.status_code == 200
    case = r.json["case"]
    assert case["state_label"] == "办理中" and case["deadline"] == "2026-11-30 17:30"
    assert "applicant" not in case and "colour" not in case
    wrong = hall.get(f"/cases/lookup?number={number}&phone_last4=9999", kiosk)
    unknown = hall.get("/cases/lookup?number=TOWN-20990101-0001&phone_last4=1234", kiosk)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json["error"]["message"] == unknown.json["error"]["message"]
    bad = hall.get(f"/cases/lookup?number={number}&phone_last4=12a4", kiosk)
    assert bad.status_code == 400 and bad.json["error"]["field"] == "phone_last4"
    assert hall.get("/cases", kiosk).status_code == 403


def test_bad_input_names_the_field_and_writes_nothing(hall, db_url):
    at_window(hall)
    r = hall.window(2, "accept", "clerk1", applicant={"phone": "13812341234"})
    assert r.status_code == 400 and r.json["error"]["field"] == "applicant.name"
    bad_id = APPLICANT | {"id_number": "320102198503151231"}
    r = hall.window(2, "accept", "clerk1", applicant=bad_id)
    assert r.status_code == 400 and r.json["error"]["field"] == "applicant.id_number"
    r = hall.window(2, "accept", "clerk1", applicant=APPLICANT, handling_unit="NOPE")
    assert r.status_code == 404 and r.json["error"]["field"] == "handling_unit"
    r = hall.window(2, "accept", "clerk1", applicant=APPLICANT, decision="refused")
    assert r.status_code == 400 and r.json["error"]["field"] == "decision"
    assert count_cases(db_url) == 0
    number = accept(hall)["number"]
    r = act(hall, number, "suspend", missing=[])
    assert r.status_code == 400 and r.json["error"]["field"] == "missing"
    r = act(hall, number, "extension", days=9, reason="x")
    assert r.status_code == 400 and r.json["error"]["field"] == "days"
    r = act(hall, number, "supplement")
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_case_transition"
    r = act(hall, number, "refuse", reason="")
    assert r.status_code == 400 and r.json["error"]["field"] == "reason"
    assert act(hall, "TOWN-20261123-0099", "finish", result="x").status_code == 404


def test_refusal_reason_reaches_the_resident(hall):
    at_window(hall)
    number = accept(hall)["number"]
    r = act(hall, number, "refuse", reason="不符合低保条件：家庭人均收入高于当地标准")
    assert r.json["case"]["state"] == "refused" and r.json["case"]["decision"] == "refused"
    case = hall.get(f"/cases/lookup?number={number}&phone_last4=1234", hall.device()).json["case"]
    assert case["refuse_reason"].startswith("不符合低保条件")


def test_repeat_visit_is_flagged(hall, clock):
    at_window(hall)
    first = accept(hall)
    assert first["repeat_visit"] is False
    act(hall, first["number"], "finish", result="已办结")
    hall.window(2, "finish", "clerk1")
    hall.next_day(clock, 2)
    at_window(hall)
    second = accept(hall, applicant=APPLICANT | {"name": "张小三", "phone": "13900001111"})
    assert second["repeat_visit"] is True
    assert detail(hall, second["number"])["repeat_of"] == first["number"]
    hall.window(2, "finish", "clerk1")
    hall.next_day(clock, 40)
    at_window(hall)
    assert accept(hall)["repeat_visit"] is False  # outside the 30-day window


def test_full_applicant_data_is_for_the_accepting_clerk_and_managers_only(hall):
    at_window(hall)
    number = accept(hall)["number"]
    r = hall.post(f"/cases/{number}/applicant", {}, hall.staff("clerk1"))
    assert r.json["applicant"] == APPLICANT
    assert hall.post(f"/cases/{number}/applicant", {}, hall.staff("clerk2")).status_code == 403
    assert hall.post(f"/cases/{number}/applicant", {}, hall.staff("boss")).status_code == 200
    audit = hall.get("/audit?limit=50", hall.staff("boss")).json["entries"]
    assert sum(1 for a in audit if a["action"] == "case.applicant_viewed") == 2


def test_case_events_never_reach_public_screens(hall, publisher):
    at_window(hall)
    accept(hall)
    types = [e.type for e in publisher.events]
    assert "case.accepted" in types
    from backend.live.publisher import PUBLIC

    assert not [t for t in types if t.startswith(("case", "rating")) and t in PUBLIC]


def test_status_page_shows_the_case_and_takes_one_qr_rating(hall):
    token = hall.issue("MZ-02")["status_token"]
    hall.open_window(2, "clerk1")
    hall.window(2, "call-next", "clerk1")
    hall.window(2, "start", "clerk1")
    case = accept(hall)
    act(hall, case["number"], "suspend", missing=["户口簿"])
    page = hall.client.get(f"/t/{token}").get_data(as_text=True)
    assert case["number"] in page and "待补正材料" in page and "户口簿" in page
    assert "张" not in page and "1234" not in page  # no personal data on the public page
    assert 'name="rating"' not in page  # not finished yet
    hall.window(2, "finish", "clerk1")
    page = hall.client.get(f"/t/{token}").get_data(as_text=True)
    assert 'value="very_satisfied"' in page
    r = hall.client.post(f"/t/{token}/rate", data={"rating": "very_satisfied"})
    assert r.status_code == 303
    assert "感谢您的评价" in hall.client.get(f"/t/{token}").get_data(as_text=True)
    again = hall.client.post(f"/t/{token}/rate", data={"rating": "dissatisfied"})
    assert again.status_code == 409 and "已评价" in again.get_data(as_text=True)
    bad = hall.client.post("/t/no-such-token/rate", data={"rating": "satisfied"})
    assert bad.status_code == 404


def test_guessing_phone_digits_is_stopped_after_five_misses(hall, clock):
    at_window(hall)
    number = accept(hall)["number"]
    kiosk = hall.device("kiosk-1")
    for guess in range(4):
        r = hall.get(f"/cases/lookup?number={number}&phone_last4={guess:04d}", kiosk)
        assert r.status_code == 404
    fifth = hall.get(f"/cases/lookup?number={number}&phone_last4=0004", kiosk)
    assert fifth.status_code == 429  # the miss that locks says so at once
    right = hall.get(f"/cases/lookup?number={number}&phone_last4=1234", kiosk)
    assert right.status_code == 429 and right.json["error"]["field"] == "number"
    clock.advance(minutes=16)
    assert hall.get(f"/cases/lookup?number={number}&phone_last4=1234", kiosk).status_code == 200


def test_transfer_to_a_department_or_another_window_keeps_the_history(hall):
    at_window(hall)
    number = accept(hall)["number"]
    r = act(hall, number, "transfer")
    assert r.status_code == 400 and r.json["error"]["field"] == "to_unit"
    r = act(hall, number, "transfer", to_unit="RS", note="涉及社保待遇核定")
    assert r.json["case"]["handling_unit"] == "RS" and r.json["case"]["decision"] == "coordinated"
    hall.open_window(1, "clerk2")
    r = act(hall, number, "transfer", to_window=1, to_unit="MZ", note="综合窗口跟进")
    assert r.json["case"]["handling_unit"] == "MZ"
    mine = hall.get("/cases?clerk=clerk2", hall.staff("clerk2")).json["cases"]
    assert [c["number"] for c in mine] == [number]  # the clerk at window 1 now has it
    assert act(hall, number, "transfer", to_window=99).json["error"]["field"] == "to_window"
    moves = [
        h["details"] for h in detail(hall, number)["history"] if h["action"] == "case.transferred"
    ]
    assert moves[0]["from"] == {"unit": "MZ", "window": 2} and moves[0]["to"]["unit"] == "RS"
    assert moves[1]["to"] == {"unit": "MZ", "window": 1}


def test_names_and_phones_that_would_spoof_masks_are_refused(hall, db_url):
    at_window(hall)
    for applicant, field in [
        (APPLICANT | {"name": "\u202e******三"}, "applicant.name"),
        (APPLICANT | {"name": "张\u200b小三"}, "applicant.name"),
        (APPLICANT | {"phone": "1381234"}, "applicant.phone"),
        (APPLICANT | {"phone": "23812341234"}, "applicant.phone"),
    ]:
        r = hall.window(2, "accept", "clerk1", applicant=applicant)
        assert r.status_code == 400, r.json
        assert r.json["error"]["field"] == field
    r = hall.window(2, "accept", "clerk1", applicant=APPLICANT, note="补正 \u202e 备注")
    assert r.status_code == 400 and r.json["error"] == {
        "code": "bad_character",
        "field": "note",
        "message": r.json["error"]["message"],
    }
    assert "U+202E" in r.json["error"]["message"]
    assert count_cases(db_url) == 0
    case = accept(hall, applicant=APPLICANT | {"name": " 张  小三 ", "phone": "+86 138-1234-1234"})
    assert case["applicant"]["name"] == "张*三" and case["applicant"]["phone"] == "138****1234"
