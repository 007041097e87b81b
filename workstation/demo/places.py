"""Real geography of the four demo cities: offices, districts with real road names, water.

Coordinates are WGS-84. District centres and spreads are approximate but real: a customer of
工业园区 lands in Suzhou Industrial Park, on a road that exists there. Lakes and the big rivers
are kept free of customers and homes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    name: str
    lat: float
    lon: float
    #: Standard deviation of positions around the centre, in metres.
    spread_m: float
    roads: tuple[str, ...]
    #: Relative share of the city's customers and homes.
    weight: float = 1.0


@dataclass(frozen=True)
class OfficeSpec:
    name: str
    district: str
    address: str
    lat: float
    lon: float


@dataclass(frozen=True)
class City:
    code: str
    name: str
    #: Prefix of every address: province and city ("江苏省苏州市"; "上海市" for Shanghai).
    prefix: str
    office: OfficeSpec
    districts: tuple[District, ...]
    #: Angle of the street grid (degrees anticlockwise from east) used to draw routes.
    grid_deg: float
    #: Share of the company's customers in this city.
    share: float
    #: The attendance app used in this city's offices ("wecom" or "dingtalk").
    attendance_app: str


@dataclass(frozen=True)
class Water:
    """A lake (a circle) or a river (a polyline with a half width) where nobody is placed."""

    points: tuple[tuple[float, float], ...]
    radius_m: float


def _districts(table: str) -> tuple[District, ...]:
    """Parse ``name lat lon spread_m weight`` lines, each followed by indented road names."""
    out: list[District] = []
    head: list[str] = []
    roads: list[str] = []
    for line in [*table.splitlines(), ""]:
        if line.startswith(" "):
            roads.extend(line.split())
            continue
        if head:
            name, lat, lon, spread, weight = head
            out.append(
                District(name, float(lat), float(lon), float(spread), tuple(roads), float(weight))
            )
            head, roads = [], []
        if line.strip():
            head = line.split()
    return tuple(out)


_SHANGHAI_DISTRICTS = """
浦东新区 31.221 121.548 4200 2.5
    世纪大道 张杨路 浦东南路 东方路 杨高中路 锦绣路 龙阳路 张江路 碧波路 金桥路 川沙路
    祖冲之路
徐汇区 31.183 121.437 2200 1
    漕溪北路 肇嘉浜路 宜山路 田林路 桂平路 虹漕路 钦州路 龙华中路
长宁区 31.214 121.405 2000 0.8
    延安西路 仙霞路 天山路 古北路 娄山关路 遵义路 淞虹路 协和路
静安区 31.245 121.452 1800 0.8
    南京西路 江宁路 共和新路 汶水路 西藏北路 延长中路 万荣路 灵石路
普陀区 31.249 121.397 2000 0.8
    曹杨路 真北路 中山北路 武宁路 金沙江路 长寿路 光复西路 同普路
杨浦区 31.272 121.522 2000 0.8
    四平路 国定路 黄兴路 军工路 控江路 政立路 长阳路 松花江路
闵行区 31.112 121.382 4000 1.5
    七莘路 漕宝路 沪闵路 莘松路 都市路 吴中路 虹梅南路 江川路
宝山区 31.405 121.445 3000 1
    牡丹江路 友谊路 沪太路 长江西路 蕰川路 水产路 同济路 共和新路
嘉定区 31.375 121.262 3500 1
    塔城路 博乐路 城中路 墨玉路 嘉松北路 沪宜公路 叶城路 胜辛路
松江区 31.035 121.225 3500 1
    人民北路 中山中路 新松江路 荣乐东路 沪亭北路 广富林路 文诚路 谷阳北路
"""

_SUZHOU_DISTRICTS = """
工业园区 31.318 120.718 3800 2.5
    星湖街 现代大道 苏州大道东 金鸡湖大道 星港街 旺墩路 苏虹中路 东旺路 星华街 通园路
姑苏区 31.310 120.612 1700 1
    人民路 干将路 十全街 三香路 景德路 阊胥路 广济路 西环路
虎丘区 31.298 120.552 2500 1.5
    狮山路 长江路 塔园路 竹园路 珠江路 金山路 滨河路 玉山路
吴中区 31.262 120.630 2800 1
    东吴北路 宝带西路 吴中大道 东吴南路 塔韵路 宝带东路
相城区 31.372 120.640 2500 0.8
    相城大道 华元路 澄阳路 阳澄湖西路 富元路 嘉元路
吴江区 31.160 120.645 3000 0.8
    中山北路 鲈乡北路 开平路 江兴东路 仲英大道 笠泽路
"""

_HANGZHOU_DISTRICTS = """
上城区 30.252 120.198 2400 1.2
    富春路 新业路 民心路 钱江路 解放东路 庆春东路 望江东路 秋涛路
拱墅区 30.300 120.160 2400 1
    莫干山路 湖墅南路 体育场路 上塘路 东新路 绍兴路 德胜路 石祥路
西湖区 30.280 120.112 2800 1
    文三路 文二路 天目山路 古墩路 教工路 学院路 西溪路 益乐路
