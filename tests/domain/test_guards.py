"""The 过号 guard and the 办件查询 lock's answer, as plain rules; their hall-config keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.domain.errors import Conflict
from backend.domain.lookup_guard import GuardRule, Scope, locked_error
from backend.domain.no_show import NoShowGuard
from backend.hallconfig import ConfigError, parse_config
from tests.support import hall_config

CALLED = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def refusal(guard: NoShowGuard, call_count: int, seconds: float) -> str | None:
    try:
        guard.check(call_count, CALLED, CALLED + timedelta(seconds=seconds))
    except Conflict as exc:
        assert exc.code == "no_show_too_soon"
        return exc.message
    return None


def test_either_a_recall_or_the_time_suffices():
    guard = NoShowGuard(min_recalls=1, min_seconds=60)
    assert refusal(guard, 1, 0) is not None
    assert refusal(guard, 1, 59.5) is not None
    assert refusal(guard, 2, 0) is None  # one recall
    assert refusal(guard, 1, 60) is None  # a minute


def test_the_refusal_says_what_is_missing_chinese_first():
    message = refusal(NoShowGuard(2, 90), 2, 30)
    zh, en = message.split(" / ")
    assert (
        zh == "还不能过号：请至少重呼 2 次（已重呼 1 次），或叫号 90 秒后（还需 60 秒）再标记过号"
    )
    assert "recall at least 2" in en and "60 s to go" in en


def test_a_condition_of_zero_is_off():
    assert refusal(NoShowGuard(0, 60), 5, 10) is not None  # recalls do not count
    assert "重呼" not in refusal(NoShowGuard(0, 60), 5, 10)
    assert refusal(NoShowGuard(3, 0), 1, 3600) is not None  # time does not count
    assert refusal(NoShowGuard(0, 0), 1, 0) is None  # no guard


def test_a_lock_answers_429_naming_the_number_first():
    now = CALLED
    error = locked_error(
        [(Scope.DEVICE, now + timedelta(minutes=3)), (Scope.NUMBER, now + timedelta(seconds=61))],
        now,
    )
    assert error.kind == "too_many" and error.code == "lookup_locked"
    assert error.field == "number" and error.retry_after == 180
    assert error.message.startswith("该受理编号查询错误次数过多")
    assert GuardRule().limit(Scope.DEVICE) == 20 and GuardRule().limit(Scope.NUMBER) == 5


def test_hall_config_defaults_and_bad_values_name_the_key():
    cfg = parse_config(hall_config(), "hall.toml")
    assert (cfg.no_show.min_recalls, cfg.no_show.min_seconds) == (1, 60)
    guard = cfg.lookup_guard
    assert (guard.number_misses, guard.device_misses, guard.window_minutes) == (5, 20, 15)
    with pytest.raises(ConfigError) as bad:
        parse_config(hall_config(no_show={"min_seconds": -1}), "hall.toml")
    assert "no_show.min_seconds" in str(bad.value)
    with pytest.raises(ConfigError) as bad:
        parse_config(hall_config(lookup_guard={"lock_minutes": 0}), "hall.toml")
    assert "lookup_guard.lock_minutes" in str(bad.value)
