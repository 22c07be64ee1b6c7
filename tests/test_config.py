"""Hall config files: the demo hall is valid and realistic; every problem names file and key."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from backend.cli import main
from backend.hallconfig import ConfigError, load_config, parse_config
from tests.support import SMALL_HALL

DEMO = Path(__file__).resolve().parent.parent / "config" / "demo-hall.toml"


def problems(data) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_config(data, "hall.toml")
    return [str(p) for p in err.value.problems]


def test_demo_hall_is_valid_and_as_big_as_a_real_town_centre():
    cfg = load_config(DEMO)
    assert len(cfg.departments) >= 8 and len(cfg.items) >= 30 and len(cfg.windows) >= 12
    assert sum(w.comprehensive for w in cfg.windows) >= 2
    kinds = [d.kind for d in cfg.devices]
    assert kinds.count("kiosk") >= 2 and kinds.count("display") >= 2
    assert all(len(i.materials) >= 2 for i in cfg.items)
    assert {i.kind for i in cfg.items} == {"immediate", "promised"}
    names = {i.name.zh for i in cfg.items}
    assert {"最低生活保障申请", "居住证申领", "法律援助申请", "异地就医备案"} <= names


def test_the_small_test_hall_is_valid():
    assert parse_config(copy.deepcopy(SMALL_HALL), "t.toml").hall.code == "town"


def test_cross_reference_problems_are_all_reported_at_once():
    data = copy.deepcopy(SMALL_HALL)
    data["windows"][2]["items"] = []  # window 3 serves nothing
    data["windows"][0]["items"].remove("RS-02")  # -> nobody serves RS-02
    data["windows"][1]["items"].append("XX-99")
    data["items"][2]["prefix"] = "A"  # RS item on MZ's prefix
    found = problems(data)
    assert "hall.toml: windows[2] (3).items: the window serves nothing" in found
    assert "hall.toml: windows[1] (2).items[2]: unknown item 'XX-99'" in found
    assert any(
        p.startswith("hall.toml: items[2] (RS-01).prefix: duplicate prefix 'A'") for p in found
    )
    assert "hall.toml: items[3] (RS-02): no window serves this item" in found


def test_field_problems_name_the_key():
    data = copy.deepcopy(SMALL_HALL)
    data["items"][0]["kind"] = "sometimes"
    data["hours"]["working_days"] = [["08:30", "7:00"]]
    data["hall"]["timezone"] = "Mars/Olympus"
    data["windows"][0]["colour"] = "blue"
    found = "\n".join(problems(data))
    assert "items[0] (MZ-01).kind:" in found
    assert "hours.working_days:" in found and "'7:00' is not a HH:MM time" in found
    assert "hall.timezone:" in found and "unknown timezone" in found
    assert "windows[0] (1).colour: Extra inputs are not permitted" in found


def test_rules_between_fields():
    data = copy.deepcopy(SMALL_HALL)
    data["items"][0]["promised_days"] = 0
    data["items"][2]["promised_days"] = 3
    data["departments"].append({"code": "MZ", "name": {"zh": "重复"}})
    found = problems(data)
    assert any("items[0] (MZ-01).promised_days: a promised item" in p for p in found)
    assert any("items[2] (RS-01).promised_days: an immediate item" in p for p in found)
    assert any("departments[2]: duplicate 'MZ'" in p for p in found)


def test_unreadable_files_are_named(tmp_path):
    with pytest.raises(ConfigError, match="missing.toml: \\(file\\): file not found"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[hall\ncode = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml: \\(file\\): not valid TOML"):
        load_config(bad)


@pytest.mark.parametrize("name, text", [("missing.toml", None), ("bad.toml", "[hall\ncode = 1")])
def test_a_terminal_names_an_unreadable_file_as_the_hall_check_does(tmp_path, name, text):
    """The operator reads the same line from `onestop check-config` as from a kiosk or counter."""
    from counter.config import load_config as load_counter
    from kiosk.config import load_config as load_kiosk

    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as hall:
        load_config(path)
    for load in (load_kiosk, load_counter):
        with pytest.raises(ConfigError) as terminal:
            load(path)
        assert str(terminal.value) == str(hall.value) and terminal.value.problems[0].key == "(file)"


def test_check_config_command_reports_and_exits_nonzero(tmp_path, capsys):
    assert main(["check-config", str(DEMO)]) == 0
    assert "ok" in capsys.readouterr().out
    broken = tmp_path / "broken.toml"
    broken.write_text(
        DEMO.read_text(encoding="utf-8").replace('prefix = "B"', 'prefix = "A"', 1),
        encoding="utf-8",
    )
    assert main(["check-config", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}: items[" in err and "duplicate prefix 'A'" in err


def test_case_settings_name_their_key():
    data = copy.deepcopy(SMALL_HALL)
    data["cases"] = {"orange_within_days": 4, "supplement": "pause", "callback_share": 2}
    found = "\n".join(problems(data))
    assert "hall.toml: cases.supplement:" in found and "'resume' or 'restart'" in found
    assert "hall.toml: cases.callback_share:" in found
    data["cases"] = {"orange_within_days": 4}
    found = "\n".join(problems(data))
    assert "cases:" in found and "orange_within_days must not exceed yellow_within_days" in found
    assert load_config(DEMO).cases.callback_share == 0.3