滨江区 30.200 120.200 2200 1
    江南大道 滨盛路 江陵路 长河路 网商路 六和路 阡陌路 月明路
余杭区 30.280 120.010 3200 0.8
    文一西路 五常大道 良睦路 高教路 海曙路 仓兴街
萧山区 30.168 120.266 3200 1.2
    市心中路 金城路 人民路 建设一路 通惠中路 博奥路 鸿宁路 山阴路
"""

_NANJING_DISTRICTS = """
玄武区 32.048 118.808 1900 1
    中山路 北京东路 珠江路 中山东路 龙蟠路 太平北路 长江路 玄武大道
秦淮区 32.022 118.796 1900 1
    中华路 洪武路 太平南路 建康路 大光路 御道街 中山南路 龙蟠中路
鼓楼区 32.066 118.765 1900 1
    中山北路 北京西路 汉中路 广州路 虎踞路 湖南路 草场门大街 江东北路
建邺区 32.010 118.735 1900 1
    江东中路 庐山路 应天大街 河西大街 奥体大街 兴隆大街 梦都大街 嘉陵江东街
栖霞区 32.102 118.905 3000 1
    仙林大道 文苑路 学衡路 尧佳路 和燕路 仙尧路
江宁区 31.950 118.840 3500 1.5
    双龙大道 天元中路 胜太路 将军大道 竹山路 苏源大道 诚信大道 格致路
雨花台区 31.992 118.772 2200 0.8
    软件大道 宁丹路 安德门大街 花神大道 凤信路 玉兰路
"""

SHANGHAI = City(
    code="SH",
    name="上海",
    prefix="上海市",
    office=OfficeSpec(
        "上海总部", "浦东新区", "上海市浦东新区陆家嘴环路 1233 号 22 楼", 31.2352, 121.5048
    ),
    districts=_districts(_SHANGHAI_DISTRICTS),
    grid_deg=8.0,
    share=0.30,
    attendance_app="wecom",
)

SUZHOU = City(
    code="SZ",
    name="苏州",
    prefix="江苏省苏州市",
    office=OfficeSpec(
        "苏州分公司", "工业园区", "江苏省苏州市工业园区苏州大道东 265 号 16 楼", 31.3181, 120.6742
    ),
    districts=_districts(_SUZHOU_DISTRICTS),
    grid_deg=3.0,
    share=0.25,
    attendance_app="wecom",
)

HANGZHOU = City(
    code="HZ",
    name="杭州",
    prefix="浙江省杭州市",
    office=OfficeSpec(
        "杭州分公司", "上城区", "浙江省杭州市上城区富春路 701 号 18 楼", 30.2462, 120.2108
    ),
    districts=_districts(_HANGZHOU_DISTRICTS),
    grid_deg=-12.0,
    share=0.225,
    attendance_app="dingtalk",
)

NANJING = City(
    code="NJ",
    name="南京",
    prefix="江苏省南京市",
    office=OfficeSpec(
        "南京分公司", "秦淮区", "江苏省南京市秦淮区中山南路 1 号 28 楼", 32.0418, 118.7843
    ),
    districts=_districts(_NANJING_DISTRICTS),
    grid_deg=15.0,
    share=0.225,
    attendance_app="dingtalk",
)

CITIES: tuple[City, ...] = (SHANGHAI, SUZHOU, HANGZHOU, NANJING)
CITY_BY_CODE = {c.code: c for c in CITIES}

#: Lakes and rivers (approximate); nobody lives or works in them.
WATER: tuple[Water, ...] = (
    Water(((31.306, 120.688),), 1300),  # 金鸡湖
    Water(((31.268, 120.745),), 1300),  # 独墅湖
    Water(((31.430, 120.800),), 4500),  # 阳澄湖
    Water(((30.243, 120.143),), 1500),  # 西湖
    Water(((32.076, 118.795),), 1200),  # 玄武湖
    Water(  # 黄浦江
        (
            (31.330, 121.560),
            (31.300, 121.555),
            (31.260, 121.540),
            (31.250, 121.515),
            (31.242, 121.497),
            (31.228, 121.492),
            (31.212, 121.497),
            (31.197, 121.476),
            (31.180, 121.470),
            (31.150, 121.460),
            (31.100, 121.440),
            (31.030, 121.410),
        ),
        300,
    ),
    Water(  # 钱塘江
        (
            (30.180, 120.120),
            (30.205, 120.170),
            (30.225, 120.205),
            (30.238, 120.228),
            (30.255, 120.260),
            (30.280, 120.310),
        ),
        600,
    ),
    Water(  # 长江 (南京段)
        (
            (31.930, 118.600),
            (31.990, 118.660),
            (32.040, 118.700),
            (32.085, 118.725),
            (32.115, 118.755),
            (32.140, 118.800),
            (32.160, 118.860),
            (32.190, 118.940),
        ),
        900,
    ),
)

#: Name of the demo company (appears in file titles and chat messages).
COMPANY_NAME = "华东精工科技有限公司"
COMPANY_SHORT = "华东精工"
