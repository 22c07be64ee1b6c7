def test_issue_and_serve_one_ticket(hall):
    issued = hall.issue("MZ-01")
    assert issued["ticket"]["number"] == "A001"
    hall.open_window(2, "clerk1")
    called = hall.window(2, "call-next", "clerk1")
    assert called.json["ticket"]["number"] == "A001"
