import pytest

from backend.domain.errors import Conflict
from backend.domain.tickets import TERMINAL, TRANSITIONS, Action, TicketState, next_state

S = TicketState


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (S.WAITING, Action.CALL, S.CALLED),
        (S.CALLED, Action.RECALL, S.CALLED),
        (S.CALLED, Action.START, S.SERVING),
        (S.SERVING, Action.FINISH, S.FINISHED),
        (S.CALLED, Action.FINISH, S.FINISHED),
        (S.CALLED, Action.NO_SHOW, S.NO_SHOW),
        (S.NO_SHOW, Action.REQUEUE, S.WAITING),
        (S.SERVING, Action.TRANSFER, S.TRANSFERRED),
        (S.WAITING, Action.CANCEL, S.CANCELLED),
    ],
)
def test_allowed_moves(state, action, after):
    assert next_state(state, action) is after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.WAITING, Action.FINISH),
        (S.SERVING, Action.NO_SHOW),
        (S.FINISHED, Action.CALL),
        (S.SERVING, Action.CALL),
    ],
)
def test_refused_moves_name_what_is_allowed(state, action):
    with pytest.raises(Conflict) as err:
        next_state(state, action)
    assert state.value in err.value.message and "allowed" in err.value.message


def test_terminal_states_have_no_way_out():
    assert not [key for key in TRANSITIONS if key[0] in TERMINAL]


def test_every_state_is_reachable_from_waiting():
    seen, frontier = {S.WAITING}, [S.WAITING]
    while frontier:
        state = frontier.pop()
        for (src, _), dst in TRANSITIONS.items():
            if src == state and dst not in seen:
                seen.add(dst)
                frontier.append(dst)
    assert seen == set(S)
