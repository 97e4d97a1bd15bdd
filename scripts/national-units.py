#!/usr/bin/env python3
"""Regenerate fixtures/national/: every administrative unit of Việt Nam
before and after the reorganisation of 1 July 2025.

Usage:
    pip install vietnam-provinces==2025.10.1 vietnamadminunits==1.0.4
    python3 scripts/national-units.py [OUT_DIR]      # default: fixtures/national

Writes two files (UTF-8, NFC, no BOM, sorted, so a regeneration diffs line
by line):

* units.csv — code,name,kind,parent_code,valid_from,valid_to,successor_code
  (the format of fixtures/units.csv). The tree of 30 June 2025 (63
  provinces, 696 districts, 10.035 communes) ends that day; the tree of
  1 July 2025 (34 provinces, 3.321 communes) starts the next. A unit
  of the new tree carries the suffix "-2025" on its GSO code, because GSO
  gave each new unit the code of one of the old units it replaced.
  successor_code is the new unit that answers for the old one after the
  reform: a commune's new commune (for a divided commune, the one the
  package marks as default), a district's or province's new province, an
  island district without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
  Côn Đảo) its đặc khu.
* successors.csv — code,successor_code,area_km2,share for each old commune
  divided between several new ones: every new commune that received part of
  it, with that commune's area and the share of the old commune counted to
  it. vietnamadminunits gives the area of each receiving commune, not of the
  part received, so the share is proportional to those areas, in
  ten-thousandths that add up to exactly 1 per old commune (equal parts
  where the package lacks an area).

Sources: vietnam-provinces (the 2025 list: codes, names, kinds) and
vietnamadminunits (the legacy list with its GSO codes, and the old -> new
mapping keyed by folded names). Every join is checked; the script stops
with an error rather than guess. The counts the project relies on are
asserted at the end.
"""

import csv
import json
import re
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import vietnam_provinces
import vietnamadminunits

OLD_END = "2025-06-30"
NEW_START = "2025-07-01"
SUFFIX = "-2025"
HEADER = ["code", "name", "kind", "parent_code", "valid_from", "valid_to", "successor_code"]
SUCC_HEADER = ["code", "successor_code", "area_km2", "share"]
SCALE = 10_000

PROVINCE_KINDS = {"tỉnh": "tỉnh", "thành phố": "thành phố", "thành phố trung ương": "thành phố"}
DISTRICT_KINDS = {"huyện": "huyện", "quận": "quận", "thị xã": "thị xã", "thành phố": "thành phố"}
COMMUNE_KINDS = {"xã": "xã", "phường": "phường", "thị trấn": "thị trấn", "đặc khu": "đặc khu"}


def fail(msg):
    sys.exit(f"national-units: {msg}")


