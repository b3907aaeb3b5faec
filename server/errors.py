"""Errors above the domain: each carries its HTTP status, a stable code and messages.

Queue-rule errors (server.domain.errors.DomainError) are mapped to statuses by the web
layer; everything the services and web layer raise themselves is a HubError.
"""

from __future__ import annotations

from typing import Any

# code -> (HTTP status, Chinese, English). Codes are part of the API: never rename one.
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "AUTH_REQUIRED": (401, "请先登录", "Sign in first"),
    "AUTH_INVALID": (
        401,
        "登录已失效，请重新登录",
        "Your sign-in has expired or is invalid; sign in again",
    ),
    "BAD_CREDENTIALS": (401, "工号或密码不正确", "Wrong staff number or password"),
    # The same words as the domain's (an admin page asked for a hall that is not there).
    "HALL_NOT_FOUND": (404, "没有这个大厅", "No such hall"),
    "NO_HALL_YET": (
        404,
        "还没有大厅：请先在“大厅”页新建一个",
        "There is no hall yet: create one on the halls page first",
    ),
    "HALL_REQUIRED": (
        422,
        "在窗口登录需要选择大厅",
        "Signing in at a window needs the hall",
    ),
    "DEVICE_TOKEN_INVALID": (401, "设备未授权", "The device token is not valid"),
    "FORBIDDEN": (403, "没有权限进行此操作", "You are not allowed to do this"),
    "WRONG_HALL": (403, "不能操作其他大厅", "You cannot act on another hall"),
    "WRONG_WINDOW": (403, "您没有在这个窗口登录", "You are not signed in at this window"),
    "NOT_AT_WINDOW": (403, "请先在窗口登录", "Sign in at a window first"),
    "WINDOW_TAKEN": (
        409,
        "该窗口已有其他工作人员登录",
        "Another clerk is signed in at this window",
    ),
    "INVALID_REQUEST": (422, "请求内容不正确", "The request is not valid"),
    "NOT_FOUND": (404, "找不到该内容", "Not found"),
    "METHOD_NOT_ALLOWED": (405, "不支持该操作", "Method not allowed"),
    "CONFLICT": (
        409,
        "内容已存在或已被修改，请刷新后重试",
        "It already exists or was changed; refresh and try again",
    ),
    "STALE_VERSION": (
        409,
        "已被他人修改，请刷新后重试",
        "It was changed by someone else; reload and try again",
    ),
    "VERSION_REQUIRED": (
        428,
        "请带上所读取内容的版本号（version 或 If-Match），以免覆盖他人的修改",
        "Send the version you read (version or If-Match), so that nobody's change is overwritten",
    ),
    "STAFF_NOT_FOUND": (404, "没有这个工作人员", "No such staff member"),
    "DEVICE_NOT_FOUND": (404, "没有这台设备", "No such device"),
    "QUEUE_CODE_TAKEN": (
        409,
        "该队列编码或字头已被使用",
        "This queue code or prefix is already in use",
    ),
    "WINDOW_NUMBER_TAKEN": (409, "该窗口号已被使用", "This window number is already in use"),
    "STAFF_NO_TAKEN": (409, "该工号已被使用", "This staff number is already in use"),
    "DEVICE_CODE_TAKEN": (409, "该设备编号已被使用", "This device code is already in use"),
    "PHOTO_INVALID": (
        422,
        "照片应为 JPEG 或 PNG 图片，不超过 1 MB",
        "The photo must be a JPEG or PNG image of at most 1 MB",
    ),
    "HALL_CODE_TAKEN": (409, "该大厅编码已被使用，请换一个", "This hall code is already in use"),
    "INSTALLATION_ADMIN_ONLY": (
        403,
        "只有全局管理员可以进行此操作",
        "Only an installation-wide admin may do this",
    ),
    "CALENDAR_IMPORT_INVALID": (
        422,
        "导入文件有错误，未导入任何内容，请按报告修改后重试",
        "The file has errors and nothing was imported; correct them as reported and retry",
    ),
    "ATTACHMENT_NOT_FOUND": (404, "找不到该附件", "No such attachment"),
    "ATTACHMENT_IN_USE": (
        409,
        "该附件正被事项的申请材料引用，请先在这些事项中取消引用",
        "Service items' materials use this attachment; remove it from them first",
    ),
    "LIFE_EVENT_NOT_FOUND": (404, "找不到该“一件事”", "No such life event"),
    "LIFE_EVENT_CODE_TAKEN": (
        409,
        "该编码已被本大厅的另一件“一件事”使用",
        "Another life event of this hall has this code",
    ),
    "DEPARTMENT_NOT_FOUND": (404, "本大厅没有这个部门", "This hall has no such department"),
    "DEPARTMENT_CODE_TAKEN": (
        409,
        "本大厅已有这个部门编码，请换一个",
        "This hall already has a department with this code",
    ),
    "DEPARTMENT_IN_USE": (
        409,
        "该部门下还有事项，不能删除；请先把事项改到其他部门，或停用该部门",
        "The department still has service items and cannot be removed; move them "
        "to another department first, or disable it",
    ),
    "ITEM_CODE_TAKEN": (
        409,
        "本大厅已有这个事项编码，请换一个",
        "This hall already has a service item with this code",
    ),
    "ITEM_IN_USE": (
        409,
        "今天还有群众在等候办理该事项，不能删除",
        "People are waiting for this service item today: it cannot be removed",
    ),
    "ITEM_IN_LIFE_EVENT": (
        409,
        "该事项属于“一件事”，请先从这些“一件事”中移除",
        "The service item is part of life events; take it out of them first",
    ),
    "ITEM_HAS_HISTORY": (
        409,
        "该事项已有办件记录，不能删除；请改为“下线”，记录会保留",
        "The service item has tickets on record and cannot be deleted: take it off line "
        "instead (its records stay)",
    ),
    "CATALOGUE_IMPORT_INVALID": (
        422,
        "导入文件有错误，未导入任何内容，请按报告修改后重试",
        "The file has errors and nothing was imported; correct them as reported and retry",
    ),
    "BUSY": (503, "系统繁忙，请稍后再试", "The system is busy; try again shortly"),
    "RATING_NOT_OPEN": (
        409,
        "当前没有等待评价的服务",
        "No service is waiting for a rating here",
    ),
    "RATING_ALREADY_GIVEN": (409, "这次服务已经评价过了", "This service has already been rated"),
    "RATING_NOT_AVAILABLE": (
        409,
        "服务办结后才能评价",
        "A service can be rated once it has finished",
    ),
    "RATING_REASON_NOT_ALLOWED": (
        422,
        "只有“不满意”和“非常不满意”可以选择原因",
        "A reason goes only with a dissatisfied rating",
    ),
    "NOTHING_TO_RATE": (
        409,
        "这个窗口今天还没有可以评价的服务",
        "This window has no service to be rated today",
    ),
    "DEVICE_WRONG_WINDOW": (403, "该设备不属于这个窗口", "This device belongs to another window"),
    "VOICE_BAD_CLIPS": (
        422,
        "语音片段名称无效",
        "Unknown or too many voice clip names",
    ),
    "VOICE_UNAVAILABLE": (
        503,
        "语音片段缺失且无法生成，请运行 hall voice generate",
        "Voice clips are missing and cannot be generated; run hall voice generate",
    ),
    "INTERNAL": (500, "系统内部错误，已记录", "Internal error; it has been logged"),
    "IDEMPOTENCY_KEY_REUSED": (
        422,
        "该取号请求编号已用于另一次不同的取号",
        "This request id was already used for a different ticket request",
    ),
    "PRINT_JOB_NOT_FOUND": (404, "找不到该打印任务", "No such print job"),
    "DEVICE_ALERT_NOT_FOUND": (404, "找不到该设备告警", "No such device alert"),
    "PRINTER_NOT_FOUND": (404, "找不到该打印机", "No such printer"),
    "DEVICE_NOT_SIMULATED": (
        404,
        "没有这台模拟设备（只有模拟总线上的设备可以在此按键）",
        "No such simulated device (only devices on a simulated bus can be pressed here)",
    ),
    "DEVICE_KEY_INVALID": (
        422,
        "这台设备没有这个按键",
        "This device has no such key",
    ),
    "ITEM_NO_TIME_LIMIT": (
        422,
        "该事项没有设定承诺办结时限，不能登记办件",
        "The service item has no promised time limit; a case cannot be registered",
    ),
    "JOINT_DEPARTMENTS_INVALID": (
        422,
        "联办件需要选择其他协办部门",
        "A joint case needs the other departments that take part",
    ),
    "CASE_NOT_FOUND": (
        404,
        "没有找到该办件，请核对受理编号和号码后四位",
        "No such case; check the receipt number and the last four digits",
    ),
    "CASE_ACTION_UNKNOWN": (422, "没有这个办件操作", "No such step of a case"),
    "CASE_NOTHING_MISSING": (
        409,
        "该办件没有需要补齐的材料，无需告知书",
        "Nothing is missing from this case: there is no notice to print",
    ),
    "CASE_MISSING_UNKNOWN": (
        422,
        "补齐材料应从该事项的申请材料中选择",
        "The missing materials are chosen from the item's list of materials",
    ),
    "TOO_MANY_ATTEMPTS": (
        429,
        "查询次数过多，请稍后再试",
        "Too many attempts; try again later",
    ),
}


class HubError(Exception):
    def __init__(self, code: str, /, **details: Any) -> None:
        status, zh, en = CATALOGUE[code]
        self.code = code
        self.status = status
        self.message_zh = zh
        self.message_en = en
        self.details = details
        super().__init__(f"{code}: {en}")
