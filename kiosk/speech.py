"""What 语音播报 says for a screen: its title and, on a guide, the item's key facts (name,
where it is served, how many materials, how many wait); on the ticket screen the number."""

from __future__ import annotations

from typing import Any

from . import builders as b
from .i18n import join, plain, sentences, tr
from .screens import ConfirmationScreen, GuideScreen
from .voice import spell_number


def spoken_text(presenter: Any, screen: Any, lang: str) -> str:
    """The sentence for ``screen`` as the presenter shows it now (plain text: no markup, no
    bidi isolates)."""
    return plain(_text(presenter, screen, lang))


def _text(presenter: Any, screen: Any, lang: str) -> str:
    catalog = presenter.catalog
    if isinstance(screen, GuideScreen) and catalog is not None:
        item = catalog.item(screen.code)
        if item is not None:
            return guide_text(catalog, item, presenter.details.get(item.code), lang)
    if isinstance(screen, ConfirmationScreen):
        return ticket_text(screen, lang)
    return _join(getattr(screen, "title", ""), getattr(screen, "message", ""), lang)


def guide_text(catalog, item, detail: dict | None, lang: str) -> str:
    windows = b.window_names(catalog, item.windows, lang)
    where = join(windows, lang) or tr("speak_where_display", lang)
    waiting = detail.get("waiting") if detail else item.waiting
    if waiting is None:
        said = ""
    elif waiting:
        said = tr("speak_waiting", lang, n=int(waiting))
    else:
        said = tr("speak_no_one_waiting", lang)
    materials = len(item.guide.get("materials") or [])
    return tr(
        "speak_guide", lang, name=item.name(lang), where=where, materials=materials, waiting=said
    )


def ticket_text(screen: ConfirmationScreen, lang: str) -> str:
    number = spell_number(screen.number, lang)
    return tr(
        "speak_ticket", lang, number=number, ahead=screen.people_ahead, windows=screen.windows
    )


def _join(title: str, message: str, lang: str) -> str:
    parts = [p for p in (title, message) if p]
    return sentences(parts, lang)
