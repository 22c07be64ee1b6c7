"""The acceptance receipt (受理回执) printed at the counter: exact bytes for a small one, widths,
hall-local times, the QR only when a status link is known, and no unmasked identifiers."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from escpos.printer import Dummy

from clientlib.printing.receipts import AcceptanceReceipt, PaperWidth, render_acceptance

from .escpos_stream import columns, printed_lines
from .test_receipts import (
    BOLD_OFF,
    BOLD_ON,
    CENTER,
    CHINESE_OFF,
    CHINESE_ON,
    FEED4_PARTIAL_CUT,
    GS,
    INIT,
    LEFT,
    LF,
    NORMAL,
    TALL,
    gb,
    qr_native,
)

HALL = timezone(timedelta(hours=8))
SMALL = AcceptanceReceipt(
    hall_name="便民服务中心",
    acceptance_number="QINGSHAN-20240506-0001",
    item_name="低保申请",
    accepted_at=datetime(2024, 5, 6, 1, 30, tzinfo=UTC),  # 09:30 in the hall
    deadline=datetime(2024, 6, 3, 17, 30, tzinfo=HALL),
    applicant_name="张*三",
    applicant_phone="138****1234",
)


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_small_acceptance_receipt_exact_bytes(paper):
    printer = Dummy()
    render_acceptance(printer, SMALL, paper)
    rule = b"-" * paper.columns
    query = "凭受理编号和手机号后4位可在查询机查询办理进度"
    wrapped = [
        ["凭受理编号和手机号后4位可在查询", "机查询办理进度"],
        [query],
    ][paper is PaperWidth.MM80]
    assert "".join(wrapped) == query
    expected = (
        INIT + CHINESE_ON
        + CENTER + TALL + BOLD_ON + gb("便民服务中心") + LF
        + GS + b"!\x11" + gb("受理回执") + LF  # 2x2
        + LEFT + NORMAL + BOLD_OFF + rule + LF
        + gb("受理编号：QINGSHAN-20240506-0001") + LF
        + gb("办理事项：低保申请") + LF
        + gb("申请人：张*三") + LF
        + gb("联系电话：138****1234") + LF
        + gb("受理时间：2024-05-06 09:30") + LF
        + BOLD_ON + gb("承诺办结时间：") + LF
        + TALL + gb("2024-06-03 17:30") + LF
        + NORMAL + BOLD_OFF + rule + LF
        + CENTER + b"".join(gb(line) + LF for line in wrapped)
        + LEFT + CHINESE_OFF + FEED4_PARTIAL_CUT
    )  # fmt: skip
    assert printer.output == expected


def test_immediate_item_says_finished_on_the_spot_and_the_qr_comes_with_a_link():
    receipt = dataclasses.replace(
        SMALL,
        deadline=None,
        state_label="已办结",
        window_name="2号窗口",
        supervision_phone="12345",
        status_url="http://hall.example/t/abc",
    )
    printer = Dummy()
    render_acceptance(printer, receipt, PaperWidth.MM80)
    out = printer.output
    assert gb("承诺时限：当场办结") in out and gb("承诺办结时间") not in out
    assert gb("办理状态：已办结") in out and gb("受理窗口：2号窗口") in out
    assert CENTER + qr_native(b"http://hall.example/t/abc", 8) + LF in out
    assert gb("扫码查看办理进度") in out
    no_link = Dummy()
    render_acceptance(no_link, dataclasses.replace(receipt, status_url=""), PaperWidth.MM80)
    assert GS + b"(k" not in no_link.output and gb("扫码") not in no_link.output


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_long_values_wrap_within_the_paper(paper):
    receipt = dataclasses.replace(
        SMALL,
        hall_name="喆堃街道社会管理服务中心（一站式服务大厅）",
        acceptance_number="QINGSHAN-20240506-0001-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        item_name="残疾人两项补贴（困难残疾人生活补贴和重度残疾人护理补贴）申领",
        window_name="3号窗口（民政、残联综合受理）",
        state_label="办理中",
        supervision_phone="0571-12345678",
        status_url="https://hall.example.gov.cn/t/" + "x" * 60,
    )
    printer = Dummy()
    render_acceptance(printer, receipt, paper, native_qr=False)
    lines = printed_lines(printer.output)
    assert len(lines) > 10
    for line in lines:
        assert columns(line.text) * line.scale <= paper.columns, line


def test_no_unmasked_identifier_reaches_the_paper():
    leaky = dataclasses.replace(
        SMALL, applicant_phone="13812345678", item_name="代办 110101199003071234"
    )
    printer = Dummy()
    render_acceptance(printer, leaky)
    assert b"13812345678" not in printer.output
    assert b"110101199003071234" not in printer.output
    assert gb("138****5678") in printer.output
    fields = {f.name for f in dataclasses.fields(AcceptanceReceipt)}
    assert not fields & {"id_number", "id_card", "phone", "name"}
