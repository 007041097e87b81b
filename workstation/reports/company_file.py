"""The employer's particulars the documents print and no case can supply: name, address, legal
representative, trade union, arbitration commission, and the company rules a termination
cites. Kept in ``company.json`` in the data folder (plain UTF-8 JSON, edited by HR or legal)::

    {
      "name": "上海华东医疗器械销售有限公司",
      "address": "上海市徐汇区漕溪北路 398 号汇智大厦 12 楼",
      "legal_representative": "陈建国",
      "union_name": "上海华东医疗器械销售有限公司工会委员会",
      "arbitration_commission": "上海市劳动人事争议仲裁委员会",
      "rules": [{"document": "员工手册", "article": "第七章第三条",
                 "text": "不得将公司客户、订单转给竞争对手",
                 "indicators": ["customer_churn_rate", "order_transfer_ratio"]}]
    }

``arbitration_commission`` and ``rules`` may be left out; so may a rule's ``indicators``, the
early-warning indicators that show the conduct it forbids: a case's documents cite by
default the rules whose indicators its alert fired on (a rule without any is cited when no
such rule fits).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from workstation.reports.document_data import CompanyInfo, RuleInfo

COMPANY_FILE = "company.json"
_REQUIRED = ("name", "address", "legal_representative", "union_name")


class CompanyFileError(ValueError):
    """``company.json`` exists but cannot be used (says what is wrong and where)."""


@dataclass(frozen=True)
class CompanyParticulars:
    company: CompanyInfo
    #: The rules a termination cites unless the caller names others.
    rules: tuple[RuleInfo, ...] = ()


class CompanySource(Protocol):
    def particulars(self) -> CompanyParticulars | None:
        """The employer's particulars, or None when they were never given."""
        ...

    def describe(self) -> str:
        """Where they come from, for a message asking to fill them in."""
        ...


class FixedCompany:
    """Particulars given in code (tests, the demo)."""

    def __init__(self, company: CompanyInfo, rules: tuple[RuleInfo, ...] = ()) -> None:
        self._particulars = CompanyParticulars(company, tuple(rules))

    def particulars(self) -> CompanyParticulars:
        return self._particulars

    def describe(self) -> str:
        return "given by the program"


class CompanyFile:
    """``company.json``: read on each use, so an edit applies to the next document."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.is_file()

    def describe(self) -> str:
        return f"write them to {self.path} (see workstation/reports/company_file.py)"

    def particulars(self) -> CompanyParticulars | None:
        if not self.path.is_file():
            return None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8-sig"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CompanyFileError(f"{self.path}: not readable JSON ({exc})") from exc
        if not isinstance(raw, dict):
            raise CompanyFileError(f"{self.path}: must hold one JSON object")
        missing = [k for k in _REQUIRED if not str(raw.get(k) or "").strip()]
        if missing:
            raise CompanyFileError(f"{self.path}: give {', '.join(missing)}")
        rules = raw.get("rules") or []
        if not isinstance(rules, list):
            raise CompanyFileError(f"{self.path}: rules must be a list")
        return CompanyParticulars(
            CompanyInfo(
                name=str(raw["name"]).strip(),
                address=str(raw["address"]).strip(),
                legal_representative=str(raw["legal_representative"]).strip(),
                union_name=str(raw["union_name"]).strip(),
                arbitration_commission=_optional(raw.get("arbitration_commission")),
            ),
            tuple(_rule(self.path, index, rule) for index, rule in enumerate(rules)),
        )

    def save(self, particulars: CompanyParticulars) -> None:
        data: dict[str, Any] = asdict(particulars.company)
        data["rules"] = [
            {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(rule).items()}
            for rule in particulars.rules
        ]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(self.path)


def _optional(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None


def _rule(path: Path, index: int, raw: object) -> RuleInfo:
    if not isinstance(raw, dict) or not all(
        str(raw.get(k) or "").strip() for k in ("document", "article", "text")
    ):
        raise CompanyFileError(f"{path}: rules[{index}] needs document, article and text")
    indicators = raw.get("indicators") or []
    if not isinstance(indicators, list) or not all(isinstance(i, str) for i in indicators):
        raise CompanyFileError(f"{path}: rules[{index}].indicators must be a list of names")
    return RuleInfo(
        document=str(raw["document"]).strip(),
        article=str(raw["article"]).strip(),
        text=str(raw["text"]).strip(),
        indicators=tuple(i.strip() for i in indicators if i.strip()),
    )
