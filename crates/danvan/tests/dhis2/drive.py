"""Drive danvan's /dhis2 API with dhis2-client, the DHIS2 Web API client
published on PyPI, against the demo data. Every check raises on failure.

Argument: a JSON object with base (http://host/dhis2), password, the API
tokens of the demo accounts admin and datong, and the ADX schema's path.
"""

import json
import sys

import httpx
from dhis2_client import DHIS2Client, DHIS2HTTPError
from lxml import etree

cfg = json.loads(sys.argv[1])
BASE = cfg["base"]
PASSWORD = cfg["password"]
ROOT = BASE[: -len("/dhis2")]

admin = DHIS2Client(BASE, username="admin", password=PASSWORD, retries=0)
by_token = DHIS2Client(BASE, token=cfg["admin_token"], retries=0)
by_bearer = DHIS2Client(BASE, token="Bearer " + cfg["admin_token"], retries=0)
commune = DHIS2Client(BASE, username="datong", password=PASSWORD, retries=0)
commune_token = DHIS2Client(BASE, token=cfg["datong_token"], retries=0)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def refused(call, statuses, what):
    try:
        got = call()
    except DHIS2HTTPError as e:
        check(e.status_code in statuses, f"{what}: status {e.status_code} {e.payload}")
        check(e.payload.get("status") == "ERROR", f"{what}: not DHIS2's error shape: {e.payload}")
        return e.payload
    raise AssertionError(f"{what}: not refused, got {got}")


def one(items, what):
    items = list(items)
    check(len(items) == 1, f"{what}: expected one, got {items}")
    return items[0]


# --- system/info, each way of signing in ----------------------------------
for c in (admin, by_token, by_bearer, commune):
    info = c.get_system_info()
    check(info["calendar"] == "iso8601", f"calendar: {info}")
    check(info["version"].startswith("2."), f"version: {info}")
bad = DHIS2Client(BASE, username="admin", password="sai-mat-khau", retries=0)
refused(bad.get_system_info, (401,), "wrong password")
anonymous = httpx.get(BASE + "/api/system/info")
check(anonymous.status_code == 401, f"anonymous: {anonymous.status_code}")
check(anonymous.json()["status"] == "ERROR", anonymous.text)

