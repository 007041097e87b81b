"""The demo's DingTalk punches, placed by address text alone against the demo company's places."""

from __future__ import annotations

import time
from collections import Counter

from sqlalchemy import select

from workstation.app import App
from workstation.demo.files_attendance import DINGTALK_HEADER
from workstation.ingest.address_match import AddressMatcher, KnownPlace, normalise_address
from workstation.ingest.readers import read_table
from workstation.store.models import CompetitorSite, Customer, Office

#: On the seed-7 demo (南京, 90 days) nearly every punch row is placed. The rest are the faker's
#: "…路附近" home punches (claimed as customer visits; left unmatched on purpose), 缺卡 rows
#: (no address) and punches at an address the demo gives to two places (ambiguous).
MIN_MATCHED_SHARE = 0.90


def _known_places(app: App) -> list[KnownPlace]:
    places: list[KnownPlace] = []
    with app.uow() as u:
        for kind, model in (
            ("customer", Customer),
            ("competitor_site", CompetitorSite),
            ("office", Office),
        ):
            for row in u.session.scalars(select(model)):
                if row.address:
                    places.append(KnownPlace(kind, row.id, row.name, row.address, row.lat, row.lon))
    return places


def test_dingtalk_punches_are_placed_by_address(demo_app: App) -> None:
    places = _known_places(demo_app)
    assert places
    matcher = AddressMatcher(places)
    path = next(demo_app.settings.demo_files_dir.glob("钉钉考勤_原始记录_南京_*.xlsx"))
    table = read_table(path, header_names=DINGTALK_HEADER, sheet="原始记录")
    assert table.header_row == 3
    frame = table.frame
    assert len(frame) > 0

    started = time.perf_counter()
    results = matcher.match_many(frame["打卡地址"].tolist())
    elapsed = time.perf_counter() - started

    owners = Counter(normalise_address(p.address) for p in places)
    customers = {normalise_address(p.address): p for p in places if p.kind == "customer"}
    offices = {normalise_address(p.address): p for p in places if p.kind == "office"}
    field_at_customer = office_punches = shared = 0
    for address, result, found in zip(frame["打卡地址"], frame["打卡结果"], results, strict=True):
        key = normalise_address(address)
        if result == "外勤" and key in customers:
            if owners[key] > 1:  # the demo gives a few places one address: ambiguous
                shared += 1
                assert found is None, address
                continue
            field_at_customer += 1
            assert found is not None, address
            assert found.exact
            assert found.place.kind == "customer"
            assert normalise_address(found.place.address) == key
        if key in offices:
            office_punches += 1
            assert owners[key] == 1
            assert found is not None and found.place == offices[key], address
        if address.endswith("附近") and "号" not in address:
            assert found is None, address  # no number, no road-level guess

    matched = sum(r is not None for r in results)
    share = matched / len(results)
    kinds = Counter(r.place.kind for r in results if r is not None)
    print(
        f"\nDingTalk {path.name}: {matched}/{len(results)} punches placed ({share:.1%}) in "
        f"{elapsed * 1000:.1f} ms against {len(places)} places; by kind {dict(kinds)}; "
        f"field at customer {field_at_customer} (+{shared} at a shared address), "
        f"at an office {office_punches}"
    )
    assert field_at_customer > 0
    assert office_punches > 0
    assert share >= MIN_MATCHED_SHARE
