"""The shared API client against a real server: calls, errors, and retries that act once."""

from __future__ import annotations

import threading
import time

import pytest

from clientlib.api import ApiClient, ApiError, ApiUnavailable


def test_kiosk_and_clerk_calls_against_a_real_server(live_server):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    items = kiosk.catalog()["items"]
    assert len(items) >= 30
    ticket = kiosk.issue_ticket("MZ-01", request_id="k-1")
    assert ticket["ticket"]["number"] == "A001"
    clerk = ApiClient(live_server.url, live_server.hall)
    clerk.login("clerk1", live_server.password("clerk1"))
    window = next(w["number"] for w in kiosk.catalog()["windows"] if "MZ-01" in w["items"])
    clerk.window_action(window, "sign-in")
    assert clerk.window_action(window, "call-next")["ticket"]["number"] == "A001"
    with pytest.raises(ApiError) as err:
        clerk.window_action(window, "call-next")
    assert err.value.status == 409 and err.value.code == "ticket_in_progress"


def test_a_retry_with_the_same_request_id_never_issues_twice(live_server):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    first = kiosk.issue_ticket("RS-01", request_id="double-tap")
    second = kiosk.issue_ticket("RS-01", request_id="double-tap")
    assert first == second
    assert sum(i["waiting"] for i in kiosk.queue()["items"]) == 1


def test_unreachable_server_raises_api_unavailable_quickly(live_server):
    live_server.stop()
    kiosk = ApiClient(
        live_server.url,
        live_server.hall,
        live_server.kiosk_token,
        timeout=1,
        retries=1,
        retry_delay=0.1,
    )
    with pytest.raises(ApiUnavailable):
        kiosk.catalog()


def test_retry_across_a_server_restart_acts_once(live_server):
    kiosk = ApiClient(
        live_server.url,
        live_server.hall,
        live_server.kiosk_token,
        timeout=2,
        retries=40,
        retry_delay=0.1,
    )
    live_server.stop()
    restarter = threading.Thread(target=lambda: (time.sleep(1.0), live_server.start()))
    restarter.start()
    result = kiosk.issue_ticket(
        "MZ-01", request_id="during-restart"
    )  # retried until the server is back
    restarter.join()
    assert result["ticket"]["number"] == "A001"
    assert kiosk.issue_ticket("MZ-01", request_id="during-restart") == result
