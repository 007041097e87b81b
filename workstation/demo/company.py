"""The demo company's own particulars, which no case can supply: who the employer is, its
trade union, the arbitration commission its notices name, and its rules: the one the
diverter broke, and the one against faked field work."""

from __future__ import annotations

from workstation.domain.indicators import Indicator
from workstation.reports.document_data import CompanyInfo, RuleInfo

DEMO_COMPANY = CompanyInfo(
    name="上海华东医疗器械销售有限公司",
    address="上海市徐汇区漕溪北路 398 号汇智大厦 12 楼",
    legal_representative="陈建国",
    union_name="上海华东医疗器械销售有限公司工会委员会",
    arbitration_commission="上海市劳动人事争议仲裁委员会",
)

DEMO_RULE = RuleInfo(
    document="员工手册",
    article="第七章第三条",
    text="不得将公司客户、订单转给竞争对手",
    indicators=(
        Indicator.CUSTOMER_CHURN_RATE.value,
        Indicator.COMPETITOR_OVERLAP_RATE.value,
        Indicator.ORDER_TRANSFER_RATIO.value,
        Indicator.CONVERSION_DROP.value,
    ),
)

DEMO_FIELDWORK_RULE = RuleInfo(
    document="员工手册",
    article="第七章第五条",
    text="不得虚报外勤、伪造打卡或定位记录",
    indicators=(Indicator.FAKE_FIELDWORK_RATE.value,),
)

#: The rules the demo company's documents may cite.
DEMO_RULES = (DEMO_RULE, DEMO_FIELDWORK_RULE)

__all__ = ["DEMO_COMPANY", "DEMO_FIELDWORK_RULE", "DEMO_RULE", "DEMO_RULES"]
