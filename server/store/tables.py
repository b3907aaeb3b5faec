"""SQLModel tables. Every record belongs to a hall. Datetimes are timezone-aware UTC."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class Hall(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    # Which national calendar entries apply besides the installation-wide ones
    # (HolidayCalendar.region); "": those alone.
    region: str = Field(default="", max_length=32)
    # Office hours per ISO weekday, {"1": [["09:00", "12:00"], ["13:30", "17:00"]], ...}:
    # the gaps are breaks; a weekday not listed is a day off (domain/calendar.py).
    office_hours: dict[str, list[list[str]]] = Field(
        default_factory=lambda: {str(d): [["09:00", "17:00"]] for d in range(1, 6)},
        sa_column=Column(JSON, nullable=False),
    )
    # When tickets may be taken, per weekday, in the same form; a weekday not listed has
    # no hall-wide limit (the queues' issue hours decide).
    ticket_hours: dict[str, list[list[str]]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    # Exceptions of this hall to the national calendar (see domain/calendar.py).
    closed_dates: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    open_dates: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    class_weights: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    recall_limit: int = 3
    no_show_reactivate_minutes: int = 30
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    notice: str = Field(default="", max_length=500)
    # Printed on each ticket; "": the printer's default line.
    ticket_notice: str = Field(default="", max_length=60)
    # What the kiosks offer, Chinese first: ["zh"] or ["zh", "en"].
    languages: list[str] = Field(
        default_factory=lambda: ["zh", "en"], sa_column=Column(JSON, nullable=False)
    )
    english_voice: bool = False
    voice_repeat: int = 1
    # Green channel (绿色通道) offered from this age shown by an ID number; None: never by age.
    green_channel_age: int | None = Field(default=70)
    # Tickets one ID number may take per business day, against scalping; None: no limit.
    id_daily_limit: int | None = Field(default=3)
    # An unanswered rating request (好差评) closes as not rated after this many seconds;
    # None: the installation's default (Settings.rating_timeout_seconds).
    rating_timeout_seconds: int | None = Field(default=None)
    # Cases (办件): the receipt number's pattern (domain/receipts.py) and the share of a
    # time limit used at which a case turns yellow (黄灯), in percent.
    receipt_pattern: str = Field(default="{hall}{year}{seq:6}", max_length=64)
    case_warning_percent: int = Field(default=80)
    # 好差评: a service nobody rated stays "not rated" (True), rather than being counted
    # as satisfied (默认好评) where the province's platform does so.
    unrated_stays_unrated: bool = True
    # 承诺办结时限 may be at most this share of 法定办结时限 (rounded down; domain/guide.py).
    promised_share_percent: int = 50
    # Closed by an admin (services/admin.py close_hall): no tickets, the screens say so.
    closed_at: datetime | None = None
    closed_reason: str = Field(default="", max_length=200)
    # Bumped by every change of the settings; an edit names the version it read.
    version: int = Field(default=1)


class HolidayCalendar(SQLModel, table=True):
    """The national calendar: 法定节假日 and 调休 working days, from the State Council's
    yearly notice; ``region`` "" for the whole installation, else for the halls of that
    region (a regional holiday such as 广西 三月三)."""

    __table_args__ = (UniqueConstraint("region", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    kind: str = Field(max_length=16)  # holiday | workday
    name: str = Field(default="", max_length=50)
    region: str = Field(default="", max_length=32)


class Department(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    sort: int = 0
    # A disabled department keeps its items; the admin pages list it apart.
    active: bool = True
    phone: str = Field(default="", max_length=40)
    location: str = Field(default="", max_length=200)
    # Bumped by every edit; an edit names the version it read.
    version: int = Field(default=1)


class Queue(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hall_id", "code"), UniqueConstraint("hall_id", "prefix"))
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id", index=True)
    code: str = Field(max_length=32)
    prefix: str = Field(max_length=4)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    start_number: int = 1
    width: int = 3
    daily_cap: int | None = None
    issue_hours: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    default_service_minutes: float = 10.0
    sort: int = 0
    active: bool = True
    # Bumped by every admin edit; an edit names the version it read.
    version: int = Field(default=1)


class ServiceItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id", index=True)
    department_id: int = Field(foreign_key="department.id")
    queue_id: int = Field(foreign_key="queue.id")
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=300)
    pinyin_initials: str = Field(default="", max_length=200)
    # What citizens call the item (营业执照, 社保卡, 低保) and words that lead to it (过户,
    # 出国); kiosk search matches them as typed and in pinyin.
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hot: int = 0
    # The public guide (办事指南); see server/services/catalogue.py for its fields.
    guide: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # 上线 (True) or 下线; an item with tickets is taken off line, never deleted.
    active: bool = True
    # The admin's order of the catalogue (the kiosk's ties among equally hot items).
    sort: int = 0
    # Bumped by every edit; an edit names the version it read.
    version: int = Field(default=1)


class LifeEvent(SQLModel, table=True):
    """A life event (一件事: 开办企业, 生育, 退休): the hall's service items one situation
    of a citizen's life needs, in the order they are done, offered together at the
    kiosk. Its items are LifeEventItem rows."""

    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=500)
    sort: int = 0
    active: bool = True
    version: int = Field(default=1)


class LifeEventItem(SQLModel, table=True):
    """One service item of a life event, at its place; ``note`` tells when it applies
    ("如需刻制印章")."""

    event_id: int = Field(foreign_key="lifeevent.id", primary_key=True)
    item_id: int = Field(foreign_key="serviceitem.id", primary_key=True, index=True)
    position: int = 0
    note: str = Field(default="", max_length=200)


class Attachment(SQLModel, table=True):
    """A file a hall publishes with its guides: a 示范文本 (a filled-in sample), a blank
    form, or another document. The bytes are kept in the database, not on a disk: a city
    installation runs hub processes on several hosts, and each must serve every file.
    Guide materials name it by id (guide["materials"][i]["sample" | "blank_form"])."""

    __table_args__ = (Index("ix_attachment_hall", "hall_id"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    name: str = Field(max_length=100)  # the title a citizen reads: 公司登记（备案）申请书
    kind: str = Field(max_length=16)  # sample | blank_form | other
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=64)  # application/pdf | image/png | image/jpeg
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime
    version: int = Field(default=1)


class Window(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hall_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id", index=True)
    number: int
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    paused: bool = False
    pause_reason: str | None = Field(default=None, max_length=200)
    clerk_id: int | None = Field(default=None, foreign_key="staff.id")
    current_ticket_id: int | None = None
    selection_state: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    active: bool = True
    # Bumped by every update; see Tickets.save_changed and Windows in tickets.py and windows.py (optimistic concurrency).
    version: int = Field(default=1)
    # Bumped by every admin edit of the window's settings (number, names, queues,
    # active). Not ``version``: that one moves with every call at the window, and an
    # admin's edit would never find it unchanged in a busy hall.
    config_version: int = Field(default=1)


class WindowQueue(SQLModel, table=True):
    window_id: int = Field(foreign_key="window.id", primary_key=True)
    queue_id: int = Field(foreign_key="queue.id", primary_key=True)
    position: int = 0
    weight: int = 1


class Staff(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hall_id", "staff_no"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int | None = Field(default=None, foreign_key="hall.id", index=True)
    staff_no: str = Field(max_length=32)
    name: str = Field(max_length=50)
    role: str = Field(max_length=16)  # clerk | supervisor | admin
    password_hash: str = Field(max_length=200)
    # The URL of the photo the rating tablet shows (亮牌); "": none.
    photo: str = Field(default="", max_length=300)
    title: str = Field(default="", max_length=50)  # 职务/岗位, shown with the photo
    # The windows (ids) the staff member may sign in at; empty: any.
    windows: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Set by an admin's password reset: the next sign-in must choose a new one.
    must_change_password: bool = False
    # Wrong passwords in a row, and the lockout they led to (domain/lockout.py).
    failed_logins: int = 0
    locked_until: datetime | None = None
    active: bool = True
    version: int = Field(default=1)


class StaffPhoto(SQLModel, table=True):
    """A staff member's photo (亮牌), in the database so every hub process serves it."""

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    content_type: str = Field(max_length=32)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: datetime


