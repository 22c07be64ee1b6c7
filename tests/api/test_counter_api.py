"""Window clerks through the API: sign-in, calling, serving, no-shows, transfers, A/B posts."""

from __future__ import annotations


def call(hall, window, clerk="clerk1"):
    r = hall.window(window, "call-next", clerk)
    assert r.status_code == 200, r.json
    return r.json["ticket"]


def test_full_service_cycle_records_times(hall, clock):
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")
    clock.advance(minutes=3)
    ticket = call(hall, 2)
    assert ticket["state"] == "called" and ticket["call_count"] == 1
    assert hall.window(2, "recall", "clerk1").json["ticket"]["call_count"] == 2
    clock.advance(minutes=1)
    assert hall.window(2, "start", "clerk1").json["ticket"]["state"] == "serving"
    clock.advance(minutes=7)
    done = hall.window(2, "finish", "clerk1").json
    assert done["ticket"]["state"] == "finished" and done["window"]["current"] is None


def test_calling_with_nobody_waiting_says_so(hall):
    hall.open_window(3, "clerk1")
    r = hall.window(3, "call-next", "clerk1")
    assert r.status_code == 200 and r.json["ticket"] is None and "nobody" in r.json["message"]


def test_a_window_calls_only_its_items_in_its_priority_order(hall):
    hall.issue("MZ-02")
    hall.issue("RS-02")
    hall.issue("MZ-01")
    hall.open_window(1, "clerk1")  # comprehensive: MZ-01, RS-01, MZ-02, RS-02
    hall.open_window(3, "clerk2")  # RS only
    assert call(hall, 3, "clerk2")["item"] == "RS-02"
    assert call(hall, 1)["item"] == "MZ-01"


def test_the_current_ticket_must_be_settled_before_the_next_call(hall):
    hall.issue()
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    r = hall.window(2, "call-next", "clerk1")
    assert r.status_code == 409 and r.json["error"]["code"] == "ticket_in_progress"


def test_no_show_then_requeue_behind_configured_people(hall):
    first = hall.issue()["ticket"]["number"]
    hall.open_window(2, "clerk1")
    call(hall, 2)
    hall.window(2, "recall", "clerk1")  # the no-show guard: one recall (or a minute) first
    assert hall.window(2, "no-show", "clerk1").json["ticket"]["state"] == "no_show"
    for _ in range(3):
        hall.issue()
    r = hall.post(f"/tickets/{first}/requeue", {}, hall.staff("clerk1"))
    assert (
        r.status_code == 200 and r.json["people_ahead"] == 2
    )  # requeue_behind = 2 in the test hall
    order = []
    for _ in range(4):
        order.append(call(hall, 2)["number"])
        hall.window(2, "finish", "clerk1")
    assert order == ["A002", "A003", first, "A004"]


def test_requeue_refuses_a_ticket_that_was_not_a_no_show(hall):
    number = hall.issue()["ticket"]["number"]
    r = hall.post(f"/tickets/{number}/requeue", {}, hall.staff("clerk1"))
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_transition"


def test_transfer_to_a_window_keeps_number_arrival_and_goes_first_there(hall, clock):
    hall.issue("MZ-01")
    clock.advance(minutes=5)
    hall.issue("MZ-02")  # arrives later; would be called before a plain re-queue
    hall.open_window(1, "clerk1")
    hall.open_window(2, "clerk2")
    first = call(hall, 1)
    r = hall.window(1, "transfer", "clerk1", to_window=2, note="需民政窗口审核")
    assert r.status_code == 200, r.json
    assert r.json["ticket"]["state"] == "transferred"
    assert (
        r.json["new_leg"]["number"] == first["number"] and r.json["new_leg"]["target_window"] == 2
    )
    again = call(hall, 2, "clerk2")
    assert again["number"] == first["number"]
    detail = hall.get(f"/tickets/{first['number']}", hall.staff("clerk2")).json
    assert [leg["state"] for leg in detail["legs"]] == ["transferred", "called"]
    assert detail["issued_at"].startswith("2026-11-23T01:00")


