"""The counter presenter (no widgets) on the real app: every clerk action, handover, going
offline and retrying with the same request id, live events, manager messages, coming back after
a restart. The network fails on demand (rig.net); the server's answers are its own."""

from __future__ import annotations

import json

from counter.screens import ACTIONS

from .hall import PASSWORD


def signed_in(rig, user: str = "clerk1", window: int = 3):
    """Log in and sign in; the live socket connects and sends its snapshot."""
    rig.presenter.sign_in(user, PASSWORD, window)
    rig.settle()
    assert rig.view.page == "main", rig.view.login
    rig.live.latest.up()
    rig.settle()
    return rig


def current(rig):
    return rig.view.main.ticket


def test_start_offers_the_hall_windows_and_the_last_user(make_rig):
    first = make_rig()
    assert first.view.page == "login"
    assert [c.value for c in first.view.login.windows] == list(range(1, 13))
    signed_in(first, "clerk2", 5)
    again = make_rig()
    assert again.view.login.username == "clerk2" and again.view.login.window == 5


def test_login_and_sign_in_opens_the_window_and_stores_nothing_secret(make_rig, tmp_path):
    rig = signed_in(make_rig())
    screen = rig.view.main
    assert screen.window_title == "3号窗口 民政" and screen.clerk == "李敏"
    assert screen.state == "open" and screen.ticket is None
    assert {"call_next", "call_number", "pause_toggle", "sign_out"} <= screen.enabled
    window = rig.hall.window_view(3)
    assert window["state"] == "open" and window["clerk"] == "李敏"
    saved = (tmp_path / "counter-state.json").read_text(encoding="utf-8")
    assert json.loads(saved) == {"username": "clerk1", "window": 3}
    assert PASSWORD not in saved and "token" not in saved
    assert rig.live.latest.token == rig.api.token  # the live socket uses the session's token


def test_a_wrong_password_is_refused_plainly(make_rig):
    rig = make_rig()
    rig.presenter.sign_in("clerk1", "wrong", 3)
    rig.settle()
    assert rig.view.page == "login" and "密码错误" in rig.view.login.error
    rig.presenter.sign_in("clerk1", "", 3)
    assert "请输入密码" in rig.view.login.error


def test_call_next_shows_the_ticket_with_priority_materials_and_the_line(make_rig):
    rig = signed_in(make_rig())
    first = rig.hall.add_ticket("MZ-01", "green", "elderly")
    rig.hall.add_ticket("MZ-02")
    rig.clock.advance(minutes=7)
    rig.presenter.reload()
    rig.settle()
    assert rig.view.main.line.next[0].number == first
    rig.presenter.call_next()
    rig.settle()
    ticket = current(rig)
    assert ticket.number == first and ticket.item == "最低生活保障申请"
    assert "绿色通道" in ticket.priority and "70岁以上" in ticket.priority
    assert "承诺件 20 个工作日" in ticket.kind and "已等 7 分钟" in ticket.waited
    assert "户口簿" in ticket.materials and not any(ticket.checked)
    assert [e.number for e in rig.view.main.line.next] == ["A002"]
    assert {"recall", "start", "finish", "no_show", "transfer"} <= rig.view.main.enabled
    assert "call_next" not in rig.view.main.enabled
    assert rig.view.notice.startswith("已叫号 A001")
    rig.presenter.toggle_material(1, True)
    assert current(rig).checked[1] and "已核 1/7" in current(rig).materials_status


def test_nobody_waiting_is_said_so(make_rig):
    rig = signed_in(make_rig())
    rig.presenter.call_next()
    rig.settle()
    assert "暂无等候" in rig.view.notice and current(rig) is None


def test_recall_then_start_then_finish(make_rig):
    rig = signed_in(make_rig())
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.presenter.recall()
    rig.settle()
    assert "第 2 次呼叫" in current(rig).state and rig.hall.audited("ticket.recalled") == 1
    rig.presenter.start_serving()
    rig.settle()
    assert "办理中" in current(rig).state and "recall" not in rig.view.main.enabled
    rig.clock.advance(minutes=6, seconds=30)
    rig.presenter.finish()
    rig.settle()
    assert current(rig) is None and rig.hall.audited("ticket.finished", number) == 1
    me = rig.view.main.today[0]
    assert me.served == 1 and me.avg == "6.5 分钟"


