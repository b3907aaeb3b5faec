"""Benchmark: does kiosk search find what citizens say, and how fast?

Everyday queries written from the demo catalogue (the words people say at an enquiry
desk, pinyin initials and full pinyin as typed on the kiosk's letter keyboard, typos,
English), each with the item codes that are a right answer. They run against the demo
hall on SQLite, in process, through the service the search API calls (database read
included). Prints hit@1, hit@3, every query whose right answer is not first, and the
mean and p99 time per query. Asserts nothing. Usage:

    .venv/bin/python tests/benchmarks/bench_search.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from benchkit import percentile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from server.config import Settings  # noqa: E402
from server.demo.load import load_demo  # noqa: E402
from server.realtime.bus import InProcessBus  # noqa: E402
from server.services import search  # noqa: E402
from server.services.hub import Hub  # noqa: E402
from server.store.migrate import upgrade  # noqa: E402

# A Monday, 10:00 in Shanghai: search reads the date for its "recent tickets".
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
C_ITEMS = ("C01", "C02", "C03", "C04", "C05")

# (kind, query, right answers). Where two items are equally right (身份证: 换领 and 临时),
# either counts.
QUERIES: list[tuple[str, str, tuple[str, ...]]] = [
    # What people say, in Chinese.
    ("words", "营业执照", ("A01", "A02")),
    ("words", "社保卡", ("B03",)),
    ("words", "公积金", ("F06",)),
    ("words", "护照", ("D06",)),
    ("words", "驾驶证", ("D07",)),
    ("words", "身份证", ("D01", "D05")),
    ("words", "不动产", C_ITEMS),
    ("words", "结婚", ("F01",)),
    ("words", "退休", ("B02",)),
    ("words", "社保", ("B01", "B03")),
    ("words", "低保", ("F03",)),
    ("words", "户口", ("D02", "D03")),
    ("words", "上户口", ("D02",)),
    ("words", "过户", ("C02",)),
    ("words", "二手房", ("C02",)),
    ("words", "房产证", ("C01", "C02")),
    ("words", "抵押", ("C03",)),
    ("words", "契税", ("E03",)),
    ("words", "发票", ("E02",)),
    ("words", "个税", ("E01",)),
    ("words", "退税", ("E01",)),
    ("words", "居住证", ("D04",)),
    ("words", "暂住证", ("D04",)),
    ("words", "残疾证", ("F04",)),
    ("words", "老年证", ("F02",)),
    ("words", "异地就医", ("B06",)),
    ("words", "医保转移", ("B05",)),
    ("words", "生育津贴", ("B04",)),
    ("words", "养老保险", ("B01",)),
    ("words", "注册公司", ("A01",)),
    ("words", "公司注销", ("A04",)),
    ("words", "变更法人", ("A03",)),
    ("words", "个体户", ("A02",)),
    ("words", "食品许可证", ("A05",)),
    ("words", "开饭店", ("A05",)),
    ("words", "查档", ("C04",)),
    ("words", "网签", ("C05",)),
    ("words", "出生登记", ("D02",)),
    ("words", "结婚证", ("F01",)),
    ("words", "临时身份证", ("D05",)),
    ("words", "驾照", ("D07",)),
    ("words", "出国", ("D06",)),
    ("words", "咨询", ("F05",)),
    ("words", "医保卡", ("B03",)),
    ("words", "按揭", ("C03",)),
    ("words", "新房", ("C01", "C05")),
    # Said as a sentence, or with words around the name.
    ("sentence", "我要办护照", ("D06",)),
    ("sentence", "办营业执照", ("A01", "A02")),
    ("sentence", "身份证丢了", ("D01", "D05")),
    ("sentence", "身份证过期了", ("D01",)),
    ("sentence", "补办社保卡", ("B03",)),
    ("sentence", "公积金怎么取", ("F06",)),
    ("sentence", "驾照到期了", ("D07",)),
    ("sentence", "我想开公司", ("A01",)),
    ("sentence", "卖房子过户", ("C02",)),
    ("sentence", "公司改名字", ("A03",)),
    ("sentence", "房子抵押贷款", ("C03",)),
    ("sentence", "外地看病报销", ("B06",)),
    ("sentence", "孩子出生上户口", ("D02",)),
    ("sentence", "残疾人补贴", ("F04",)),
    # Pinyin initials.
    ("initials", "sfz", ("D01", "D05")),
    ("initials", "yyzz", ("A01", "A02")),
    ("initials", "sbk", ("B03",)),
    ("initials", "gjj", ("F06",)),
    ("initials", "hz", ("D06",)),
    ("initials", "jsz", ("D07",)),
    ("initials", "bdc", C_ITEMS),
    ("initials", "jhdj", ("F01",)),
    ("initials", "db", ("F03",)),
    ("initials", "ydjy", ("B06",)),
    ("initials", "gshs", ("E01",)),
    ("initials", "jzz", ("D04",)),
    ("initials", "cjz", ("F04",)),
    ("initials", "esf", ("C02",)),
    ("initials", "dydj", ("C03",)),
    ("initials", "ybzy", ("B05",)),
    ("initials", "lnz", ("F02",)),
    ("initials", "tx", ("B02",)),
    ("initials", "qs", ("E03",)),
    ("initials", "lssfz", ("D05",)),
    ("initials", "csdj", ("D02",)),
    ("initials", "fply", ("E02",)),
    ("initials", "grsds", ("E01",)),
    # Full pinyin, and pinyin part full, part initials.
    ("pinyin", "shenfenzheng", ("D01", "D05")),
    ("pinyin", "yingyezhizhao", ("A01", "A02")),
    ("pinyin", "gongjijin", ("F06",)),
    ("pinyin", "huzhao", ("D06",)),
    ("pinyin", "jiashizheng", ("D07",)),
    ("pinyin", "shebaoka", ("B03",)),
    ("pinyin", "jiehun", ("F01",)),
    ("pinyin", "tuixiu", ("B02",)),
    ("pinyin", "dibao", ("F03",)),
    ("pinyin", "hukou", ("D02", "D03")),
    ("pinyin", "qishui", ("E03",)),
    ("pinyin", "fapiao", ("E02",)),
    ("pinyin", "guohu", ("C02",)),
    ("pinyin", "juzhuzheng", ("D04",)),
    ("pinyin", "budongchan", C_ITEMS),
    ("pinyin", "yidijiuyi", ("B06",)),
    ("pinyin", "shengyujintie", ("B04",)),
    ("pinyin", "shenfz", ("D01", "D05")),
    ("pinyin", "gongjj", ("F06",)),
    ("pinyin", "jiasz", ("D07",)),
    # Typos: a letter wrong, missing, extra or swapped; a wrong or same-sounding character.
    ("typo", "shengfenzheng", ("D01", "D05")),
    ("typo", "yinyezhizhao", ("A01", "A02")),
    ("typo", "gongjijing", ("F06",)),
    ("typo", "huzao", ("D06",)),
    ("typo", "jiashizheg", ("D07",)),
    ("typo", "shabaoka", ("B03",)),
    ("typo", "tuixu", ("B02",)),
    ("typo", "jeihun", ("F01",)),
    ("typo", "pasport", ("D06",)),
    ("typo", "mariage", ("F01",)),
    ("typo", "drivng licence", ("D07",)),
    ("typo", "身分证", ("D01", "D05")),
    ("typo", "营业执造", ("A01", "A02")),
    ("typo", "社保咔", ("B03",)),
    ("typo", "公基金", ("F06",)),
    ("typo", "驾使证", ("D07",)),
    ("typo", "户照", ("D06",)),
    ("typo", "结婚登计", ("F01",)),
    ("typo", "低宝", ("F03",)),
    ("typo", "残疾正", ("F04",)),
    ("typo", "居住正", ("D04",)),
    # Written without looking at the items' alias and keyword lists (the lists above
    # were written from the same catalogue: these keep the benchmark honest).
    ("unlisted", "开个体户", ("A02",)),
    ("unlisted", "餐饮许可", ("A05",)),
    ("unlisted", "公司执照", ("A01",)),
    ("unlisted", "交社保", ("B01",)),
    ("unlisted", "养老金", ("B01", "B02")),
    ("unlisted", "生小孩", ("B04", "D02")),
    ("unlisted", "房产证抵押", ("C03",)),
    ("unlisted", "查房子", ("C04",)),
    ("unlisted", "户口本", ("D02", "D03")),
    ("unlisted", "敬老证", ("F02",)),
    ("unlisted", "出入境证件", ("D06",)),
    ("unlisted", "车管", ("D07",)),
    ("unlisted", "驾驶本", ("D07",)),
    ("unlisted", "发票领取", ("E02",)),
    ("unlisted", "出生证明", ("D02",)),
    ("unlisted", "宝宝落户", ("D02",)),
    ("unlisted", "hunyin", ("F01",)),
    ("unlisted", "canji", ("F04",)),
    ("unlisted", "chadang", ("C04",)),
    ("unlisted", "wangqian", ("C05",)),
    ("unlisted", "ybk", ("B03",)),
    ("unlisted", "fcz", ("C01", "C02")),
    ("unlisted", "jhz", ("F01",)),
    ("unlisted", "spxk", ("A05",)),
    ("unlisted", "shenfenzeng", ("D01", "D05")),
    ("unlisted", "gongjijn", ("F06",)),
    ("unlisted", "残急证", ("F04",)),
    ("unlisted", "公积金体取", ("F06",)),
    ("unlisted", "driver license", ("D07",)),
    ("unlisted", "register company", ("A01",)),
    ("unlisted", "baby", ("B04", "D02")),
    ("unlisted", "low income", ("F03",)),
    # English, for foreign residents.
    ("english", "passport", ("D06",)),
    ("english", "driving licence", ("D07",)),
    ("english", "marriage", ("F01",)),
    ("english", "ID card", ("D01", "D05")),
    ("english", "social security card", ("B03",)),
    ("english", "tax refund", ("E01",)),
    ("english", "invoice", ("E02",)),
    ("english", "mortgage", ("C03",)),
    ("english", "residence permit", ("D04",)),
    ("english", "retirement", ("B02",)),
    ("english", "housing fund", ("F06",)),
    ("english", "business licence", ("A01",)),
    ("english", "birth registration", ("D02",)),
    ("english", "pension", ("B01",)),
    ("english", "maternity", ("B04",)),
    ("english", "disability", ("F04",)),
]


def demo_hub(folder: Path) -> Hub:
    url = f"sqlite:///{folder / 'hall.db'}"
    upgrade(url)
    hub = Hub.create(Settings(DATABASE_URL=url), clock=lambda: NOW, bus=InProcessBus())
    load_demo(hub.db)
    return hub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of every query")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hub = demo_hub(Path(tmp))
        try:
            names = {
                i["code"]: i["name"] for i in search.search(hub, "demo", "", limit=100)["items"]
            }
            search.search(hub, "demo", "sfz")  # warm the pinyin caches and the connection
            times: list[float] = []
            results: list[tuple[str, str, tuple[str, ...], list[dict[str, str]]]] = []
            for kind, q, right in QUERIES:
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    found = search.search(hub, "demo", q)["items"]
                    times.append(time.perf_counter() - started)
                results.append((kind, q, right, found))
        finally:
            hub.db.dispose()
    report(results, times, names)


def report(
    results: list[tuple[str, str, tuple[str, ...], list[dict[str, str]]]],
    times: list[float],
    names: dict[str, str],
) -> None:
    by_kind: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    misses = []
    for kind, q, right, found in results:
        codes = [f["code"] for f in found]
        at1, at3 = bool(codes[:1]) and codes[0] in right, any(c in right for c in codes[:3])
        by_kind[kind].append((at1, at3))
        if not at1:
            shown = ", ".join(f"{f['code']} {f['name']} ({f['match']})" for f in found[:3])
            misses.append(
                f"  {'hit@3' if at3 else 'MISS '}  {q!r:24} wants {'/'.join(right)}"
                f" {names.get(right[0], '?')}; got: {shown or 'nothing'}"
            )
    rows = [hit for kind in by_kind for hit in by_kind[kind]]
    print(f"{len(rows)} queries on the demo hall ({len(names)} items), SQLite, in process")
    print(f"{'kind':10} {'n':>4} {'hit@1':>7} {'hit@3':>7}")
    for kind, hits in [*by_kind.items(), ("all", rows)]:
        n = len(hits)
        at1 = sum(h[0] for h in hits) / n
        at3 = sum(h[1] for h in hits) / n
        print(f"{kind:10} {n:>4} {at1:>7.1%} {at3:>7.1%}")
    print("Right answer not first:" if misses else "Every right answer first.")
    print("\n".join(misses))
    ms = [t * 1000 for t in times]
    print(
        f"time per query (search service, database read included, {len(ms)} runs): "
        f"mean {statistics.mean(ms):.2f} ms, p99 {percentile(ms, 0.99):.2f} ms"
    )


if __name__ == "__main__":
    main()
