"""Look of the counter: large readable type on a desk monitor (1366x768 and up), calm colours,
red only for trouble."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from clientlib.widgets import FONT_FAMILIES

INK = "#13263a"
MUTED = "#4a5d70"
BLUE = "#0b4f9c"
BLUE_DARK = "#083a73"
GREEN = "#17663a"
AMBER = "#8a5a00"
RED = "#a61b12"
PAPER = "#eef1f5"
CARD = "#ffffff"
LINE = "#c9d3de"
ARROW = (Path(__file__).with_name("arrow-down.svg")).as_posix()
# Case warning colours (红橙黄绿), suspended (clock stopped), none: (background, text)
COLOURS = {
    "red": (RED, "#ffffff"),
    "orange": ("#c2410c", "#ffffff"),
    "yellow": ("#f2c200", INK),
    "green": (GREEN, "#ffffff"),
    "suspended": ("#5b6b7b", "#ffffff"),
    "none": ("#e8edf3", MUTED),
}

STYLE = f"""
QWidget#counterRoot {{ background: {PAPER}; }}
QWidget {{ color: {INK}; font-size: 19px; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: 22px; font-weight: 700; }}
QLabel[role="muted"] {{ color: {MUTED}; font-size: 16px; }}
QLabel[role="error"] {{ color: {RED}; font-weight: 700; padding-top: 2px; }}
QLabel[role="info"] {{ color: {BLUE_DARK}; }}
QLabel[role="handover"] {{ background: #fff4de; border: 2px solid {AMBER}; border-radius: 8px;
    padding: 10px 14px; color: #5c3d00; font-weight: 600; }}

QWidget#header {{ background: {BLUE_DARK}; }}
QWidget#header QLabel {{ color: white; }}
QLabel#windowTitle {{ font-size: 26px; font-weight: 800; }}
QLabel#clerkName {{ font-size: 20px; }}
QLabel#stateChip {{ border-radius: 14px; padding: 3px 14px; font-size: 18px; font-weight: 700;
    background: {GREEN}; }}
QLabel#stateChip[state="paused"] {{ background: {AMBER}; }}
QLabel#stateChip[state="closed"] {{ background: #5b6b7b; }}
QWidget#header QPushButton {{ background: transparent; color: white; border: 2px solid #c9d8ea;
    min-height: 34px; padding: 2px 16px; font-size: 18px; }}
QWidget#header QPushButton:disabled {{ color: #8fa6c2; border-color: #4d6d94; background: transparent; }}
QPushButton[lines="two"] {{ padding: 0; min-height: 44px; }}
QPushButton[lines="two"] QLabel {{ background: transparent; }}
QPushButton[lines="two"] QLabel[part="first"] {{ font-size: 18px; font-weight: 700; }}
QPushButton[lines="two"] QLabel[part="second"] {{ font-size: 14px; color: {MUTED}; }}
QPushButton[lines="two"] QLabel:disabled {{ color: #8b97a3; }}
QWidget#header QPushButton QLabel[part="second"] {{ color: #dbe6f3; }}
QPushButton[role="primary"] QLabel[part="first"] {{ color: white; }}
QPushButton[role="primary"] QLabel[part="second"] {{ color: #dbe6f3; }}
QWidget#header QPushButton QLabel:disabled {{ color: #8fa6c2; }}

QWidget#connectionBar {{ background: {RED}; }}
QWidget#connectionBar QLabel {{ color: white; font-size: 21px; font-weight: 800; }}
QWidget#messageBar {{ background: #ffe9a8; border-bottom: 2px solid {AMBER}; }}
QWidget#messageBar QLabel {{ color: #3d2a00; font-size: 20px; font-weight: 700; }}
QWidget#connectionBar QPushButton, QWidget#messageBar QPushButton {{ min-height: 30px;
    padding: 2px 18px; font-size: 18px; border-radius: 6px; }}

QWidget#header QLabel#notice {{ border-radius: 6px; padding: 2px 10px; font-size: 18px;
    font-weight: 700; }}
QWidget#header QLabel#notice[level="ok"] {{ background: #dff3e5; color: {GREEN}; }}
QWidget#header QLabel#notice[level="info"] {{ background: #e6eef9; color: {BLUE_DARK}; }}
QWidget#header QLabel#notice[level="error"] {{ background: #fde3e0; color: {RED}; }}

QFrame[role="card"] {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 10px; }}
QFrame[role="card"] QLabel {{ border: none; }}
QLabel#ticketNumber {{ font-size: 84px; font-weight: 800; color: {BLUE_DARK}; }}
QLabel#itemName {{ font-size: 26px; font-weight: 700; }}
QLabel#itemSecondary {{ font-size: 16px; color: {MUTED}; }}
QLabel#facts {{ font-size: 18px; }}
QLabel#priority {{ border-radius: 6px; padding: 2px 10px; font-size: 18px; font-weight: 700;
    background: #e8edf3; color: {INK}; }}