def test_no_show_and_re_queue_when_the_resident_returns(make_rig):
    rig = signed_in(make_rig())
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.presenter.no_show()  # at once: the server's 过号 guard refuses it
    rig.settle()
    assert rig.view.notices[-1][0].startswith("还不能过号：请至少重呼 1 次")
    assert current(rig).number == number
    rig.clock.advance(seconds=60)  # a minute after the call it may be marked
    rig.presenter.no_show()
    rig.settle()
    assert current(rig) is None and rig.view.main.today[0].no_show == 1
    rig.presenter.requeue_dialog()
    assert rig.view.dialogs[-1][0] == "requeue"
    rig.presenter.requeue(number.lower())
    rig.settle()
    assert rig.hall.audited("ticket.requeued", number) == 1
    assert [e.number for e in rig.view.main.line.next] == [number]


def test_transfer_to_a_window_with_a_note(make_rig):
    rig = signed_in(make_rig())
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.presenter.transfer_dialog()
    kind, choices = rig.view.dialogs[-1]
    assert kind == "transfer" and choices.number == number
    assert 3 not in [c.value for c in choices.windows]
    assert "MZ-01" not in [c.value for c in choices.items]
    rig.presenter.transfer(None, None, "")
    assert "请选择转办事项或窗口" in rig.view.notice and not rig.net.posts("transfer")
    rig.presenter.transfer(None, 1, "  需综合窗口  ")
    rig.settle()
    assert rig.net.posts("transfer")[0].body == {"to_window": 1, "note": "需综合窗口"}
    assert current(rig) is None and rig.hall.audited("ticket.transferred", number) == 1


def test_the_transfer_history_reaches_the_next_window(make_rig):
    rig = signed_in(make_rig())
    rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.presenter.transfer(None, 1, "需综合窗口")
    rig.settle()
    rig.presenter.sign_out()
    rig.settle()
    assert rig.view.page == "login"
    signed_in(rig, "clerk1", 1)
    assert rig.view.main.line.next[0].transferred_here
    rig.presenter.call_next()
    rig.settle()
    # The backend keeps the note on the new leg; the next window sees it in the history line.
    assert current(rig).history == ("3号窗口 最低生活保障申请：已转办（需综合窗口）",)


def test_pause_with_a_reason_and_resume_with_f9(make_rig):
    rig = signed_in(make_rig())
    rig.presenter.pause_toggle()
    kind, choices = rig.view.dialogs[-1]
    assert kind == "pause"
    assert [c.value for c in choices.reasons] == ["break", "meeting", "handover", "other"]
    rig.presenter.pause("meeting", "周例会")
    rig.settle()
    screen = rig.view.main
    assert screen.paused and "会议" in screen.state_text and "周例会" in screen.state_text
    assert "call_next" not in screen.enabled and "pause_toggle" in screen.enabled
    rig.presenter.pause_toggle()  # paused: F9 resumes at once, no dialog
    rig.settle()
    assert not rig.view.main.paused and len(rig.view.dialogs) == 1
    assert [s.action for s in rig.net.sent if s.action in ("pause", "resume")] == [
        "pause",
        "resume",
    ]


def test_shift_handover_keeps_the_current_ticket(make_rig):
    outgoing = signed_in(make_rig())
    number = outgoing.hall.add_ticket("MZ-01")
    token = outgoing.api.token
    outgoing.presenter.call_next()
    outgoing.settle()
    outgoing.presenter.pause("handover", "下班")
    outgoing.settle()
    assert outgoing.view.page == "login" and "接班" in outgoing.view.login.info
    revoked = outgoing.hall.client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert outgoing.presenter.user is None and revoked.status_code == 401  # token revoked
    incoming = make_rig()
    incoming.presenter.sign_in("clerk2", PASSWORD, 3)
    incoming.settle()
    login = incoming.view.login
    assert incoming.view.page == "login" and "李敏" in login.handover and number in login.handover
    incoming.presenter.take_over()
    incoming.settle()
    assert incoming.view.page == "main" and current(incoming).number == number
    assert incoming.view.main.clerk == "张伟" and incoming.hall.audited("window.handed_over") == 1


def test_a_window_in_use_is_not_taken_over(make_rig):
    signed_in(make_rig())
    other = make_rig()
    other.presenter.sign_in("clerk2", PASSWORD, 3)
    other.settle()
    assert "已由 李敏 签到使用" in other.view.login.error and not other.view.login.handover
    other.presenter.take_over()
    other.settle()
    assert not other.net.posts("take-over")


