from datetime import UTC, datetime

import pytest

from backend.domain.numbering import format_number, local_day, parse_number


def test_numbers_are_prefix_and_zero_padded_sequence():
    assert format_number("A", 7) == "A007"
    assert format_number("BK", 12, width=4) == "BK0012"


def test_sequence_grows_past_the_width_instead_of_wrapping():
    assert format_number("A", 1000) == "A1000"


@pytest.mark.parametrize("prefix", ["a", "", "ABC", "1", "A1"])
def test_bad_prefixes_are_refused(prefix):
    with pytest.raises(ValueError):
        format_number(prefix, 1)


def test_parse_is_the_inverse_and_tolerates_case_and_spaces():
    assert parse_number(" a012 ") == ("A", 12)
    with pytest.raises(ValueError):
        parse_number("012")


def test_local_day_changes_at_hall_midnight_not_utc_midnight():
    # 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is already the next day there.
    assert local_day(datetime(2026, 11, 22, 15, 59, tzinfo=UTC), "Asia/Shanghai").day == 22
    assert local_day(datetime(2026, 11, 22, 16, 0, tzinfo=UTC), "Asia/Shanghai").day == 23


def test_local_day_needs_an_aware_time():
    with pytest.raises(ValueError):
        local_day(datetime(2026, 11, 22, 12), "Asia/Shanghai")