def test_transfer_to_another_item_rejoins_by_original_arrival(hall, clock):
    hall.issue("RS-01")
    clock.advance(minutes=2)
    hall.issue("MZ-01")
    hall.open_window(3, "clerk1")
    first = call(hall, 3)
    r = hall.window(3, "transfer", "clerk1", to_item="MZ-01")
    assert r.status_code == 200
    hall.open_window(2, "clerk2")
    assert (
        call(hall, 2, "clerk2")["number"] == first["number"]
    )  # earlier arrival than B-ticket's later peer


def test_transfer_refusals_name_the_field(hall):
    hall.issue("RS-01")
    hall.open_window(3, "clerk1")
    call(hall, 3)
    r = hall.window(3, "transfer", "clerk1")
    assert (r.status_code, r.json["error"]["field"]) == (400, "to_item")
    r = hall.window(3, "transfer", "clerk1", to_window=2)
    assert (r.status_code, r.json["error"]["field"]) == (
        409,
        "to_window",
    )  # window 2 does not serve RS-01
    r = hall.window(3, "transfer", "clerk1", to_window=99)
    assert (r.status_code, r.json["error"]["field"]) == (404, "to_window")
    r = hall.window(3, "transfer", "clerk1", to_item="NOPE")
    assert (r.status_code, r.json["error"]["field"]) == (404, "to_item")
    assert hall.window(3, "finish", "clerk1").status_code == 200  # nothing was half-done


def test_call_a_specific_ticket_needs_a_reason_and_records_it(hall):
    hall.issue()
    target = hall.issue()["ticket"]["number"]
    hall.open_window(2, "clerk1")
    r = hall.window(2, "call", "clerk1", number=target, reason="")
    assert (r.status_code, r.json["error"]["field"]) == (400, "reason")
    r = hall.window(2, "call", "clerk1", number=target, reason="孕妇 身体不适")
    assert r.status_code == 200 and r.json["ticket"]["number"] == target
    detail = hall.get(f"/tickets/{target}", hall.staff("clerk1")).json
    assert detail["legs"][-1]["out_of_order_reason"] == "孕妇 身体不适"
    hall.window(2, "finish", "clerk1")
    r = hall.window(2, "call", "clerk1", number=target, reason="again")
    assert r.status_code == 409 and r.json["error"]["code"] == "not_waiting"


def test_call_specific_refuses_an_item_the_window_does_not_serve(hall):
    number = hall.issue("RS-01")["ticket"]["number"]
    hall.open_window(2, "clerk1")
    r = hall.window(2, "call", "clerk1", number=number, reason="test")
    assert r.status_code == 409 and r.json["error"]["code"] == "item_not_served"


def test_pause_and_resume_with_a_reason(hall):
    hall.open_window(2, "clerk1")
    r = hall.window(2, "pause", "clerk1", reason="meeting", note="周例会")
    assert (
        r.json["window"]["state"] == "paused"
        and r.json["window"]["pause_reason"] == "meeting: 周例会"
    )
    assert hall.window(2, "call-next", "clerk1").json["error"]["code"] == "window_not_open"
    assert hall.window(2, "pause", "clerk1", reason="nap").json["error"]["field"] == "reason"
    assert hall.window(2, "resume", "clerk1").json["window"]["state"] == "open"


def test_sign_out_refused_while_a_ticket_is_at_the_window(hall):
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    assert hall.window(2, "sign-out", "clerk1").status_code == 409
    hall.window(2, "finish", "clerk1")
    assert hall.window(2, "sign-out", "clerk1").json["window"]["state"] == "closed"


def test_a_clerk_acts_only_on_the_window_they_signed_in_to(hall):
    hall.issue()
    hall.open_window(2, "clerk1")
    r = hall.window(2, "call-next", "clerk2")
    assert r.status_code == 403 and r.json["error"]["code"] == "not_your_window"
    assert hall.window(2, "sign-in", "clerk2").json["error"]["code"] == "window_taken"
    assert hall.window(1, "sign-in", "clerk1").json["error"]["code"] == "signed_in_elsewhere"


