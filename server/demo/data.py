"""The demo hall's content. Guide texts are illustrative, written for the demo."""

from __future__ import annotations

from typing import Any

HALL: dict[str, Any] = {
    "code": "demo",
    "name": "示范区政务服务中心",
    "name_en": "Demo District Government Service Center",
    "timezone": "Asia/Shanghai",
    # Weekdays 9:00-12:00 and 13:30-17:00: the lunch break is the gap (the queues issue
    # from 8:45, before the doors open, as WEEKDAY_HOURS says).
    "office_hours": {str(d): [["09:00", "12:00"], ["13:30", "17:00"]] for d in range(1, 6)},
    "address": "示范区人民路88号 政务服务中心一楼",
    "phone": "0571-12345000",
    "notice": "请携带身份证原件；过号请重新取号；中午12:00-13:30部分窗口轮休。",
}

WEEKDAY_HOURS = ["08:45-11:45", "13:30-16:45"]

DEPARTMENTS = [
    ("SCJG", "市场监督管理局", "Market Regulation Bureau"),
    ("RSJ", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("YBJ", "医疗保障局", "Healthcare Security Bureau"),
    ("ZRZY", "自然资源和规划局", "Natural Resources and Planning Bureau"),
    ("BDC", "不动产登记中心", "Real Estate Registration Center"),
    ("GAJ", "公安分局", "Public Security Bureau"),
    ("SWJ", "税务局", "Taxation Bureau"),
    ("MZJ", "民政局", "Civil Affairs Bureau"),
    ("GJJ", "住房公积金管理中心", "Housing Provident Fund Center"),
]

# Each department's enquiry phone and where its desks are (进驻部门).
DEPARTMENT_DESKS = {
    "SCJG": ("0571-12345100", "一楼 A 区 1-3 号窗口"),
    "RSJ": ("0571-12345200", "一楼 B 区 4-5 号窗口"),
    "YBJ": ("0571-12345210", "一楼 B 区 4-5 号窗口"),
    "ZRZY": ("0571-12345300", "一楼 C 区 综合咨询台"),
    "BDC": ("0571-12345310", "一楼 C 区 6-7 号窗口"),
    "GAJ": ("0571-12345400", "一楼 D 区 8-9 号窗口"),
    "SWJ": ("0571-12345500", "一楼 E 区 10 号窗口"),
    "MZJ": ("0571-12345600", "一楼 F 区 11-12 号窗口"),
    "GJJ": ("0571-12345610", "一楼 F 区 11-12 号窗口"),
}

# code, prefix, name, name_en, daily cap, default minutes per service
QUEUES = [
    ("A", "A", "企业开办", "Business start-up", 300, 15),
    ("B", "B", "社保医保", "Social and medical insurance", 400, 8),
    ("C", "C", "不动产登记", "Real estate registration", 250, 20),
    ("D", "D", "公安户政", "Household registration and IDs", 300, 10),
    ("E", "E", "税务", "Taxation", 300, 12),
    ("F", "F", "综合窗口", "General window", 400, 10),
]

# number, name, name_en, [(queue, weight)]
WINDOWS = [
    (1, "企业开办1", "Business 1", [("A", 1)]),
    (2, "企业开办2", "Business 2", [("A", 1)]),
    (3, "企业开办3", "Business 3", [("A", 2), ("F", 1)]),
    (4, "社保医保1", "Insurance 1", [("B", 1)]),
    (5, "社保医保2", "Insurance 2", [("B", 1)]),
    (6, "不动产1", "Real estate 1", [("C", 1)]),
    (7, "不动产2", "Real estate 2", [("C", 1)]),
    (8, "户政1", "Household 1", [("D", 1)]),
    (9, "户政2", "Household 2", [("D", 1)]),
    (10, "税务1", "Taxation 1", [("E", 1)]),
    (11, "综合窗口1", "General 1", [("F", 3), ("B", 1), ("D", 1)]),
    (12, "综合窗口2", "General 2", [("F", 3), ("E", 1), ("A", 1)]),
]

ID = ("居民身份证", "原件", 1)
ID_COPY = ("居民身份证复印件", "复印件", 1)
FORM = ("申请表", "原件", 1)


def _m(*items: tuple[str, str, int]) -> list[dict[str, Any]]:
    return [
        {"name": n, "form": f, "copies": c, "required": True, "sample": None, "blank_form": None}
        for n, f, c in items
    ]


# code, name, name_en, department, queue, pinyin initials, hot, case type,
# statutory days, promised days, fee, materials, conditions
ITEMS: list[tuple[Any, ...]] = [
    (
        "A01",
        "有限责任公司设立登记",
        "Limited company registration",
        "SCJG",
        "A",
        "yxzrgssldj",
        95,
        "承诺件",
        15,
        1,
        "不收费",
        _m(
            ("公司登记（备案）申请书", "原件", 1),
            ("公司章程", "原件", 1),
            ("股东主体资格证明", "复印件", 1),
            ("住所使用证明", "复印件", 1),
        ),
        "股东、章程、住所等符合《公司法》规定",
    ),
    (
        "A02",
        "个体工商户注册登记",
        "Sole proprietorship registration",
        "SCJG",
        "A",
        "gtgshzcdj",
        80,
        "即办件",
        15,
        0,
        "不收费",
        _m(ID, ("经营场所使用证明", "复印件", 1), FORM),
        "有经营能力的自然人",
    ),
    (
        "A03",
        "公司变更登记",
        "Company change registration",
        "SCJG",
        "A",
        "gsbgdj",
        60,
        "承诺件",
        15,
        3,
        "不收费",
        _m(
            ("公司变更登记申请书", "原件", 1),
            ("股东会决议", "原件", 1),
            ("营业执照正副本", "原件", 1),
        ),
        "公司登记事项发生变更",
    ),
    (
        "A04",
        "公司注销登记",
        "Company deregistration",
        "SCJG",
        "A",
        "gszxdj",
        40,
        "承诺件",
        20,
        5,
        "不收费",
        _m(("注销登记申请书", "原件", 1), ("清算报告", "原件", 1), ("营业执照正副本", "原件", 1)),
        "已完成清算",
    ),
    (
        "A05",
        "食品经营许可",
        "Food business licence",
        "SCJG",
        "A",
        "spjyxk",
        55,
        "承诺件",
        20,
        10,
        "不收费",
        _m(
            FORM,
            ("营业执照", "复印件", 1),
            ("经营场所平面图", "原件", 1),
            ("食品安全管理制度", "原件", 1),
        ),
        "有与经营食品相适应的场所和设备",
    ),
    (
        "B01",
        "城乡居民养老保险参保登记",
        "Residents' pension enrolment",
        "RSJ",
        "B",
        "cxjmylbxcbdj",
        70,
        "即办件",
        5,
        0,
        "不收费",
        _m(ID, ("户口簿", "原件", 1)),
        "年满16周岁、不在校、未参加职工养老保险的城乡居民",
    ),
    (
        "B02",
        "职工退休申请",
        "Employee retirement application",
        "RSJ",
        "B",
        "zgtxsq",
        85,
        "承诺件",
        20,
        10,
        "不收费",
        _m(ID, ("人事档案", "原件", 1), ("退休申请表", "原件", 1)),
        "达到法定退休年龄且缴费满15年",
    ),
    (
        "B03",
        "社会保障卡申领",
        "Social security card application",
        "RSJ",
        "B",
        "shbzksl",
        90,
        "即办件",
        10,
        0,
        "不收费",
        _m(ID, ("近期免冠彩色照片", "原件", 1), ("社会保障卡申领表", "原件", 1)),
        "已参加社会保险的人员",
    ),
    (
        "B04",
        "生育津贴申领",
        "Maternity allowance claim",
        "YBJ",
        "B",
        "syjtsl",
        75,
        "承诺件",
        20,
        7,
        "不收费",
        _m(ID, ("出生医学证明", "复印件", 1), ("银行卡", "原件", 1)),
        "参加生育保险并按规定缴费",
    ),
    (
        "B05",
        "医保关系转移接续",
        "Medical insurance transfer",
        "YBJ",
        "B",
        "ybgxzyjx",
        50,
        "承诺件",
        45,
        15,
        "不收费",
        _m(ID, ("参保凭证", "原件", 1)),
        "跨统筹地区流动就业",
    ),
    (
        "B06",
        "异地就医备案",
        "Medical treatment elsewhere filing",
        "YBJ",
        "B",
        "ydjyba",
        65,
        "即办件",
        5,
        0,
        "不收费",
        _m(ID, ("异地就医备案表", "原件", 1)),
        "参加本地基本医疗保险",
    ),
    (
        "C01",
        "国有建设用地使用权及房屋所有权首次登记",
        "First registration of land and building",
        "BDC",
        "C",
        "gyjsydsyqjfwsyqscdj",
        45,
        "承诺件",
        30,
        5,
        "住宅80元/件，非住宅550元/件",
        _m(FORM, ("建设工程规划核实证明", "原件", 1), ("竣工验收备案材料", "复印件", 1)),
        "房屋已竣工验收",
    ),
    (
        "C02",
        "二手房转移登记",
        "Resale housing transfer registration",
        "BDC",
        "C",
        "eszfzydj",
        92,
        "承诺件",
        30,
        3,
        "住宅80元/件",
        _m(ID, ("不动产权证书", "原件", 1), ("房屋买卖合同", "原件", 1), ("完税凭证", "原件", 1)),
        "买卖双方已签订合同并完税",
    ),
    (
        "C03",
        "抵押权登记",
        "Mortgage registration",
        "BDC",
        "C",
        "dyqdj",
        70,
        "承诺件",
        30,
        2,
        "住宅80元/件",
        _m(ID, ("不动产权证书", "原件", 1), ("抵押合同", "原件", 1), ("主债权合同", "原件", 1)),
        "已签订抵押合同",
    ),
    (
        "C04",
        "不动产登记资料查询",
        "Real estate records enquiry",
        "BDC",
        "C",
        "bdcdjzlcx",
        60,
        "即办件",
        1,
        0,
        "不收费",
        _m(ID, ("查询申请书", "原件", 1)),
        "权利人或利害关系人",
    ),
    (
        "C05",
        "预售商品房预告登记",
        "Pre-sale housing advance registration",
        "BDC",
        "C",
        "ysspfygdj",
        55,
        "承诺件",
        30,
        3,
        "不收费",
        _m(ID, ("商品房预售合同", "原件", 1)),
        "已网签商品房预售合同",
    ),
    (
        "D01",
        "居民身份证换领",
        "ID card renewal",
        "GAJ",
        "D",
        "jmsfzhl",
        88,
        "承诺件",
        60,
        20,
        "20元",
        _m(ID, ("户口簿", "原件", 1)),
        "身份证有效期满或即将到期",
    ),
    (
        "D02",
        "新生儿出生登记",
        "Newborn birth registration",
        "GAJ",
        "D",
        "xsecsdj",
        86,
        "即办件",
        1,
        0,
        "不收费",
        _m(
            ("出生医学证明", "原件", 1),
            ("父母身份证", "原件", 1),
            ("户口簿", "原件", 1),
            ("结婚证", "原件", 1),
        ),
        "新生儿出生后一个月内",
    ),
    (
        "D03",
        "户口迁移",
        "Household registration transfer",
        "GAJ",
        "D",
        "hkqy",
        66,
        "承诺件",
        20,
        5,
        "不收费",
        _m(ID, ("户口簿", "原件", 1), ("不动产权证书", "复印件", 1)),
        "符合本地落户条件",
    ),
    (
        "D04",
        "居住证办理",
        "Residence permit",
        "GAJ",
        "D",
        "jzzbl",
        72,
        "承诺件",
        15,
        7,
        "不收费",
        _m(ID, ("居住登记凭证", "原件", 1), ("近期免冠照片", "原件", 1)),
        "在本地居住半年以上",
    ),
    (
        "D05",
        "临时身份证办理",
        "Temporary ID card",
        "GAJ",
        "D",
        "lssfzbl",
        58,
        "即办件",
        3,
        0,
        "10元",
        _m(("户口簿", "原件", 1)),
        "正在申领、换领身份证期间急需使用",
    ),
    (
        "D06",
        "普通护照签发",
        "Ordinary passport issuance",
        "GAJ",
        "D",
        "pthzqf",
        63,
        "承诺件",
        15,
        7,
        "120元",
        _m(ID, ("中国公民出入境证件申请表", "原件", 1), ("近期免冠彩色照片", "原件", 1)),
        "中国公民因私出国（境）",
    ),
    (
        "D07",
        "机动车驾驶证换证",
        "Driving licence renewal",
        "GAJ",
        "D",
        "jdcjszhz",
        73,
        "即办件",
        1,
        0,
        "10元",
        _m(
            ID,
            ("机动车驾驶证", "原件", 1),
            ("身体条件证明", "原件", 1),
            ("近期免冠照片", "原件", 1),
        ),
        "驾驶证有效期满前90日内，或记载内容发生变化",
    ),
    (
        "E01",
        "个人所得税综合所得汇算",
        "Individual income tax annual reconciliation",
        "SWJ",
        "E",
        "grsdszhsdhs",
        62,
        "即办件",
        5,
        0,
        "不收费",
        _m(ID, ("收入及扣除凭证", "复印件", 1)),
        "纳税年度内取得综合所得",
    ),
    (
        "E02",
        "发票领用",
        "Invoice collection",
        "SWJ",
        "E",
        "fply",
        78,
        "即办件",
        5,
        0,
        "不收费",
        _m(("营业执照", "复印件", 1), ("经办人身份证", "原件", 1)),
        "已完成税务登记的纳税人",
    ),
    (
        "E03",
        "契税申报",
        "Deed tax declaration",
        "SWJ",
        "E",
        "qssb",
        74,
        "即办件",
        5,
        0,
        "按成交价的1%-3%",
        _m(ID, ("房屋买卖合同", "原件", 1)),
        "承受土地、房屋权属的单位和个人",
    ),
    (
        "E04",
        "税务登记信息变更",
        "Tax registration change",
        "SWJ",
        "E",
        "swdjxxbg",
        35,
        "即办件",
        5,
        0,
        "不收费",
        _m(("变更登记表", "原件", 1), ("营业执照", "复印件", 1)),
        "登记信息发生变化",
    ),
    (
        "F01",
        "结婚登记",
        "Marriage registration",
        "MZJ",
        "F",
        "jhdj",
        83,
        "即办件",
        1,
        0,
        "不收费",
        _m(("双方户口簿", "原件", 2), ("双方身份证", "原件", 2), ("近期2寸双人合影", "原件", 3)),
        "双方自愿、达到法定婚龄",
    ),
    (
        "F02",
        "老年人优待证办理",
        "Senior citizen card",
        "MZJ",
        "F",
        "lnryydzbl",
        68,
        "即办件",
        5,
        0,
        "不收费",
        _m(ID, ("近期免冠照片", "原件", 1)),
        "年满60周岁的本地户籍居民",
    ),
    (
        "F03",
        "最低生活保障申请",
        "Minimum living allowance application",
        "MZJ",
        "F",
        "zdshbzsq",
        45,
        "承诺件",
        30,
        15,
        "不收费",
        _m(ID, ("户口簿", "原件", 1), ("家庭收入证明", "原件", 1)),
        "家庭人均收入低于当地低保标准",
    ),
    (
        "F04",
        "残疾人证办理",
        "Disability certificate",
        "MZJ",
        "F",
        "cjrzbl",
        40,
        "承诺件",
        30,
        15,
        "不收费",
        _m(ID, ("近期免冠照片", "原件", 3), ("医院诊断证明", "原件", 1)),
        "符合残疾评定标准",
    ),
    (
        "F05",
        "政务咨询与材料预审",
        "Consultation and document pre-check",
        "MZJ",
        "F",
        "zwzxyclys",
        50,
        "即办件",
        1,
        0,
        "不收费",
        _m(ID),
        "所有办事群众",
    ),
    (
        "F06",
        "住房公积金提取",
        "Housing provident fund withdrawal",
        "GJJ",
        "F",
        "zfgjjtq",
        77,
        "即办件",
        3,
        0,
        "不收费",
        _m(ID, ("本人银行卡", "原件", 1), ("购房合同或退休证明等提取证明", "复印件", 1)),
        "购买、建造自住住房，租房，离休、退休等情形",
    ),
]

# What citizens call each item (aliases) and the words that lead to it (keywords), as
# they say them at the enquiry desk; some in English for foreign residents.
WORDS: dict[str, tuple[list[str], list[str]]] = {
    "A01": (
        ["营业执照", "企业设立登记", "公司注册", "注册公司", "开公司", "公司设立登记"],
        ["办执照", "新办企业", "企业注册", "开办企业", "business licence", "register a company"],
    ),
    "A02": (
        ["个体户营业执照", "个体户注册", "个体户登记", "个体执照"],
        ["个体户", "个体工商户", "营业执照", "开店", "开小店", "摆摊", "sole trader"],
    ),
    "A03": (
        ["公司变更", "企业变更登记", "营业执照变更"],
        ["变更法人", "换法人", "法人变更", "公司改名", "变更地址", "经营范围变更", "股东变更"],
    ),
    "A04": (
        ["公司注销", "注销公司", "企业注销", "营业执照注销"],
        ["关公司", "简易注销", "公司不开了", "close a company"],
    ),
    "A05": (
        ["食品经营许可证", "食品许可证", "餐饮许可证", "食品卫生许可证"],
        ["开饭店", "开餐馆", "餐饮", "奶茶店", "小吃店", "卖食品", "food licence", "restaurant"],
    ),
    "B01": (
        ["居民养老保险", "城乡居民养老保险", "城乡居保", "新农保"],
        ["养老保险", "交养老保险", "参保", "社保", "灵活就业参保", "pension"],
    ),
    "B02": (
        ["退休", "办退休", "退休手续", "退休审批"],
        ["退休金", "领养老金", "到龄退休", "retirement", "retire"],
    ),
    "B03": (
        ["社保卡", "社保卡办理", "社保卡申领", "社会保障卡"],
        ["补办社保卡", "社保卡丢了", "社保卡挂失", "换社保卡", "医保卡", "social security card"],
    ),
    "B04": (
        ["生育津贴", "生育保险待遇", "产假工资", "生育险报销"],
        ["生育保险", "生孩子报销", "产假", "生育金", "maternity"],
    ),
    "B05": (
        ["医保转移", "医保关系转移", "医保转移接续"],
        ["医保转出", "医保转入", "换工作医保", "社保转移", "medical insurance transfer"],
    ),
    "B06": (
        ["异地就医", "异地就医登记", "医保异地备案"],
        ["外地看病", "异地看病", "异地报销", "外地住院", "跨省就医"],
    ),
    "C01": (
        ["首次登记", "房屋首次登记", "新房办证", "新房产证"],
        ["新房", "房产证", "办房产证", "初始登记", "首登", "大产证", "不动产首次登记"],
    ),
    "C02": (
        ["二手房过户", "房产过户", "房屋过户", "过户"],
        ["二手房", "买二手房", "卖房", "房子过户", "存量房", "property transfer"],
    ),
    "C03": (
        ["抵押登记", "房屋抵押", "房产抵押", "抵押"],
        ["贷款抵押", "按揭", "房贷", "银行贷款", "解押", "mortgage"],
    ),
    "C04": (
        ["查档", "不动产查档", "房产查询", "不动产查询"],
        ["查房产", "房产证查询", "产权查询", "无房证明", "有房证明", "property records"],
    ),
    "C05": (
        ["预告登记", "期房预告登记", "预售登记"],
        ["期房", "买新房", "网签", "商品房预告", "楼花"],
    ),
    # 身份证 is a keyword of D01 and D05 alike: which one a citizen means, the hall's
    # popularity decides.
    "D01": (
        ["换身份证", "换领身份证", "二代证换领"],
        ["身份证", "办身份证", "补办身份证", "身份证丢了", "身份证过期", "身份证到期", "ID card"],
    ),
    "D02": (
        ["出生登记", "新生儿落户", "新生儿上户口", "宝宝上户口"],
        ["上户口", "报户口", "小孩上户口", "出生证", "生孩子", "birth registration", "newborn"],
    ),
    "D03": (
        ["迁户口", "户口迁入", "户口迁出", "落户", "迁户"],
        ["户口", "转户口", "户籍迁移", "买房落户", "投靠落户", "准迁证", "hukou"],
    ),
    "D04": (
        ["居住证", "办居住证", "暂住证"],
        ["居住登记", "外地人", "积分入学", "居住证签注", "residence permit"],
    ),
    "D05": (
        ["临时身份证", "临时证"],
        ["身份证", "身份证丢了", "急用身份证", "坐飞机身份证", "temporary ID"],
    ),
    "D06": (
        ["护照", "办护照", "护照办理", "申请护照", "因私护照"],
        ["出国", "出境", "换护照", "补办护照", "护照过期", "出入境", "出国旅游", "passport"],
    ),
    "D07": (
        ["驾驶证", "驾驶证换证", "换驾照", "驾照换证"],
        [
            "驾照",
            "换驾驶证",
            "驾照到期",
            "驾照过期",
            "驾驶证到期",
            "车管所",
            "driving licence",
            "driver's license",
        ],
    ),
    "E01": (
        ["个税", "个税汇算", "个税年度汇算", "个人所得税汇算清缴"],
        ["个人所得税", "退税", "个税退税", "补税", "年度汇算", "income tax", "tax refund"],
    ),
    "E02": (
        ["领发票", "申领发票", "发票申领", "领票"],
        ["发票", "开发票", "增值税发票", "税控盘", "invoice"],
    ),
    "E03": (
        ["契税", "交契税", "缴契税", "契税缴纳"],
        ["买房交税", "买房税", "完税证明", "deed tax"],
    ),
    "E04": (
        ["税务变更", "税务登记变更", "税务信息变更"],
        ["变更税务登记", "纳税人信息变更", "财务负责人变更", "tax change"],
    ),
    "F01": (
        ["结婚", "结婚证", "领结婚证", "登记结婚", "办结婚证"],
        ["领证", "扯证", "婚姻登记", "marriage", "wedding"],
    ),
    "F02": (
        ["老年证", "老年优待证", "老人证", "敬老卡"],
        ["老年卡", "老人卡", "老年人", "老人免费乘车", "senior card", "elderly"],
    ),
    "F03": (
        ["低保", "申请低保", "低保申请", "办低保"],
        ["困难补助", "生活困难", "救助", "低保户", "特困", "welfare"],
    ),
    "F04": (
        ["残疾证", "残疾人证", "办残疾证"],
        ["残疾", "残联", "残疾补贴", "残疾评定", "disability"],
    ),
    "F05": (
        ["咨询", "政务咨询", "材料预审", "预审"],
        ["帮办", "代办", "导办", "不知道办什么", "材料检查", "enquiry", "help"],
    ),
    "F06": (
        ["公积金", "公积金提取", "取公积金", "提取公积金"],
        [
            "住房公积金",
            "公积金查询",
            "租房提取",
            "退休提取公积金",
            "housing fund",
            "provident fund",
        ],
    ),
}


# Life events (一件事): code, name, English name, description, and the items in the
# order they are done, each with a note on when it applies ("" always).
LIFE_EVENTS: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        "start-business",
        "开办企业",
        "Starting a business",
        "从设立登记到领用发票，新办企业的事项一次办好",
        [
            ("F05", "如需先预审材料"),
            ("A01", "开办公司"),
            ("A02", "个体经营者以此代替公司设立登记"),
            ("E02", "首次领用发票"),
            ("A05", "如经营食品"),
        ],
    ),
    (
        "buy-home",
        "买房",
        "Buying a home",
        "购房后的登记、纳税、落户和公积金",
        [
            ("C04", "如需先查询房屋登记信息"),
            ("C05", "购买期房（预售商品房）时"),
            ("E03", ""),
            ("C01", "购买新建商品房时"),
            ("C02", "购买二手房时"),
            ("C03", "如贷款购房"),
            ("F06", "如用公积金付款"),
            ("D03", "如需将户口迁入新居"),
        ],
    ),
    (
        "baby",
        "生育",
        "Having a baby",
        "宝宝出生后：落户、社保卡和生育津贴",
        [
            ("D02", "出生后一个月内"),
            ("B03", "为新生儿申领"),
            ("B04", "产假结束后申领"),
        ],
    ),
    (
        "retire",
        "退休",
        "Retiring",
        "办理退休及退休后的社保、医保和优待",
        [
            ("B02", "在职职工"),
            ("B01", "城乡居民参保人员"),
            ("B05", "如曾在外地参保"),
            ("B06", "如退休后在外地居住"),
            ("F06", "退休提取公积金"),
            ("F02", "年满60周岁"),
            ("B03", "如需补换社保卡"),
            ("D01", "如身份证到期"),
        ],
    ),
    (
        "marriage",
        "结婚",
        "Getting married",
        "结婚登记及婚后户口迁移",
        [("F01", "双方本人到场"), ("D03", "如需迁入对方户口")],
    ),
    (
        "job",
        "就业",
        "Getting a job",
        "就业后的参保和个人所得税",
        [("B01", "灵活就业人员参保"), ("E01", "每年3月1日至6月30日")],
    ),
    (
        "move-house",
        "迁居",
        "Moving house",
        "搬家后的户口或居住证",
        [("D03", "迁入户口"), ("D04", "暂不迁户口的，办理居住证")],
    ),
    (
        "hardship",
        "困难救助",
        "Hardship support",
        "低保和残疾人证",
        [("F03", ""), ("F04", "")],
    ),
]
# 责任科室 and 责任人 of each department's items (illustrative names).
RESPONSIBLE = {
    "SCJG": "登记注册科 陈立新",
    "RSJ": "社会保险经办科 许文华",
    "YBJ": "医保经办科 何晓燕",
    "ZRZY": "规划许可科 沈建国",
    "BDC": "登记受理科 朱海燕",
    "GAJ": "户政管理科 高志强",
    "SWJ": "纳税服务科 林晓红",
    "MZJ": "社会救助科 宋玉梅",
    "GJJ": "归集提取科 郑凯",
}
# 数量限制 where an item has one; the others: 无数量限制.
QUANTITY_LIMITS = {
    "F01": "每对当事人每次申请办理一次",
    "F02": "每人限办一张",
    "D04": "每人同一时期限持一张有效居住证",
    "F03": "每户家庭限申请一次，每年复核",
}
# Items that can also be done online (可网上办理), and where.
ONLINE = {
    "A01": "https://zwfw.example.gov.cn/qykb",
    "A02": "https://zwfw.example.gov.cn/gtgsh",
    "B01": "https://zwfw.example.gov.cn/shebao",
    "E01": "https://etax.example.gov.cn/",
    "F06": "https://gjj.example.gov.cn/",
}


