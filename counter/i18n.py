"""Counter texts: Chinese first with English second (or the other way round for language "en")."""

from __future__ import annotations

from i18n import labels  # state names: i18n/labels.toml, shared with the backend and pages

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("窗口叫号终端", "Counter terminal"),
    # login
    "login_title": ("窗口工作人员登录", "Clerk sign-in"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "window": ("窗口", "Window"),
    "sign_in": ("登录签到", "Sign in"),
    "take_over": ("接班", "Take over"),
    "signing_in": ("正在登录…", "Signing in…"),
    "need_username": ("请输入用户名", "Enter your username"),
    "need_password": ("请输入密码", "Enter your password"),
    "need_window": ("请选择窗口", "Choose a window"),
    "catalog_loading": ("正在读取窗口列表…", "Loading windows…"),
    "handover_offer": (
        "{window}号窗口由 {clerk} 暂停交接班{ticket}。点“接班”继续办理。",
        "Window {window} was paused for handover by {clerk}{ticket_en}. Press Take over.",
    ),
    "handover_ticket": ("（正在办理 {number}）", " (serving {number})"),
    "window_taken": (
        "{window}号窗口已由 {clerk} 签到使用",
        "Window {window} is in use by {clerk}",
    ),
    "handover_done": (
        "已暂停交接班。接班人员请登录并点“接班”。",
        "Paused for handover. The incoming clerk logs in and presses Take over.",
    ),
    "signed_out": ("已签退", "Signed out"),
    # window states
    "state_open": labels.pair("window_state", "open"),
    "state_paused": labels.pair("window_state", "paused"),
    "state_closed": labels.pair("window_state", "closed"),
    "reason_break": ("休息", "Break"),
    "reason_meeting": ("会议", "Meeting"),
    "reason_handover": ("交接班", "Handover"),
    "reason_other": ("其他", "Other"),
    # actions (buttons, notices)
    "call_next": ("叫号", "Call next"),
    "recall": ("重呼", "Recall"),
    "start": ("开始办理", "Start"),
    "finish": ("办结", "Finish"),
    "no_show": ("过号", "No-show"),
    "transfer": ("转办", "Transfer"),
    "call_number": ("指定叫号", "Call number"),
    "requeue": ("过号重排", "Re-queue"),
    "pause": ("暂停", "Pause"),
    "resume": ("恢复", "Resume"),
    "sign_out": ("签退", "Sign out"),
    "accept_case": ("受理", "Accept case"),
    "notice": ("一次性告知", "Missing materials"),
    "evaluate": ("评价", "Evaluation"),
    "print_receipt": ("打印受理回执", "Print receipt"),
    "print_notice": ("补打告知书", "Reprint notice"),
    "my_cases": ("我的办件", "My cases"),
    # results
    "called": ("已叫号 {number}", "Called {number}"),
    "recalled": ("已重呼 {number}", "Recalled {number}"),
    "started": ("开始办理 {number}", "Serving {number}"),
    "finished": ("已办结 {number}", "Finished {number}"),
    "marked_no_show": ("{number} 已过号", "{number} marked no-show"),
    "transferred": ("{number} 已转办", "{number} transferred"),
    "requeued": ("{number} 已重新排队", "{number} re-queued"),
    "paused": ("窗口已暂停", "Window paused"),
    "resumed": ("窗口已恢复服务", "Window open again"),
    "nobody_waiting": ("暂无等候", "Nobody is waiting"),
    "busy": ("正在处理上一操作，请稍候", "Still working on the last action"),
    "pending_first": (
        "“{action}”尚未完成，网络恢复后自动重试",
        "“{action}” pending; retried when the network returns",
    ),
    # connection
    "offline": ("网络中断…正在重连", "Connection lost… reconnecting"),
    "live_down": ("实时连接中断…正在重连", "Live updates lost… reconnecting"),
    "pending_retry": (
        "待重试：{action}（同一请求，不会重复办理）",
        "To retry: {action} (same request, never done twice)",
    ),
    "retry": ("重试", "Retry"),
    "unreachable": ("无法连接服务器，请检查网络", "Cannot reach the server; check the network"),
    # dialogs and validation
    "reason_required": ("指定叫号必须填写原因", "Calling out of order needs a reason"),
    "number_required": ("请输入票号", "Enter a ticket number"),
    "target_required": ("请选择转办事项或窗口", "Choose an item or a window"),
    "no_ticket": ("当前没有正在办理的号", "No current ticket"),
    "dismiss": ("知道了", "OK"),
    "manager_message": ("管理员消息 · {sender}：{text}", "Manager's message from {sender}"),
    # ticket panel
    "current": ("当前办理", "Current ticket"),
    "idle": ("当前无办理中的号，按 F1 叫号", "No current ticket; press F1 to call the next"),
    "paused_idle": ("窗口暂停中，按 F9 恢复", "Window paused; press F9 to resume"),
    "waited": ("已等 {minutes} 分钟", "waited {minutes} min"),
    "call_count": ("第 {count} 次呼叫", "call {count}"),
    "ticket_called": labels.pair("ticket_state", "called"),
    "ticket_serving": labels.pair("ticket_state", "serving"),
    "kind_immediate": ("即办件", "Immediate"),
    "kind_promised": ("承诺件 {days} 个工作日", "Promised, {days} working days"),
    "history": ("转办记录", "Transfer history"),
    "history_line": ("{window}号窗口 {item}：已转办{note}", "window {window}, {item}: transferred"),
    "materials": ("材料清单", "Materials checklist"),
    "materials_count": ("已核 {done}/{total}", "{done}/{total} checked"),
    "no_materials": ("本事项无需材料", "No materials listed"),
    # priority
    "priority_normal": ("普通", "Normal"),
    "priority_green": ("绿色通道", "Green channel"),
    "priority_appointment": ("预约", "Appointment"),
    "green_elderly": ("70岁以上老人", "elderly 70+"),
    "green_disabled": ("残疾人", "disabled"),
    "green_pregnant": ("孕妇", "pregnant"),
    "green_serviceman": ("现役军人", "serviceman"),
    # line and figures
    "line": ("本窗口等候", "Waiting here"),
    "line_summary": (
        "等候 {waiting} 人 · 最久 {oldest} 分钟",
        "{waiting} waiting · oldest {oldest} min",
    ),
    "line_empty": ("暂无等候", "Nobody waiting"),
    "transferred_here": ("转来", "transferred"),
    "col_number": ("票号", "No."),
    "col_item": ("事项", "Item"),
    "col_class": ("类别", "Class"),
    "col_waited": ("已等", "Waited"),
    "per_item": ("分事项", "By item"),
    "minutes": ("{minutes} 分钟", "{minutes} min"),
    "today": ("今日", "Today"),
    "me": ("本人", "Me"),
    "this_window": ("本窗口", "Window"),
    "served": ("办结", "Served"),
    "avg": ("平均用时", "Avg"),
    "no_shows": ("过号", "No-show"),
    "transfers": ("转办", "Transferred"),
    # dialog titles and fields
    "transfer_title": ("转办 {number}", "Transfer {number}"),
    "to_item": ("转到事项", "To item"),
    "to_window": ("转到窗口", "To window"),
    "same_item": ("（事项不变）", "(same item)"),
    "any_window": ("（任一可办窗口）", "(any window)"),
    "note": ("备注", "Note"),
    "call_number_title": ("指定叫号", "Call a specific number"),
    "ticket_number": ("票号", "Ticket number"),
    "reason": ("原因（必填）", "Reason (required)"),
    "requeue_title": ("过号重排：群众回来了", "Re-queue a returning no-show"),
    "pause_title": ("暂停窗口", "Pause the window"),
    "ok": ("确定", "OK"),
    "cancel": ("取消", "Cancel"),
    "submitting": ("正在提交…", "Sending…"),
    "form_pending": (
        "网络中断：恢复后自动提交（同一请求，不会重复办理）",
        "Connection lost: sent again when it returns (never done twice)",
    ),
    # 受理 (accept as a case)
    "accept_title": ("受理 {number} · {item}", "Accept {number} as a case"),
    "accept_required": (
        "承诺件 {days} 个工作日：申请人姓名、联系电话必填",
        "Promised item ({days} working days): name and phone required",
    ),
    "accept_optional": (
        "即办件：申请人信息可不填，受理后当场办结",
        "Immediate item: applicant optional; finished on the spot",
    ),
    "applicant_name": ("申请人姓名", "Name"),
    "applicant_phone": ("联系电话", "Phone"),
    "applicant_id": ("身份证号", "ID number"),
    "materials_received": ("已收材料", "Materials received"),
    "decision": ("办理方式", "Handling"),
    "decision_done_now": ("即接即办", "Done now"),
    "decision_proxy": ("全程代办", "Proxy"),
    "decision_coordinated": ("协调促办", "Coordinated"),
    "handling_unit": ("承办单位", "Handling unit"),
    "accept_ok": ("确认受理", "Accept"),
    "accepted": ("已受理", "Accepted"),  # + the acceptance number after the first language
    "accepted_now": ("已受理并当场办结", "Accepted, finished"),
    "case_number": ("受理编号 {number}", "Case {number}"),
    "case_deadline": ("承诺办结时间 {deadline}", "Due {deadline}"),
    "case_done_now": ("即办件 · 当场办结", "Immediate: finished on the spot"),
    "case_missing": ("待补正：{items}", "Missing: {items}"),
    "case_missing_short": ("待补正 {count} 项", "{count} missing"),
    # 一次性告知 (missing materials)
    "missing_title": ("一次性告知 · {number}", "One-time notice"),
    "missing_hint": (
        "勾选全部缺少的材料，一次告知；补正期间停止计时",
        "Tick everything missing at once; the clock stops until it arrives",
    ),
    "missing_other": ("其他缺少的材料", "Other missing material"),
    "add": ("添加", "Add"),
    "missing_ok": ("告知并暂停计时", "Notify and suspend"),
    "notice_needs_case": (
        "请先受理承诺件，再一次性告知缺少的材料",
        "Accept a promised item first, then list what is missing",
    ),
    "text_required": ("请填写必填项", "Fill in what is required"),
    "suspended": ("已一次性告知，暂停计时", "Suspended"),
    # 评价
    "rating_requested": ("已请 {number} 评价", "Rating requested"),
    "rate_hint": ("{number} 已办结：按“评价”请群众评价", "{number} finished: press Evaluation"),
    # printing
    "printing": ("正在打印…", "Printing…"),
    "printed_receipt": ("受理回执已打印", "Receipt printed"),
    "printed_receipt_internal_qr": (
        "受理回执已打印，但二维码是本机后台地址，群众手机可能打不开：请管理员在大厅配置中设置 public_url",
        "Receipt printed, but its QR code is this counter's backend address, which phones may "
        "not reach: ask the manager to set public_url in the hall file",
    ),
    "printed_notice": ("一次性告知书已打印", "One-time notice printed"),
    "printed_refusal": ("不予办理告知书已打印", "Refusal notice printed"),
    "print_failed": ("未能打印：{cause}，可稍后补打", "Not printed: {cause_en}"),
    # 我的办件 (my cases)
    "cases_counts": (
        "红 {red} · 橙 {orange} · 黄 {yellow} · 绿 {green} · 待补正 {suspended}",
        "red {red} · orange {orange} · yellow {yellow} · green {green} · suspended {suspended}",
    ),
    "cases_empty": ("暂无在办的办件", "No open cases"),
    "cases_loading": ("正在读取办件…", "Loading cases…"),
    "col_colour": ("预警", "Alert"),
    "col_case": ("受理编号", "Case no."),
    "col_state": ("状态", "State"),
    "col_deadline": ("承诺办结", "Due"),
    "col_applicant": ("申请人", "Applicant"),
    "col_ticket": ("票号", "Ticket"),
    "colour_red": ("红", "red"),
    "colour_orange": ("橙", "orange"),
    "colour_yellow": ("黄", "yellow"),
    "colour_green": ("绿", "green"),
    "colour_suspended": ("停", "paused"),
    "refresh": ("刷新", "Refresh"),
    "back": ("返回窗口", "Back"),
    "select_case": ("选择一件办件后操作", "Select a case to act on it"),
    "case_supplement": ("补正到件", "Supplement"),
    "case_extension": ("申请延期", "Extension"),
    "case_finish": ("办结", "Finish"),
    "case_refuse": ("不予办理", "Refuse"),
    "case_refer": ("上报县级", "Refer to county"),
    "case_selected": ("{number} · {item} · {state}", "{number} · {item} · {state}"),
    "extended": ("已延期 {days} 个工作日", "extended {days} working days"),
    # case action dialogs
    "case_supplement_title": ("补正到件 · {number}", "Supplements"),
    "supplement_hint": (
        "勾选已收到的补正材料，恢复计时",
        "Tick what arrived; the clock runs again",
    ),
    "case_extension_title": ("申请延期 · {number}", "Extension"),
    "extension_days": ("延期（工作日）", "Working days"),
    "days": ("{days} 天", "{days} days"),
    "extension_reason": ("延期理由（必填，须负责人批准）", "Reason (required; a manager approves)"),
    "case_finish_title": ("办结 · {number}", "Finish"),
    "finish_result": ("办理结果（将告知群众，必填）", "Result (told to the resident)"),
    "case_refuse_title": ("不予办理 · {number}", "Refuse"),
    "refuse_reason": ("不予办理的理由（将告知群众，必填）", "Reason (told to the resident)"),
    "case_refer_title": ("上报县级 · {number}", "Refer to the county"),
    "refer_to": ("上报至：{hall}", "To: {hall}"),
    "refer_unit": ("县级部门（可不选）", "Department there (optional)"),
    "refer_any_unit": ("（不指定部门）", "(no department)"),
    "refer_reason": ("上报理由（必填，对方可见）", "Reason (required; they see it)"),
    "case_referred": ("{number} 已上报，等待县级接收", "Referred; waiting to be accepted"),
    "case_supplemented": ("已补正到件，恢复计时", "Supplemented"),
    "case_extension_requested": ("延期申请已提交，待负责人批准", "Extension requested"),
    "case_finished": ("{number} 已办结", "Case finished"),
    "case_refused": ("{number} 已不予办理", "Refused"),
    # 解除查询锁定 (the kiosk's 办件查询 locked after too many wrong tries)
    "lookup_unlock": ("解除查询锁定", "Unlock case lookup"),
    "lookup_unlock_title": ("解除取号机办件查询锁定", "Unlock the kiosk's case lookup"),
    "lookup_target": ("受理编号（或从列表选择）", "Number (or pick from the list)"),
    "lookup_locked_count": (
        "当前有 {n} 项被锁定，可从列表选择",
        "{n} locked now: pick one from the list",
    ),
    "lookup_lock_number": (
        "受理编号 {target} · 还剩 {minutes} 分钟",
        "Number {target} · {minutes} min left",
    ),
    "lookup_lock_device": (
        "取号机 {target} · 还剩 {minutes} 分钟",
        "Kiosk {target} · {minutes} min left",
    ),
    "lookup_none_locked": ("目前没有被锁定的查询", "No case lookup is locked now"),
    "lookup_target_required": ("请输入受理编号或选择一项", "Enter a number or pick a lock"),
    "lookup_unlocked": ("已解除 {number} 的办件查询锁定", "Case lookup unlocked: {number}"),
    # 今日预约 (counter/appointments.py)
    "appt_appointments": ("今日预约", "Appointments"),
    "appt_appointments_count": ("今日预约 ({n})", "Appointments ({n})"),
    "appt_col_slot": ("时段", "Slot"),
    "appt_col_item": ("事项", "Service"),
    "appt_col_capacity": ("容量", "Capacity"),
    "appt_col_booked": ("待签到", "Booked"),
    "appt_col_checked_in": ("已签到", "Checked in"),
    "appt_col_no_show": ("未到", "No-show"),
    "appt_col_people": ("预约人", "Residents"),
    "appt_summary": (
        "{day}  本窗口事项：待签到 {booked} · 已签到 {checked_in} · 未到 {no_show}",
        "{day}  this window's services: booked {booked} · checked in {checked_in} · "
        "no-show {no_show}",
    ),
    "appt_none": ("今日本窗口事项暂无预约", "No appointments today for this window's services"),
    "appt_loading": ("正在读取今日预约…", "Loading today's appointments…"),
    "appt_unreachable": ("暂时连不上服务器，稍后自动重试", "Server unreachable; retrying"),
    "appt_refused": ("读取预约失败：{message}", "Appointments not loaded: {message}"),
    "appt_state_booked": labels.pair("appointment_state", "booked"),
    "appt_state_checked_in": labels.pair("appointment_state", "checked_in"),
    "appt_state_no_show": labels.pair("appointment_state", "no_show"),
    "appt_state_cancelled": labels.pair("appointment_state", "cancelled"),
}