class Device(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id", index=True)
    code: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # kiosk | dispenser | board | keypad | rating_pad
    name: str = Field(default="", max_length=100)
    window_id: int | None = Field(default=None, foreign_key="window.id")
    token_hash: str = Field(max_length=64, unique=True)
    active: bool = True
    last_seen: datetime | None = None
    version: int = Field(default=1)


class AuthToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    window_id: int | None = Field(default=None, foreign_key="window.id")
    created_at: datetime
    expires_at: datetime
    revoked: bool = False


class Ticket(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("hall_id", "queue_prefix", "business_day", "number"),
        Index("ix_ticket_waiting", "hall_id", "business_day", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    queue_id: int = Field(foreign_key="queue.id")
    # The queue it was issued in; its number stays the same when transferred.
    queue_prefix: str = Field(max_length=4)
    service_item_id: int | None = Field(default=None, foreign_key="serviceitem.id")
    business_day: date
    seq: int
    number: int
    code: str = Field(max_length=16)
    priority: str = Field(max_length=16)
    status: str = Field(max_length=16)
    issued_at: datetime
    rank_at: datetime
    window_id: int | None = Field(default=None, foreign_key="window.id")
    target_window_id: int | None = Field(default=None, foreign_key="window.id")
    recall_count: int = 0
    no_show_at: datetime | None = None
    token: str = Field(max_length=43, unique=True)
    device_id: int | None = Field(default=None, foreign_key="device.id")
    # Bumped by every update; see Tickets.save_changed and Windows in tickets.py and windows.py (optimistic concurrency).
    version: int = Field(default=1)
    # Never the raw ID number or phone: a keyed hash of the ID for per-person limits
    # (keyed per hall and business day, see services/tickets.py) and the masked forms.
    id_hash: str | None = Field(default=None, max_length=64, index=True)
    id_masked: str | None = Field(default=None, max_length=18)
    phone_masked: str | None = Field(default=None, max_length=11)


class TicketEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_event_hall_day", "hall_id", "business_day"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    business_day: date
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    window_id: int | None = Field(default=None, foreign_key="window.id")
    clerk_id: int | None = Field(default=None, foreign_key="staff.id")
    kind: str = Field(max_length=24)
    at: datetime
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TicketCounter(SQLModel, table=True):
    """One row per (hall, queue, business day), incremented in the ticket's own transaction."""

    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    queue_id: int = Field(foreign_key="queue.id", primary_key=True)
    business_day: date = Field(primary_key=True)
    value: int = 0


class HallSeq(SQLModel, table=True):
    """The hall's change sequence: bumped in every transaction that boards must hear of.

    The row lock orders concurrent writers, so sequence numbers commit in order.
    """

    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    seq: int = Field(default=0, sa_type=BigInteger)


class TicketRequest(SQLModel, table=True):
    """A kiosk's request id (Idempotency-Key): a repeated tap returns the same ticket."""

    __table_args__ = (UniqueConstraint("hall_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    key: str = Field(max_length=64)
    device_id: int | None = Field(default=None, foreign_key="device.id")
    # sha256 of the request's content: the same key with other content is refused.
    fingerprint: str = Field(max_length=64)
    ticket_id: int = Field(foreign_key="ticket.id")
    created_at: datetime


class HallSecret(SQLModel, table=True):
    """The key of the hall's ID-number hashes; created on first use, never shown."""

    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    identity_key: str = Field(max_length=64)


class PrintJob(SQLModel, table=True):
    """A ticket or notice sent to a dispenser's printer, kept until its outcome is known.

    ``document`` holds what was printed, so a job interrupted by a hub restart can be
    printed again (补打) without asking anyone.
    """

    __table_args__ = (Index("ix_printjob_hall_state", "hall_id", "state"),)
    id: str = Field(primary_key=True, max_length=32)
    hall_id: int = Field(foreign_key="hall.id")
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    kind: str = Field(max_length=16)  # ticket | notice
    device_code: str | None = Field(default=None, max_length=32)  # the issuing kiosk
    printer_id: str = Field(max_length=64)  # the kiosk's own printer
    fallback_printer_id: str | None = Field(default=None, max_length=64)
    current_printer_id: str = Field(max_length=64)  # where it is (being) printed
    # queued | printing | retrying | failed_over | printed | failed
    state: str = Field(max_length=16)
    reprint: bool = False
    attempts: int = 0
    reason: str | None = Field(default=None, max_length=32)
    detail: str = Field(default="", max_length=300)
    document: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None


class DeviceAlert(SQLModel, table=True):
    """Something a supervisor must see about a device: paper out, a printer offline...

    A condition alert is active until the device reports it gone (``cleared_at``); an
    event alert (a failover) is cleared when raised. Both stay listed until acknowledged.
    """

    __table_args__ = (Index("ix_devicealert_hall_device", "hall_id", "device", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    device: str = Field(max_length=64)
    kind: str = Field(max_length=24)
    level: str = Field(max_length=16)  # warning | error
    message_zh: str = Field(max_length=300)
    message_en: str = Field(max_length=300)
    detail: str = Field(default="", max_length=300)
    count: int = 1
    raised_at: datetime
    last_at: datetime
    cleared_at: datetime | None = None
    acked_at: datetime | None = None
    acked_by: int | None = Field(default=None, foreign_key="staff.id")


class DeviceStatus(SQLModel, table=True):
    """What the hub process driving a hall's devices (its printers, its window buses)
    last saw of them, so that the pages served by the other processes show it too.

    One row per (hall, role), rewritten by the owner when something changes and at
    least every ``every_seconds``; a row older than a few of those means the owner has
    stopped reporting.
    """

    __table_args__ = (UniqueConstraint("hall_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    role: str = Field(max_length=16)  # printers | windowbus
    owner: str = Field(max_length=120)  # host:pid of the reporting process
    every_seconds: float
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class RatingRequest(SQLModel, table=True):
    """A finished service waiting for the citizen's 好差评: one per ticket, i.e. one per
    service. ``status`` is open (the window's pad or tablet is lit), rated, or not_rated
    (closed unanswered; a phone rating by the ticket's QR code may still come)."""

    __table_args__ = (
        Index("ix_ratingrequest_status", "hall_id", "status"),
        # The closer's once-a-second look for open requests past their deadline, in
        # every hall at once.
        Index("ix_ratingrequest_due", "status", "deadline"),
    )
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    business_day: date
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    ticket_code: str = Field(max_length=16)
    queue_id: int = Field(foreign_key="queue.id")
    service_item_id: int | None = Field(default=None, foreign_key="serviceitem.id")
    window_id: int = Field(foreign_key="window.id", index=True)
    clerk_id: int | None = Field(default=None, foreign_key="staff.id")
    status: str = Field(max_length=16)  # open | rated | not_rated
    opened_by: str = Field(max_length=16)  # finish | clerk
    opened_at: datetime
    deadline: datetime
    closed_at: datetime | None = None


class Rating(SQLModel, table=True):
    """Every rating a citizen gave, counted (accepted) or rejected, never deleted."""

    __table_args__ = (Index("ix_rating_hall_day", "hall_id", "business_day"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    business_day: date
    request_id: int | None = Field(default=None, foreign_key="ratingrequest.id")
    # The request id again, only on the accepted rating: unique, so a service can never
    # have two counted ratings, whatever two channels race.
    accepted_request_id: int | None = Field(
        default=None, foreign_key="ratingrequest.id", unique=True
    )
    accepted: bool
    reject_reason: str | None = Field(default=None, max_length=32)
    level: int
    reason: int | None = None
    channel: str = Field(max_length=16)  # pad | tablet | phone
    device: str = Field(default="", max_length=64)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    ticket_code: str | None = Field(default=None, max_length=16)
    service_item_id: int | None = Field(default=None, foreign_key="serviceitem.id")
    window_id: int | None = Field(default=None, foreign_key="window.id")
    clerk_id: int | None = Field(default=None, foreign_key="staff.id")
    at: datetime


class AuditEntry(SQLModel, table=True):
    """Who changed what, when and from where: every configuration change and every
    sign-in, written in the same transaction as the change (server/services/audit.py).

    Append-only: the database refuses UPDATE and DELETE on this table (triggers of
    migration 0010). Who acted is kept as text as well as by id, so an entry still says
    who it was after that staff member or device is gone; no foreign key on them for
    the same reason.
    """

    __table_args__ = (
        Index("ix_auditentry_hall_at", "hall_id", "at"),
        Index("ix_auditentry_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int | None = Field(default=None, foreign_key="hall.id")  # None: installation-wide
    at: datetime
    actor_kind: str = Field(max_length=16)  # staff | device | cli | system
    actor_staff_id: int | None = None
    actor_label: str = Field(default="", max_length=64)  # staff_no, device code, "cli"
    actor_name: str = Field(default="", max_length=100)
    address: str = Field(default="", max_length=64)  # the client's IP; "cli" for the CLI
    action: str = Field(max_length=48)  # hall.update, queue.create, auth.login, ...
    entity_kind: str = Field(max_length=24)
    entity_key: str = Field(default="", max_length=100)
    # Only the fields that changed (updates) or were set (creates); never a secret.
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    result: str = Field(default="ok", max_length=16)  # ok | refused
    error_code: str | None = Field(default=None, max_length=48)


class CaseFile(SQLModel, table=True):
    """A case (办件): one application for one service item, from its receipt to its
    collection; the rules are domain/cases.py, its clock domain/deadlines.py. A joint
    case's sub-cases (one per other department) point at their lead."""

    __table_args__ = (
        UniqueConstraint("hall_id", "receipt_no"),
        Index("ix_casefile_hall_state", "hall_id", "state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    year: int
    seq: int  # the hall's n-th case of the year; a joint case's sub-cases share the lead's
    receipt_no: str = Field(max_length=40)  # sub-cases: the lead's with "-1", "-2", ...
    item_id: int = Field(foreign_key="serviceitem.id")
    department_id: int = Field(foreign_key="department.id")
    lead_id: int | None = Field(default=None, foreign_key="casefile.id", index=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    channel: str = Field(max_length=16)  # window | post | online
    type: str = Field(max_length=16)
    state: str = Field(max_length=16)
    applicant_name: str = Field(max_length=100)
    # As tickets keep them: a keyed hash to match, the masked form to show.
    id_hash: str | None = Field(default=None, max_length=64)
    id_masked: str | None = Field(default=None, max_length=18)
    phone_masked: str | None = Field(default=None, max_length=11)
    materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    missing: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    window_id: int | None = Field(default=None, foreign_key="window.id")
    clerk_id: int | None = Field(default=None, foreign_key="staff.id")
    limit_days: int
    clock_started: date | None = None
    clock_paused_since: date | None = None
    clock_paused_days: int = 0
    clock_stopped: date | None = None
    urgent_due: date | None = None
    reason: str = Field(default="", max_length=500)  # the last 退回 or 复核 reason
    received_at: datetime
    received_on: date
    updated_at: datetime
    version: int = Field(default=1)


class CaseStep(SQLModel, table=True):
    """One step of a case, never changed afterwards (步步留痕)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="casefile.id", index=True)
    hall_id: int = Field(foreign_key="hall.id")
    action: str = Field(max_length=16)
    state: str = Field(max_length=16)
    at: datetime
    by_id: int | None = Field(default=None, foreign_key="staff.id")
    by_name: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=500)
    missing: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class CaseSeq(SQLModel, table=True):
    """The hall's case counter of a year: receipt numbers restart every year."""

    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    year: int = Field(primary_key=True)
    value: int = 0