def test_calling_a_specific_number_needs_a_reason(make_rig):
    rig = signed_in(make_rig())
    rig.hall.add_ticket("MZ-01")
    wanted = rig.hall.add_ticket("MZ-02")
    rig.presenter.reload()
    rig.settle()
    rig.presenter.call_number_dialog()
    assert rig.view.dialogs[-1] == ("call_number", ("A001", wanted))
    rig.presenter.call_number(wanted, "   ")
    rig.settle()
    assert "必须填写原因" in rig.view.notice and not rig.net.posts("call")
    rig.presenter.call_number(wanted.lower(), "老人行动不便，先办")
    rig.settle()
    assert rig.net.posts("call")[0].body == {"number": wanted, "reason": "老人行动不便，先办"}
    assert current(rig).number == wanted


def test_a_double_press_acts_once(make_rig):
    rig = signed_in(make_rig())
    rig.hall.add_ticket("MZ-01")
    rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    assert rig.view.main.busy and not rig.view.main.enabled
    rig.presenter.call_next()
    rig.settle()
    assert len(rig.net.posts("call-next")) == 1 and rig.hall.audited("ticket.called") == 1


def test_lost_connection_keeps_the_action_and_retries_it_with_the_same_id(make_rig):
    rig = signed_in(make_rig(retry_seconds=3))
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.net.down = True
    rig.live.latest.drop()
    rig.settle()
    assert not rig.view.connection.ok and "网络中断" in rig.view.connection.text
    rig.presenter.finish()
    rig.settle()
    assert rig.presenter.pending is not None and "办结" in rig.view.connection.text
    assert rig.view.connection.retry  # the bar offers 重试
    rig.presenter.no_show()  # another action must wait for the pending one
    assert "尚未完成" in rig.view.notice and not rig.net.posts("no-show")
    rig.advance(3)  # the probe: still down
    assert rig.presenter.pending is not None
    rig.net.down = False
    rig.advance(3)  # the probe answers: the pending finish is sent again
    sent = rig.net.posts("finish")
    assert len(sent) == 2 and sent[0] == sent[1]  # the same request id, the same body
    assert rig.hall.audited("ticket.finished", number) == 1
    assert rig.presenter.pending is None and current(rig) is None
    assert rig.view.connection.ok is False  # the socket is still reconnecting
    rig.live.latest.up(seq=9)
    rig.settle()
    assert rig.view.connection.ok


def test_an_answer_lost_on_the_way_back_is_replayed_not_repeated(make_rig):
    rig = signed_in(make_rig())
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.net.lose_answers = 1  # the server finishes it, the reply never arrives
    rig.presenter.finish()
    rig.settle()
    assert rig.presenter.pending is not None and rig.hall.audited("ticket.finished") == 1
    rig.presenter.retry_pending()  # the 重试 button
    rig.settle()
    assert rig.presenter.pending is None and rig.hall.audited("ticket.finished", number) == 1
    assert len({s.request_id for s in rig.net.posts("finish")}) == 1
    assert rig.view.notice.startswith("已办结")


def test_a_5xx_is_retried_by_the_client_with_the_same_request_id(make_rig):
    rig = signed_in(make_rig())
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.api.retries, rig.api.retry_delay = 1, 0.0
    rig.net.error_5xx = 1  # the first try meets a 503 (the server never saw it)
    rig.presenter.finish()
    rig.settle()
    first, second = rig.net.posts("finish")
    assert first == second  # the same request id, the same body
    assert rig.hall.audited("ticket.finished", number) == 1 and current(rig) is None
    assert rig.presenter.pending is None and rig.view.notice.startswith("已办结")


def test_a_5xx_that_persists_is_shown_and_nothing_is_done(make_rig):
    rig = signed_in(make_rig())
    number = rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    rig.net.error_5xx = 1
    rig.presenter.finish()
    rig.settle()
    assert rig.view.notices[-1] == ("test: 503", "error")  # the 503's own message
    assert rig.hall.audited("ticket.finished") == 0 and current(rig).number == number
    assert rig.presenter.pending is None and not rig.presenter.busy
    rig.presenter.finish()  # the clerk presses again: a new request, done once
    rig.settle()
    assert rig.hall.audited("ticket.finished", number) == 1


