import dataclasses
from datetime import UTC, date, datetime

import pytest
from escpos.printer import Dummy

from clientlib.printing.receipts import (
    GuideReceipt,
    NoticeReceipt,
    PaperWidth,
    TicketReceipt,
    render,
    render_guide,
    render_notice,
    render_ticket,
)

from .escpos_stream import columns, printed_lines

# ESC/POS commands, spelled out from the specification
ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
CHINESE_ON, CHINESE_OFF = FS + b"&", FS + b"."
LEFT, CENTER = ESC + b"a\x00", ESC + b"a\x01"
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
NORMAL, TALL = GS + b"!\x00", GS + b"!\x01"  # 1x1, 1x2
QUAD, SIX = GS + b"!\x33", GS + b"!\x55"  # 4x4, 6x6
FEED4_PARTIAL_CUT = ESC + b"d\x04" + GS + b"V\x01"


def gb(text: str) -> bytes:
    return text.encode("gb18030")


def qr_native(data: bytes, module: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store data, print."""
    store_len = (len(data) + 3).to_bytes(2, "little")
    return (
        GS + b"(k\x04\x00" + b"1A2\x00"
        + GS + b"(k\x03\x00" + b"1C" + bytes([module])
        + GS + b"(k\x03\x00" + b"1E1"
        + GS + b"(k" + store_len + b"1P0" + data
        + GS + b"(k\x03\x00" + b"1Q0"
    )  # fmt: skip


SMALL_TICKET = TicketReceipt(
    hall_name="便民服务中心",
    number="A012",
    item_name="户籍证明",
    people_ahead=2,
    estimated_wait_minutes=10,
    issued_at=datetime(2024, 5, 6, 9, 30),
    status_url="https://q.example.cn/A012",
    windows=["3号窗口"],
    priority_label=None,
    privacy_line="请妥善保管本票",
)


@pytest.mark.parametrize(
    ("paper", "rule", "number_size", "qr_module"),
    [(PaperWidth.MM58, b"-" * 32, QUAD, 6), (PaperWidth.MM80, b"-" * 48, SIX, 8)],
)
def test_small_ticket_exact_bytes(paper, rule, number_size, qr_module):
    printer = Dummy()
    render_ticket(printer, SMALL_TICKET, paper)
    expected = (
        INIT + CHINESE_ON
        + CENTER + TALL + BOLD_ON
        + b"\xb1\xe3\xc3\xf1\xb7\xfe\xce\xf1\xd6\xd0\xd0\xc4" + LF  # 便民服务中心
        + LEFT + NORMAL + BOLD_OFF + rule + LF
        + CENTER + number_size + BOLD_ON + b"A012" + LF
        + LEFT + NORMAL + BOLD_OFF
        + gb("办理事项：户籍证明") + LF
        + gb("前面等候：2 人") + LF
        + gb("预计等待：约 10 分钟") + LF
        + gb("取号时间：2024-05-06 09:30") + LF
        + gb("办理窗口：3号窗口") + LF
        + CENTER + qr_native(b"https://q.example.cn/A012", qr_module) + LF
        + gb("扫码查看排队进度") + LF
        + LEFT + rule + LF
        + CENTER + gb("请妥善保管本票") + LF
        + LEFT + CHINESE_OFF + FEED4_PARTIAL_CUT
    )  # fmt: skip
    assert printer.output == expected


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_small_notice_exact_bytes(paper):
    notice = NoticeReceipt(
        hall_name="便民服务中心",
        acceptance_number="SL2024050601",
        item_name="低保申请",
        missing_materials=["户口簿"],
        window_name="3号窗口",
        issued_on=date(2024, 5, 6),
        supervision_phone="12345",
    )
    rule = b"-" * paper.columns
    printer = Dummy()
    render_notice(printer, notice, paper)
    request = "您申请办理的上述事项尚需补正以下材料，请补齐后到原窗口办理："
    body = [  # wrapped by hand: 32 or 48 columns
        ["您申请办理的上述事项尚需补正以下", "材料，请补齐后到原窗口办理："],
        ["您申请办理的上述事项尚需补正以下材料，请补齐后到", "原窗口办理："],
    ][paper is PaperWidth.MM80]
    assert "".join(body) == request
    expected = (
        INIT + CHINESE_ON
        + CENTER + TALL + BOLD_ON + gb("便民服务中心") + LF
        + GS + b"!\x11" + gb("一次性告知书") + LF  # 2x2
        + LEFT + NORMAL + BOLD_OFF + rule + LF
        + gb("受理编号：SL2024050601") + LF
        + gb("办理事项：低保申请") + LF
        + b"".join(gb(line) + LF for line in body)
        + gb("1. 户口簿") + LF
        + gb("经办窗口：3号窗口") + LF
        + gb("告知日期：2024年5月6日") + LF
        + gb("监督电话：12345") + LF
        + rule + LF
        + CENTER + gb("已一次性告知需补正的全部材料") + LF
        + LEFT + CHINESE_OFF + FEED4_PARTIAL_CUT
    )  # fmt: skip
    assert printer.output == expected


RARE_GUIDE = GuideReceipt(
    hall_name="喆堃街道社会管理服务中心（一站式服务大厅）",
    item_name="最低生活保障申请（䶮𠮷社区）",
    promised_days=20,
    kind_label="承诺件",
    materials=[
        "居民身份证、户口簿（家庭成员均需提供，含堃、喆、䶮、𠮷等生僻字姓名的请核对户籍登记）",
        "家庭收入证明（近六个月，由工作单位或村（社区）出具）",
        "申请表",
    ],
    conditions=["具有本地户籍，家庭人均收入低于当地最低生活保障标准"],
    fees="不收费",
    supervision_phone="0571-12345678",
)


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_rare_characters_print_as_gb18030_never_question_marks(paper):
    printer = Dummy()
    render_guide(printer, RARE_GUIDE, paper)
    out = printer.output
    for raw in (b"\x88\xd2", b"\x86\xb4", b"\xfe\x9f", b"\x95\x34\xb2\x35"):  # 堃 喆 䶮 𠮷
        assert raw in out
    assert b"?" not in out
    text = "".join(line.text for line in printed_lines(out))
    for char in "堃喆䶮𠮷":
        assert char in text


def all_receipts():
    ticket = dataclasses.replace(
        SMALL_TICKET,
        hall_name=RARE_GUIDE.hall_name,
        item_name="残疾人两项补贴（困难残疾人生活补贴和重度残疾人护理补贴）申领",
        windows=[f"{i}号综合窗口" for i in range(1, 9)],
        priority_label="绿色通道（70岁以上老人、残疾人、孕妇、军人优先）",
        privacy_line="请妥善保管本票，过号请重新取号。本票不含您的姓名、电话和身份证号。",
        status_url="https://hall.example.gov.cn/queue/status?ticket=A012&token=" + "x" * 60,
    )
    notice = NoticeReceipt(
        hall_name=RARE_GUIDE.hall_name,
        acceptance_number="SL-330106-20240506-000123-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        item_name=RARE_GUIDE.item_name,
        missing_materials=RARE_GUIDE.materials,
        window_name="3号窗口（民政、残联综合受理）",
        issued_on=date(2024, 5, 6),
        supervision_phone="0571-12345678",
        remarks="补正期间办理时限暂停计算，材料齐全后恢复计时。",
    )
    return [ticket, RARE_GUIDE, notice]


@pytest.mark.parametrize("paper", list(PaperWidth))
@pytest.mark.parametrize("receipt", all_receipts(), ids=["ticket", "guide", "notice"])
def test_no_printed_line_exceeds_paper_width(receipt, paper):
    printer = Dummy()
    render(printer, receipt, paper)
    lines = printed_lines(printer.output)
    assert len(lines) > 10
    for line in lines:
        assert columns(line.text) * line.scale <= paper.columns, line
    assert printer.output.endswith(CHINESE_OFF + FEED4_PARTIAL_CUT)


def test_ticket_converts_aware_time_to_hall_time_and_formats_waits():
    ticket = dataclasses.replace(
        SMALL_TICKET,
        issued_at=datetime(2024, 5, 6, 1, 30, tzinfo=UTC),
        estimated_wait_minutes=75,
    )
    printer = Dummy()
    render_ticket(printer, ticket)
    assert gb("取号时间：2024-05-06 09:30") in printer.output
    assert gb("预计等待：约 1 小时 15 分钟") in printer.output
    printer = Dummy()
    render_ticket(printer, dataclasses.replace(ticket, estimated_wait_minutes=0, windows=[]))
    assert gb("预计等待：即将叫号") in printer.output
    assert gb("办理窗口：请留意叫号屏") in printer.output


def test_ticket_priority_label_is_printed_tall_and_bold():
    printer = Dummy()
    render_ticket(printer, dataclasses.replace(SMALL_TICKET, priority_label="绿色通道"))
    assert TALL + gb("【绿色通道】") + LF in printer.output


def test_ticket_number_shrinks_to_fit_but_stays_at_least_double():
    printer = Dummy()
    render_ticket(printer, dataclasses.replace(SMALL_TICKET, number="A01234567"))
    assert GS + b"!\x22" + BOLD_ON + b"A01234567" + LF in printer.output  # 9 x 3 <= 32
    printer = Dummy()
    render_ticket(printer, dataclasses.replace(SMALL_TICKET, number="A0123456789"))
    assert GS + b"!\x11" + BOLD_ON + b"A0123456789" + LF in printer.output  # 11 x 3 > 32


def test_receipts_never_print_resident_identifiers():
    fields = {
        f.name
        for cls in (TicketReceipt, GuideReceipt, NoticeReceipt)
        for f in dataclasses.fields(cls)
    }
    assert not fields & {"name", "resident_name", "phone", "mobile", "id_number", "id_card"}
    leaky = dataclasses.replace(SMALL_TICKET, item_name="代办 张三 13812345678 110101199003071234")
    printer = Dummy()
    render_ticket(printer, leaky)
    assert b"13812345678" not in printer.output
    assert b"110101199003071234" not in printer.output
    assert gb("138****5678") in printer.output


def test_control_characters_in_data_cannot_inject_commands():
    printer = Dummy()
    render_ticket(printer, dataclasses.replace(SMALL_TICKET, item_name="户籍\x1dV\x00证明\x1b@"))
    assert printer.output.count(GS + b"V") == 1  # only the final cut
    assert printer.output.count(INIT) == 1
    printed_lines(printer.output)  # and the stream still parses


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_image_qr_is_a_centred_raster_for_printers_without_native_qr(paper):
    printer = Dummy()
    render_ticket(printer, SMALL_TICKET, paper, native_qr=False)
    out = printer.output
    assert GS + b"(k" not in out
    start = out.index(GS + b"v0\x00")
    width_bytes = int.from_bytes(out[start + 4 : start + 6], "little")
    height = int.from_bytes(out[start + 6 : start + 8], "little")
    assert width_bytes * 8 == paper.dots
    rows = [
        out[start + 8 + r * width_bytes : start + 8 + (r + 1) * width_bytes] for r in range(height)
    ]
    bits = ["".join(f"{byte:08b}" for byte in row) for row in rows]
    dark = [row for row in bits if "1" in row]
    left = min(row.index("1") for row in dark)
    right = paper.dots - 1 - max(row.rindex("1") for row in dark)
    assert abs(left - right) <= 1 and left > 0  # centred, with a quiet zone
    assert height % 6 == 0 or height % 8 == 0  # whole modules
    printed_lines(out)


def test_columns_as_int_and_unknown_receipt_type():
    printer = Dummy()
    render(printer, RARE_GUIDE, 42)
    assert all(columns(line.text) * line.scale <= 42 for line in printed_lines(printer.output))
    with pytest.raises(TypeError):
        render(Dummy(), object())  # type: ignore[arg-type]


def test_notice_requires_missing_materials():
    with pytest.raises(ValueError, match="missing_materials"):
        NoticeReceipt("大厅", "SL1", "事项", [], "1号窗口", date(2024, 5, 6), "12345")


def test_refusal_notice_states_the_reason_and_masks_personal_data():
    from clientlib.printing import RefusalReceipt, render_refusal

    refusal = RefusalReceipt(
        hall_name="便民服务中心",
        acceptance_number="QINGSHAN-20261129-0003",
        item_name="最低生活保障申请",
        reason="家庭人均收入高于当地低保标准（申请人电话13812341234）",
        window_name="3号窗口",
        issued_on=date(2026, 11, 29),
        supervision_phone="12345",
    )
    printer = Dummy()
    render_refusal(printer, refusal, PaperWidth.MM80)
    text = printer.output.decode("gb18030", errors="replace")
    assert "不予办理告知书" in text and "QINGSHAN-20261129-0003" in text
    assert "家庭人均收入高于当地低保标准" in text and "13812341234" not in text
    assert "138****1234" in text and "告知日期：2026年11月29日" in text
    with pytest.raises(ValueError, match="reason"):
        RefusalReceipt("h", "n", "i", "  ", "w", date(2026, 11, 29), "1")
