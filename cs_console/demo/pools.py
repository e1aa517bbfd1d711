"""The raw material of the demo database: people, names, places, parcels and words.

Pools are built once per run from a seeded random generator and then sampled in bulk, so
generating a million rows costs no per-row name or address assembly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cs_console.domain.enums import Role


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    role: Role
    agent_no: str  # 工号
    team: str = ""
    outlet: str = ""


OUTLET_XIHU = "杭州西湖网点"
OUTLET_PUDONG = "上海浦东网点"

PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("admin", "系统管理员", Role.ADMIN, "0001"),
    DemoPerson("zhoumin", "周敏", Role.SUPERVISOR, "8001", "客服一组"),
    DemoPerson("hejun", "何军", Role.SUPERVISOR, "8002", "客服二组"),
    DemoPerson("wangfang", "王芳", Role.AGENT, "1024", "客服一组"),
    DemoPerson("lihua", "李华", Role.AGENT, "1025", "客服一组"),
    DemoPerson("zhangwei", "张伟", Role.AGENT, "1026", "客服一组"),
    DemoPerson("liuyang", "刘洋", Role.AGENT, "1027", "客服一组"),
    DemoPerson("chenjing", "陈静", Role.AGENT, "1031", "客服二组"),
    DemoPerson("yangli", "杨丽", Role.AGENT, "1032", "客服二组"),
    DemoPerson("zhaolei", "赵磊", Role.AGENT, "1033", "客服二组"),
    DemoPerson("huangmin", "黄敏", Role.AGENT, "1034", "客服二组"),
    DemoPerson("sunqiang", "孙强", Role.SPECIALIST, "6001", "投诉处理组"),
    DemoPerson("zhuxia", "朱霞", Role.SPECIALIST, "6002", "投诉处理组"),
    DemoPerson("qianmei", "钱梅", Role.OUTLET, "9101", outlet=OUTLET_XIHU),
    DemoPerson("guohao", "郭浩", Role.OUTLET, "9102", outlet=OUTLET_PUDONG),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_SINGLE = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉玲桂鹏华飞鑫波斌宇浩凯健俊帆帅旭宁琳颖倩婷雪慧莉"
)
GIVEN_PARTS = "子梓浩宇欣雨思佳嘉俊晓文志建国海明永春秀丽婷一雅诗若紫梦晨天博泽家晨书怡可心瑞涵"

# (province, city, districts); municipalities repeat themselves as city.
PLACES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("浙江省", "杭州市", ("西湖区", "上城区", "拱墅区", "滨江区", "余杭区", "萧山区")),
    ("浙江省", "宁波市", ("海曙区", "鄞州区", "江北区")),
    ("浙江省", "温州市", ("鹿城区", "瓯海区")),
    ("江苏省", "南京市", ("玄武区", "秦淮区", "鼓楼区", "建邺区")),
    ("江苏省", "苏州市", ("姑苏区", "吴中区", "相城区")),
    ("广东省", "广州市", ("天河区", "越秀区", "海珠区", "白云区")),
    ("广东省", "深圳市", ("南山区", "福田区", "罗湖区", "宝安区", "龙岗区")),
    ("北京市", "北京市", ("朝阳区", "海淀区", "东城区", "西城区", "丰台区")),
    ("上海市", "上海市", ("浦东新区", "黄浦区", "徐汇区", "静安区", "闵行区")),
    ("天津市", "天津市", ("和平区", "南开区", "河西区")),
    ("重庆市", "重庆市", ("渝中区", "江北区", "南岸区")),
    ("四川省", "成都市", ("锦江区", "武侯区", "青羊区", "成华区")),
    ("湖北省", "武汉市", ("江汉区", "武昌区", "洪山区")),
    ("山东省", "济南市", ("历下区", "市中区")),
    ("山东省", "青岛市", ("市南区", "崂山区")),
    ("福建省", "厦门市", ("思明区", "湖里区")),
    ("河南省", "郑州市", ("金水区", "中原区")),
    ("湖南省", "长沙市", ("岳麓区", "天心区", "芙蓉区")),
    ("陕西省", "西安市", ("雁塔区", "碑林区", "未央区")),
)
STREETS = (
    "文三路",
    "学院路",
    "中山路",
    "解放路",
    "人民路",
    "建设路",
    "长江路",
    "黄河路",
    "和平路",
    "新华路",
    "延安路",
    "南京路",
    "天目山路",
    "科技路",
    "创业路",
    "湖滨路",
    "滨江大道",
    "光明街",
    "幸福路",
    "青年路",
    "东风路",
    "朝阳路",
    "花园街",
    "振兴路",
)
HUBS = (
    ("杭州转运中心", "HZ"),
    ("上海转运中心", "SH"),
    ("广州转运中心", "GZ"),
    ("北京转运中心", "BJ"),
    ("成都转运中心", "CD"),
    ("武汉转运中心", "WH"),
    ("南京转运中心", "NJ"),
    ("深圳转运中心", "SZ"),
)
# Carriers' tracking numbers: prefix, digits, share of parcels.
CARRIERS = (("SF", 12, 30), ("YT", 13, 25), ("75", 13, 16), ("77", 13, 14), ("JDV", 12, 15))
# Mainland mobile prefixes whose every 8-digit continuation is valid (phonenumbers' metadata).
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "195",
    "198",
    "199",
)

DESCRIPTIONS = {
    "delay": (
        "包裹超出承诺时效{days}天仍未送达，物流信息多日未更新。",
        "快递显示已到达转运中心后停滞{days}天，客户急需使用。",
        "承诺次日达，实际已延误{days}天，客户多次催促无果。",
    ),
    "loss": (
        "物流信息显示已签收，但客户本人及家人均未收到包裹。",
        "包裹在转运途中丢失，网点称无法找到。",
        "快递柜显示已投递，取件时柜内为空。",
    ),
    "damage": (
        "收到包裹时外箱破损，内物有明显损坏。",
        "易碎品运输中碎裂，包装未按要求加固。",
        "包裹外包装挤压变形，内物受潮。",
    ),
    "attitude": (
        "快递员派送时态度恶劣，拒绝送货上门。",
        "客服电话中答复不清，多次转接仍未解决问题。",
        "网点工作人员对客户咨询不耐烦，言语不当。",
    ),
    "other": (
        "快递员未联系客户即将包裹放在门口。",
        "运费收取与下单时报价不符。",
        "要求修改收件地址未被处理。",
    ),
}
REQUESTS = {
    "delay": ("尽快派送并说明原因", "要求尽快送达并给予补偿", "要求给出明确送达时间"),
    "loss": ("要求查找包裹，找不到按价赔偿", "要求按保价金额赔偿", "要求尽快核实并赔偿"),
    "damage": ("要求赔偿损坏物品", "要求维修或更换", "要求按声明价值赔偿"),
    "attitude": ("要求快递员道歉", "要求网点给出处理结果", "要求更换派送员"),
    "other": ("要求说明情况并改正", "要求退还多收的费用", "要求按新地址派送"),
}


def _given(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(GIVEN_SINGLE)
    return rng.choice(GIVEN_PARTS) + rng.choice(GIVEN_SINGLE)


def name_pool(rng: random.Random, size: int = 20_000) -> list[str]:
    """Plausible Chinese full names, common surnames more often."""
    weights = [max(1, 40 - i // 3) for i in range(len(SURNAMES))]
    surnames = rng.choices(SURNAMES, weights=weights, k=size)
    return [
        (rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else surname) + _given(rng)
        for surname in surnames
    ]


def address_pool(rng: random.Random, size: int = 30_000) -> list[str]:
    """Mainland addresses: province, city, district, street, number, sometimes a flat."""
    pool = []
    for _ in range(size):
        province, city, districts = rng.choice(PLACES)
        head = city if province == city else province + city
        flat = ""
        if rng.random() < 0.6:
            flat = f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
            flat += f"{rng.randint(1, 33)}0{rng.randint(1, 4)}室"
        pool.append(
            f"{head}{rng.choice(districts)}{rng.choice(STREETS)}{rng.randint(1, 999)}号{flat}"
        )
    return pool


def outlet_pool() -> list[str]:
    """Outlets (网点) named after city and district, the demo outlets' own first."""
    outlets = [OUTLET_XIHU, OUTLET_PUDONG]
    for _province, city, districts in PLACES:
        for district in districts[:2]:
            name = (
                f"{city.removesuffix('市')}{district.removesuffix('新区').removesuffix('区')}网点"
            )
            if name not in outlets:
                outlets.append(name)
    return outlets


def route_pool() -> list[str]:
    """Origin-destination routes between the cities of PLACES."""
    cities = [city.removesuffix("市") for _p, city, _d in PLACES]
    return [f"{a}-{b}" for a in cities for b in cities if a != b]
