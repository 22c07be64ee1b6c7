"""Every kiosk string in Chinese and English; Chinese first."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # chrome
    "home": ("首页", "Home"),
    "back": ("返回", "Back"),
    "language": ("English", "中文"),
    "default_hall": ("便民服务中心", "Citizen Service Centre"),
    # home
    "choose_department": ("请选择办理部门", "Choose a department"),
    "services_count": ("{n} 项服务", "{n} services"),
    "search": ("搜索事项", "Find a service"),
    "search_hint_button": ("按拼音首字母查找", "by pinyin initials"),
    "green": ("绿色通道", "Green channel"),
    "green_hint_button": (
        "老人 · 残疾人 · 孕妇 · 军人",
        "priority for eligible groups",
    ),
    "appointment": ("我有预约", "I have an appointment"),
    "appointment_hint_button": ("输入预约码签到", "check in with your code"),
    "case_query": ("办件查询", "Check my case"),
    "case_hint_button": ("查询办理进度", "see the progress of a case"),
    "supervision": ("监督电话 {phone}", "Supervision hotline {phone}"),
    # priority modes
    "green_banner": (
        "绿色通道 · {reason}：请选择办理事项",
        "Green channel · {reason}: choose a service",
    ),
    "appointment_banner": (
        "预约签到 · 预约码 {code}：请选择预约的事项",
        "Appointment {code}: choose the booked service",
    ),
    "green_title": ("绿色通道 · 优先办理", "Green channel · priority service"),
    "green_hint": (
        "请选择优先类别，叫号时请向窗口工作人员出示相关证件",
        "Choose your category; please show your document at the window",
    ),
    "reason_elderly": ("70岁以上老人", "Aged 70 or over"),
    "reason_disabled": ("残疾人", "Person with a disability"),
    "reason_pregnant": ("孕妇", "Pregnant woman"),
    "reason_serviceman": ("军人", "Serviceman / servicewoman"),
    "appointment_title": ("预约签到", "Appointment check-in"),
    "appointment_hint": (
        "请输入预约短信中的预约码（4-12位数字）",
        "Enter the code from your booking message (4-12 digits)",
    ),
    "appointment_confirm": ("确认签到", "Check in"),
    "appointment_too_short": ("预约码至少 4 位数字", "The code has at least 4 digits"),
    # lists and search
    "no_items": ("暂无可办理事项", "No services here"),
    "search_title": ("搜索事项", "Find a service"),
    "search_hint": (
        "请输入事项名称的拼音首字母，如「低保申请」输入 DBSQ",
        "Type the pinyin initials of the service, e.g. DBSQ for 低保申请",
    ),
    "search_none": (
        "没有找到相关事项，请减少字母或返回按部门查找",
        "Nothing found; remove a letter",
    ),
    "search_count": ("找到 {n} 项", "{n} found"),
    "key_back": ("退格", "Delete"),
    "key_clear": ("清空", "Clear"),
    "immediate": ("即办件 · 当场办结", "Done at the window"),
    "promised": ("承诺件 · {days}个工作日办结", "Done within {days} working days"),
    "promised_nodays": ("承诺件", "Promised item"),
    # guide
    "waiting_loading": ("正在查询等候人数…", "Checking the queue…"),
    "waiting_none": ("当前无人等候，取号后即可办理", "No one waiting: you are next"),
    "waiting": ("当前等候 {n} 人，预计等待{wait}", "{n} waiting, about {wait}"),
    # an item no staffed window serves now (the backend says so; no wait figure is invented)
    "not_available": ("暂停取号", "Not available now"),
    "some_not_available": ("{n} 项暂停取号", "{n} not available now"),
    "no_window_tile": ("当前无窗口办理", "No window open now"),
    "no_window_queue": (
        "当前无窗口办理，可先取号排队，窗口开放后按顺序叫号",
        "No window open now: take a ticket to queue; you are called in turn once one opens",
    ),
    "no_window_now": (
        "当前无窗口办理，窗口开放后按顺序叫号",
        "No window open now: you are called in turn once one opens",
    ),
    "wait_none": ("无需等待", "no wait"),
    "wait_minutes": ("约 {m} 分钟", "{m} min"),
    "wait_hours": ("约 {h} 小时 {m} 分钟", "{h} h {m} min"),
    "wait_whole_hours": ("约 {h} 小时", "{h} h"),
    "conditions": ("办理条件", "Conditions"),
    "materials": ("申请材料", "Required materials"),
    "fees": ("收费标准", "Fees"),
    "time_limit": ("承诺时限", "Promised time limit"),
    "procedure": ("办理流程", "Procedure"),
    "legal_basis": ("办理依据", "Legal basis"),
    "windows_label": ("办理窗口", "Windows"),
    "phone_label": ("监督电话", "Supervision hotline"),
    "limit_immediate": ("即办件，材料齐全当场办结", "Immediate: done at the window"),
    "limit_days": ("{days}个工作日", "{days} working days"),
    "none": ("无", "None"),
    "free": ("不收费", "Free of charge"),
    "take_ticket": ("取号", "Take a ticket"),
    "take_ticket_green": ("绿色通道取号", "Take a priority ticket"),
    "take_ticket_appointment": ("预约取号", "Check in and take a ticket"),
    "taking": ("正在取号，请稍候…", "Issuing your ticket…"),
    "print_guide": ("打印办事指南", "Print the guide"),
    "printing_guide": ("正在打印办事指南…", "Printing the guide…"),
    "guide_printed": ("办事指南已打印，请在出纸口取走", "Guide printed: take it from the slot"),
    "guide_not_printed": (
        "办事指南未能打印：{cause}。请拍照保存本页",
        "Guide not printed: {cause}. Please photograph this page",
    ),
    # errors
    "issue_failed": ("取号失败：{message}", "Could not issue a ticket: {message}"),
    "not_authorised": (
        "本机未获授权取号，请到服务台取号并告知工作人员",
        "This kiosk is not authorised; please ask at the service desk",
    ),
    "item_gone": ("该事项已调整，请返回重新选择", "This service has changed; please choose again"),
    "server_error": (
        "系统繁忙，请稍后再试或到服务台咨询",
        "The system is busy; try again or ask at the service desk",
    ),
    # confirmation
    "issued_title": ("取号成功，您的号码是", "Your ticket number"),
    "people_ahead": ("前面还有 {n} 人", "{n} people ahead of you"),
    "no_one_ahead": ("前面没有人，请留意叫号", "No one ahead: watch for your number"),
    "expected_wait": ("预计等待{wait}", "Expected wait: {wait}"),
    "go_to_windows": (
        "请留意叫号屏，到以下窗口办理：{windows}",
        "Watch the display; served at: {windows}",
    ),
    "watch_display": ("请留意叫号屏和语音叫号", "Watch the display for your number"),
    "scan_hint": ("微信扫码查看排队进度", "Scan to follow your place in line"),
    "printing": ("正在打印号票…", "Printing your ticket…"),
    "printed": ("号票已打印，请在出纸口取走", "Ticket printed: take it from the slot"),
    "ticket_not_printed": ("号票未能打印：{cause}", "Ticket not printed: {cause}"),
    "ticket_maybe_incomplete": (
        "号票可能未完整打出：{cause}",
        "The ticket may not have printed completely: {cause}",
    ),
    "save_number": ("请拍照或扫码保存号码", "Please photograph or scan to keep your number"),
    "printer_recovered": ("打印机已恢复，可点击「重新打印」", "Printer ready again: tap Reprint"),
    "reprint": ("重新打印", "Reprint"),
    "done": ("完成", "Done"),
    "priority_green": ("绿色通道 · {reason}", "Green channel · {reason}"),
    "priority_appointment": ("预约 · {code}", "Appointment · {code}"),
    # offline and starting
    "offline_title": ("暂停取号", "Ticketing paused"),
    "offline_message": (
        "系统连接中断，请稍候或到服务台咨询",
        "Connection to the system lost. Please wait or ask at the service desk",
    ),
    "offline_detail": ("正在自动重新连接，恢复后即可取号", "Reconnecting automatically…"),
    "connecting_title": ("正在启动", "Starting"),
    "connecting_message": ("取号机正在连接系统，请稍候", "Connecting to the system, please wait"),
    # case query (办件查询)
    "case_title": ("办件查询", "Check my case"),
    "case_step_number": (
        "第 1 步（共 2 步）：输入受理编号",
        "Step 1 of 2: enter the acceptance number",
    ),
    "case_step_phone": (
        "第 2 步（共 2 步）：输入手机号码后 4 位",
        "Step 2 of 2: the last 4 digits of your phone number",
    ),
    "case_number_hint": (
        "受理编号印在受理回执上。开头的 {prefix} 已填好，只需照着回执输入后面的数字",
        "The number is on your acceptance receipt. {prefix} is already filled in: "
        "type only the digits after it",
    ),
    "case_phone_hint": (
        "请输入办理时登记的手机号码的最后 4 位",
        "The last 4 digits of the phone number you gave at the window",
    ),
    "case_type_date": (
        "现在输入：受理日期，8 位数字（年月日）",
        "Now type the date: 8 digits (year, month, day)",
    ),
    "case_type_sequence": ("现在输入：最后 4 位序号", "Now type the last 4 digits"),
    "case_number_done": ("编号已输完，请核对后点「下一步」", "Done: check it, then tap Next"),
    "case_type_phone": ("请输入 4 位数字", "Type 4 digits"),
    "case_phone_done": ("已输完，请点「查询」", "Done: tap Search"),
    "case_number_label": ("受理编号", "Acceptance number"),
    "case_phone_label": ("手机号后 4 位", "Last 4 phone digits"),
    "case_next": ("下一步", "Next"),
    "case_search": ("查询", "Search"),
    "case_searching": ("正在查询，请稍候…", "Searching…"),
    "case_edit_number": ("修改编号", "Change number"),
    "case_number_short": (
        "受理编号还没有输完：共 12 位数字",
        "The number is not complete: it has 12 digits",
    ),
    "case_bad_date": (
        "编号中的日期不对，请对照受理回执核对",
        "The date in the number is not valid; please check your receipt",
    ),
    "case_phone_short": ("请输入 4 位数字", "Please type 4 digits"),
    "case_not_found": (
        "未找到该办件，请核对受理编号和手机号后4位",
        "No case found: please check the number and the last 4 phone digits",
    ),
    "case_bad_phone": ("手机号后4位应为4位数字", "Type the last 4 digits of your phone"),
    "case_bad_number": (
        "受理编号有误，请对照受理回执核对",
        "The number is not valid; please check your receipt",
    ),
    "case_not_authorised": (
        "本机暂不能查询办件，请到服务台咨询",
        "This kiosk cannot check cases; please ask at the service desk",
    ),
    "case_failed": ("查询失败：{message}", "The search failed: {message}"),
    "case_locked_number": (
        "该受理编号查询错误次数过多，已暂停查询。请 {minutes} 分钟后再试，或到服务台请工作人员解除",
        "Too many wrong tries for this number. Try again in {minutes} min, or ask at the help desk",
    ),
    "case_locked_device": (
        "本机办件查询错误次数过多，已暂停查询 {minutes} 分钟。请到服务台咨询",
        "Too many wrong tries on this kiosk: case lookup is paused for {minutes} min. "
        "Please ask at the help desk",
    ),
    # out of service (the backend refused this kiosk: token revoked, device deactivated)
    "out_of_service_title": ("暂停服务", "Out of service"),
    "out_of_service_message": ("请到服务台咨询", "Please ask at the help desk"),
    "out_of_service_detail": (
        "本机暂停使用，工作人员处理后自动恢复",
        "This kiosk is paused and resumes by itself once staff have seen to it",
    ),
    # case result
    "case_result_title": ("办件查询结果", "Your case"),
    "case_state_open": ("办理中", "Being handled"),
    "case_state_suspended": ("待补正材料", "Materials needed"),
    "case_state_finished": ("已办结", "Finished"),
    "case_state_refused": ("不予办理", "Not approved"),
    "case_words_open": (
        "正在办理中，我们会在承诺时限内办结",
        "Your case is being handled and will be finished within the promised time",
    ),
    "case_words_suspended": (
        "材料需要补正：请按一次性告知书补齐材料后送到窗口，补齐后继续办理",
        "Some materials are missing: bring those listed below to the window; "
        "handling continues once they are complete",
    ),
    "case_words_finished": ("已办结", "Your case is finished"),
    "case_words_refused": ("未能办理", "Your case could not be approved"),
    "case_item": ("办理事项", "Service"),
    "case_accepted_on": ("受理日期", "Accepted on"),
    "case_deadline": ("承诺办结时间", "To be finished by"),
    "case_deadline_paused": (
        "{deadline}（补正期间暂停计时，补齐后相应顺延）",
        "{deadline} (paused until the materials are complete)",
    ),
    "case_finished_on": ("办结日期", "Finished on"),
    "case_decided_on": ("答复日期", "Decided on"),
    "case_missing": ("需要补正的材料", "Materials to bring"),
    "case_result": ("办理结果", "Result"),
    "case_refuse_reason": ("不予办理的原因", "Reason"),
    "case_help": (
        "如有疑问，请到服务台咨询或拨打监督电话 {phone}",
        "Questions? Ask at the service desk or call {phone}",
    ),
    "case_help_nophone": ("如有疑问，请到服务台咨询", "Questions? Ask at the service desk"),
    "case_print": ("打印查询结果", "Print this"),
    "case_again": ("查询其他办件", "Check another case"),
    "case_printing": ("正在打印…", "Printing…"),
    "case_printed": ("已打印，请在出纸口取走", "Printed: take it from the slot"),
    "case_not_printed": ("未能打印：{cause}", "Not printed: {cause}"),
    "date": ("{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}"),
}


def tr(key: str, lang: str, **values) -> str:
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def pick(message: str, lang: str) -> str:
    """The part of a bilingual backend message ("中文 / English") in `lang`."""
    if " / " not in message:
        return message
    zh, en = message.split(" / ", 1)
    return en.strip() if lang == "en" else zh.strip()


def wait_text(minutes: int, lang: str) -> str:
    if minutes <= 0:
        return tr("wait_none", lang)
    hours, mins = divmod(int(minutes), 60)
    if not hours:
        return tr("wait_minutes", lang, m=mins)
    if not mins:
        return tr("wait_whole_hours", lang, h=hours)
    return tr("wait_hours", lang, h=hours, m=mins)
