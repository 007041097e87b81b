"""Names of people, customers, streets and places of the second company (成都 and 重庆),
drawn deterministically from a seeded ``random.Random``."""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付方白邹孟熊秦邱江尹冉向雷侯龙史陶黎贺顾毛郝龚"
)
GIVEN = (
    "伟",
    "磊",
    "静",
    "敏",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "平",
    "刚",
    "桂芳",
    "志强",
    "建华",
    "婷",
    "晓东",
    "俊",
    "鑫",
    "宇",
    "浩然",
    "欣怡",
    "梓涵",
    "子轩",
    "雨桐",
    "思远",
    "嘉豪",
    "文博",
    "一鸣",
    "佳琪",
    "海燕",
    "春梅",
    "国庆",
    "红梅",
    "建国",
    "小龙",
    "德华",
    "晓燕",
    "丽",
    "倩",
    "博",
    "琳",
    "川",
    "渝生",
    "蓉",
    "亮",
    "斌",
)
TRADE_NAMES = (
    "恒达",
    "蓉昌",
    "宏远",
    "巴山",
    "锦泰",
    "川力",
    "天翼",
    "瑞丰",
    "众诚",
    "金鼎",
    "华蓥",
    "鑫源",
    "长城",
    "汇通",
    "德众",
    "嘉禾",
    "蜀光",
    "峨眉",
    "青城",
    "岷江",
    "沱江",
    "渝海",
    "山城",
    "朝天门",
    "两江",
    "缙云",
    "歌乐",
    "南山",
    "龙湖",
    "大川",
    "永兴",
    "盛邦",
    "东源",
    "万顺",
    "佳美",
    "同创",
    "鼎盛",
    "弘扬",
    "博能",
    "正泰",
    "兴隆",
    "和信",
    "安达",
    "福瑞",
    "新川",
    "腾越",
    "华西",
    "西南",
    "三峡",
    "武隆",
    "合川",
    "江津",
    "彭州",
    "新津",
    "龙泉",
    "温江",
    "郫县",
    "双流",
    "都江",
    "崇州",
    "邛崃",
    "简阳",
    "金堂",
    "大邑",
    "蒲江",
    "黔江",
)
TRADES = (
    "精密机械",
    "包装材料",
    "食品",
    "电子科技",
    "建材",
    "汽车配件",
    "医疗器械",
    "化工",
    "塑胶制品",
    "五金制品",
    "环保科技",
    "印务",
    "物流",
    "模具",
    "酒业",
    "调味品",
    "火锅底料",
    "摩托车配件",
    "家具",
    "纺织",
    "电气设备",
    "智能装备",
    "生物科技",
    "新材料",
    "钢结构",
)
#: (format, weight): {c} the city word, {t} the trade name, {k} the trade.
COMPANY_FORMS = (
    ("{c}{t}{k}有限公司", 6),
    ("{c}{t}{k}股份有限公司", 2),
    ("{t}{k}（{c}）有限公司", 1),
    ("{c}市{t}{k}有限责任公司", 1),
)
CHENGDU_DISTRICTS = ("锦江区", "青羊区", "金牛区", "武侯区", "成华区", "高新区", "双流区", "郫都区")
CHENGDU_ROADS = (
    "天府大道北段",
    "人民南路四段",
    "蜀都大道",
    "一环路西一段",
    "二环路东三段",
    "剑南大道中段",
    "科华北路",
    "红星路三段",
    "府青路二段",
    "沙湾路",
    "营门口路",
    "武侯大道",
    "成华大道",
    "建设路",
    "双林路",
    "东大街",
    "高升桥路",
    "金府路",
    "蜀汉路",
    "光华大道",
    "交子大道",
    "益州大道",
    "站华路",
    "羊西线",
    "清江东路",
    "科园南路",
    "新园大道",
    "万家湾路",
)
CHONGQING_DISTRICTS = ("渝中区", "江北区", "南岸区", "九龙坡区", "沙坪坝区", "渝北区", "大渡口区")
CHONGQING_ROADS = (
    "建新北路",
    "红旗河沟正街",
    "金开大道",
    "新牌坊一路",
    "民族路",
    "解放西路",
    "长江一路",
    "石桥铺正街",
    "杨家坪正街",
    "西城大道",
    "冉家坝路",
    "金州大道",
    "海峡路",
    "南坪西路",
    "黄桷坪正街",
    "大坪正街",
    "渝州路",
    "五一路",
    "松石北路",
    "北部新区高新园星光大道",
    "龙头寺路",
    "洋河路",
    "大石坝路",
    "华新街",
    "嘉陵路",
    "鹅岭正街",
    "二郎科城路",
)
#: Places a salesman can sit instead of visiting (重庆): name and address.
CHONGQING_SPOTS = (
    ("观音桥大融城", "重庆市江北区建新西路2号"),
    ("龙湖春森彼岸三期", "重庆市江北区北城天街32号"),
    ("解放碑得意世界茶楼", "重庆市渝中区邹容路68号"),
)

CITY_WORDS = {"成都": ("成都", "四川"), "重庆": ("重庆",)}
PROVINCE = {"成都": "四川省", "重庆": ""}


@dataclass(frozen=True)
class CompanyName:
    full: str
    trade_name: str
    trade: str
    city_word: str

    def short(self) -> str:
        """The name as people write it in a remark: without the legal form."""
        text = self.full
        for tail in ("股份有限公司", "有限责任公司", "有限公司"):
            if text.endswith(tail):
                text = text[: -len(tail)]
                break
        return text.replace("（", "(").replace("）", ")")


class NamePool:
    """Unique names for people, companies and addresses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._people: set[str] = set()
        self._companies: set[str] = set()
        self._addresses: set[tuple[str, int]] = set()

    def person(self) -> tuple[str, str]:
        """(name, gender)."""
        while True:
            given = self._rng.choice(GIVEN)
            name = self._rng.choice(SURNAMES) + given
            if name not in self._people:
                self._people.add(name)
                female = given in {"静", "敏", "娟", "秀英", "桂芳", "婷", "欣怡", "雨桐"}
                female |= given in {"佳琪", "海燕", "春梅", "红梅", "晓燕", "丽", "倩", "琳", "蓉"}
                return name, "女" if female else "男"

    def company(self, city: str) -> CompanyName:
        forms = [f for f, w in COMPANY_FORMS for _ in range(w)]
        while True:
            city_word = self._rng.choice(CITY_WORDS[city])
            trade_name = self._rng.choice(TRADE_NAMES)
            trade = self._rng.choice(TRADES)
            full = self._rng.choice(forms).format(c=city_word, t=trade_name, k=trade)
            key = trade_name + trade
            if key not in self._companies:
                self._companies.add(key)
                return CompanyName(full, trade_name, trade, city_word)

    def address(self, city: str) -> str:
        districts = CHENGDU_DISTRICTS if city == "成都" else CHONGQING_DISTRICTS
        roads = CHENGDU_ROADS if city == "成都" else CHONGQING_ROADS
        while True:
            road = self._rng.choice(roads)
            number = self._rng.randint(1, 899)
            text = f"{city}市{self._rng.choice(districts)}{road}{number}号"
            if (road, number) not in self._addresses:
                self._addresses.add((road, number))
                return text
