"""Arrivals, profiles (named and from files), rosters and the lognormal fit."""

import json
import random
from datetime import date, time

import pytest

from backend.hallconfig import load_config, parse_config
from backend.sim.commands import parse_roster
from backend.sim.history import fit_lognormal
from backend.sim.model import (
    PROFILE_NAMES,
    LogNormal,
    ServiceTimes,
    arrivals,
    default_roster,
    named_profile,
    roster_from_counts,
)
from backend.sim.profiles import ProfileError, load_profile, resolve_profile
from tests.support import hall_config

DEMO = load_config("config/demo-hall.toml")
SMALL = parse_config(hall_config("town"), "town.toml")
DAY = date(2026, 11, 25)


def test_arrivals_are_seeded_sorted_and_poisson_on_average():
    profile = named_profile("normal-wednesday", SMALL)
    a = arrivals(SMALL, profile, DAY, seed=3, patience_minutes=30)
    assert a == arrivals(SMALL, profile, DAY, seed=3, patience_minutes=30)
    assert a != arrivals(SMALL, profile, DAY, seed=4, patience_minutes=30)
    assert [x.at for x in a] == sorted(x.at for x in a)
    assert all(time(8, 30) <= x.at.time() < time(17, 30) for x in a)
    assert all(x.patience_seconds > 0 for x in a)
    counts = [len(arrivals(SMALL, profile, DAY, seed=s)) for s in range(200)]
    assert sum(counts) / len(counts) == pytest.approx(profile.total(), rel=0.03)


def test_named_profiles_fit_the_hall():
    normal = named_profile("normal-wednesday", DEMO)
    after = named_profile("monday-after-holiday", DEMO)
    pension = named_profile("pension-certification-peak", DEMO)
    assert set(PROFILE_NAMES) == {normal.name, after.name, pension.name}
    assert after.total() == pytest.approx(1.5 * normal.total())
    nine = time(9, 0)
    assert pension.rates["RS-02"][nine] > 5 * normal.rates["RS-02"][nine]  # 养老资格认证
    assert pension.rates["HJ-02"][nine] > normal.rates["HJ-02"][nine]  # only the morning boost
    assert normal.rates["RS-02"][time(9, 30)] > 3 * normal.rates["RS-02"][time(12, 30)]
    with pytest.raises(ValueError, match="unknown profile"):
        named_profile("spring-festival", DEMO)


def test_profile_files_toml_and_json(tmp_path):
    toml = tmp_path / "week.toml"
    toml.write_text(
        'name = "pension-week"\ngreen_share = 0.2\n[rates."RS-01"]\n"09:00" = 12\n"09:30" = 6\n'
        '[daily]\n"MZ-01" = 40\n',
        encoding="utf-8",
    )
    p = load_profile(toml, SMALL)
    assert p.name == "pension-week" and p.green_share == 0.2
    assert p.rates["RS-01"] == {time(9): 12, time(9, 30): 6}
    assert sum(p.rates["MZ-01"].values()) == pytest.approx(40)
    js = tmp_path / "day.json"
    js.write_text(json.dumps({"rates": {"MZ-02": {"14:00": 3}}}), encoding="utf-8")
    assert resolve_profile(str(js), SMALL).rates == {"MZ-02": {time(14): 3}}
    assert resolve_profile("normal-wednesday", SMALL).name == "normal-wednesday"


@pytest.mark.parametrize(
    "body, message",
    [
        ('[rates."XX-01"]\n"09:00" = 1\n', "rates.XX-01: unknown item"),
        ('[rates."RS-01"]\n"09:15" = 1\n', "not a half-hour start"),
        ('[rates."RS-01"]\n"09:00" = -1\n', "cannot be negative"),
        ("colour = 1\n", "colour: Extra inputs are not permitted"),
        ("green_share = 0.7\nappointment_share = 0.5\n[daily]\nRS-01 = 1\n", "exceed 1"),
        ('name = "x"\n', "give rates or daily"),
        ("rates = [\n", "not valid toml"),
    ],
)
def test_bad_profile_files_name_the_problem(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError, match=message):
        load_profile(path, SMALL)


def test_rosters():
    assert {s.window for s in default_roster(SMALL)} == {1, 2, 3}
    assert [(s.start, s.end) for s in default_roster(DEMO) if s.window == 1] == [
        (time(8, 30), time(18, 30))  # office and extended hours, touching periods joined
    ]
    r = parse_roster("1-2@08:30-12:00,14:00-17:30;3@09:00-10:00", SMALL)
    assert len(r) == 5 and r[-1].window == 3
    for bad in ("4@09:00-10:00", "1@10:00-09:00", "1", "a@09:00-10:00"):
        with pytest.raises(ValueError):
            parse_roster(bad, SMALL)
    merged = roster_from_counts(SMALL, {time(9): [1, 2], time(9, 30): [1], time(10, 30): [1]})
    assert [(s.window, s.start, s.end) for s in merged] == [
        (1, time(9), time(10)),
        (1, time(10, 30), time(11)),
        (2, time(9), time(9, 30)),
    ]


def test_service_times_fit_and_fall_back():
    rng = random.Random(5)
    law = LogNormal(420, 0.5)
    fitted = fit_lognormal([law.sample(rng) for _ in range(5000)])
    assert fitted.mean_seconds == pytest.approx(420, rel=0.03)
    assert fitted.cv == pytest.approx(0.5, rel=0.05)
    assert fit_lognormal([300.0] * 9) is None  # too few
    times = ServiceTimes({"RS-01": LogNormal(100)})
    assert times.law(SMALL, "RS-01").mean_seconds == 100
    assert times.law(SMALL, "MZ-01").mean_seconds == 6 * 60  # the hall's default minutes
    assert ServiceTimes().law(DEMO, "RS-02").mean_seconds == 3 * 60  # the item's own minutes
