"""The catalogue's admin endpoints: a hall's departments and service items (with their
办事指南), their order, and the catalogue's import and export. A hall's own admin, or an
installation-wide one; edits name the version read (body "version" or If-Match)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from server.services import catalogue_admin as catalogue
from server.services import catalogue_io
from server.services.halls import hall_id

from .api_admin import ADMIN, EDIT, IfMatch, _tagged, _version
from .auth import AdminDep, HubDep, actor_of, require_hall
from .schemas.base import errors
from .schemas.catalogue_admin import (
    CatalogueImportReport,
    DepartmentCreate,
    DepartmentList,
    DepartmentRow,
    DepartmentUpdate,
    ItemCreate,
    ItemList,
    ItemOrder,
    ItemOrderAnswer,
    ItemRow,
    ItemUpdate,
)

router = APIRouter(prefix="/api/v1/admin/halls/{hall}", tags=["catalogue admin"])
DEPT = "DEPARTMENT_NOT_FOUND"
ITEM = "SERVICE_ITEM_NOT_FOUND"


def _hall(hub: HubDep, staff: AdminDep, hall: str) -> int:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return hid


# ---- departments ------------------------------------------------------------------------


@router.get("/departments", response_model=DepartmentList, responses=errors(*ADMIN))
def list_departments(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    """In the admin's order (sort, then code), disabled ones too."""
    return {"departments": catalogue.department_rows(hub, hall_id=_hall(hub, staff, hall))}