QLabel#priority[priority="green"] {{ background: #dff3e5; color: {GREEN}; }}
QLabel#priority[priority="appointment"] {{ background: #e3ecfa; color: {BLUE_DARK}; }}
QLabel#idleText {{ font-size: 24px; color: {MUTED}; }}
QLabel#lineSummary {{ font-size: 21px; font-weight: 700; color: {BLUE_DARK}; }}

QCheckBox {{ font-size: 19px; spacing: 10px; padding: 1px 0; }}
QCheckBox::indicator {{ width: 24px; height: 24px; }}

QTableWidget {{ background: {CARD}; border: none; gridline-color: #e3e8ee; font-size: 18px; }}
QHeaderView::section {{ background: #f3f6f9; border: none; border-bottom: 1px solid {LINE};
    padding: 4px 6px; font-size: 16px; color: {MUTED}; }}

QPushButton {{ background: white; color: {INK}; border: 2px solid #7d93ab; border-radius: 8px;
    min-height: 40px; padding: 4px 16px; font-size: 19px; font-weight: 600; }}
QPushButton:hover {{ border-color: {BLUE}; }}
QPushButton:pressed {{ background: #d6e4f5; }}
QPushButton:disabled {{ background: #e9edf1; color: #8b97a3; border-color: #c5ced7; }}
QPushButton[role="primary"] {{ background: {BLUE}; color: white; border: none; font-weight: 800; }}
QPushButton[role="primary"]:disabled {{ background: #8aa5c6; color: #eef2f7; }}
QPushButton[role="action"] {{ padding: 2px 4px; min-height: 76px; }}
QPushButton[role="action"] QLabel {{ background: transparent; }}
QPushButton[role="action"] QLabel:disabled {{ color: #8b97a3; }}
QLabel[part="key"] {{ font-size: 15px; font-weight: 800; color: {BLUE}; }}
QLabel[part="title"] {{ font-size: 22px; font-weight: 800; }}
QLabel[part="subtitle"] {{ font-size: 14px; color: {MUTED}; }}
QPushButton[role="action"][accent="true"] {{ background: {BLUE}; border: none; }}
QPushButton[role="action"][accent="true"] QLabel {{ color: white; }}
QPushButton[role="action"][accent="true"]:disabled {{ background: #8aa5c6; }}
QPushButton[role="hook"] {{ min-height: 40px; font-size: 18px; }}

QLineEdit, QComboBox {{ background: white; border: 2px solid #9aabbd; border-radius: 6px;
    min-height: 40px; padding: 2px 10px; font-size: 20px; }}
QLineEdit:focus, QComboBox:focus {{ border-color: {BLUE}; }}
QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right; width: 34px;
    border: none; border-left: 1px solid #c9d3de; }}
QComboBox::down-arrow {{ image: url({ARROW}); width: 16px; height: 10px; }}
QScrollBar:vertical {{ width: 14px; background: #e3e8ee; border-radius: 7px; margin: 0; }}
QScrollBar::handle:vertical {{ background: #8b9cb0; border-radius: 7px; min-height: 40px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
QComboBox QAbstractItemView {{ font-size: 19px; }}
QRadioButton {{ font-size: 20px; spacing: 10px; padding: 4px 0; }}
QRadioButton::indicator {{ width: 22px; height: 22px; }}

QPushButton[role="danger"] {{ background: {RED}; color: white; border: none; font-weight: 800; }}
QPushButton[role="danger"]:disabled {{ background: #d9a5a0; color: #fbeeee; }}
QPushButton[role="caseAction"] {{ min-height: 52px; font-size: 21px; font-weight: 800; }}
QWidget#header QPushButton#myCases {{ font-weight: 800; }}

QFrame#caseBadge {{ background: #f3f7fc; border: 1px solid {LINE}; border-left: 8px solid #8b9cb0;
    border-radius: 8px; }}
QFrame#caseBadge[colour="green"] {{ border-left-color: {GREEN}; }}
QFrame#caseBadge[colour="yellow"] {{ border-left-color: #f2c200; }}
QFrame#caseBadge[colour="orange"] {{ border-left-color: #c2410c; }}
QFrame#caseBadge[colour="red"] {{ border-left-color: {RED}; }}
QLabel#caseNumber {{ font-size: 22px; font-weight: 800; color: {BLUE_DARK}; }}
QLabel#caseDeadline {{ font-size: 20px; font-weight: 700; }}
QLabel#caseState {{ font-size: 18px; color: {MUTED}; }}
QLabel#formHint {{ font-size: 18px; }}
QLabel#caseCounts {{ font-size: 19px; font-weight: 700; color: {BLUE_DARK}; }}
QLabel#caseDetails {{ font-size: 20px; }}
QTableWidget#casesTable::item {{ padding: 2px 8px; }}
QTableWidget#casesTable::item:selected {{ background: #cfe0f5; color: {INK}; }}

QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
"""


def counter_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(19)
    return font


def apply_theme(app: QApplication) -> None:
    """App-wide font: Noto Sans CJK SC first, then other CJK fonts, so nothing shows as tofu."""
    app.setFont(counter_font())
