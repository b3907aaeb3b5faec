"""The catalogue's rules (domain/guide.py): an online item needs its whole public guide, a
draft may be incomplete; the promised time limit within the hall's share of the statutory
one, rounded down; each problem named by its path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from server.domain.guide import (
    check_department,
    check_guide,
    check_item,
    check_share,
    normalised_guide,
    promised_max,
)

GUIDE: dict[str, Any] = {
    "legal_basis": "《公司法》",
    "conditions": "符合设立条件",
    "quantity_limits": "无数量限制",
    "materials": [
        {"name": "申请书", "form": "原件", "copies": 1},
        {"name": "身份证", "form": "复印件", "copies": 2, "required": False, "note": "股东"},
    ],
    "procedure": ["受理", "审核", "发照"],
    "statutory_limit_days": 15,
    "promised_limit_days": 7,
    "case_type": "承诺件",
    "fees": "不收费",
    "location": "一楼A区",
    "hours": "工作日 9:00-17:00",
    "responsible": "登记注册科 陈立新",
    "contact_phone": "0571-12345101",
    "complaint_phone": "12345",
}
ITEM: dict[str, Any] = {
    "code": "A01",
    "name": "有限责任公司设立登记",
    "department": "SCJG",
    "queue": "A",
    "active": True,
    "guide": GUIDE,
}


def problems(item: dict[str, Any], share: int = 50) -> list[tuple[str, str]]:
    found = check_item(item, share_percent=share, departments={"SCJG"}, queues={"A"})
    return [(p.field, p.code) for p in found]


def with_guide(**changes: Any) -> dict[str, Any]:
    item = copy.deepcopy(ITEM)
    item["guide"].update(changes)
    return item


def test_a_complete_item_passes() -> None:
    assert problems(ITEM) == []


@pytest.mark.parametrize(
    ("statutory", "share", "allowed"),
    [(15, 50, 7), (20, 50, 10), (1, 50, 0), (15, 100, 15), (15, 34, 5), (0, 50, 0)],
)
def test_the_promise_is_the_share_of_the_statutory_limit_rounded_down(
    statutory: int, share: int, allowed: int
) -> None:
    assert promised_max(statutory, share) == allowed
    ok = with_guide(statutory_limit_days=statutory, promised_limit_days=allowed)
    assert problems(ok, share) == []
    over = with_guide(statutory_limit_days=statutory, promised_limit_days=allowed + 1)
    assert problems(over, share) == [("guide.promised_limit_days", "PROMISED_OVER_SHARE")]


def test_the_refusal_says_the_arithmetic_in_both_languages() -> None:
    [p] = check_guide({**GUIDE, "promised_limit_days": 8}, active=True, share_percent=50)
    zh, en = p.messages
    assert p.details == {"max": 7, "statutory": 15, "share": 50}
    assert "法定 15 个工作日 × 50% = 最多 7 个工作日" in zh
    assert "15 working days × 50% = at most 7 (rounded down)" in en


def test_an_on_the_spot_case_promises_zero() -> None:
    assert problems(with_guide(case_type="即办件", promised_limit_days=0)) == []
    assert problems(with_guide(case_type="即办件", promised_limit_days=1)) == [
        ("guide.promised_limit_days", "INSTANT_PROMISES_ZERO")
    ]


def test_an_online_item_needs_every_public_element_a_draft_does_not() -> None:
    bare = {**ITEM, "guide": {}}
    found = problems(bare)
    assert ("guide.responsible", "REQUIRED_ONLINE") in found
    assert ("guide.quantity_limits", "REQUIRED_ONLINE") in found
    assert len(found) == 14
    assert problems({**bare, "active": False}) == []


def test_what_a_draft_has_must_still_be_right() -> None:
    draft = {**ITEM, "active": False, "guide": {"statutory_limit_days": -1}}
    assert problems(draft) == [("guide.statutory_limit_days", "TOO_SMALL")]


def test_a_fee_needs_its_basis() -> None:
    assert problems(with_guide(fees="工本费 10 元")) == [("guide.fee_basis", "FEE_BASIS_REQUIRED")]
    assert problems(with_guide(fees="工本费 10 元", fee_basis="财税〔2014〕101号")) == []
    assert problems(with_guide(fees="免费")) == []


def test_each_material_problem_names_its_row_and_cell() -> None:
    item = with_guide(
        materials=[
            {"name": "申请书", "form": "原件", "copies": 1},
            {"name": "", "form": "传真件", "copies": 0},
            {"name": "申请书", "form": "原件", "copies": "两", "sample": 0, "colour": "红"},
        ]
    )
    assert problems(item) == [
        ("guide.materials[1].name", "REQUIRED"),
        ("guide.materials[1].form", "NOT_ALLOWED_OF"),
        ("guide.materials[1].copies", "TOO_SMALL"),
        ("guide.materials[2].colour", "UNKNOWN_FIELD"),
        ("guide.materials[2].name", "DUPLICATE"),
        ("guide.materials[2].copies", "NOT_A_NUMBER"),
        ("guide.materials[2].sample", "TOO_SMALL"),
    ]


def test_types_lengths_and_references() -> None:
    item = {
        **with_guide(
            statutory_limit_days="15",
            promised_limit_days=True,
            case_type="快办件",
            procedure=["受理", ""],
            online_url="ftp://x",
            contact_phone="电话",
            legal_basis="法" * 2001,
            secret="x",
        ),
        "code": "A 01",
        "department": "NOPE",
        "queue": "",
        "pinyin_initials": "YX",
    }
    assert problems(item) == [
        ("code", "CATALOGUE_CODE_FORMAT"),
        ("department", "DEPARTMENT_UNKNOWN"),
        ("queue", "REQUIRED"),
        ("pinyin_initials", "PINYIN_FORMAT"),
        ("guide.legal_basis", "TOO_LONG"),
        ("guide.procedure[1]", "REQUIRED"),
        ("guide.statutory_limit_days", "NOT_A_NUMBER"),
        ("guide.promised_limit_days", "NOT_A_NUMBER"),
        ("guide.case_type", "NOT_ALLOWED_OF"),
        ("guide.contact_phone", "PHONE_FORMAT"),
        ("guide.online_url", "URL_FORMAT"),
        ("guide.secret", "UNKNOWN_FIELD"),
        ("guide.online", "ONLINE_URL_WITHOUT_ONLINE"),
    ]


def test_attachment_ids_are_kept_as_given() -> None:
    guide = {**GUIDE, "materials": [{"name": "表", "form": "原件", "copies": 1, "sample": 4}]}
    assert check_guide(guide, active=True, share_percent=50) == []
    [m] = normalised_guide(guide)["materials"]
    assert m == {
        "name": "表",
        "form": "原件",
        "copies": 1,
        "required": True,
        "sample": 4,
        "blank_form": None,
    }


def test_departments() -> None:
    assert check_department({"code": "SCJG", "name": "市场监管局", "phone": "0571-1"}) == []
    found = check_department({"code": "市场", "name": "", "phone": "abc", "sort": "1"})
    assert [(p.field, p.code) for p in found] == [
        ("code", "CATALOGUE_CODE_FORMAT"),
        ("name", "REQUIRED"),
        ("phone", "PHONE_FORMAT"),
        ("sort", "NOT_A_NUMBER"),
    ]


def test_a_lower_share_is_refused_while_promises_exceed_it() -> None:
    guides = {
        "A01": {"statutory_limit_days": 15, "promised_limit_days": 7},
        "B01": {"statutory_limit_days": 20, "promised_limit_days": 5},
        "F05": {"case_type": "即办件"},
    }
    assert check_share(50, guides) == []
    [p] = check_share(40, guides)  # 15 × 40 % = 6 < 7
    assert (p.field, p.code, p.details) == (
        "promised_share_percent",
        "SHARE_BELOW_PROMISES",
        {"items": "A01", "count": 1},
    )