def guide(row: tuple[Any, ...]) -> dict[str, Any]:
    """An item's whole guide, every public element filled in (domain/guide.py's check
    passes for each demo item: tests/server/demo/test_load.py)."""
    (
        code,
        name,
        _en,
        dept,
        _q,
        _py,
        _hot,
        case_type,
        statutory,
        promised,
        fee,
        materials,
        conditions,
    ) = row
    out: dict[str, Any] = {
        "legal_basis": f"《{name}》相关法律法规及本省政务服务事项实施清单",
        "conditions": conditions,
        "quantity_limits": QUANTITY_LIMITS.get(code, "无数量限制"),
        "materials": materials,
        "procedure": ["取号", "窗口受理", "审核", "办结（出件）"]
        if case_type == "承诺件"
        else ["取号", "窗口受理", "当场办结"],
        "statutory_limit_days": statutory,
        "promised_limit_days": promised,
        "case_type": case_type,
        "fees": fee,
        "fee_basis": "国家及省相关收费文件" if fee != "不收费" else "",
        "location": "政务服务中心一楼",
        "hours": "工作日 上午 9:00-12:00，下午 13:30-17:00",
        "responsible": RESPONSIBLE[dept],
        "contact_phone": "0571-12345"
        + code[-3:]
        .replace("A", "1")
        .replace("B", "2")
        .replace("C", "3")
        .replace("D", "4")
        .replace("E", "5")
        .replace("F", "6"),
        "complaint_phone": "12345",
    }
    if code in ONLINE:
        out["online"] = True
        out["online_url"] = ONLINE[code]
    if not out["fee_basis"]:
        del out["fee_basis"]
    return out


