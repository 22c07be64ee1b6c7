"""Kiosk and counter receipts rendered onto any python-escpos printer as raw ESC/POS bytes.

Text goes out as explicit GB18030 bytes in Chinese (FS &) mode, never through python-escpos'
code-page encoder (which turns CJK into '?'). Receipts carry no resident name, phone or ID
number; free text is masked as a second line of defence.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Protocol
from zoneinfo import ZoneInfo

import qrcode
from escpos.constants import QR_ECLEVEL_M

from . import commands as cmd
from .text import display_width, encode, labelled, mask_personal, wrap

HALL_TZ = ZoneInfo("Asia/Shanghai")
CUT_FEED_LINES = 4  # lines fed before the cut so the last line clears the cutter
DOTS_PER_COLUMN = 12  # font A is 12x24 dots


class Printer(Protocol):
    """What the renderer needs from a python-escpos printer (Dummy, Network, Usb, ...)."""

    def _raw(self, msg: bytes) -> None: ...

    def qr(self, content: str, ec: int, size: int, native: bool) -> None: ...


class PaperWidth(Enum):
    """Roll width; value is millimetres."""

    MM58 = 58
    MM80 = 80

    @property
    def columns(self) -> int:
        """Font A columns: 32 on 58 mm, 48 on 80 mm."""
        return {58: 32, 80: 48}[self.value]

    @property
    def dots(self) -> int:
        return self.columns * DOTS_PER_COLUMN


@dataclass(frozen=True)
class TicketReceipt:
    """Queue ticket from the kiosk (取号凭条)."""

    hall_name: str
    number: str
    item_name: str
    people_ahead: int | None  # None: no window serves the item now, so no figure
    estimated_wait_minutes: int | None
    issued_at: datetime
    status_url: str
    windows: list[str] = field(default_factory=list)
    priority_label: str | None = None
    privacy_line: str = "请妥善保管本票，过号请重新取号"


@dataclass(frozen=True)
class GuideReceipt:
    """Materials guide for one service item (一次性告知 / 办事指南)."""

    hall_name: str
    item_name: str
    promised_days: int | None
    kind_label: str
    materials: list[str]
    conditions: list[str]
    fees: str
    supervision_phone: str


@dataclass(frozen=True)
class RefusalReceipt:
    """The reason a case is refused, printed for the resident (不予办理告知书)."""

    hall_name: str
    acceptance_number: str
    item_name: str
    reason: str
    window_name: str
    issued_on: date
    supervision_phone: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("reason: a refusal states its reason")


@dataclass(frozen=True)
class NoticeReceipt:
    """One-time notice of missing materials for an accepted case (一次性告知书)."""

    hall_name: str
    acceptance_number: str
    item_name: str
    missing_materials: list[str]
    window_name: str
    issued_on: date
    supervision_phone: str
    remarks: str = ""

    def __post_init__(self) -> None:
        if not self.missing_materials:
            raise ValueError("missing_materials: a one-time notice must list what is missing")


@dataclass(frozen=True)
class AcceptanceReceipt:
    """Acceptance receipt for a case accepted at the window (受理回执). The applicant's name and
    phone are given already masked (张*三, 138****1234); the ID number is never printed."""

    hall_name: str
    acceptance_number: str
    item_name: str
    accepted_at: datetime
    deadline: datetime | None  # None: an immediate item, finished on the spot
    window_name: str = ""
    applicant_name: str = ""
    applicant_phone: str = ""
    state_label: str = ""  # 办理中 / 已办结 ...
    supervision_phone: str = ""
    status_url: str = ""  # empty: no QR code
    query_line: str = "凭受理编号和手机号后4位可在查询机查询办理进度"


Receipt = TicketReceipt | GuideReceipt | NoticeReceipt


class _Writer:
    """Writes styled, wrapped lines, sending style commands only when the style changes."""

    def __init__(self, printer: Printer, paper: PaperWidth | int):
        self.printer = printer
        if isinstance(paper, PaperWidth):
            self.columns, self.dots = paper.columns, paper.dots
        else:
            self.columns, self.dots = int(paper), int(paper) * DOTS_PER_COLUMN
        self.align, self.size, self.bold = cmd.ALIGN_LEFT, (1, 1), False

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def start(self) -> None:
        self.raw(cmd.INIT + cmd.CHINESE_ON)
        self.align, self.size, self.bold = cmd.ALIGN_LEFT, (1, 1), False

    def style(
        self, align: bytes = cmd.ALIGN_LEFT, size: tuple[int, int] = (1, 1), bold: bool = False
    ) -> None:
        if align != self.align:
            self.raw(align)
        if size != self.size:
            self.raw(cmd.char_size(*size))
        if bold != self.bold:
            self.raw(cmd.BOLD_ON if bold else cmd.BOLD_OFF)
        self.align, self.size, self.bold = align, size, bold

    @property
    def width(self) -> int:
        """Columns available at the current character width."""
        return self.columns // self.size[0]

    def lines(self, lines: Sequence[str]) -> None:
        self.raw(b"".join(encode(line) + cmd.LF for line in lines))

    def para(self, text: str, **style) -> None:
        self.style(**style)
        self.lines(wrap(text, self.width))

    def field(self, label: str, value: str) -> None:
        self.style()
        self.lines(labelled(label, value, self.width))

    def numbered(self, items: Sequence[str]) -> None:
        self.style()
        for i, item in enumerate(items, 1):
            lead = f"{i}. "
            self.lines(wrap(item, self.width, indent=len(lead), lead=lead))

    def rule(self) -> None:
        self.style()
        self.lines(["-" * self.columns])

    def qr(self, content: str, box: int, native: bool) -> None:
        self.style(align=cmd.ALIGN_CENTER)
        if native:
            self.printer.qr(content, ec=QR_ECLEVEL_M, size=box, native=True)
        else:
            self.raw(qr_raster(content, box, self.dots))
        self.raw(cmd.LF)

    def finish(self) -> None:
        self.style()
        self.raw(cmd.CHINESE_OFF + cmd.feed_lines(CUT_FEED_LINES) + cmd.PARTIAL_CUT)


def qr_raster(content: str, box: int, dots: int) -> bytes:
    """QR code as a GS v 0 raster image centred on a `dots`-wide line (for printers without
    native QR support)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=2)
    code.add_data(content)
    code.make(fit=True)
    matrix = code.get_matrix()
    box = max(1, min(box, dots // len(matrix)))
    left = (dots - len(matrix) * box) // 2
    width_bytes = (dots + 7) // 8
    rows = []
    for modules in matrix:
        bits = 0
        for x, dark in enumerate(modules):
            if dark:
                bits |= ((1 << box) - 1) << (width_bytes * 8 - left - (x + 1) * box)
        rows.extend([bits.to_bytes(width_bytes, "big")] * box)
    return cmd.raster_image(width_bytes, len(rows), b"".join(rows))


def _big_number_size(number: str, columns: int, largest: int) -> tuple[int, int]:
    """Largest square scale (at least 2) at which the ticket number fits on one line."""
    width = max(1, display_width(number))
    for scale in range(largest, 2, -1):
        if width * scale <= columns:
            return scale, scale
    return 2, 2


def _wait_text(minutes: int) -> str:
    if minutes <= 0:
        return "即将叫号"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"约 {minutes} 分钟"
    return f"约 {hours} 小时" + (f" {minutes} 分钟" if minutes else "")


def _local(moment: datetime, tz: tzinfo) -> datetime:
    """Aware datetimes are shown in the hall's time zone; naive ones are taken as local."""
    return moment.astimezone(tz) if moment.tzinfo else moment


def _header(w: _Writer, hall_name: str, title: str | None = None) -> None:
    w.start()
    w.para(mask_personal(hall_name), align=cmd.ALIGN_CENTER, size=(1, 2), bold=True)
    if title:
        size = (2, 2) if display_width(title) * 2 <= w.columns else (1, 2)
        w.para(title, align=cmd.ALIGN_CENTER, size=size, bold=True)
    w.rule()


def render_ticket(
    printer: Printer,
    ticket: TicketReceipt,
    paper: PaperWidth | int = PaperWidth.MM58,
    *,
    native_qr: bool = True,
    tz: tzinfo = HALL_TZ,
) -> None:
    """Queue ticket: big number, item, people ahead, wait, time, windows, status QR."""
    w = _Writer(printer, paper)
    _header(w, ticket.hall_name)
    largest = 4 if w.columns < 48 else 6
    w.para(
        ticket.number,
        align=cmd.ALIGN_CENTER,
        size=_big_number_size(ticket.number, w.columns, largest),
        bold=True,
    )
    if ticket.priority_label:
        w.para(
            f"【{mask_personal(ticket.priority_label)}】",
            align=cmd.ALIGN_CENTER,
            size=(1, 2),
            bold=True,
        )
    w.field("办理事项：", mask_personal(ticket.item_name))
    if ticket.people_ahead is None or ticket.estimated_wait_minutes is None:
        w.field("前面等候：", "当前无窗口办理")
        w.field("预计等待：", "窗口开放后按顺序叫号")
    else:
        w.field("前面等候：", f"{max(0, ticket.people_ahead)} 人")
        w.field("预计等待：", _wait_text(ticket.estimated_wait_minutes))
    w.field("取号时间：", f"{_local(ticket.issued_at, tz):%Y-%m-%d %H:%M}")
    windows = "、".join(mask_personal(name) for name in ticket.windows) or "请留意叫号屏"
    w.field("办理窗口：", windows)
    if ticket.status_url:
        w.qr(ticket.status_url, box=6 if w.columns < 48 else 8, native=native_qr)
        w.para("扫码查看排队进度", align=cmd.ALIGN_CENTER)
    w.rule()
    w.para(mask_personal(ticket.privacy_line), align=cmd.ALIGN_CENTER)
    w.finish()


def render_guide(
    printer: Printer, guide: GuideReceipt, paper: PaperWidth | int = PaperWidth.MM58
) -> None:
    """Materials guide: item, kind, time limit, numbered materials and conditions, fees."""
    w = _Writer(printer, paper)
    _header(w, guide.hall_name, "一次性告知单")
    w.field("事项名称：", mask_personal(guide.item_name))
    w.field("事项类型：", guide.kind_label)
    limit = "当场办结" if guide.promised_days is None else f"{guide.promised_days} 个工作日"
    w.field("承诺时限：", limit)
    w.para("申请材料：", bold=True)
    w.numbered([mask_personal(m) for m in guide.materials] or ["无"])
    w.para("办理条件：", bold=True)
    w.numbered([mask_personal(c) for c in guide.conditions] or ["无"])
    w.field("收费标准：", mask_personal(guide.fees) or "不收费")
    w.field("监督电话：", guide.supervision_phone)
    w.rule()
    w.para("请按清单一次性备齐材料", align=cmd.ALIGN_CENTER)
    w.finish()


def render_notice(
    printer: Printer, notice: NoticeReceipt, paper: PaperWidth | int = PaperWidth.MM58
) -> None:
    """One-time notice listing every missing material of an accepted case."""
    w = _Writer(printer, paper)
    _header(w, notice.hall_name, "一次性告知书")
    w.field("受理编号：", notice.acceptance_number)
    w.field("办理事项：", mask_personal(notice.item_name))
    w.para("您申请办理的上述事项尚需补正以下材料，请补齐后到原窗口办理：")
    w.numbered([mask_personal(m) for m in notice.missing_materials])
    if notice.remarks:
        w.field("备注：", mask_personal(notice.remarks))
    w.field("经办窗口：", mask_personal(notice.window_name))
    d = notice.issued_on
    w.field("告知日期：", f"{d.year}年{d.month}月{d.day}日")
    w.field("监督电话：", notice.supervision_phone)
    w.rule()
    w.para("已一次性告知需补正的全部材料", align=cmd.ALIGN_CENTER)
    w.finish()


def render_refusal(
    printer: Printer, refusal: RefusalReceipt, paper: PaperWidth | int = PaperWidth.MM58
) -> None:
    """不予办理告知书: the matter cannot be handled, and why (明确拒办, never silently)."""
    w = _Writer(printer, paper)
    _header(w, refusal.hall_name, "不予办理告知书")
    w.field("受理编号：", refusal.acceptance_number)
    w.field("办理事项：", mask_personal(refusal.item_name))
    w.para("经审查，您申请办理的上述事项不予办理，理由如下：")
    w.para(mask_personal(refusal.reason))
    w.para("如有异议，可向大厅负责人反映或拨打监督电话。")
    w.field("经办窗口：", mask_personal(refusal.window_name))
    d = refusal.issued_on
    w.field("告知日期：", f"{d.year}年{d.month}月{d.day}日")
    w.field("监督电话：", refusal.supervision_phone)
    w.finish()


def render_acceptance(
    printer: Printer,
    receipt: AcceptanceReceipt,
    paper: PaperWidth | int = PaperWidth.MM58,
    *,
    native_qr: bool = True,
    tz: tzinfo = HALL_TZ,
) -> None:
    """受理回执: acceptance number (large), item, masked applicant, times, status QR if known."""
    w = _Writer(printer, paper)
    _header(w, receipt.hall_name, "受理回执")
    w.field("受理编号：", receipt.acceptance_number)
    w.field("办理事项：", mask_personal(receipt.item_name))
    if receipt.applicant_name:
        w.field("申请人：", mask_personal(receipt.applicant_name))
    if receipt.applicant_phone:
        w.field("联系电话：", mask_personal(receipt.applicant_phone))
    w.field("受理时间：", f"{_local(receipt.accepted_at, tz):%Y-%m-%d %H:%M}")
    if receipt.deadline is None:
        w.field("承诺时限：", "当场办结")
    else:
        w.para("承诺办结时间：", bold=True)
        w.para(f"{_local(receipt.deadline, tz):%Y-%m-%d %H:%M}", size=(1, 2), bold=True)
    if receipt.state_label:
        w.field("办理状态：", mask_personal(receipt.state_label))
    if receipt.window_name:
        w.field("受理窗口：", mask_personal(receipt.window_name))
    if receipt.supervision_phone:
        w.field("监督电话：", receipt.supervision_phone)
    if receipt.status_url:
        w.qr(receipt.status_url, box=6 if w.columns < 48 else 8, native=native_qr)
        w.para("扫码查看办理进度", align=cmd.ALIGN_CENTER)
    w.rule()
    w.para(mask_personal(receipt.query_line), align=cmd.ALIGN_CENTER)
    w.finish()


def render(printer: Printer, receipt: Receipt, paper: PaperWidth | int = PaperWidth.MM58) -> None:
    """Render any receipt type onto `printer`."""
    if isinstance(receipt, TicketReceipt):
        render_ticket(printer, receipt, paper)
    elif isinstance(receipt, GuideReceipt):
        render_guide(printer, receipt, paper)
    elif isinstance(receipt, NoticeReceipt):
        render_notice(printer, receipt, paper)
    else:
        raise TypeError(f"not a receipt: {type(receipt).__name__}")