# Refusals shown next to the field they are about (code, field) -> text.
FIELD_ERRORS: dict[tuple[str, str], tuple[str, str]] = {
    ("applicant_required", "applicant.name"): ("请填写申请人姓名", "Name is required"),
    ("applicant_required", "applicant.phone"): ("请填写联系电话", "Phone is required"),
    ("invalid_id_number", "applicant.id_number"): ("身份证号码校验不通过", "Invalid ID number"),
    ("invalid_phone", "applicant.phone"): ("手机号码格式不正确", "Not a mobile number"),
    ("invalid_field", "applicant.name"): ("姓名最多 40 个字", "At most 40 characters"),
    ("invalid_field", "applicant.phone"): ("电话号码最多 20 位", "At most 20 digits"),
    ("invalid_field", "applicant.id_number"): ("身份证号为 18 位", "18 characters"),
    ("invalid_field", "reason"): ("请填写理由", "A reason is required"),
    ("invalid_field", "result"): ("请填写办理结果", "A result is required"),
    ("invalid_field", "missing"): ("请至少勾选一项缺少的材料", "Tick at least one"),
    ("department_not_found", "to_unit"): ("对方没有这个部门", "No such department there"),
}

ERRORS: dict[str, tuple[str, str]] = {
    "ticket_in_progress": (
        "请先办结、转办或过号当前的号",
        "Finish, transfer or mark no-show the current ticket first",
    ),
    "window_taken": ("该窗口已有人签到", "The window is already open"),
    "signed_in_elsewhere": ("您已在其他窗口签到，请先在那里签退", "You are signed in elsewhere"),
    "no_handover": ("该窗口未暂停交接班，不能接班", "The window was not paused for handover"),
    "not_your_window": ("您未在本窗口签到", "You are not signed in to this window"),
    "not_assigned": ("该窗口由指定的A/B岗人员值守", "This window is staffed by its A/B clerks"),
    "window_not_open": ("窗口未开放（暂停或未签到）", "The window is not open"),
    "no_current_ticket": ("当前没有正在办理的号", "No current ticket"),
    "not_waiting": ("该号不在等候中", "That ticket is not waiting"),
    "item_not_served": ("该窗口不办理此事项", "That window does not serve the item"),
    "reserved_for_other_window": ("该号已转给其他窗口", "Transferred to another window"),
    "ticket_not_found": ("今天没有这个号", "No such ticket today"),
    "ticket_expired": ("不是今天的号，请重新取号", "Not today's ticket; take a new one"),
    "bad_number": ("票号格式不对，例如 A012", "Not a ticket number, e.g. A012"),
    "reason_required": TEXT["reason_required"],
    "invalid_transition": ("当前状态不能这样操作", "Not possible in the current state"),
    "invalid_window_transition": ("窗口当前状态不能这样操作", "Not possible for the window now"),
    "same_window": ("不能转到本窗口", "Transfer to another window"),
    "same_item": ("请选择其他事项或指定窗口", "Choose another item or a window"),
    "window_closed": ("该窗口未签到，请直接签到", "The window is closed; sign in"),
    "already_yours": ("您已在该窗口", "You are already at this window"),
    "bad_credentials": ("用户名或密码错误", "Wrong username or password"),
    "unauthenticated": ("登录已失效，请重新登录", "Logged out; please log in again"),
    # cases
    "already_accepted": ("该号已受理，不能重复受理", "This ticket was already accepted"),
    "invalid_phone": ("电话号码格式不正确", "Not a phone number"),
    "invalid_id_number": ("身份证号码校验不通过，请核对", "Not a valid ID number"),
    "department_not_found": ("没有这个承办单位", "No such department"),
    "use_refuse": ("不予办理请在“我的办件”中操作", "Refuse from My cases"),
    "missing_required": ("请至少勾选一项缺少的材料", "Tick at least one missing material"),
    "invalid_case_transition": ("办件当前状态不能这样操作", "Not possible for the case now"),
    "extension_pending": ("已有延期申请待负责人批准", "An extension request is waiting"),
    "extension_limit": ("已达延期次数上限", "No more extensions for this case"),
    "invalid_extension": ("延期天数不符合规定", "Extension days out of range"),
    "case_not_found": ("没有这个办件", "No such case"),
    "nothing_to_rate": ("本窗口还没有办结的号", "Nothing finished at this window yet"),
    "not_finished": ("办结后才能评价", "Rate once the service is finished"),
    "already_rated": ("这次服务已评价", "This service was already rated"),
    "staff_only": ("只有工作人员可以办理", "Staff only"),
    "lookup_not_locked": ("该编号或取号机的查询没有被锁定", "Case lookup is not locked for it"),
    "no_parent": ("本中心没有上级服务中心，不能上报", "This hall has no hall above it"),
    "not_adjacent": ("只能上报上一级或交办下一级", "Only one level up or down"),
}


def tr(key: str, lang: str = "zh", **values) -> str:
    """Both languages on one line: the primary first."""
    first, second = pair(key, lang, **values)
    return f"{first}  {second}"


def pair(key: str, lang: str = "zh", **values) -> tuple[str, str]:
    """(primary, secondary) text for `key`."""
    zh, en = TEXT[key]
    zh, en = zh.format(**values), en.format(**values)
    return (zh, en) if lang == "zh" else (en, zh)


def field_error_text(code: str, field: str | None, message: str, lang: str = "zh") -> str:
    """A refusal about one field, for the label next to it."""
    if field and (code, field) in FIELD_ERRORS:
        zh, en = FIELD_ERRORS[(code, field)]
        return f"{zh}  {en}" if lang == "zh" else f"{en}  {zh}"
    return error_text(code, message, lang)


def error_text(code: str, message: str, lang: str = "zh") -> str:
    """A refusal from the backend in both languages; unknown codes show the server's message."""
    if code in ERRORS:
        zh, en = ERRORS[code]
        return f"{zh}  {en}" if lang == "zh" else f"{en}  {zh}"
    return message