def test_reconnect_snapshot_reloads_and_sends_what_is_pending(make_rig):
    rig = signed_in(make_rig())
    rig.hall.add_ticket("MZ-01")
    rig.net.down = True
    rig.presenter.call_next()
    rig.settle()
    assert rig.presenter.pending is not None
    rig.net.down = False
    rig.live.latest.up(seq=5)
    rig.settle()
    assert rig.presenter.pending is None and current(rig).number == "A001"
    assert rig.hall.audited("ticket.called") == 1


def test_live_events_reload_once_after_a_quiet_moment(make_rig):
    rig = signed_in(make_rig(debounce_seconds=0.3))
    loads = rig.net.gets("/windows/3")
    rig.hall.add_ticket("MZ-01")
    for seq in range(2, 6):
        rig.live.latest.event("ticket.issued", {"number": "A001"}, seq)
    rig.live.latest.event("device.status", {}, 6)  # not about windows or tickets
    rig.settle()
    assert rig.net.gets("/windows/3") == loads
    rig.advance(0.3)
    assert rig.net.gets("/windows/3") == loads + 1 and rig.view.main.line.next[0].number == "A001"


def test_manager_messages_for_this_window_or_all_are_shown(make_rig):
    rig = signed_in(make_rig())
    live = rig.live.latest
    live.event("manager.message", {"window": 7, "text": "请7号窗口加快", "from": "王主任"})
    assert rig.view.message == ""
    live.event("manager.message", {"window": 3, "text": "请注意排队人数", "from": "王主任"})
    assert "王主任" in rig.view.message and "请注意排队人数" in rig.view.message
    live.event("manager.message", {"window": None, "text": "下午三点开会", "from": "王主任"})
    assert "下午三点开会" in rig.view.message
    rig.presenter.dismiss_message()
    assert rig.view.message == ""


def test_a_restarted_terminal_comes_back_to_the_current_ticket(make_rig):
    before = signed_in(make_rig())
    number = before.hall.add_ticket("MZ-01")
    before.presenter.call_next()
    before.settle()
    before.presenter.start_serving()
    before.settle()
    before.presenter.stop()  # the terminal crashed: no sign-out
    after = make_rig()
    assert after.view.login.username == "clerk1" and after.view.login.window == 3
    signed_in(after)
    assert current(after).number == number and "办理中" in current(after).state
    assert after.hall.audited("window.opened") == 1  # signing in again changed nothing


def test_sign_out_needs_the_ticket_settled_first(make_rig):
    rig = signed_in(make_rig())
    rig.hall.add_ticket("MZ-01")
    rig.presenter.call_next()
    rig.settle()
    assert "sign_out" not in rig.view.main.enabled
    rig.presenter.sign_out()  # even if asked (e.g. state not yet reloaded) the server refuses
    rig.settle()
    assert "请先办结" in rig.view.notice and rig.view.page == "main"
    rig.presenter.finish()
    rig.settle()
    rig.presenter.sign_out()
    rig.settle()
    assert rig.view.page == "login" and "已签退" in rig.view.login.info
    assert rig.hall.window_view(3)["state"] == "closed" and rig.live.latest.closed


def test_the_backend_unreachable_at_start_is_shown_and_retried(make_rig):
    rig = make_rig(down=True, retry_seconds=3)
    assert not rig.view.connection.ok and rig.view.login.windows == ()
    rig.net.down = False
    rig.advance(3)
    assert rig.view.connection.ok and len(rig.view.login.windows) == 12


def test_live_socket_refused_at_first_is_retried(make_rig):
    rig = make_rig(retry_seconds=3)
    rig.live.refuse = True
    rig.presenter.sign_in("clerk1", PASSWORD, 3)
    rig.settle()
    assert rig.view.page == "main" and not rig.view.connection.ok
    rig.live.refuse = False
    rig.advance(3)
    assert len(rig.live.made) == 2 and rig.live.latest.connected
    rig.live.latest.up()
    rig.settle()
    assert rig.view.connection.ok


def test_an_english_terminal_puts_english_first(make_rig):
    rig = signed_in(make_rig(language="en"))
    assert rig.view.main.state_text.startswith("Open")
    assert rig.view.main.window_title == "Window 3 – Civil affairs"


def test_every_action_has_an_f_key():
    assert len(ACTIONS) == 9
