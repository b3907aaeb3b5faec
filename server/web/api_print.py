"""Printing for kiosks (what happened to my ticket?) and device alerts for supervisors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from server.devices.printing import HallsPrinting
from server.devices.printing_text import kiosk_message
from server.services import catalogue, halls, print_jobs
from server.services import device_alerts as alerts
from server.services.accounts import DeviceKind
from server.services.halls import hall_id

from .auth import DeviceDep, HubDep, SupervisorDep, require_device, require_hall
from .schemas.base import DEVICE, HALL, SUPERVISOR, errors
from .schemas.devices import DeviceAlert, NoticePrint, PrintJob

router = APIRouter(prefix="/api/v1", tags=["printing"])


def get_printing(request: Request) -> HallsPrinting | None:
    printing: HallsPrinting | None = getattr(request.app.state, "printing", None)
    return printing


PrintingDep = Annotated[HallsPrinting | None, Depends(get_printing)]


@router.get(
    "/print-jobs/{job}",
    summary="What happened to a print job, and what the kiosk should tell the citizen",
    response_model=PrintJob,
    responses=errors(*DEVICE, "PRINT_JOB_NOT_FOUND"),
)
def print_job(job: str, hub: HubDep, device: DeviceDep, printing: PrintingDep) -> dict[str, Any]:
    record = print_jobs.job_record(hub, job)
    require_device(device, DeviceKind.KIOSK, DeviceKind.DISPENSER, hall_id=record.hall_id)
    supervisor = printing.for_hall(halls.hall_by_id(hub, record.hall_id).code) if printing else None
    message = kiosk_message(record, supervisor.kiosk_of_printer() if supervisor else {})
    return {
        "job": record.job,
        "state": record.state,
        "printer": record.current_printer,
        "reprint": record.reprint,
        "message_zh": message.message_zh,
        "message_en": message.message_en,
        "code": message.code,
    }


@router.post(
    "/halls/{hall}/items/{code}/notice",
    summary="Print the one-time notice (一次性告知单) of a service item at this kiosk",
    response_model=NoticePrint,
    responses=errors(*HALL, *DEVICE, "SERVICE_ITEM_NOT_FOUND"),
)
def print_notice(
    hall: str, code: str, hub: HubDep, device: DeviceDep, printing: PrintingDep
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_device(device, DeviceKind.KIOSK, DeviceKind.DISPENSER, hall_id=hid)
    catalogue.guide(hub, hall, code)  # an unknown item is a 404 whether or not it can print
    job = None
    supervisor = printing.for_hall(hall) if printing else None
    if supervisor is not None:
        job = supervisor.print_notice(
            hall_id=hid, hall_code=hall, item_code=code, device_code=device.code
        )
    return {"item": code, "print": job}


@router.get(
    "/halls/{hall}/device-alerts",
    summary="Device alerts still active or not acknowledged",
    response_model=list[DeviceAlert],
    responses=errors(*HALL, *SUPERVISOR),
)
def device_alerts(hall: str, hub: HubDep, staff: SupervisorDep) -> list[dict[str, Any]]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return alerts.open_alerts(hub, hall_id=hid)


@router.post(
    "/halls/{hall}/device-alerts/{alert_id}/ack",
    summary="Acknowledge a device alert",
    response_model=DeviceAlert,
    responses=errors(*HALL, *SUPERVISOR, "DEVICE_ALERT_NOT_FOUND"),
)
def ack_device_alert(hall: str, alert_id: int, hub: HubDep, staff: SupervisorDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return alerts.ack_alert(hub, hall_id=hid, alert_id=alert_id, staff_id=staff.staff_id)
