"""Loading the demo hall: one command (`hall demo`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server.domain.attachments import sniff
from server.domain.guide import normalised_guide
from server.domain.holidays import read_table
from server.services.accounts import DeviceKind, Role, create_device, create_staff
from server.services.admin import set_window_queues
from server.services.calendar_import import read_rows
from server.store import accounts as account_store
from server.store import attachments as attachment_store
from server.store import halls as hall_store
from server.store import holidays as holiday_store
from server.store import life_events as life_event_store
from server.store import tables as t
from server.store.db import Database, Session

from . import attachments, data
from .avatars import avatar_png


@dataclass
class DemoResult:
    hall_code: str
    created: bool
    device_tokens: dict[str, str] = field(default_factory=dict)


def _id(row: t.Department | t.Queue) -> int:
    assert row.id is not None
    return row.id


# When the demo's attachments say they were uploaded (the demo has no clock of its own).
UPLOADED = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
CALENDARS = Path(__file__).with_name("calendars")
# The demo's photos are data like the rest, not of the moment it is loaded (the loader
# has no clock; the hub's clock is the only one).
PHOTOS_TAKEN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _badge(
    s: Session, hall_code: str, staff: t.Staff, now: datetime, windows: dict[int, t.Window]
) -> None:
    """A clerk's photo and title (亮牌), and the windows she may sit at."""
    assert staff.id is not None
    values: dict[str, object] = {"title": data.TITLES.get(staff.staff_no, "")}
    if staff.role != Role.ADMIN.value:
        account_store.put_photo(
            s, staff.id, "image/png", avatar_png(staff.name, staff.staff_no), now
        )
        stamp = int(now.timestamp())
        values["photo"] = f"/api/v1/halls/{hall_code}/staff/{staff.staff_no}/photo?v={stamp}"
    allowed = data.ALLOWED_WINDOWS.get(staff.staff_no, [])
    values["windows"] = [windows[n].id for n in allowed]
    account_store.save_staff(s, staff, values, bump=False)


def load_calendars(s: Session) -> list[int]:
    """The shipped national calendars (calendars/*.csv), for the years that have none
    yet: an installation's own entries are never overwritten. Returns the years loaded."""
    known = set(holiday_store.years(s))
    loaded = []
    for path in sorted(CALENDARS.glob("*.csv")):
        year = int(path.name[:4])
        if year in known:
            continue
        rows, problem = read_rows(path.name, path.read_bytes())
        entries, problems = read_table(rows, year)
        if problem or problems:
            raise ValueError(f"{path.name}: {problem or problems}")
        holiday_store.replace_year(s, year, "", entries)
        loaded.append(year)
    return loaded


def _installation_admin(s: Session) -> None:
    staff_no, name = data.INSTALLATION_ADMIN
    if account_store.staff_by_no(s, None, staff_no) is None:
        create_staff(
            s,
            hall_id=None,
            staff_no=staff_no,
            name=name,
            role=Role.ADMIN,
            password=data.ADMIN_PASSWORD,
        )


def _attachments(s: Session, hall_id: int) -> dict[str, int]:
    """The demo's 示范文本 and blank form, by key (demo/attachments.py)."""
    out = {}
    for key, name, kind, filename, content in attachments.demo_files():
        info = attachment_store.add_attachment(
            s,
            t.Attachment(
                hall_id=hall_id,
                name=name,
                kind=kind,
                filename=filename,
                content_type=sniff(content) or "application/octet-stream",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                data=content,
                created_at=UPLOADED,
            ),
        )
        out[key] = info.id
    return out


def _with_files(code: str, guide: dict[str, Any], files: dict[str, int]) -> dict[str, Any]:
    materials = [dict(m) for m in guide["materials"]]
    for (item, index), roles in attachments.MATERIAL_FILES.items():
        if item == code:
            materials[index].update({role: files[key] for role, key in roles.items()})
    return {**guide, "materials": materials}


def _life_events(s: Session, hall_id: int, items: dict[str, t.ServiceItem]) -> None:
    for sort, (code, name, name_en, description, members) in enumerate(data.LIFE_EVENTS):
        event = life_event_store.add_event(
            s,
            t.LifeEvent(
                hall_id=hall_id,
                code=code,
                name=name,
                name_en=name_en,
                description=description,
                sort=sort,
            ),
        )
        assert event.id is not None
        life_event_store.set_members(
            s, event.id, [(_item_id(items[item]), note) for item, note in members]
        )


