"""Cases (办件): what staff send and read, and what a citizen's lookup answers."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import Out
from .bodies import Body

CaseTypeName = Literal["immediate", "promised", "joint", "reported"]
CaseActionName = Literal[
    "accept",
    "supplement",
    "resume",
    "approve",
    "return",
    "review",
    "uphold",
    "overturn",
    "finish",
    "collect",
    "complete",
]


class CaseOpen(Body):
    item: str = Field(min_length=1, max_length=64, description="the service item's code")
    applicant_name: str = Field(min_length=1, max_length=100)
    channel: Literal["window", "post", "online"] = Field(
        default="window",
        description="window: from the ticket being served at the clerk's window",
    )
    id_number: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=20)
    materials: list[str] = Field(default_factory=list, max_length=50)
    type: CaseTypeName | None = Field(default=None, description="default: the item's 办件类型")
    joint_departments: list[str] = Field(
        default_factory=list, max_length=20, description="联办: the other departments' codes"
    )


class CaseStepIn(Body):
    note: str = Field(default="", max_length=500, description="the reason of 退回 and 复核")
    missing: list[str] = Field(
        default_factory=list, max_length=50, description="补办: materials from the item's list"
    )
    version: int | None = Field(default=None, ge=1, description="the version read, if any")


class CaseUrgent(Body):
    due: date = Field(description="急办: the earlier due date, a working day")


class CitizenLookup(Body):
    receipt_no: str = Field(min_length=1, max_length=40)
    last4: str = Field(
        min_length=4, max_length=4, description="the last four of the ID number or phone"
    )


class Text(Out):
    zh: str
    en: str


class CaseStepOut(Out):
    action: str
    action_text: Text
    state: str
    at: str
    by: str
    note: str
    missing: list[str]


class CaseSummary(Out):
    receipt_no: str
    hall: str
    item: str
    item_name: str
    department: str | None
    department_name: str | None
    channel: str
    ticket: str | None
    type: str
    type_text: Text
    state: str
    state_text: Text
    applicant_name: str
    id_masked: str | None
    phone_masked: str | None
    materials: list[str]
    missing: list[str]
    reason: str
    limit_days: int
    used_days: int
    due: str | None = Field(description="the due date (受理 decision, time limit or 急办)")
    urgent_due: str | None
    light: str = Field(description="none | paused | green | yellow (黄灯) | red (红灯)")
    light_text: Text
    late: bool = Field(description="decided or finished after its due date")
    received_at: str
    clerk_name: str | None = Field(description="who received it (受理人)")
    lead: str | None
    sub_cases: list[CaseSummary]
    allowed: list[str] = Field(description="the steps that may come next")
    version: int


class CaseOut(CaseSummary):
    steps: list[CaseStepOut]


class CaseList(Out):
    cases: list[CaseSummary]


class CitizenStep(Out):
    action_text: Text
    at: str
    state: str


class CitizenStatus(Out):
    receipt_no: str
    item_name: str
    department_name: str | None
    state: str
    state_text: Text
    due: str | None
    light: str
    missing: list[str]
    steps: list[CitizenStep]
    checked_at: str


class PrintAnswer(Out):
    job: str
    state: str
    printer: str


class CasePrint(Out):
    receipt_no: str
    document: Literal["receipt", "notice"]
    print: PrintAnswer | None = Field(
        description="null: the window has no printer; print the A4 page instead"
    )
    page: str = Field(description="the A4 page of the same document")