@router.post(
    "/departments",
    status_code=201,
    response_model=DepartmentRow,
    responses=errors(*ADMIN, "DEPARTMENT_CODE_TAKEN"),
)
def create_department(
    hall: str,
    body: DepartmentCreate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    row = catalogue.create_department(
        hub,
        hall_id=_hall(hub, staff, hall),
        values=body.model_dump(exclude_unset=True),
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.get("/departments/{code}", response_model=DepartmentRow, responses=errors(*ADMIN, DEPT))
def get_department(
    hall: str, code: str, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    row = catalogue.department_row(hub, hall_id=_hall(hub, staff, hall), code=code)
    return _tagged(response, row)


@router.patch(
    "/departments/{code}",
    response_model=DepartmentRow,
    responses=errors(*ADMIN, *EDIT, DEPT, "DEPARTMENT_CODE_TAKEN"),
)
def update_department(
    hall: str,
    code: str,
    body: DepartmentUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Any field; ``active`` false disables the department (its items stay)."""
    changes = body.model_dump(exclude_unset=True)
    changes["version"] = _version(body.version, if_match)
    row = catalogue.update_department(
        hub,
        hall_id=_hall(hub, staff, hall),
        code=code,
        changes=changes,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.delete(
    "/departments/{code}",
    status_code=204,
    responses=errors(*ADMIN, DEPT, "DEPARTMENT_IN_USE"),
)
def delete_department(
    hall: str, code: str, hub: HubDep, staff: AdminDep, request: Request
) -> Response:
    """Refused (DEPARTMENT_IN_USE, details.items) while any item belongs to it."""
    catalogue.remove_department(
        hub, hall_id=_hall(hub, staff, hall), code=code, actor=actor_of(request, staff)
    )
    return Response(status_code=204)


# ---- service items ----------------------------------------------------------------------


@router.get("/items", response_model=ItemList, responses=errors(*ADMIN))
def list_items(
    hall: str,
    hub: HubDep,
    staff: AdminDep,
    department: Annotated[str | None, Query(max_length=32)] = None,
    queue: Annotated[str | None, Query(max_length=32)] = None,
    active: Annotated[bool | None, Query(description="true: 上线 only; false: 下线 only")] = None,
    q: Annotated[
        str | None, Query(max_length=50, description="code, name, alias, initials")
    ] = None,
) -> dict[str, Any]:
    """Every item, 上线 or 下线, in the admin's order (sort, then code)."""
    rows = catalogue.item_rows(
        hub,
        hall_id=_hall(hub, staff, hall),
        department=department,
        queue=queue,
        active=active,
        q=q,
    )
    return {"items": rows}


@router.post(
    "/items",
    status_code=201,
    response_model=ItemRow,
    responses=errors(*ADMIN, "ITEM_CODE_TAKEN"),
)
def create_item(
    hall: str,
    body: ItemCreate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    """An item 上线 (the default) needs its whole public guide; a 下线 draft may be
    incomplete. Every problem is answered at once (INVALID_REQUEST, details.fields)."""
    row = catalogue.create_item(
        hub,
        hall_id=_hall(hub, staff, hall),
        values=body.model_dump(exclude_unset=True),
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.post(
    "/items/order",
    response_model=ItemOrderAnswer,
    summary="Put items in this order (the rest follow in theirs)",
    responses=errors(*ADMIN),
)
def order_items(
    hall: str, body: ItemOrder, hub: HubDep, staff: AdminDep, request: Request
) -> dict[str, Any]:
    codes = catalogue.order_items(
        hub, hall_id=_hall(hub, staff, hall), codes=body.codes, actor=actor_of(request, staff)
    )
    return {"codes": codes}


@router.get("/items/{code}", response_model=ItemRow, responses=errors(*ADMIN, ITEM))
def get_item(
    hall: str, code: str, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    return _tagged(response, catalogue.item_row(hub, hall_id=_hall(hub, staff, hall), code=code))


@router.patch(
    "/items/{code}",
    response_model=ItemRow,
    responses=errors(*ADMIN, *EDIT, ITEM, "ITEM_CODE_TAKEN"),
)
def update_item(
    hall: str,
    code: str,
    body: ItemUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The fields given; in ``guide`` the elements given (null removes one). "active":
    false takes the item 下线, true 上线 (then its whole guide must be complete)."""
    changes = body.model_dump(exclude_unset=True)
    changes["version"] = _version(body.version, if_match)
    row = catalogue.update_item(
        hub,
        hall_id=_hall(hub, staff, hall),
        code=code,
        changes=changes,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.delete(
    "/items/{code}",
    status_code=204,
    responses=errors(*ADMIN, ITEM, "ITEM_IN_USE", "ITEM_HAS_HISTORY", "ITEM_IN_LIFE_EVENT"),
)
def delete_item(hall: str, code: str, hub: HubDep, staff: AdminDep, request: Request) -> Response:
    """Only an item never ticketed is deleted. ITEM_IN_USE while tickets for it wait
    today; ITEM_HAS_HISTORY once it has tickets on record: take it 下线 instead; ITEM_IN_LIFE_EVENT while a life event bundles it."""
    catalogue.remove_item(
        hub, hall_id=_hall(hub, staff, hall), code=code, actor=actor_of(request, staff)
    )
    return Response(status_code=204)


# ---- import and export ------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content: bytes, media: str, name: str) -> Response:
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/catalogue/template.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **errors(*ADMIN)},
)
def template(hall: str, hub: HubDep, staff: AdminDep) -> Response:
    """Chinese headers, English in the second row, one example row; the 部门 sheet too."""
    content = catalogue_io.template(hub, hall_id=_hall(hub, staff, hall))
    return _file(content, XLSX, f"catalogue-template-{hall}.xlsx")


@router.get(
    "/catalogue/export.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **errors(*ADMIN)},
)
def export_xlsx(hall: str, hub: HubDep, staff: AdminDep) -> Response:
    content = catalogue_io.export(hub, hall_id=_hall(hub, staff, hall), kind="xlsx")
    return _file(content, XLSX, f"catalogue-{hall}.xlsx")


@router.get(
    "/catalogue/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **errors(*ADMIN)},
)
def export_csv(hall: str, hub: HubDep, staff: AdminDep) -> Response:
    """The items alone (UTF-8 with a BOM, for Excel); departments by code."""
    content = catalogue_io.export(hub, hall_id=_hall(hub, staff, hall), kind="csv")
    return _file(content, "text/csv; charset=utf-8", f"catalogue-{hall}.csv")


@router.post(
    "/catalogue/import",
    response_model=CatalogueImportReport,
    summary="Import the catalogue from XLSX or CSV (the template's columns); dry_run first",
    responses=errors(*ADMIN, "CATALOGUE_IMPORT_INVALID"),
)
def import_catalogue(
    hall: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    file: Annotated[UploadFile, File(description="XLSX (sheets 事项, 部门) or CSV (items)")],
    dry_run: Annotated[bool, Query(description="check only: report every bad row")] = True,
) -> dict[str, Any]:
    """A dry run reports every bad row (sheet, row, column, stable code) and saves
    nothing. Without it, all or nothing: new departments and items are created, existing
    ones (by code) updated, none deleted; any bad row and nothing is saved
    (CATALOGUE_IMPORT_INVALID, with the same problems)."""
    content = file.file.read(catalogue_io.MAX_BYTES + 1)
    report = catalogue_io.import_file(
        hub,
        hall_id=_hall(hub, staff, hall),
        filename=file.filename or "",
        content=content,
        dry_run=dry_run,
        actor=actor_of(request, staff),
    )
    return report.as_dict()