def _item_id(item: t.ServiceItem) -> int:
    assert item.id is not None
    return item.id


def load_demo(db: Database, *, always_open: bool = False, hall_code: str = "demo") -> DemoResult:
    """Create the demo hall unless it exists, and the national calendars and the
    installation-wide admin unless there are. ``always_open`` lets it issue at any hour
    of any weekday (a public holiday stays closed: the national calendar says so)."""

    def work(s: Session) -> DemoResult:
        if hall_store.hall_by_code_or_none(s, hall_code) is not None:
            return DemoResult(hall_code, created=False)
        load_calendars(s)
        _installation_admin(s)
        values = {**data.HALL, "code": hall_code}
        if always_open:
            values["office_hours"] = {str(d): [["00:00", "23:59"]] for d in range(1, 8)}
        hall = t.Hall(**values)
        s.add(hall)
        s.flush()
        assert hall.id is not None
        hours = ["00:00-23:59"] if always_open else data.WEEKDAY_HOURS
        depts = {}
        for sort, (code, name, name_en) in enumerate(data.DEPARTMENTS):
            phone, location = data.DEPARTMENT_DESKS[code]
            d = t.Department(
                hall_id=hall.id,
                code=code,
                name=name,
                name_en=name_en,
                sort=sort,
                phone=phone,
                location=location,
            )
            s.add(d)
            depts[code] = d
        queues = {}
        for sort, (code, prefix, name, name_en, cap, minutes) in enumerate(data.QUEUES):
            q = t.Queue(
                hall_id=hall.id,
                code=code,
                prefix=prefix,
                name=name,
                name_en=name_en,
                daily_cap=cap,
                issue_hours=hours,
                default_service_minutes=minutes,
                sort=sort,
            )
            s.add(q)
            queues[code] = q
        s.flush()
        files = _attachments(s, hall.id)
        items = {}
        for sort, row in enumerate(data.ITEMS):
            code, name, name_en, dept, queue, py, hot = row[:7]
            items[code] = t.ServiceItem(
                hall_id=hall.id,
                department_id=_id(depts[dept]),
                queue_id=_id(queues[queue]),
                code=code,
                name=name,
                name_en=name_en,
                pinyin_initials=py,
                aliases=data.WORDS[code][0],
                keywords=data.WORDS[code][1],
                hot=hot,
                guide=normalised_guide(_with_files(code, data.guide(row), files)),
                sort=sort,
            )
            s.add(items[code])
        s.flush()
        _life_events(s, hall.id, items)
        windows = {}
        for number, name, name_en, wqs in data.WINDOWS:
            w = t.Window(hall_id=hall.id, number=number, name=name, name_en=name_en)
            s.add(w)
            s.flush()
            assert w.id is not None
            set_window_queues(s, hall.id, w.id, wqs)
            windows[number] = w
        now = PHOTOS_TAKEN
        for staff_no, name, role, _window in data.STAFF:
            password = data.ADMIN_PASSWORD if role == "admin" else data.DEMO_PASSWORD
            staff = create_staff(
                s, hall_id=hall.id, staff_no=staff_no, name=name, role=Role(role), password=password
            )
            _badge(s, hall_code, staff, now, windows)
        no, name, title = data.DISABLED_STAFF
        gone = create_staff(
            s, hall_id=hall.id, staff_no=no, name=name, role=Role.CLERK, password=data.DEMO_PASSWORD
        )
        account_store.save_staff(s, gone, {"title": title, "active": False}, bump=False)
        result = DemoResult(hall_code, created=True)
        code, kind, name = data.REVOKED_DEVICE
        device, _ = create_device(s, hall_id=hall.id, code=code, kind=DeviceKind(kind), name=name)
        account_store.save_device(s, device, {"active": False})
        for code, kind, name, window in data.DEVICES:
            _, token = create_device(
                s,
                hall_id=hall.id,
                code=code,
                kind=DeviceKind(kind),
                name=name,
                window_id=windows[window].id if window else None,
            )
            result.device_tokens[code] = token
        return result

    return db.write(work)
