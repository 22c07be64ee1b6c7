"""Look of the kiosk: big type, high contrast, touch targets of at least 96 px."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from clientlib.widgets import FONT_FAMILIES, set_prop

# Uyghur's Arabic script (Debian fonts-noto-core: Noto Sans Arabic, Noto Naskh Arabic;
# fonts-ukij-uyghur: UKIJ Tuz). First in a right-to-left language; otherwise only on the
# language buttons (ئۇيغۇرچە): in the app-wide list their taller lines would cost every
# Chinese and English screen height.
ARABIC_FAMILIES = ["Noto Sans Arabic", "Noto Naskh Arabic", "UKIJ Tuz"]
TARGET = 96  # smallest touch target, px

INK = "#0b1f33"
BLUE = "#0b4f9c"
BLUE_DARK = "#083a73"
GREEN = "#17663a"
RED = "#a61b12"
ORANGE = "#9a4a00"
PAPER = "#f2f4f7"

STYLE = f"""
QWidget#kioskRoot {{ background: {PAPER}; }}
QWidget {{ color: {INK}; font-size: 34px; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: 50px; font-weight: 700; }}
QLabel[role="subtitle"] {{ font-size: 32px; color: #33475b; }}
QLabel#confirmTitle {{ font-size: 42px; font-weight: 700; color: {INK}; }}
QLabel[role="big"] {{ font-size: 40px; font-weight: 700; color: {BLUE}; }}
QLabel[role="hint"] {{ font-size: 30px; color: #33475b; }}
QLabel[role="banner"] {{ background: #e3f4e8; border: 3px solid {GREEN}; border-radius: 14px;
    padding: 14px 20px; font-size: 34px; font-weight: 700; color: {GREEN}; }}
QLabel[role="notice"] {{ background: #fdecea; border: 4px solid {RED}; border-radius: 14px;
    padding: 16px 20px; font-size: 36px; font-weight: 700; color: {RED}; }}
QLabel[role="ok"] {{ background: #e3f4e8; border: 3px solid {GREEN}; border-radius: 14px;
    padding: 14px 20px; font-size: 34px; color: {GREEN}; }}
QLabel[role="info"] {{ background: #e8f0fa; border: 3px solid {BLUE}; border-radius: 14px;
    padding: 14px 20px; font-size: 34px; color: {BLUE_DARK}; }}
QLabel#ticketNumber {{ font-size: 230px; font-weight: 800; color: {BLUE_DARK}; }}
QLabel#offlineTitle {{ font-size: 110px; font-weight: 800; color: {RED}; }}
QLabel#offlineTitle[connecting="true"] {{ color: {BLUE}; }}
QLabel[role="display"] {{ background: white; border: 4px solid {BLUE}; border-radius: 14px;
    font-size: 64px; font-weight: 700; letter-spacing: 6px; padding: 6px 24px; }}
QLabel#caseDisplay {{ background: white; border: 4px solid {BLUE}; border-radius: 14px;
    font-size: 60px; font-weight: 700; letter-spacing: 2px; padding: 10px 12px; }}
QLabel#caseDisplay[narrow="true"] {{ font-size: 52px; letter-spacing: 0px; }}
QLabel[role="summary"] {{ font-size: 36px; font-weight: 700; }}
QLabel#caseFieldLabel {{ font-size: 36px; font-weight: 700; }}
QLabel[box] {{ background: white; border: 3px solid #aab4be; border-radius: 14px;
    font-size: 76px; font-weight: 800; }}
QLabel[box="next"] {{ border: 6px solid {BLUE}; background: #e8f0fa; }}
QLabel[box="filled"] {{ border: 4px solid {BLUE}; }}
QLabel#caseProgress {{ font-size: 36px; font-weight: 700; color: {BLUE}; }}
QLabel#caseState {{ font-size: 72px; font-weight: 800; border-radius: 18px; padding: 18px;
    color: white; background: {BLUE}; }}
QLabel#caseState[state="suspended"] {{ background: {ORANGE}; }}
QLabel#caseState[state="finished"] {{ background: {GREEN}; }}
QLabel#caseState[state="refused"] {{ background: {RED}; }}
QLabel#caseWording {{ font-size: 40px; font-weight: 600; }}
QLabel[role="section"] {{ font-size: 40px; font-weight: 700; color: {BLUE}; }}
QLabel#idleCountdown {{ background: {ORANGE}; color: white; border: 4px solid white;
    border-radius: 18px; padding: 18px 24px; font-size: 44px; font-weight: 800; }}
