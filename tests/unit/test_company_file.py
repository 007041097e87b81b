"""The employer's particulars in ``company.json``: absent, saved and read back, refused when
they cannot be used (saying what is wrong)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workstation.demo.company import DEMO_COMPANY, DEMO_RULE
from workstation.reports.company_file import (
    CompanyFile,
    CompanyFileError,
    CompanyParticulars,
    FixedCompany,
)


def test_absent_saved_and_read_back(tmp_path: Path) -> None:
    source = CompanyFile(tmp_path / "data" / "company.json")
    assert not source.exists() and source.particulars() is None
    assert str(source.path) in source.describe()
    source.save(CompanyParticulars(DEMO_COMPANY, (DEMO_RULE,)))
    assert source.particulars() == CompanyParticulars(DEMO_COMPANY, (DEMO_RULE,))
    raw = json.loads(source.path.read_text(encoding="utf-8"))
    assert raw["name"] == DEMO_COMPANY.name and raw["rules"][0]["article"] == "第七章第三条"
    # an edit applies to the next document: the file is read on each use
    raw["arbitration_commission"] = "  "
    del raw["rules"]
    source.path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    edited = source.particulars()
    assert edited is not None and edited.rules == ()
    assert edited.company.arbitration_commission is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not readable JSON"),
        ("[]", "one JSON object"),
        ('{"name": "X", "address": "Y"}', "give legal_representative, union_name"),
        (
            '{"name": "X", "address": "Y", "legal_representative": "Z", "union_name": "U",'
            ' "rules": [{"document": "D", "article": ""}]}',
            "rules[0] needs document, article and text",
        ),
    ],
)
def test_unusable_particulars_say_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "company.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CompanyFileError, match=re.escape(words)) as caught:
        CompanyFile(path).particulars()
    assert str(path) in str(caught.value)


def test_fixed_particulars() -> None:
    fixed = FixedCompany(DEMO_COMPANY, (DEMO_RULE,))
    assert fixed.particulars() == CompanyParticulars(DEMO_COMPANY, (DEMO_RULE,))
