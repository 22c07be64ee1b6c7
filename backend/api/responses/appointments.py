"""Answers of the appointment (预约) endpoints: public booking, the manage page, the kiosk's
check-in and the staff's day list. Names and phones appear masked only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from ...domain.appointments import AppointmentState, SlotReason
from .common import Answer, CodeName, Name
from .hall import TicketIssued


class BookableItem(Answer):
    code: str
    name: Name
    department: Name
    bookable: bool


class AppointmentItems(Answer):
    items: list[BookableItem]


class BookableDay(Answer):
    day: date
    kind: Literal["workday", "makeup", "weekend", "holiday", "closed"]
    bookable: bool
    slots_left: int


class AppointmentDays(Answer):
    item: str
    days: list[BookableDay]


class SlotView(Answer):
    start: datetime
    end: datetime
    capacity: int
    left: int
    bookable: bool
    reason: SlotReason | None


class AppointmentSlots(Answer):
    item: str
    day: date
    slots: list[SlotView]


class AppointmentView(Answer):
    code: str = Field(description="8 digits: what the kiosk takes")
    state: AppointmentState
    item: CodeName
    hall: CodeName
    day: date
    slot_start: datetime
    slot_end: datetime
    check_in_from: datetime
    check_in_until: datetime
    name_masked: str
    phone_masked: str
    ticket_number: str | None
    can_cancel: bool
    can_move: bool


class AppointmentAnswer(Answer):
    appointment: AppointmentView


class AppointmentBooked(AppointmentAnswer):
    manage_token: str = Field(description="unguessable; the resident's page is manage_path")
    manage_path: str


class CheckInNote(Answer):
    code: str
    slot_start: datetime
    slot_end: datetime
    on_time: bool
    arrival: Literal["early", "on_time", "late"]
    explanation: Name | None = Field(description="why an ordinary ticket (early or late)")


class CheckedIn(TicketIssued):
    appointment: CheckInNote


class DayAppointment(Answer):
    code: str
    name_masked: str
    phone_masked: str
    state: AppointmentState
    ticket_number: str | None


class DaySlot(Answer):
    start: datetime
    end: datetime
    item: CodeName
    capacity: int
    booked: int
    checked_in: int
    no_show: int
    appointments: list[DayAppointment]


class AppointmentDay(Answer):
    day: date
    slots: list[DaySlot]