QLabel#scrollHint {{ background: rgba(8, 58, 115, 215); color: white; border-radius: 14px;
    padding: 8px 20px; font-size: 32px; font-weight: 700; }}

QWidget#topBar {{ background: {BLUE_DARK}; }}
QWidget#topBar QLabel {{ color: white; font-size: 40px; font-weight: 700; }}
QWidget#topBar QPushButton {{ background: transparent; color: white; border: 3px solid white;
    font-size: 34px; font-weight: 700; min-width: 110px; padding: 6px 18px; }}
QWidget#topBar QPushButton:pressed {{ background: {BLUE}; }}
QWidget#languageBackdrop {{ background: rgba(11, 31, 51, 150); }}
QWidget#languagePanel {{ background: {PAPER}; border: 4px solid {BLUE_DARK};
    border-top: none; border-bottom-left-radius: 18px; border-bottom-right-radius: 18px; }}
QWidget#languagePanel QPushButton[current="true"] {{ background: {BLUE}; color: white;
    border: none; }}

QPushButton {{ background: white; color: {INK}; border: 3px solid #3d5a80; border-radius: 16px;
    min-height: {TARGET}px; padding: 6px 22px; font-size: 36px; font-weight: 600; }}
QPushButton:pressed {{ background: #d6e4f5; }}
QPushButton:disabled {{ background: #e4e7eb; color: #7a8591; border-color: #aab4be; }}
QPushButton[role="primary"] {{ background: {BLUE}; color: white; border: none;
    font-size: 54px; font-weight: 800; min-height: 150px; }}
QPushButton[role="primary"]:pressed {{ background: {BLUE_DARK}; }}
QPushButton[role="primary"]:disabled {{ background: #6f8fb5; color: #f0f0f0; }}
QPushButton[role="big"] {{ min-height: 150px; font-size: 46px; font-weight: 700; }}
QPushButton[role="green"] {{ background: {GREEN}; color: white; border: none; }}
QPushButton[role="action"], QPushButton[role="green"] {{ min-height: 124px; }}
QPushButton[role="frequent"] {{ background: #e8f0fa; border: 3px solid {BLUE}; min-height: 120px; }}
QPushButton[role="green"]:pressed {{ background: #0f4a29; }}
QPushButton[role="key"] {{ font-size: 48px; font-weight: 800; padding: 0; }}
QPushButton[role="key"]:disabled {{ color: #b8c0c8; border-color: #d0d6dc; background: #eceff2; }}
QPushButton QLabel {{ background: transparent; }}
QPushButton[role="primary"] QLabel, QPushButton[role="green"] QLabel {{ color: white; }}
QLabel[tile="title"] {{ font-size: 40px; font-weight: 700; }}
QLabel[tile="long-title"] {{ font-size: 34px; font-weight: 700; }}
QLabel[tile="longer-title"] {{ font-size: 30px; font-weight: 700; }}
QLabel[tile="subtitle"] {{ font-size: 28px; color: #40566d; }}
QLabel[tile="subtitle"][state="unavailable"] {{ color: {ORANGE}; font-weight: 700; }}
QPushButton[role="green"] QLabel[tile="subtitle"],
QPushButton[role="primary"] QLabel[tile="subtitle"] {{ color: #e8f0fa; }}

QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QScrollBar:vertical {{ width: 28px; background: #dde3ea; border-radius: 14px; }}
QScrollBar::handle:vertical {{ background: #6b7f95; border-radius: 14px; min-height: 80px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
"""


def font_families(script: str = "cjk") -> list[str]:
    """cjk: Chinese and Latin; rtl: Uyghur first, Chinese names after; mixed: both, CJK first."""
    if script == "rtl":
        return [*ARABIC_FAMILIES, *FONT_FAMILIES]
    if script == "mixed":
        return [*FONT_FAMILIES, *ARABIC_FAMILIES]
    return list(FONT_FAMILIES)


def kiosk_font(script: str = "cjk") -> QFont:
    font = QFont()
    font.setFamilies(font_families(script))
    font.setPixelSize(34)
    return font


def apply_theme(app: QApplication) -> None:
    """App-wide font: Noto Sans CJK SC first, then other CJK fonts and Arabic-script faces for
    Uyghur, so nothing shows as tofu."""
    app.setFont(kiosk_font())


def set_role(widget: QWidget, role: str, prop: str = "role") -> None:
    """Change a styling property (the role, unless `prop` says) and re-polish."""
    set_prop(widget, prop, role)