def clean(s):
    """NFC, one space between words, straight apostrophes and hyphens."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u2019", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", s).strip()


def strip_kind(full, kind):
    """'Phường Lê Hồng Phong' -> 'Lê Hồng Phong' (kind words are not part of names)."""
    full = clean(full)
    prefix = kind + " "
    if full.lower().startswith(prefix):
        return full[len(prefix):]
    fail(f"{full!r} does not start with its kind {kind!r}")


def kind_of(full, kinds, stated):
    """The kind a full name starts with; the name wins over the stated type,
    which the legacy list gets wrong for a few units (its "Xã" for thị trấn
    Ngọc Lặc or phường 5 of Phú Nhuận)."""
    low = clean(full).lower()
    for k in sorted(kinds, key=len, reverse=True):
        if low.startswith(k + " "):
            return kinds[k]
    fail(f"{full!r} ({stated}) starts with no kind word")


def spelling_key(s):
    """Equal for two spellings of one name: case, spaces, punctuation and the
    old/new placement of tone marks (Thuỷ/Thủy) ignored, tones kept (Sơn Hà is
    not Sơn Hạ)."""
    words = []
    for w in re.split(r"[^\w]+", clean(s).lower().replace("đ", "d")):
        if not w:
            continue
        nfd = unicodedata.normalize("NFD", w)
        base = "".join(c for c in nfd if not unicodedata.combining(c))
        marks = "".join(sorted(c for c in nfd if unicodedata.combining(c)))
        words.append(base + marks)
    return " ".join(words)


def load_2025():
    """Provinces and communes of the 2025 list (vietnam-provinces)."""
    path = Path(vietnam_provinces.__file__).parent / "data" / "nested-divisions.json"
    provinces, communes = {}, {}
    for p in json.loads(path.read_text(encoding="utf-8")):
        pcode = f"{p['code']:02d}"
        kind = PROVINCE_KINDS[p["division_type"]]
        name = clean(p["name"])
        if name.lower().startswith("thành phố "):
            name = name[len("thành phố "):]
        provinces[pcode] = dict(name=name, kind=kind)
        for w in p["wards"]:
            wkind = COMMUNE_KINDS[w["division_type"]]
            communes[f"{w['code']:05d}"] = dict(
                name=strip_kind(w["name"], wkind), kind=wkind, province=pcode
            )
    return provinces, communes


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "fixtures" / "national"
    pkg = Path(vietnamadminunits.__file__).parent / "data"
    db = sqlite3.connect(pkg / "dataset.db")
    conv = json.loads((pkg / "converter_2025.json").read_text(encoding="utf-8"))

    new_provinces, new_communes = load_2025()

    # --- the legacy tree (vietnamadminunits) ---------------------------------
    old_provinces, old_districts, old_communes = {}, {}, {}
    old_key = {}  # "province_district_ward" key of the converter -> commune or district code
    rows = db.execute(
        "SELECT province, provinceCode, provinceKey, district, districtType, districtCode,"
        " districtKey, ward, wardType, wardCode, wardKey FROM admin_units_legacy"
    ).fetchall()
    for prov, pcode, pkey, dist, dtype, dcode, dkey, ward, wtype, wcode, wkey in rows:
        pkind = "thành phố" if prov.startswith("Thành phố ") else "tỉnh"
        old_provinces.setdefault(pcode, dict(name=strip_kind(prov, pkind), kind=pkind, key=pkey))
        dkind = kind_of(dist, DISTRICT_KINDS, dtype)
        old_districts.setdefault(dcode, dict(name=strip_kind(dist, dkind), kind=dkind, province=pcode))
        if old_districts[dcode]["province"] != pcode:
            fail(f"district {dcode} under two provinces")
        if wcode is None:
            old_key[f"{pkey}_{dkey}_"] = ("district", dcode)
            continue
        wkind = kind_of(ward, COMMUNE_KINDS, wtype)
        if wcode in old_communes:
            fail(f"commune code {wcode} twice in the legacy list")
        old_communes[wcode] = dict(name=strip_kind(ward, wkind), kind=wkind, district=dcode)
        old_key[f"{pkey}_{dkey}_{wkey}"] = ("commune", wcode)

    # --- new communes: the converter's keys -> 2025 codes --------------------
    # vietnamadminunits keys new communes by folded name within a province;
    # its own codes differ from the 2025 list for about 125 communes, so the
    # key is joined to the 2025 list by province and name.
    by_name = defaultdict(list)
    for code, c in new_communes.items():
        by_name[(c["province"], c["kind"], spelling_key(c["name"]))].append(code)
    new_key = {}
    new_province_key = {}
    for pkey, pcode, wkey, ward, wtype in db.execute(
        "SELECT provinceKey, provinceCode, wardKey, ward, wardType FROM admin_units"
    ):
        if pcode not in new_provinces:
            fail(f"province {pcode} of vietnamadminunits is not in the 2025 list")
        new_province_key[pkey] = pcode
        wkind = kind_of(ward, COMMUNE_KINDS, wtype)
        hits = by_name.get((pcode, wkind, spelling_key(strip_kind(ward, wkind))), [])
        if len(hits) != 1:
            fail(f"{ward} ({pcode}) matches {len(hits)} communes of the 2025 list")
        new_key[(pkey, wkey)] = hits[0]
    if sorted(new_key.values()) != sorted(new_communes):
        fail("the two packages do not hold the same 2025 communes")

    # --- old province -> new province -----------------------------------------
    province_succ = {}
    old_by_key = {p["key"]: code for code, p in old_provinces.items()}
    for npkey, old_keys in conv["DICT_PROVINCE"].items():
        for ok in old_keys:
            province_succ[old_by_key[ok]] = new_province_key[npkey]
    if set(province_succ) != set(old_provinces):
        fail("some old provinces have no new province")

    # --- old commune -> new commune(s) ----------------------------------------
    whole = {}                       # old commune code -> new commune code
    divided = defaultdict(list)      # old commune code -> [(new code, area, default)]
    district_succ = {}               # island district -> its đặc khu
    for npkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for nwkey, olds in wards.items():
            ncode = new_key[(npkey, nwkey)]
            for ok in olds:
                level, ocode = old_key[ok]
                target = district_succ if level == "district" else whole
                if ocode in target:
                    fail(f"{ok} listed twice")
                target[ocode] = ncode
    for npkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for ok, parts in olds.items():
            level, ocode = old_key[ok]
            if level != "commune" or ocode in whole:
                fail(f"divided {ok} is also whole, or not a commune")
            for p in parts:
                divided[ocode].append(
                    (new_key[(npkey, p["newWardKey"])], p["newWardAreaKm2"], p["isDefaultNewWard"])
                )
    for code in old_communes:
        if (code in whole) == (code in divided):
            fail(f"commune {code} is mapped {'twice' if code in whole else 'nowhere'}")
    for code, parts in divided.items():
        if len({p[0] for p in parts}) != len(parts) or len(parts) < 2:
            fail(f"commune {code}: successors {parts}")
        if sum(1 for p in parts if p[2]) != 1:
            fail(f"commune {code}: {sum(1 for p in parts if p[2])} default successors")
    received = set(whole.values()) | set(district_succ.values()) | {p[0] for ps in divided.values() for p in ps}
    if received != set(new_communes):
        fail(f"{len(set(new_communes) - received)} new communes have no predecessor")

    # Successors stay within the new province of the old province.
    def new_province_of(commune_code):
        return old_districts[old_communes[commune_code]["district"]]["province"]

    for code, n in whole.items():
        if province_succ[new_province_of(code)] != new_communes[n]["province"]:
            fail(f"commune {code} goes to {n}, outside its new province")

    # --- write ----------------------------------------------------------------
    new = lambda code: code + SUFFIX  # noqa: E731
    units = []
    for code in sorted(old_provinces):
        p = old_provinces[code]
        units.append([code, p["name"], p["kind"], "", "", OLD_END, new(province_succ[code])])
    for code in sorted(old_districts):
        d = old_districts[code]
        succ = district_succ.get(code) or province_succ[d["province"]]
        units.append([code, d["name"], d["kind"], d["province"], "", OLD_END, new(succ)])
    for code in sorted(old_communes):
        c = old_communes[code]
        succ = whole.get(code) or next(p[0] for p in divided[code] if p[2])
        units.append([code, c["name"], c["kind"], c["district"], "", OLD_END, new(succ)])
    for code in sorted(new_provinces):
        p = new_provinces[code]
        units.append([new(code), p["name"], p["kind"], "", NEW_START, "", ""])
    for code in sorted(new_communes):
        c = new_communes[code]
        units.append([new(code), c["name"], c["kind"], new(c["province"]), NEW_START, "", ""])

    shares = []
    for code in sorted(divided):
        parts = sorted(divided[code])
        # An area the package lacks (one receiving commune, given as 0)
        # gives no proportion: the commune is then shared equally.
        known = all(p[1] for p in parts)
        weights = [p[1] if known else 1 for p in parts]
        exact = [w * SCALE / sum(weights) for w in weights]
        got = [int(x) for x in exact]
        # Largest remainder: the shares of one old commune add up to exactly 1.
        for i in sorted(range(len(parts)), key=lambda i: (got[i] - exact[i], parts[i][0]))[: SCALE - sum(got)]:
            got[i] += 1
        for (ncode, area, _), s in zip(parts, got):
            shares.append([code, new(ncode), f"{area:.2f}" if area else "", f"{s / SCALE:.4f}"])

    out.mkdir(parents=True, exist_ok=True)
    for name, header, body in (("units.csv", HEADER, units), ("successors.csv", SUCC_HEADER, shares)):
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(body)

    check(units, shares)
    print(f"{out}: {len(units)} units, {len(shares)} successor shares of {len(divided)} divided communes")


def check(units, shares):
    """The counts the project relies on (issue 22, fixtures/README.md)."""
    by_code = {u[0]: u for u in units}
    kids = defaultdict(list)
    for u in units:
        kids[u[3]].append(u)

    def valid(u, day):
        return (u[4] or "0000") <= day <= (u[5] or "9999")

    def communes_under(code, day):
        n = 0
        for k in kids[code]:
            if not valid(k, day):
                continue
            n += k[2] in COMMUNE_KINDS or communes_under(k[0], day)
        return n

    def find(name, kind, day):
        hits = [u for u in units if u[1] == name and u[2] == kind and valid(u, day)]
        if len(hits) != 1:
            fail(f"{kind} {name} on {day}: {len(hits)} units")
        return hits[0][0]

    roots = lambda day: [u for u in units if not u[3] and valid(u, day)]  # noqa: E731
    expect = {
        "provinces on 2026-01-01": (len(roots("2026-01-01")), 34),
        "communes on 2026-01-01": (sum(communes_under(u[0], "2026-01-01") for u in roots("2026-01-01")), 3321),
        "provinces on 2025-06-30": (len(roots("2025-06-30")), 63),
        "districts on 2025-06-30": (sum(len(kids[u[0]]) for u in roots("2025-06-30")), 696),
        "communes on 2025-06-30": (sum(communes_under(u[0], "2025-06-30") for u in roots("2025-06-30")), 10035),
        "tỉnh Quảng Ngãi on 2026-01-01": (communes_under(find("Quảng Ngãi", "tỉnh", "2026-01-01"), "2026-01-01"), 96),
        "tỉnh Lâm Đồng on 2026-01-01": (communes_under(find("Lâm Đồng", "tỉnh", "2026-01-01"), "2026-01-01"), 124),
        "huyện Quỳ Hợp on 2025-06-30": (communes_under(find("Quỳ Hợp", "huyện", "2025-06-30"), "2025-06-30"), 21),
        "thành phố Quảng Ngãi on 2025-06-30": (communes_under("522", "2025-06-30"), 22),
    }
    for label, (got, want) in expect.items():
        print(f"  {label}: {got}{'' if got == want else f' (expected {want})'}")
        if got != want:
            fail(f"{label}: {got}, expected {want}")
    per_old = Counter()
    for code, succ, _, share in shares:
        if succ not in by_code:
            fail(f"share of {code} names unknown {succ}")
        per_old[code] += round(float(share) * SCALE)
    if any(v != SCALE for v in per_old.values()):
        fail("shares of a divided commune do not add up to 1")
    for u in units:
        if u[6] and u[6] not in by_code:
            fail(f"{u[0]}: successor {u[6]} unknown")
        if unicodedata.normalize("NFC", u[1]) != u[1] or not u[1]:
            fail(f"{u[0]}: bad name {u[1]!r}")


if __name__ == "__main__":
    main()