# --- 1. org units under Lâm Đồng, with paging ------------------------------
lam = one(
    admin.get_organisation_units(
        filter=["name:ilike:lâm đồng", "level:eq:1", "code:eq:68"], fields="id,name,code,level"
    ),
    "Lâm Đồng",
)
PAGE = 20
under = list(
    admin.get_organisation_units(
        filter=f"path:like:{lam['id']}", fields="id,name,code,level,parent[id],path,children", pageSize=PAGE
    )
)
unpaged = admin.get("/api/organisationUnits", params={"filter": f"path:like:{lam['id']}", "paging": "false"})
check("pager" not in unpaged, "paging=false")
total = len(unpaged["organisationUnits"])
check(len(under) == total and total > PAGE, f"units under Lâm Đồng: {len(under)} paged, {total} unpaged")
check({u["id"] for u in under} == {u["id"] for u in unpaged["organisationUnits"]}, "pages differ from the list")
check(all(u["path"].startswith("/" + lam["id"]) for u in under), "paths under Lâm Đồng")
check(all(len(u["id"]) == 11 and u["id"][0].isalpha() for u in under), "DHIS2-style ids")
pages = -(-total // PAGE)
page2 = admin.get(
    "/api/organisationUnits", params={"filter": f"path:like:{lam['id']}", "pageSize": PAGE, "page": 2}
)
check(page2["pager"] == {"page": 2, "pageCount": pages, "total": total, "pageSize": PAGE}, page2["pager"])
check(len(page2["organisationUnits"]) == min(PAGE, total - PAGE), "second page")
damrong = one((u for u in under if u["code"] == "674"), "Đam Rông")
communes = list(admin.get_organisation_units(filter=[f"parent.id:eq:{damrong['id']}", "level:eq:3"]))
check(len(communes) == 8, f"communes of Đam Rông: {len(communes)}")
tree = admin.get_org_unit_tree(damrong["id"], levels=2)
check(len(tree["children"]) == 8, "tree of Đam Rông")
merged = admin.get_org_unit(damrong["id"], fields="id,openingDate,closedDate")
check(merged["closedDate"].startswith("2025-06-30"), f"closed district: {merged}")
levels = admin.get("/api/organisationUnitLevels", params={"paging": "false"})["organisationUnitLevels"]
check(sorted(l["level"] for l in levels) == [1, 2, 3], f"levels: {levels}")

# --- 2. Kon Tum's 2016 inspections: 3.565 and 419 ---------------------------
inspection = one(
    admin.get_data_sets(filter="code:eq:inspection", fields="id,name,periodType,dataSetElements"),
    "inspection set",
)
check(inspection["periodType"] == "Yearly", inspection)
kontum = one(admin.get_organisation_units(filter="code:eq:62", fields="id,name"), "Kon Tum")
element = one(
    admin.get_data_elements(
        filter="code:eq:violations_handled", fields="id,code,categoryCombo[categoryOptionCombos[id,code]]"
    ),
    "violations_handled",
)
coc = {c["code"]: c["id"] for c in element["categoryCombo"]["categoryOptionCombos"]}
values = admin.get_data_value_set({"dataSet": inspection["id"], "period": "2016", "orgUnit": kontum["id"]})[
    "dataValues"
]
found = {(v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in values}
check(found.get((element["id"], coc["state_budget"])) == "3565", f"3.565 missing: {values}")
check(found.get((element["id"], coc["unit"])) == "419", f"419 missing: {values}")
ranged = admin.get_data_value_set(
    {"dataSet": inspection["id"], "startDate": "2016-01-01", "endDate": "2016-12-31",
     "orgUnit": kontum["id"], "children": "true"}
)["dataValues"]
check(sorted(v["value"] for v in ranged) == sorted(v["value"] for v in values), "startDate/endDate")
one_value = admin.get_data_value(element["id"], "2016", kontum["id"], co=coc["unit"])
check(one_value["value"] == "419", one_value)

# ADX: the same values, valid against the ADX schema.
schema = etree.XMLSchema(etree.parse(cfg["xsd"]))
adx = httpx.get(
    BASE + "/api/dataValueSets",
    params={"dataSet": inspection["id"], "period": "2016", "orgUnit": kontum["id"]},
    headers={"Accept": "application/adx+xml"},
    auth=("admin", PASSWORD),
)
check(adx.status_code == 200 and "adx" in adx.headers["content-type"], adx.text)
doc = etree.fromstring(adx.content)
schema.assertValid(doc)
check(doc.xpath("//a:dataValue[@value='3565']", namespaces={"a": "urn:ihe:qrph:adx:2015"}), adx.text)

# --- 3. post a data value set for a commune --------------------------------
datong = one(admin.get_organisation_units(filter="code:eq:24853", fields="id,name"), "Đạ Tông")
ids = {
    code: one(admin.get_data_elements(filter=f"code:eq:{code}", fields="id"), code)["id"]
    for code in ("inspections", "fines", "violations_handled")
}
sent = {
    "dataSet": inspection["id"],
    "period": "2020",
    "orgUnit": datong["id"],
    "dataValues": [
        {"dataElement": ids["inspections"], "value": "4"},
        {"dataElement": ids["fines"], "value": "12"},
        {"dataElement": ids["violations_handled"], "categoryOptionCombo": coc["state_budget"], "value": "7"},
    ],
}
summary = admin.post_data_value_set(sent)["response"]
check(summary["status"] == "SUCCESS", summary)
check(summary["importCount"]["imported"] == len(sent["dataValues"]), summary)
api = httpx.Client(base_url=ROOT, headers={"Authorization": "Bearer " + cfg["admin_token"]})


def figures(unit, period):
    r = api.get("/api/figures", params={"unit": unit, "period": period})
    check(r.status_code == 200, r.text)
    return r.json()["figures"]["all"]


fig = figures("24853", "2020")
check(fig["inspection_count"] == 4 and fig["inspection_fines"] == 12, f"figures after import: {fig}")
check(fig["inspection_state_budget"] == 7, fig)
again = admin.post_data_value_set(sent)["response"]["importCount"]
check(again["imported"] == 0 and again["updated"] == 3, f"sent again: {again}")
by_token.set_data_value(ids["inspections"], "2020", datong["id"], 5, co="HllvX50cXC0")
check(figures("24853", "2020")["inspection_count"] == 5, "single value")

# ADX in: replaces the fines of Đạ Tông, validated first.
adx_in = (
    '<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-01-05T08:00:00Z">'
    '<group orgUnit="24853" period="2020-01-01/P1Y" dataSet="inspection">'
    '<dataValue dataElement="fines" value="15"/></group></adx>'
)
schema.assertValid(etree.fromstring(adx_in.encode()))
r = httpx.post(
    BASE + "/api/dataValueSets",
    content=adx_in,
    headers={"Content-Type": "application/adx+xml"},
    auth=("admin", PASSWORD),
)
check(r.status_code == 200 and r.json()["response"]["importCount"]["updated"] == 1, r.text)
check(figures("24853", "2020")["inspection_fines"] == 15, "ADX import")

# --- malformed payloads: DHIS2's error shape, in Vietnamese, nothing written --
before = figures("24856", "2021")
bad_set = {
    "dataSet": inspection["id"],
    "period": "2021",
    "orgUnit": datong["id"],
    "dataValues": [
        {"dataElement": ids["inspections"], "value": "9"},
        {"dataElement": ids["fines"], "value": "mười hai"},
    ],
}
err = refused(lambda: admin.post_data_value_set(bad_set), (409,), "bad value")
conflicts = err["response"]["conflicts"]
check(len(conflicts) == 1 and "không hợp lệ" in conflicts[0]["value"], conflicts)
check(conflicts[0]["indexes"] == [1], conflicts)
check(err["response"]["importCount"]["imported"] == 0, err)
check(figures("24853", "2021")["inspection_count"] == 0, "a refused import wrote something")
bad_period = dict(bad_set, period="2021S9", dataValues=bad_set["dataValues"][:1])
err = refused(lambda: admin.post_data_value_set(bad_period), (409,), "bad period")
check("kỳ" in err["response"]["conflicts"][0]["value"], err)
r = httpx.post(BASE + "/api/dataValueSets", content="{không phải json", auth=("admin", PASSWORD),
               headers={"Content-Type": "application/json"})
check(r.status_code == 400 and r.json()["status"] == "ERROR" and "JSON" in r.json()["message"], r.text)
r = httpx.post(BASE + "/api/dataValueSets", content=adx_in.replace('value="15"', 'value="x"'),
               headers={"Content-Type": "application/adx+xml"}, auth=("admin", PASSWORD))
check(r.status_code == 400 and "không phải số" in r.json()["message"], r.text)
check(figures("24856", "2021") == before, "a refused import changed a neighbour")

# --- 4. analytics: one-stop on-time rate of Đam Rông's communes, 2020S1 ------
rate = one(admin.get_data_elements(filter="code:eq:dossier_on_time_rate", fields="id"), "on-time rate")
a = admin.get_analytics_data(dx=rate["id"], pe="2020S1", ou=[damrong["id"], "LEVEL-3"])
check([h["name"] for h in a["headers"]] == ["dx", "pe", "ou", "value"], a["headers"])
check(len(a["rows"]) == 8, f"rows: {a['rows']}")
for dx, pe, ou, value in a["rows"]:
    check(dx == rate["id"] and pe == "2020S1", (dx, pe))
    # 98,x % in every commune (they differ in counts), each danvan's own.
    check(value.startswith("98.") and len(value.split(".")[1]) == 1, f"rate {value}")
    code = a["metaData"]["items"][ou]["code"]
    own = figures(code, "2020-H1")["dossier_on_time_rate"]["rate"]
    check(own == value.replace(".", ",") + "%", f"{code}: analytics {value}, danvan {own}")

# --- a commune's account sees that commune only, on every route -------------
for c in (commune, commune_token):
    mine = c.get("/api/organisationUnits", params={"paging": "false", "fields": "id,name,children,parent"})
    check([u["id"] for u in mine["organisationUnits"]] == [datong["id"]], mine)
    check("Đạ Long" not in json.dumps(mine, ensure_ascii=False), "sibling named")
    refused(lambda: c.get_org_unit(damrong["id"]), (404,), "district by id")
    refused(lambda: c.get_data_value_set({"dataSet": inspection["id"], "period": "2016", "orgUnit": kontum["id"]}),
            (404,), "Kon Tum's values")
    refused(lambda: c.get_data_value(element["id"], "2016", kontum["id"], co=coc["unit"]), (404,), "one value")
    refused(lambda: c.get_analytics_data(dx=rate["id"], pe="2020S1", ou=damrong["id"]), (404,), "district figures")
    own_rows = c.get_analytics_data(dx=rate["id"], pe="2020S1", ou="USER_ORGUNIT")["rows"]
    check([r[2] for r in own_rows] == [datong["id"]], own_rows)
    seen = c.get_data_value_set({"dataSet": inspection["id"], "period": "2020", "orgUnit": datong["id"]})
    check(len(seen["dataValues"]) == 3, seen)
    levels = c.get("/api/organisationUnitLevels")["organisationUnitLevels"]
    check([l["level"] for l in levels] == [3], levels)
    dalong_values = dict(sent, orgUnit=one(admin.get_organisation_units(filter="code:eq:24856"), "Đạ Long")["id"])
    refused(lambda: c.post_data_value_set(dalong_values), (403, 404), "write to the sibling")
check(figures("24856", "2020")["inspection_count"] == 0, "the sibling was written")

print("dhis2-client: all checks passed")
