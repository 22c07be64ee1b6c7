"""One clerk action on its way to the backend, with the request id it keeps across retries."""

from __future__ import annotations

from dataclasses import dataclass, field

from clientlib.api import new_request_id


@dataclass
class Pending:
    """One clerk action and its request id. It is kept until the backend has answered, and a
    retry sends the same id, so the backend does it at most once."""

    key: str  # i18n key of the action ("finish")
    action: str  # API action ("finish", "requeue", "accept", "suspend")
    target: int | str  # window number, ticket number, or case number
    body: dict = field(default_factory=dict)
    request_id: str = field(default_factory=new_request_id)
    on_ticket: bool = False  # POST /tickets/<target>/<action>
    case: str | None = None  # POST /cases/<case>/<action>
    form: str = ""  # the dialog waiting for the answer ("accept"): kept open on a refusal
    path: str = ""  # POST <hall>/<path> (an action on neither a window, a ticket nor a case)

    def send(self, api) -> dict:
        if self.path:
            return api.post(api.hall_path(self.path), self.body, request_id=self.request_id)
        if self.case is not None:
            path = api.hall_path(f"/cases/{self.case}/{self.action}")
            return api.post(path, self.body, request_id=self.request_id)
        if self.on_ticket:
            return api.ticket_action(self.target, self.action, request_id=self.request_id)
        return api.window_action(self.target, self.action, request_id=self.request_id, **self.body)

    @property
    def casework(self) -> bool:
        """An action of the case workflow (answered by counter.casework)."""
        return self.case is not None or self.action in ("accept", "rating-request")
