"""The county network in hall files: levels and parents are checked in the file, the tree when
a file is loaded (the parent first; levels that fit; no cycle)."""

from __future__ import annotations

import pytest

from backend.db.engine import open_database
from backend.db.uow import Actor, UnitOfWork
from backend.domain.errors import DomainError
from backend.hallconfig import ConfigError, parse_config
from backend.services.halls import sync_hall
from tests.support import MONDAY_9AM, hall_config, network_config


def problems(data) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_config(data, "h.toml")
    return [str(p) for p in err.value.problems]


def test_levels_and_parents_in_the_file():
    county = network_config("county", "county")
    county["hall"]["parent"] = "x"
    assert any("a county centre (level county) has no parent" in p for p in problems(county))
    village = network_config("cun", "village", "town")
    del village["hall"]["parent"]
    assert any("needs its town as parent" in p for p in problems(village))
    itself = network_config("town", "town", "town")
    assert any("cannot be its own parent" in p for p in problems(itself))
    lone = hall_config("solo")
    lone["items"][0]["refer_up"] = True
    (found,) = problems(lone)
    assert found.startswith("h.toml: items[0] (MZ-01).refer_up: a hall without a parent")
    # a village point: one window, no kiosk, no display
    assert parse_config(network_config("cun", "village", "town"), "cun.toml").devices[0].kind == (
        "rating_pad"
    )


def load(url: str, data: dict) -> dict:
    db = open_database(url)
    try:
        with UnitOfWork(db, MONDAY_9AM) as uow:
            result = sync_hall(uow, parse_config(data, "h.toml"), Actor("test"))
            uow.commit()
        return result
    finally:
        db.dispose()


def test_the_tree_is_checked_when_a_file_is_loaded(db_url):
    with pytest.raises(DomainError) as err:
        load(db_url, network_config("town", "town", "county"))
    assert err.value.code == "parent_not_loaded" and err.value.field == "hall.parent"
    assert "load the county's file first" in err.value.message
    load(db_url, network_config("county", "county"))
    load(db_url, network_config("town", "town", "county"))
    load(db_url, network_config("cun", "village", "town"))
    with pytest.raises(DomainError) as err:  # a village cannot hold a town
        load(db_url, network_config("east", "town", "cun"))
    assert err.value.code == "parent_level"
    # the county re-loaded as a village point under its own town: a cycle
    with pytest.raises(DomainError) as err:
        load(db_url, network_config("county", "village", "town"))
    assert err.value.code == "parent_cycle"
    # moving a town to sit on its own again is fine (a reload changes the tree)
    assert load(db_url, hall_config("town"))["created"] is False
