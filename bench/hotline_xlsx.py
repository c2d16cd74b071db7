#!/usr/bin/env python3
"""Write a 12345 ticket export (.xlsx) like the city platform's, for `manage.py import_hotline`.

    .venv/bin/python bench/hotline_xlsx.py var/tickets.xlsx --count 100000 --prefix GD2026

Deterministic for a given seed; ticket numbers are `<prefix><7 digits>`, so a new prefix gives
tickets the ledger has not seen yet. About one caller in ten rings more than once.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta

HEADER = [
    "工单编号",
    "受理时间",
    "工单类型",
    "紧急程度",
    "诉求人",
    "身份证号",
    "联系电话",
    "诉求内容",
    "纠纷类别",
    "风险等级",
    "承办中心",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕波辉鹏宇浩凯婷雪梅琳晨欣怡佳悦"
CONTENTS = {
    "劳动争议": ["反映工地拖欠农民工工资三个月未发", "公司未签劳动合同，要求补偿"],
    "邻里纠纷": ["邻居装修噪音扰民，协商无果", "楼上漏水殃及我家，对方不予维修"],
    "物业纠纷": ["小区电梯长期停运，物业不作为", "物业费上涨未经业主大会同意"],
    "消费纠纷": ["购买的电动车质量问题商家拒绝退换", "预付卡商家跑路要求退款"],
    "婚姻家庭": ["子女不履行赡养义务", "离婚后对方不支付抚养费"],
    "其他": ["反映村道路灯损坏", "咨询低保申请条件"],
}
TYPES = ["求助", "投诉", "咨询", "举报", "建议"]
TYPE_WEIGHTS = [45, 35, 12, 4, 4]
# Region codes valid for every birth year used here (stdnum checks the code was in force).
REGIONS = ["620121", "620122", "620123", "110101", "310101"]
MOBILE_PREFIXES = ["130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "158", "186", "187", "189"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(rng: random.Random) -> str:
    birth = datetime(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def write_tickets(path: str, count: int, *, prefix: str, centers: list[str], seed: int = 12345) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("工单")
    sheet.append(HEADER)
    now = datetime.now().replace(microsecond=0)
    callers: list[tuple[str, str, str]] = []
    categories = list(CONTENTS)
    for index in range(count):
        if callers and rng.random() < 0.1:
            name, id_no, phone = rng.choice(callers)
        else:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            id_no = id_number(rng) if rng.random() < 0.6 else ""
            phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(0, 10**8):08d}"
            callers.append((name, id_no, phone))
        category = rng.choice(categories)
        sheet.append(
            [
                f"{prefix}{index + 1:07d}",
                now - timedelta(seconds=rng.randrange(60, 30 * 86400)),
                rng.choices(TYPES, TYPE_WEIGHTS)[0],
                "紧急" if rng.random() < 0.05 else "一般",
                name,
                id_no,
                phone,
                rng.choice(CONTENTS[category]),
                category,
                "黄色" if rng.random() < 0.1 else "蓝色",
                rng.choice(centers) if centers else "",
            ]
        )
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--prefix", default="GD")
    parser.add_argument("--centers", default="", help="center codes, comma-separated (承办中心)")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    centers = [c for c in args.centers.split(",") if c]
    write_tickets(args.path, args.count, prefix=args.prefix, centers=centers, seed=args.seed)


if __name__ == "__main__":
    main()
