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
    # case query
    "case_title": ("办件查询", "Check my case"),
    "case_unavailable": ("本服务暂未开通", "This service is not yet available"),
    "case_detail": (
        "查询办件进度请到服务台咨询，或拨打监督电话 {phone}",
        "Ask at the service desk or call {phone} about your case",
    ),
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