# staff number, name, role, window
STAFF = [
    ("admin", "系统管理员", "admin", None),
    ("S001", "周明", "supervisor", None),
    *[
        (f"C{n:03d}", name, "clerk", n)
        for n, name in enumerate(
            [
                "王芳",
                "李静",
                "张伟",
                "刘洋",
                "陈丽",
                "杨帆",
                "赵敏",
                "黄磊",
                "吴婷",
                "徐强",
                "孙悦",
                "马琳",
            ],
            start=1,
        )
    ],
]
# 亮牌: the title each clerk's photo is shown with on the rating tablet (the photos are
# drawn at load time, server/demo/avatars.py), and the windows some may sign in at
# (none listed: any window).
TITLES = {
    "S001": "值班长",
    **{f"C{n:03d}": "综合受理岗" if n >= 11 else "窗口受理岗" for n in range(1, 13)},
}
ALLOWED_WINDOWS = {"C011": [11, 12], "C012": [11, 12]}
# A clerk who has left (disabled: cannot sign in) and a kiosk taken out of service
# (revoked: its token is refused), so the admin pages show both states.
DISABLED_STAFF = ("C013", "郑洁", "窗口受理岗（已调离）")
REVOKED_DEVICE = ("K21", "kiosk", "二楼触摸取号机（已停用）")

# An installation-wide admin (no hall of its own): creates and closes halls, keeps the
# national calendar (/admin/halls, /admin/calendar).
INSTALLATION_ADMIN = ("sysadmin", "全局管理员")
DEMO_PASSWORD = "demo1234"
ADMIN_PASSWORD = "admin1234"

# code, kind, name, window
DEVICES = [
    ("K01", "kiosk", "一楼大厅触摸取号机1", None),
    ("K02", "kiosk", "一楼大厅触摸取号机2", None),
    ("HB01", "board", "大厅综合屏", None),
    *[(f"WB{n:02d}", "board", f"{n}号窗口屏", n) for n in range(1, 13)],
    # Rating tablets for windows without a rating pad (the page /rate/{hall}/{window}).
    *[(f"RT{n:02d}", "rating_pad", f"{n}号窗口评价平板", n) for n in range(1, 13)],
]