def test_manager_may_step_in_and_close_a_window(hall):
    hall.open_window(2, "clerk1")
    r = hall.window(2, "sign-out", "boss")
    assert r.status_code == 200 and r.json["window"]["state"] == "closed"


def test_ab_posts_limit_who_signs_in(hall):
    r = hall.post("/windows/2/staff", {"primary": "clerk1", "backup": "clerk2"}, hall.staff("boss"))
    assert r.status_code == 200
    assert hall.window(2, "sign-in", "clerk3").json["error"]["code"] == "not_assigned"
    assert hall.window(2, "sign-in", "clerk2").status_code == 200  # B covers A
    r = hall.post("/windows/2/staff", {"primary": "ghost"}, hall.staff("boss"))
    assert (r.status_code, r.json["error"]["field"]) == (404, "primary")
    assert (
        hall.post("/windows/2/staff", {"primary": "clerk3"}, hall.staff("clerk1")).status_code
        == 403
    )


def test_queue_snapshot_agrees_with_what_happened(hall):
    for item in ("MZ-01", "MZ-01", "RS-01"):
        hall.issue(item)
    hall.open_window(2, "clerk1")
    call(hall, 2)
    snap = hall.get("/queue", hall.device("display-1")).json
    waiting = {i["code"]: i["waiting"] for i in snap["items"]}
    assert waiting == {"MZ-01": 1, "MZ-02": 0, "RS-01": 1, "RS-02": 0}
    window2 = next(w for w in snap["windows"] if w["number"] == 2)
    assert (
        window2["state"] == "open"
        and window2["current"]["number"] == "A001"
        and window2["clerk"] == "clerk1"
    )
    assert snap["seq"] > 0 and snap["waiting_total"] == 2


def test_counter_state_shows_current_ticket_line_and_today(hall, clock):
    hall.issue("MZ-01")
    hall.issue("MZ-02")
    hall.issue("MZ-01", priority="green", priority_reason="disabled")
    hall.open_window(2, "clerk1")
    clock.advance(minutes=4)
    hall.window(2, "call-next", "clerk1")
    state = hall.get("/windows/2", hall.staff("clerk1")).json
    assert (
        state["current"]["number"] == "A003" and state["current"]["priority_reason"] == "disabled"
    )
    assert (
        state["current"]["materials"] == ["居民身份证", "户口簿"]
        and state["current"]["waited_minutes"] == 4
    )
    assert [t["number"] for t in state["line"]["next"]] == ["A001", "A002"]
    assert (
        state["line"]["per_item"] == {"MZ-01": 1, "MZ-02": 1}
        and state["line"]["oldest_wait_minutes"] == 4
    )
    clock.advance(minutes=6)
    hall.window(2, "finish", "clerk1")
    today = hall.get("/windows/2", hall.staff("clerk1")).json["today"]
    assert today["window"]["served"] == today["clerk"]["served"] == 1
    assert today["window"]["avg_service_minutes"] == 6.0


def test_handover_keeps_the_current_ticket(hall):
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")
    hall.window(2, "call-next", "clerk1")
    hall.window(2, "start", "clerk1")
    assert hall.window(2, "take-over", "clerk2").json["error"]["code"] == "no_handover"
    hall.window(2, "pause", "clerk1", reason="handover", note="交班")
    r = hall.window(2, "take-over", "clerk2")
    assert (
        r.status_code == 200
        and r.json["window"]["clerk"] == "clerk2"
        and r.json["window"]["state"] == "open"
    )
    assert r.json["window"]["current"]["number"] == "A001"
    assert (
        hall.window(2, "finish", "clerk1").status_code == 403
    )  # the old clerk is no longer at the window
    assert hall.window(2, "finish", "clerk2").json["ticket"]["state"] == "finished"


