"""The hub's command line: `hall serve | demo | migrate | create-admin | check-config |
catalogue | ...`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from server.config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    if getattr(args, "database_url", None):
        os.environ["DATABASE_URL"] = args.database_url
    return Settings()


def cmd_migrate(args: argparse.Namespace) -> int:
    from server.store.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url)
    print(f"数据库已是最新 / database is up to date: {settings.database_url}")
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    from server.hardware import HardwareError, load_halls_hardware

    path = Path(args.devices or _settings(args).devices_file)
    try:
        configs = load_halls_hardware(path)
    except HardwareError as err:
        print("设备配置有误 / the device configuration has mistakes:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    for hw in configs:
        print(
            f"{path}: 配置正确 / OK — hall {hw.hall!r}: {len(hw.printer)} printers, "
            f"{len(hw.kiosk)} kiosks, {len(hw.board)} boards, {len(hw.bus)} buses"
        )
    from server.public_url import public_url_warnings

    for warning in public_url_warnings(_settings(args).public_url, args.host):
        print(f"警告 warning: {warning}", file=sys.stderr)
    return 0


def cmd_printers(args: argparse.Namespace) -> int:
    """Ask every printer of the devices files for its status; 1 if any cannot print."""
    import asyncio

    from printer import check_printers
    from server.devices.printing_text import printer_state_text
    from server.hardware import HardwareError, load_halls_hardware

    path = Path(args.devices or _settings(args).devices_file)
    try:
        configs = load_halls_hardware(path)
    except HardwareError as err:
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    if args.hall:
        configs = [c for c in configs if c.hall == args.hall]
    printers = [p for c in configs for p in c.printer]
    if not printers:
        print(f"{path}: 没有打印机 / no printers")
        return 0
    statuses = asyncio.run(check_printers(printers))
    halls = {id(p): c.hall for c in configs for p in c.printer}
    several = len(configs) > 1
    for config, status in zip(printers, statuses, strict=True):
        where = {
            "network": f"{config.host}:{config.port}",
            "fake": "simulated, runs inside the hub",
            "virtual": "PNG images, runs inside the hub",
        }.get(config.driver, config.device or "usb")
        line = f"{halls[id(config)]:<8} " if several else ""
        line += f"{config.id:<8} {config.driver:<8} {where:<32} "
        line += printer_state_text(status.state, status.paper_near_end)
        if status.error and status.state == "unreachable":
            line += f" ({status.error})"
        print(line)
    return 0 if all(s.ready for s in statuses) else 1


def _public_url(settings: Settings, host: str, port: int) -> str:
    """HALL_PUBLIC_URL, or where this hub listens; every worker process inherits it."""
    from server.public_url import derived_public_url

    url = settings.public_url or derived_public_url(host, port)
    os.environ["HALL_PUBLIC_URL"] = url
    return url


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    import uvicorn

    os.environ["DATABASE_URL"] = settings.database_url
    _public_url(settings, host, port)
    uvicorn.run(
        "server.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # Screens get the same small messages: compressing each one once per connection
        # costs far more CPU than the bytes it saves on a hall's LAN.
        ws_per_message_deflate=False,
        # Boards keep their sockets open forever: don't wait for them on shutdown.
        timeout_graceful_shutdown=10,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from server.hardware import HardwareError, load_halls_hardware
    from server.store.migrate import upgrade

    settings = _settings(args)
    try:
        load_halls_hardware(Path(settings.devices_file))
    except HardwareError as err:
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    return _serve(settings, args.host, args.port, args.workers)


def cmd_demo(args: argparse.Namespace) -> int:
    from server.demo import data
    from server.demo.load import load_demo
    from server.services.accounts import rotate_device_token
    from server.services.audit import Actor
    from server.services.halls import hall_id
    from server.services.hub import Hub
    from server.store.migrate import upgrade

    if not args.database_url and "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = "sqlite:///var/demo.db"
    settings = _settings(args)
    upgrade(settings.database_url)
    hub = Hub.create(settings)
    result = load_demo(hub.db, always_open=not args.real_hours)
    demo_id = hall_id(hub, result.hall_code)
    tokens = {
        code: rotate_device_token(hub, hall_id=demo_id, code=code, actor=Actor.cli())
        for code in ("K01", "K02", "HB01", "RT01")
    }
    hub.db.dispose()
    base = _public_url(settings, args.host, args.port)
    print()
    print("=" * 72)
    print(
        f"示范大厅已就绪 / demo hall ready: {data.HALL['name']} ({'created' if result.created else 'existing'})"
    )
    print(f"  数据库 database     {settings.database_url}")
    print(f"  号票二维码 QR links {base}/t/…")
    print(f"  首页 home           {base}/")
    print(f"  API 文档 docs       {base}/docs")
    print(f"  排队情况 queues     {base}/api/v1/halls/demo/queues")
    print(f"  事项目录 catalogue  {base}/api/v1/halls/demo/catalogue")
    print(
        f"  大厅管理 halls      {base}/admin/halls  (admin; {data.INSTALLATION_ADMIN[0]} for every hall)"
    )
    print(f"  节假日 holidays     {base}/admin/calendar")
    devices = Path(settings.devices_file)
    if devices.exists():
        # The hub starts the fake and virtual printers of devices.toml itself.
        print(f"  打印机 printers     {base}/admin/printers  (admin)")
        print(
            f"  窗口设备 keypads    {base}/admin/window-devices  (admin; simulated keypads and pads)"
        )
    else:
        print(f"  打印机 printers     none: {devices} not found")
    print(f"  触摸取号机 kiosk    {base}/kiosk/demo?device=K01&token={tokens['K01']}")
    print(f"  横屏取号机 kiosk 2  {base}/kiosk/demo?device=K02&token={tokens['K02']}")
    print(f"  大厅综合屏 board    {base}/board/hall/demo?board=HB01")
    print(f"  窗口屏 window board {base}/board/window/demo/1")
    print(f"  窗口工作台 clerk    {base}/clerk")
    print(f"  启动页 launcher     {base}/launcher.html  (kiosk and board PCs start on a copy)")
    print(f"  评价平板 rating     {base}/rate/demo/1?token={tokens['RT01']}")
    print(f"  满意度 ratings      {base}/supervisor/ratings  (S001)")
    print(f"  取号机令牌 kiosk K01 token: {tokens['K01']}")
    print(f"  大厅屏令牌 board HB01 token: {tokens['HB01']}")
    print(
        f"  工作人员 staff: C001..C012 (windows 1..12) / S001 supervisor, password {data.DEMO_PASSWORD}; "
        f"admin / {data.ADMIN_PASSWORD} (this hall), {data.INSTALLATION_ADMIN[0]} / {data.ADMIN_PASSWORD} (every hall)"
    )
    print("  取号 issue a ticket:")
    print(
        f"    curl -X POST {base}/api/v1/halls/demo/tickets -H 'Authorization: Bearer {tokens['K01']}' "
        "-H 'Content-Type: application/json' -d '{\"item\": \"B03\"}'"
    )
    print("=" * 72)
    sys.stdout.flush()
    if args.no_serve:
        return 0
    return _serve(settings, args.host, args.port, 1)


def cmd_create_admin(args: argparse.Namespace) -> int:
    from server.services import admin
    from server.services.accounts import Role
    from server.services.audit import Actor
    from server.services.halls import hall_id
    from server.services.hub import Hub

    password = (
        args.password or os.environ.get("HALL_ADMIN_PASSWORD") or getpass.getpass("密码 password: ")
    )
    if len(password) < 8:
        print("密码至少8位 / the password needs at least 8 characters", file=sys.stderr)
        return 2
    hub = Hub.create(_settings(args))
    admin.add_staff(
        hub,
        hall_id=hall_id(hub, args.hall) if args.hall else None,
        staff_no=args.staff_no,
        name=args.name,
        role=Role.ADMIN,
        password=password,
        actor=Actor.cli(),
    )
    hub.db.dispose()
    print(
        f"管理员已创建 / admin {args.staff_no} created"
        + (f" for hall {args.hall}" if args.hall else " (all halls)")
    )
    return 0


def cmd_workdays(args: argparse.Namespace) -> int:
    """The due date N working days from a date, as cases are timed (承诺时限)."""
    from datetime import date

    from server.domain.errors import DomainError
    from server.errors import HubError
    from server.services import calendar
    from server.services.halls import hall_id
    from server.services.hub import Hub

    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        print(f"日期应写成 YYYY-MM-DD / the date is YYYY-MM-DD: {args.start!r}", file=sys.stderr)
        return 2
    if not 0 <= args.days <= 365:
        print("天数应在0到365之间 / days are 0 to 365", file=sys.stderr)
        return 2
    hub = Hub.create(_settings(args))
    try:
        due = calendar.add_working_days(
            hub, hall_id=hall_id(hub, args.hall), start=start, days=args.days
        )
    except (HubError, DomainError) as err:
        print(f"{err.message_zh} / {err.message_en}", file=sys.stderr)
        return 2
    finally:
        hub.db.dispose()
    print(due.isoformat())
    return 0


def cmd_device_token(args: argparse.Namespace) -> int:
    from server.services.accounts import rotate_device_token
    from server.services.audit import Actor
    from server.services.halls import hall_id
    from server.services.hub import Hub

    hub = Hub.create(_settings(args))
    token = rotate_device_token(
        hub, hall_id=hall_id(hub, args.hall), code=args.device, actor=Actor.cli()
    )
    hub.db.dispose()
    print(token)
    return 0


def _print_problems(problems: list[dict[str, object]]) -> None:
    print(
        f"导入文件有 {len(problems)} 处错误，未导入任何内容 / "
        f"{len(problems)} problems; nothing was imported:",
        file=sys.stderr,
    )
    for p in problems:
        row = f"第{p['row']}行 row {p['row']}" if p.get("row") else "文件 file"
        column = f"{p['column']}（{p['field']}）" if p.get("column") else str(p["field"])
        print(
            f"  - {p['sheet']} {row} {column} [{p['code']}] {p['message_zh']} / {p['message_en']}",
            file=sys.stderr,
        )


def cmd_catalogue(args: argparse.Namespace) -> int:
    """`hall catalogue import FILE --hall CODE [--dry-run]` and `hall catalogue export FILE
    --hall CODE`: the XLSX (or CSV) of services/catalogue_io.py; audited as the CLI."""
    from server.domain.errors import DomainError
    from server.errors import HubError
    from server.services import catalogue_io
    from server.services.audit import Actor
    from server.services.halls import hall_id
    from server.services.hub import Hub

    path = Path(args.file)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "csv"):
        print("文件应为 .xlsx 或 .csv / the file must be .xlsx or .csv", file=sys.stderr)
        return 2
    hub = Hub.create(_settings(args))
    try:
        hid = hall_id(hub, args.hall)
        if args.action == "export":
            path.write_bytes(catalogue_io.export(hub, hall_id=hid, kind=kind))
            print(f"已导出 / exported: {path}")
            return 0
        try:
            content = path.read_bytes()
        except OSError as err:
            print(f"无法读取文件 / cannot read {path}: {err.strerror}", file=sys.stderr)
            return 2
        try:
            report = catalogue_io.import_file(
                hub,
                hall_id=hid,
                filename=path.name,
                content=content,
                dry_run=args.dry_run,
                actor=Actor.cli(),
            )
        except HubError as err:
            if err.code != "CATALOGUE_IMPORT_INVALID":
                raise
            _print_problems(list(err.details["problems"]))
            return 1
        if not report.ok:
            _print_problems(report.problems)
            return 1
        done = (
            "检查无误（未保存） / checked, nothing saved" if args.dry_run else "已导入 / imported"
        )
        print(
            f"{done}: 新建部门 departments created {report.departments_created}, "
            f"更新部门 updated {report.departments_updated}, "
            f"新建事项 items created {report.items_created}, "
            f"更新事项 updated {report.items_updated}, 未变 unchanged {report.unchanged}"
        )
        return 0
    except DomainError as err:
        print(f"{err.message_zh} / {err.message_en}: {args.hall}", file=sys.stderr)
        return 2
    finally:
        hub.db.dispose()


def cmd_voice(args: argparse.Namespace) -> int:
    from server import voice

    return int(voice.main(args.rest))


def cmd_simulate(args: argparse.Namespace) -> int:
    from server.devices.windowbus import simulator

    return int(simulator.main(args.rest))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hall", description="政务服务大厅排队叫号系统 hub")
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the hub")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="load the demo hall and run the hub")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--real-hours",
        action="store_true",
        help="keep weekday office hours (default: open around the clock)",
    )
    p.add_argument("--no-serve", action="store_true", help="load and print, do not serve")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("migrate", help="create or upgrade the database schema")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "workdays", help="the due date N working days from a date, by the hall's calendar"
    )
    p.add_argument("--hall", required=True)
    p.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    p.add_argument("--days", type=int, required=True)
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_workdays)

    p = sub.add_parser("create-admin", help="create an admin account")
    p.add_argument("--hall", help="hall code; omit for an installation-wide admin")
    p.add_argument("--staff-no", required=True)
    p.add_argument("--name", default="管理员")
    p.add_argument("--password", help="or HALL_ADMIN_PASSWORD, or asked for")
    p.set_defaults(func=cmd_create_admin)

    p = sub.add_parser("check-config", help="validate the devices files and HALL_PUBLIC_URL")
    p.add_argument(
        "--devices",
        help="a file, or a directory of a file per hall (default: HALL_DEVICES_FILE or devices.toml)",
    )
    p.add_argument("--host", default="127.0.0.1", help="the address `hall serve` will listen on")
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser(
        "printers", help="check every printer of the devices files and print its status"
    )
    p.add_argument(
        "--devices",
        help="a file, or a directory of a file per hall (default: HALL_DEVICES_FILE or devices.toml)",
    )
    p.add_argument("--hall", help="only this hall's printers")
    p.set_defaults(func=cmd_printers)

    p = sub.add_parser("device-token", help="issue a new token for a device")
    p.add_argument("--hall", required=True)
    p.add_argument("--device", required=True)
    p.set_defaults(func=cmd_device_token)

    p = sub.add_parser("catalogue", help="import or export a hall's departments and service items")
    p.add_argument("action", choices=["import", "export"])
    p.add_argument("file", help="an .xlsx (sheets 事项 and 部门) or .csv (items) file")
    p.add_argument("--hall", required=True, help="the hall's code")
    p.add_argument("--dry-run", action="store_true", help="import: check only, save nothing")
    p.set_defaults(func=cmd_catalogue)

    p = sub.add_parser("voice", help="voice clips: generate | list | say (see `hall voice -h`)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_voice)

    p = sub.add_parser("simulate", help="play a keypad or rating pad on a serial port")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_simulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
