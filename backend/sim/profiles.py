"""Arrival profile files (TOML or JSON), validated, and the lookup of a profile by name or path.

name = "pension-week"            # optional; default: the file name
green_share = 0.12               # optional shares of green-channel and appointment tickets
appointment_share = 0.05
transfer_rate = 0.02             # optional share of services ending in a transfer
[rates."RS-02"]                  # residents per half hour, by the slot's local start
"08:30" = 14
"09:00" = 22
[daily]                          # or residents per day, spread over the day's usual shape
"RS-01" = 60
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..hallconfig import HallConfig
from .model import PROFILE_NAMES, Profile, named_profile, profile_from_volumes

SLOT_TIME = re.compile(r"^([01]\d|2[0-3]):(00|30)$")


class ProfileError(ValueError):
    """A profile that cannot be used, with the file and key."""


class ProfileFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=60)
    green_share: float = Field(default=0.05, ge=0, le=1)
    appointment_share: float = Field(default=0.10, ge=0, le=1)
    transfer_rate: float = Field(default=0.0, ge=0, le=1)
    rates: dict[str, dict[str, float]] = {}
    daily: dict[str, float] = {}

    @field_validator("rates")
    @classmethod
    def _slots(cls, rates: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for code, by_slot in rates.items():
            for slot, rate in by_slot.items():
                if not SLOT_TIME.match(slot):
                    raise ValueError(f"{code}: {slot!r} is not a half-hour start like 08:30")
                if rate < 0:
                    raise ValueError(f"{code} {slot}: a rate cannot be negative")
        return rates

    @field_validator("daily")
    @classmethod
    def _daily(cls, daily: dict[str, float]) -> dict[str, float]:
        for code, volume in daily.items():
            if volume < 0:
                raise ValueError(f"{code}: a daily volume cannot be negative")
        return daily


def parse_profile(data: dict, cfg: HallConfig, source: str) -> Profile:
    try:
        spec = ProfileFile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()
        )
        raise ProfileError(f"{source}: {problems}") from None
    if spec.green_share + spec.appointment_share > 1:
        raise ProfileError(f"{source}: green_share + appointment_share exceed 1")
    known = {i.code for i in cfg.items}
    for section, codes in (("rates", spec.rates), ("daily", spec.daily)):
        for code in codes:
            if code not in known:
                raise ProfileError(f"{source}: {section}.{code}: unknown item {code!r}")
    if not spec.rates and not spec.daily:
        raise ProfileError(f"{source}: give rates or daily volumes for at least one item")
    name = spec.name or Path(source).stem
    spread = profile_from_volumes(cfg, name, spec.daily).rates if spec.daily else {}
    rates: dict[str, dict[time, float]] = {c: dict(by) for c, by in spread.items()}
    for code, by_slot in spec.rates.items():
        mine = rates.setdefault(code, {})
        for slot, rate in by_slot.items():
            start = time.fromisoformat(slot)
            mine[start] = mine.get(start, 0.0) + rate
    return Profile(name, rates, spec.green_share, spec.appointment_share, spec.transfer_rate)


def load_profile(path: str | Path, cfg: HallConfig) -> Profile:
    """A profile file (``.toml`` or ``.json``) checked against the hall's items."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(f"{path}: file not found") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(
            f"{path}: not valid {path.suffix.lstrip('.') or 'TOML'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a table of settings")
    return parse_profile(data, cfg, str(path))


def resolve_profile(name_or_path: str, cfg: HallConfig) -> Profile:
    """A named demo profile (``PROFILE_NAMES``) or a profile file."""
    if name_or_path in PROFILE_NAMES:
        return named_profile(name_or_path, cfg)
    path = Path(name_or_path)
    if path.suffix.lower() in (".toml", ".json") or path.exists():
        return load_profile(path, cfg)
    raise ProfileError(
        f"unknown profile {name_or_path!r}: use one of {', '.join(PROFILE_NAMES)} or a "
        ".toml/.json profile file"
    )
