"""Chinese names: people (with pinyin for WeCom user ids), companies, purposes, reasons."""

from __future__ import annotations

import numpy as np

#: Common surnames with pinyin, roughly in order of frequency.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("袁", "yuan"),
    ("潘", "pan"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("沈", "shen"),
    ("陆", "lu"),
    ("顾", "gu"),
    ("钱", "qian"),
    ("汪", "wang"),
    ("姚", "yao"),
)

#: Characters of given names with pinyin.
GIVEN: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂", "gui"),
    ("文", "wen"),
    ("华", "hua"),
    ("建", "jian"),
    ("国", "guo"),
    ("志", "zhi"),
    ("海", "hai"),
    ("晓", "xiao"),
    ("婷", "ting"),
    ("浩", "hao"),
    ("宇", "yu"),
    ("鹏", "peng"),
    ("飞", "fei"),
    ("斌", "bin"),
    ("辉", "hui"),
    ("健", "jian"),
    ("玲", "ling"),
    ("雪", "xue"),
    ("慧", "hui"),
    ("俊", "jun"),
    ("帆", "fan"),
    ("磊", "lei"),
    ("佳", "jia"),
    ("琳", "lin"),
    ("欣", "xin"),
    ("凯", "kai"),
    ("晨", "chen"),
    ("雨", "yu"),
    ("博", "bo"),
    ("子", "zi"),
    ("轩", "xuan"),
)

#: Brand syllables of company names (two characters each).
BRANDS: tuple[str, ...] = (
    "恒达",
    "鑫源",
    "华锐",
    "博远",
    "中创",
    "永盛",
    "天成",
    "金泰",
    "宏图",
    "瑞丰",
    "嘉禾",
    "远航",
    "精诚",
    "新亚",
    "长风",
    "汇通",
    "盛华",
    "东升",
    "凯达",
    "信诚",
    "万邦",
    "科瑞",
    "正泰",
    "联创",
    "美嘉",
    "宝丰",
    "顺达",
    "恒信",
    "亿隆",
    "荣昌",
    "海纳",
    "德润",
    "广源",
    "昊天",
    "金诺",
    "汇丰",
    "启明",
    "优联",
    "鼎新",
    "安捷",
    "华昇",
    "立信",
    "晶科",
    "同创",
    "铭泰",
    "奥特",
    "智远",
    "隆盛",
    "普瑞",
    "诺康",
)

#: (words in the company name, industry stored on the customer).
INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("精密机械", "机械制造"),
    ("电子科技", "电子"),
    ("自动化设备", "自动化"),
    ("新材料", "材料"),
    ("汽车零部件", "汽车零部件"),
    ("模具", "模具"),
    ("电气", "电气"),
    ("包装材料", "包装"),
    ("医疗器械", "医疗器械"),
    ("智能装备", "自动化"),
    ("光电科技", "电子"),
    ("环保科技", "环保"),
    ("塑胶制品", "塑胶"),
    ("五金制品", "五金"),
    ("精密制造", "机械制造"),
    ("工业技术", "机械制造"),
    ("半导体设备", "半导体"),
    ("食品机械", "食品"),
    ("纺织机械", "纺织"),
    ("仪器仪表", "仪器仪表"),
)

#: (competitor name, short name used in chats and site names).
COMPETITORS: tuple[tuple[str, str], ...] = (
    ("苏州锐拓自动化科技有限公司", "锐拓自动化"),
    ("杭州华澜智能装备有限公司", "华澜智能"),
    ("上海德科工业技术有限公司", "德科工业"),
    ("南京鼎信精密机械有限公司", "鼎信精机"),
    ("江苏联拓工控设备有限公司", "联拓工控"),
)

SITE_KINDS: tuple[str, ...] = ("办事处", "销售中心", "展厅", "仓库", "技术服务中心")

TASK_PURPOSES: tuple[str, ...] = (
    "季度回访",
    "新品演示",
    "合同洽谈",
    "催收货款",
    "技术交流",
    "售后跟进",
    "报价沟通",
    "样品送达",
    "年度框架协议续签",
    "设备验收",
)

LOST_REASONS: tuple[str, ...] = (
    "客户产线停产，暂停采购",
    "客户预算削减，项目取消",
    "客户业务调整，不再采购同类产品",
    "客户被集团收购，改由总部统一采购",
    "客户工厂搬迁至外省",
)

CONTACT_TITLES: tuple[str, ...] = ("总", "经理", "工", "主任", "总监")


def person_name(rng: np.random.Generator, taken: set[str]) -> tuple[str, str]:
    """A new, unique (name, pinyin) such as ("陈晓婷", "chenxiaoting")."""
    for _ in range(1000):
        s_name, s_py = SURNAMES[min(int(rng.exponential(12.0)), len(SURNAMES) - 1)]
        k = 1 if rng.random() < 0.35 else 2
        picks = rng.choice(len(GIVEN), size=k, replace=False)
        name = s_name + "".join(GIVEN[i][0] for i in picks)
        if name not in taken:
            taken.add(name)
            return name, s_py + "".join(GIVEN[i][1] for i in picks)
    raise RuntimeError("ran out of names")


def contact_name(rng: np.random.Generator) -> str:
    """How a salesperson writes a customer contact: surname plus title (王总, 李工)."""
    surname = SURNAMES[int(rng.integers(0, len(SURNAMES)))][0]
    return surname + CONTACT_TITLES[int(rng.integers(0, len(CONTACT_TITLES)))]


def company_name(rng: np.random.Generator, city_name: str, taken: set[str]) -> tuple[str, str]:
    """A new, unique (company name, industry), e.g. ("苏州恒达精密机械有限公司", "机械制造")."""
    for _ in range(1000):
        brand = BRANDS[int(rng.integers(0, len(BRANDS)))]
        words, industry = INDUSTRIES[int(rng.integers(0, len(INDUSTRIES)))]
        suffix = "股份有限公司" if rng.random() < 0.1 else "有限公司"
        name = f"{city_name}{brand}{words}{suffix}"
        if name not in taken:
            taken.add(name)
            return name, industry
    raise RuntimeError("ran out of company names")