def test_manager_message_reaches_the_live_stream(hall, publisher):
    r = hall.post("/messages", {"window": 2, "text": "请尽快处理 A005 的投诉"}, hall.staff("boss"))
    assert r.status_code == 200
    assert (
        publisher.events[-1].type == "manager.message"
        and publisher.events[-1].payload["window"] == 2
    )
    assert hall.post("/messages", {"text": "x"}, hall.staff("clerk1")).status_code == 403
    assert (
        hall.post("/messages", {"window": 99, "text": "x"}, hall.staff("boss")).status_code == 404
    )


def test_the_next_window_sees_the_transfer_history_and_note(hall):
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")
    hall.open_window(1, "clerk2")
    hall.window(2, "call-next", "clerk1")
    r = hall.window(2, "transfer", "clerk1", to_window=1, note="需综合窗口一并办理")
    assert r.status_code == 200, r.json
    hall.window(1, "call-next", "clerk2")
    current = hall.get("/windows/1", hall.staff("clerk2")).json["current"]
    assert current["number"] == "A001" and current["note"] == "需综合窗口一并办理"
    assert [(h["window"], h["state"]) for h in current["history"]] == [(2, "transferred")]


# --- the no-show guard (hall config [no_show]; default: one recall or 60 s after the call) ---


def refused_too_soon(r) -> str:
    assert r.status_code == 409, r.json
    assert r.json["error"]["code"] == "no_show_too_soon"
    return r.json["error"]["message"]


def test_no_show_right_after_the_call_is_refused_saying_what_is_missing(hall, clock):
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    clock.advance(seconds=20)
    message = refused_too_soon(hall.window(2, "no-show", "clerk1"))
    assert message.startswith("还不能过号")  # Chinese first
    assert "重呼 1 次" in message and "还需 40 秒" in message and "recall" in message
    state = hall.get("/windows/2", hall.staff("clerk1")).json
    assert state["window"]["current"]["state"] == "called"  # nothing changed
    assert hall.window(2, "recall", "clerk1").status_code == 200
    assert hall.window(2, "no-show", "clerk1").json["ticket"]["state"] == "no_show"


def test_no_show_after_the_minimum_time_needs_no_recall(hall, clock):
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    clock.advance(seconds=59)
    refused_too_soon(hall.window(2, "no-show", "clerk1"))
    clock.advance(seconds=1)
    assert hall.window(2, "no-show", "clerk1").json["ticket"]["state"] == "no_show"


def test_a_manager_stepping_in_meets_the_same_guard(hall, clock):
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    refused_too_soon(hall.post("/windows/2/no-show", {}, hall.staff("boss")))


def test_the_guard_follows_the_hall_config(app, db_url, clock):
    from tests.support import HallClient, hall_config, setup_hall

    config = hall_config("town", no_show={"min_recalls": 2, "min_seconds": 0})
    hall = HallClient(app, "town", setup_hall(db_url, config, clock()))
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    clock.advance(minutes=30)  # time alone no longer suffices
    message = refused_too_soon(hall.window(2, "no-show", "clerk1"))
    assert "重呼 2 次（已重呼 0 次）" in message and "秒" not in message
    hall.window(2, "recall", "clerk1")
    refused_too_soon(hall.window(2, "no-show", "clerk1"))
    hall.window(2, "recall", "clerk1")
    assert hall.window(2, "no-show", "clerk1").status_code == 200


def test_a_hall_may_turn_the_guard_off(app, db_url, clock):
    from tests.support import HallClient, hall_config, setup_hall

    config = hall_config("town", no_show={"min_recalls": 0, "min_seconds": 0})
    hall = HallClient(app, "town", setup_hall(db_url, config, clock()))
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    assert hall.window(2, "no-show", "clerk1").status_code == 200


def test_a_ticket_being_served_is_not_a_no_show_whatever_the_guard(hall, clock):
    hall.issue()
    hall.open_window(2, "clerk1")
    call(hall, 2)
    hall.window(2, "start", "clerk1")
    clock.advance(minutes=5)
    r = hall.window(2, "no-show", "clerk1")
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_transition"
