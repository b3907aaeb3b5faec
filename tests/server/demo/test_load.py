"""`hall demo` loads the demo hall once."""

from __future__ import annotations

from server.demo import data
from server.demo.load import load_demo
from server.domain.guide import check_department
from server.services import catalogue_admin
from server.services.halls import hall_id
from server.services.hub import Hub


def test_loading_the_demo_twice_keeps_the_hall(hub: Hub) -> None:
    assert load_demo(hub.db).created
    again = load_demo(hub.db)
    assert not again.created and again.device_tokens == {}


def test_every_demo_item_passes_the_catalogues_rules(hub: Hub) -> None:
    """All 33 items 上线 with their whole guide (责任人, 数量限制, ...), each promise within
    the hall's 50 % of the statutory limit; the departments complete too."""
    load_demo(hub.db)
    hid = hall_id(hub, "demo")
    with hub.db.read() as s:
        ctx = catalogue_admin.context(s, hid)
        items = [
            catalogue_admin.item_values(i, ctx)
            for i in catalogue_admin.store.items_in_order(s, hid)
        ]
    assert [i["code"] for i in items] == [row[0] for row in data.ITEMS] and len(items) == 33
    for values in items:
        assert values["active"]
        full, problems = catalogue_admin.checked(values, ctx)
        assert problems == [], values["code"]
        assert full["guide"] == values["guide"], values["code"]  # stored as a save stores it
    for d in catalogue_admin.department_rows(hub, hall_id=hid):
        assert check_department(d) == [] and d["phone"] and d["location"]
