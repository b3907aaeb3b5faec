"""Rule violations, each with a stable code and a message in Chinese and English."""

from __future__ import annotations

from typing import Any

# code -> (Chinese, English). The codes are part of the API: never rename one.
MESSAGES: dict[str, tuple[str, str]] = {
    "QUEUE_NOT_FOUND": ("没有这个队列", "No such queue"),
    "SERVICE_ITEM_NOT_FOUND": ("没有这个事项", "No such service item"),
    "WINDOW_NOT_FOUND": ("没有这个窗口", "No such window"),
    "TICKET_NOT_FOUND": ("没有这张号票", "No such ticket"),
    "HALL_NOT_FOUND": ("没有这个大厅", "No such hall"),
    "HALL_CLOSED_TODAY": ("今天大厅不办公", "The hall is closed today"),
    "HALL_CLOSED": (
        "本大厅已暂停对外服务，请留意大厅公告",
        "This hall is closed until further notice",
    ),
    "HALL_ALREADY_CLOSED": ("该大厅已经是关闭状态", "The hall is already closed"),
    "HALL_NOT_CLOSED": ("该大厅没有关闭", "The hall is not closed"),
    "LUNCH_BREAK": (
        "现在是午间休息时间，暂停取号",
        "Tickets are not issued during the lunch break",
    ),
    "OUTSIDE_TICKET_HOURS": (
        "现在不是本大厅的取号时间",
        "The hall does not issue tickets at this time",
    ),
    "OUT_OF_HOURS": (
        "现在不是该队列的取号时间",
        "Tickets for this queue are not issued at this time",
    ),
    "QUEUE_INACTIVE": ("该队列暂停取号", "This queue is not issuing tickets"),
    "DAILY_CAP_REACHED": ("今日该队列的号已取完", "Today's tickets for this queue are all taken"),
    "WINDOW_PAUSED": ("窗口已暂停服务", "The window is paused"),
    "WINDOW_ALREADY_PAUSED": ("窗口已经是暂停状态", "The window is already paused"),
    "WINDOW_NOT_PAUSED": ("窗口没有暂停", "The window is not paused"),
    "PAUSE_REASON_REQUIRED": ("暂停服务需要填写原因", "A reason is required to pause the window"),
    "NO_CURRENT_TICKET": ("窗口当前没有号票", "The window has no current ticket"),
    "TICKET_NOT_CALLED": ("该号尚未叫到，不能进行此操作", "The ticket has not been called"),
    "TICKET_NOT_WAITING": ("该号不在等候中", "The ticket is not waiting"),
    "TICKET_NOT_HELD": ("该号没有挂起", "The ticket is not on hold"),
    "TICKET_HELD_ELSEWHERE": ("该号挂起在其他窗口", "The ticket is held at another window"),
    "TICKET_NOT_NO_SHOW": ("该号不是过号状态", "The ticket is not marked as a no-show"),
    "TICKET_CLOSED": ("该号已结束", "The ticket is already closed"),
    "NO_SHOW_EXPIRED": (
        "过号已超过可恢复时间，请重新取号",
        "The no-show can no longer be reactivated; please take a new ticket",
    ),
    "RECALL_LIMIT_REACHED": ("重呼次数已达上限", "The recall limit has been reached"),
    "WINDOW_DOES_NOT_SERVE_QUEUE": (
        "该窗口不办理这个队列的业务",
        "The window does not serve this queue",
    ),
    "TICKET_FOR_OTHER_WINDOW": (
        "该号已转给其他窗口",
        "The ticket was transferred to another window",
    ),
    "TRANSFER_TARGET_REQUIRED": (
        "请选择转移到的队列或窗口",
        "Choose a queue or window to transfer to",
    ),
    "TICKET_FROM_OTHER_DAY": ("该号不是今天的号", "The ticket is not from today"),
    "ID_NUMBER_FORMAT": (
        "身份证号码应为18位，最后一位可以是X，请核对",
        "An ID number has 18 characters (the last may be X); please check it",
    ),
    "ID_NUMBER_BIRTH_DATE": (
        "身份证号码中的出生日期不正确，请核对",
        "The date of birth in the ID number is not valid; please check it",
    ),
    "ID_NUMBER_CHECK_DIGIT": (
        "身份证号码有误（校验位不符），请核对后重新输入",
        "The ID number is wrong (its check digit does not match); please check and re-enter it",
    ),
    "PHONE_INVALID": (
        "手机号码应为1开头的11位数字，请核对",
        "A mobile number has 11 digits and starts with 13 to 19; please check it",
    ),
    "ID_ALREADY_WAITING": (
        "您在该队列已有一张等候中的号，请留意叫号",
        "You already have a ticket waiting in this queue; please listen for your number",
    ),
    "ID_DAILY_LIMIT": (
        "该身份证今日取号次数已达上限，如有需要请到咨询台",
        "This ID number has reached today's ticket limit; please ask at the guide desk",
    ),
    "GREEN_CHANNEL_NOT_ALLOWED": (
        "绿色通道需凭身份证核验年龄，或请到咨询台办理",
        "The green channel needs an ID number showing the qualifying age; "
        "otherwise please ask at the guide desk",
    ),
    "RATING_ALREADY_GIVEN": (
        "这次服务已经评价过了",
        "This service has already been rated",
    ),
    "RATING_REQUEST_NOT_OPEN": (
        "该评价请求已关闭",
        "The rating request is closed",
    ),
    "PRINT_JOB_FINISHED": (
        "该打印任务已结束",
        "The print job has already finished",
    ),
    "PRINT_JOB_STEP_NOT_ALLOWED": (
        "该打印任务当前不能进入这一步",
        "The print job cannot take this step from its current state",
    ),
    "CASE_WRONG_STATE": (
        "该办件当前状态不能进行此操作",
        "The case cannot take this step in its current state",
    ),
    "CASE_NOT_IMMEDIATE": (
        "只有即办件可以当场办结",
        "Only an on-the-spot case can be finished at once",
    ),
    "CASE_REASON_REQUIRED": ("请填写原因", "A reason is required"),
    "CASE_NOTE_TOO_LONG": ("说明过长", "The note is too long"),
    "CASE_MISSING_REQUIRED": (
        "请选择需要补齐的材料",
        "Choose the materials that are missing",
    ),
    "JOINT_SUBCASES_OPEN": (
        "联办件的协办部门尚未全部办理完毕",
        "Not every department of the joint case has decided yet",
    ),
    "DEADLINE_IN_PAST": ("期限不能早于今天", "The deadline cannot be in the past"),
    "DEADLINE_NOT_WORKING_DAY": ("期限应为工作日", "The deadline must be a working day"),
    "URGENT_AFTER_DUE": (
        "急办期限不能晚于承诺办结期限",
        "An urgent deadline cannot be later than the promised one",
    ),
    "RECEIPT_PATTERN_INVALID": (
        "受理编号格式有误",
        "The receipt number pattern is not valid",
    ),
    "QUEUE_IN_USE": (
        "该队列仍在使用中，不能删除",
        "The queue is still in use and cannot be removed",
    ),
    "WINDOW_IN_USE": (
        "该窗口仍在使用中，不能删除",
        "The window is still in use and cannot be removed",
    ),
    "STAFF_IN_USE": (
        "该工作人员已有办理记录，不能删除，请改为停用",
        "The staff member has records and cannot be removed; disable the account instead",
    ),
    "DEVICE_IN_USE": (
        "该设备已有取号记录，不能删除，请改为停用",
        "The device has issued tickets and cannot be removed; revoke it instead",
    ),
    "OWN_ACCOUNT": (
        "不能停用或删除自己的账号，也不能更改自己的角色，请由其他管理员操作",
        "You cannot disable or remove your own account or change your own role; ask another admin",
    ),
    "WINDOW_NOT_ALLOWED": (
        "您不能在这个窗口登录，请选择分配给您的窗口",
        "You may not sign in at this window; choose one of the windows assigned to you",
    ),
    "ACCOUNT_LOCKED": (
        "密码连续输错次数过多，账号已锁定，请稍后再试或联系管理员解锁",
        "Too many wrong passwords in a row: the account is locked; try later or ask an admin to unlock it",
    ),
}


class DomainError(Exception):
    """A broken queue rule. ``code`` is stable; messages are for people."""

    def __init__(self, code: str, /, **details: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.details = details
        zh, en = MESSAGES[code]
        self.message_zh = zh
        self.message_en = en
        super().__init__(f"{code}: {en}")
