"""The catalogue admin API: departments, service items with their guides, the import's
report. The guide's rules are the domain's (server/domain/guide.py): a body's ``guide``
is taken as it is and each of its problems named by path (guide.materials[2].copies)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from .base import Out
from .bodies import Body, _not_null


class DepartmentRow(Out):
    code: str
    name: str
    name_en: str
    sort: int
    active: bool = Field(description="false: disabled (its items stay)")
    phone: str
    location: str
    items: int = Field(description="how many service items belong to it")
    version: int = Field(description="send it back with an edit (version or If-Match)")


class DepartmentList(Out):
    departments: list[DepartmentRow]


class _DepartmentFields(Body):
    name_en: str | None = Field(default=None, max_length=200)
    sort: int | None = Field(default=None, ge=-100000, le=100000)
    active: bool | None = None
    phone: str | None = Field(default=None, max_length=40)
    location: str | None = Field(default=None, max_length=200)

    _nulls_refused = field_validator("name_en", "sort", "active", "phone", "location")(_not_null)


class DepartmentCreate(_DepartmentFields):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)


class DepartmentUpdate(_DepartmentFields):
    code: str | None = Field(default=None, min_length=1, max_length=32)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    version: int | None = Field(default=None, ge=1, description="the version read; or If-Match")

    _required = field_validator("code", "name")(_not_null)


class Material(Out):
    name: str
    form: str = Field(description="原件 | 复印件 | 原件及复印件 | 电子件")
    copies: int
    required: bool = True
    note: str | None = None
    sample: int | None = Field(default=None, description="attachment id of a filled-in sample")
    blank_form: int | None = Field(default=None, description="attachment id of the blank form")


class Guide(Out):
    """The public guide (办事指南); an element not given is left out."""

    legal_basis: str | None = Field(default=None, description="设定依据")
    conditions: str | None = Field(default=None, description="受理条件")
    quantity_limits: str | None = Field(default=None, description="数量限制")
    materials: list[Material] | None = Field(default=None, description="申请材料")
    procedure: list[str] | None = Field(default=None, description="办理流程, in order")
    statutory_limit_days: int | None = Field(default=None, description="法定办结时限, working days")
    promised_limit_days: int | None = Field(
        default=None,
        description="承诺办结时限, working days: at most the hall's promised_share_percent "
        "of the statutory limit, rounded down; 0 for a 即办件",
    )
    case_type: str | None = Field(default=None, description="即办件 | 承诺件 | 联办件 | 上报件")
    fees: str | None = Field(default=None, description="收费标准; 不收费 when free")
    fee_basis: str | None = Field(default=None, description="收费依据; required with a fee")
    location: str | None = None
    hours: str | None = None
    responsible: str | None = Field(default=None, description="责任人/责任科室")
    contact_phone: str | None = None
    complaint_phone: str | None = None
    online: bool | None = Field(default=None, description="可网上办理")
    online_url: str | None = None


class ItemRow(Out):
    code: str
    name: str
    name_en: str
    department: str | None
    department_name: str
    queue: str | None
    queue_name: str
    active: bool = Field(description="上线 (true) or 下线")
    sort: int
    hot: int
    aliases: list[str]
    keywords: list[str]
    pinyin_initials: str
    life_events: list[str] = Field(description="read only here")
    guide: Guide
    version: int = Field(description="send it back with an edit (version or If-Match)")


class ItemList(Out):
    items: list[ItemRow]


GUIDE_HELP = (
    "the guide's elements (see the Guide model); checked by the hub, each problem named "
    "by its path, e.g. guide.materials[2].copies. An edit changes the elements given "
    "(null removes one) and keeps the others."
)


class _ItemFields(Body):
    name_en: str | None = Field(default=None, max_length=300)
    active: bool | None = Field(default=None, description="上线 (true) or 下线 (a draft)")
    sort: int | None = Field(default=None, ge=-100000, le=100000)
    hot: int | None = Field(default=None, ge=0, le=100000)
    aliases: list[str] | None = Field(default=None, max_length=30)
    keywords: list[str] | None = Field(default=None, max_length=30)
    pinyin_initials: str | None = Field(
        default=None, max_length=200, description="computed from the name when empty"
    )
    guide: dict[str, Any] | None = Field(default=None, description=GUIDE_HELP)

    _nulls_refused = field_validator(
        "name_en", "active", "sort", "hot", "aliases", "keywords", "pinyin_initials", "guide"
    )(_not_null)


class ItemCreate(_ItemFields):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    department: str = Field(min_length=1, max_length=32, description="department code")
    queue: str = Field(min_length=1, max_length=32, description="queue code")


class ItemUpdate(_ItemFields):
    code: str | None = Field(default=None, min_length=1, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    department: str | None = Field(default=None, min_length=1, max_length=32)
    queue: str | None = Field(default=None, min_length=1, max_length=32)
    version: int | None = Field(default=None, ge=1, description="the version read; or If-Match")

    _required = field_validator("code", "name", "department", "queue")(_not_null)


class ItemOrder(Body):
    codes: list[str] = Field(
        min_length=1, max_length=2000, description="item codes, first first; others follow"
    )


class ItemOrderAnswer(Out):
    codes: list[str] = Field(description="every item's code, in the new order")


class ImportProblem(Out):
    sheet: str = Field(description="事项 (items) or 部门 (departments)")
    row: int | None = Field(description="the row number as the spreadsheet shows it")
    field: str
    column: str = Field(description="the column's Chinese header")
    code: str = Field(description="stable: server/domain/fields.py FIELD_MESSAGES")
    problem: str
    message_zh: str
    message_en: str


class CatalogueImportReport(Out):
    ok: bool
    dry_run: bool
    departments_created: int
    departments_updated: int
    items_created: int
    items_updated: int
    unchanged: int
    problems: list[ImportProblem]
