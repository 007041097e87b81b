"""The demo company's own particulars, which no case can supply: who the employer is, its
trade union, the arbitration commission its notices name, and the rule the diverter broke."""

from __future__ import annotations

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
)

__all__ = ["DEMO_COMPANY", "DEMO_RULE"]
