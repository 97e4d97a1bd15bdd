#!/usr/bin/env bash
# One national question asked of danvan and of two general-purpose engines,
# on the same generated file, side by side in one run:
#
#   scripts/bench-side-by-side.sh [ROWS]
#
#   1. `danvan bench import-dossiers --generate-only` writes ROWS one-stop
#      dossiers (default 1.000.000) in danvan's import format and the unit
#      list they belong to;
#   2. danvan loads them with `danvan import dossiers` into SQLite and into
#      PostgreSQL (a fresh database), facts kept current as it goes;
#   3. PostgreSQL loads the raw file with `\copy` into a plain table;
#   4. DuckDB (its Python package, in a virtualenv under the work folder)
#      loads the raw file with `read_csv`;
#   5. each answers the year-2025 question for the whole province —
#      received, online, inter-agency, resolved, early, on time, late,
#      returned, withdrawn — danvan from its facts, over HTTP from a
#      running `danvan serve` (`GET /api/figures`, the whole catalogue,
#      signed in with an API key; the median of REPEAT requests after one
#      warm-up), the others with a GROUP-free aggregate over the raw rows;
#   6. the figures must be equal (the script fails otherwise), and the
#      times are printed with their ratios.
#
#   7. with wrk installed, 64 clients ask the national question of each
#      danvan server for WRK_SECONDS (10) and its percentiles are printed.
#
# Environment: DIR (target/side-by-side), PG (postgres://postgres@127.0.0.1:5432),
# DANVAN (a built binary; otherwise the release build), REPEAT (20),
# ADDR (127.0.0.1:8097). Needs psql, curl and python3-venv (`apt-get
# install -y postgresql-client curl python3-venv`), PyPI for the duckdb
# package, and wrk for step 7.
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
DIR=${DIR:-target/side-by-side}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DBNAME=danvan_side_by_side
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

if [ -z "${DANVAN:-}" ]; then
    cargo build --release -p danvan
    DANVAN=target/release/danvan
fi
# Nanoseconds: a time is taken as `t=$(now)` and read as `$(since "$t")`.
now() { date +%s%N; }
since() { echo $(($(now) - $1)); }
REPEAT=${REPEAT:-20}
ADDR=${ADDR:-127.0.0.1:8097}
WRK_SECONDS=${WRK_SECONDS:-10}

server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

# Ask danvan over HTTP: `http_read DB OUT` serves DB, signs in with a new
# API key of a national administrator, saves the figures in OUT and
# prints two times in nanoseconds (curl's own measure of a request, from
# connect to the last byte): the first request, which computes the
# figures from the facts, and the median of REPEAT more, which the server
# answers from its cache of figures (kept until the data changes).
http_read() {
    local db=$1 out=$2
    DANVAN_PASSWORD=so-sanh-toc-do "$DANVAN" user add --db "$db" --username doc-so-lieu \
        --full-name "Đọc số liệu" --role admin >/dev/null 2>&1 || true
    local token
    token=$("$DANVAN" user token --db "$db" doc-so-lieu --name so-sanh | tail -n1)
    "$DANVAN" serve --db "$db" --addr "$ADDR" --insecure-cookies >"$DIR/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fs "http://$ADDR/healthz" >/dev/null && break
        sleep 0.1
    done
    local url="http://$ADDR/api/figures?unit=BD&period=2025"
    curl -fsS -o "$out" -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url" |
        awk '{printf "%d ", $1 * 1e9}'
    for _ in $(seq 1 "$REPEAT"); do
        curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
    done | sort -n | awk '{t[NR] = $1} END {printf "%d\n", t[int((NR + 1) / 2)] * 1e9}'
    if command -v wrk >/dev/null; then
        wrk -t2 -c64 -d"${WRK_SECONDS}s" --latency -H "Authorization: Bearer $token" "$url" \
            >"$out.wrk"
    fi
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

CSV="$DIR/ho-so-$ROWS.csv"
"$DANVAN" bench import-dossiers --rows "$ROWS" --dir "$DIR" --generate-only
UNITS="$DIR/don-vi.csv"

# danvan on SQLite.
rm -f "$DIR"/side.db "$DIR"/side.db-wal "$DIR"/side.db-shm
"$DANVAN" units import "$UNITS" --db "$DIR/side.db" >/dev/null
t=$(now)
"$DANVAN" import dossiers "$CSV" --db "$DIR/side.db" >/dev/null
SQLITE_LOAD=$(since "$t")
read -r SQLITE_READ SQLITE_WARM < <(http_read "$DIR/side.db" "$DIR/danvan-sqlite.json")

# danvan on PostgreSQL.
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DBNAME" -c "CREATE DATABASE $DBNAME" >/dev/null
"$DANVAN" units import "$UNITS" --db "$PG/$DBNAME" >/dev/null
t=$(now)
"$DANVAN" import dossiers "$CSV" --db "$PG/$DBNAME" >/dev/null
PGDV_LOAD=$(since "$t")
read -r PGDV_READ PGDV_WARM < <(http_read "$PG/$DBNAME" "$DIR/danvan-postgres.json")

# PostgreSQL ad hoc: \copy the raw file, then one aggregate.
QUESTION_PG="SELECT
  count(*) FILTER (WHERE to_date(received, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31'),
  count(*) FILTER (WHERE to_date(received, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31' AND channel = 'Trực tuyến'),
  count(*) FILTER (WHERE to_date(received, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31' AND inter = 'có'),
  count(*) FILTER (WHERE to_date(resolved, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31'),
  count(*) FILTER (WHERE to_date(resolved, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31' AND to_date(resolved, 'DD/MM/YYYY') < due::date),
  count(*) FILTER (WHERE to_date(resolved, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31' AND to_date(resolved, 'DD/MM/YYYY') = due::date),
  count(*) FILTER (WHERE to_date(resolved, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31' AND to_date(resolved, 'DD/MM/YYYY') > due::date),
  count(*) FILTER (WHERE to_date(returned, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31'),
  count(*) FILTER (WHERE to_date(withdrawn, 'DD/MM/YYYY') BETWEEN '2025-01-01' AND '2025-12-31')
FROM raw_dossier"
psql "$PG/$DBNAME" -qc "CREATE TABLE raw_dossier (n text, code text, procedure text, procedure_name text,
  unit text, channel text, inter text, received text, due text, resolved text, returned text, withdrawn text)" >/dev/null
t=$(now)
psql "$PG/$DBNAME" -qc "\\copy raw_dossier FROM '$CSV' WITH (FORMAT csv, HEADER true)" >/dev/null
PG_LOAD=$(since "$t")
t=$(now)
psql "$PG/$DBNAME" -qAtF, -c "$QUESTION_PG" >"$DIR/postgres.csv"
PG_READ=$(since "$t")

# DuckDB, from its Python package.
if [ ! -x "$DIR/venv/bin/python" ]; then
    python3 -m venv "$DIR/venv"
    "$DIR/venv/bin/pip" install -q duckdb
fi
"$DIR/venv/bin/python" - "$CSV" "$DIR/duckdb.csv" "$DIR/duckdb.times" <<'PY'
import sys, time, duckdb
csv, out, times = sys.argv[1:4]
con = duckdb.connect()
t = time.perf_counter()
con.execute(f"""CREATE TABLE raw AS SELECT * FROM read_csv('{csv}', header=true, all_varchar=true,
  names=['n','code','procedure','procedure_name','unit','channel','inter','received','due','resolved','returned','withdrawn'])""")
load = time.perf_counter() - t
q = """SELECT
  count(*) FILTER (WHERE r BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'),
  count(*) FILTER (WHERE r BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND channel = 'Trực tuyến'),
  count(*) FILTER (WHERE r BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND inter = 'có'),
  count(*) FILTER (WHERE s BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'),
  count(*) FILTER (WHERE s BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND s < d),
  count(*) FILTER (WHERE s BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND s = d),
  count(*) FILTER (WHERE s BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND s > d),
  count(*) FILTER (WHERE t BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'),
  count(*) FILTER (WHERE w BETWEEN DATE '2025-01-01' AND DATE '2025-12-31')
FROM (SELECT channel, inter,
  try_strptime(received, '%d/%m/%Y')::date AS r, due::date AS d,
  try_strptime(resolved, '%d/%m/%Y')::date AS s, try_strptime(returned, '%d/%m/%Y')::date AS t,
  try_strptime(withdrawn, '%d/%m/%Y')::date AS w FROM raw)"""
t = time.perf_counter()
row = con.execute(q).fetchone()
read = time.perf_counter() - t
open(out, "w").write(",".join(str(v) for v in row) + "\n")
open(times, "w").write(f"{load} {read}\n")
PY
read -r DUCK_LOAD DUCK_READ <"$DIR/duckdb.times"

python3 - "$DIR" "$ROWS" \
    "$SQLITE_LOAD" "$SQLITE_READ" "$PGDV_LOAD" "$PGDV_READ" \
    "$PG_LOAD" "$PG_READ" "$DUCK_LOAD" "$DUCK_READ" "$SQLITE_WARM" "$PGDV_WARM" <<'PY'
import json, sys
d, rows = sys.argv[1], int(sys.argv[2])
# danvan's and psql's times are nanoseconds of the shell; DuckDB's seconds.
sl, sr, pl, pr, gl, gr = (int(x) / 1e9 for x in sys.argv[3:9])
kl, kr = map(float, sys.argv[9:11])
sw, pw = (int(x) / 1e9 for x in sys.argv[11:13])
codes = ["dossier_received", "dossier_online", "dossier_inter_agency", "dossier_resolved",
         None, None, "dossier_late", "dossier_returned", "dossier_withdrawn"]
def danvan(name):
    f = json.load(open(f"{d}/{name}"))["figures"]["all"]
    early_on_time = f["dossier_on_time"]
    return [f[c] if c else None for c in codes], early_on_time
def raw(name):
    v = [int(x) for x in open(f"{d}/{name}").read().strip().split(",")]
    return v[:4] + [None, None] + v[6:], v[4] + v[5]
answers = {"danvan (SQLite)": danvan("danvan-sqlite.json"), "danvan (PostgreSQL)": danvan("danvan-postgres.json"),
           "PostgreSQL ad hoc": raw("postgres.csv"), "DuckDB": raw("duckdb.csv")}
first = next(iter(answers.values()))
labels = ["received", "online", "inter-agency", "resolved", "", "", "late", "returned", "withdrawn"]
def n(x): return f"{int(x):,}".replace(",", ".")
def fmt(x, d=3): return f"{x:.{d}f}".replace(".", ",")
print(f"\nNăm 2025, cả tỉnh ({n(rows)} hồ sơ):")
for lab, v in zip(labels, first[0]):
    if lab:
        print(f"  {lab}: {n(v)}")
print(f"  early + on time: {n(first[1])}")
bad = [k for k, v in answers.items() if v != first]
if bad:
    for k, v in answers.items():
        print(k, v, file=sys.stderr)
    sys.exit(f"số liệu khác nhau: {', '.join(bad)}")
print("Số liệu của bốn bên bằng nhau.\n")
print(f"{'':22} {'nạp (s)':>10} {'dòng/s':>12} {'hỏi (ms)':>10}")
for name, load, read in [("danvan (SQLite)", sl, sr), ("danvan (PostgreSQL)", pl, pr),
                         ("PostgreSQL \\copy", gl, gr), ("DuckDB", kl, kr)]:
    print(f"{name:22} {fmt(load):>10} {n(rows / load):>12} {fmt(read * 1000, 1):>10}")
print(f"\nNạp: danvan SQLite / \\copy = {fmt(sl / gl, 2)}; danvan PostgreSQL / \\copy = {fmt(pl / gl, 2)}; "
      f"danvan SQLite / DuckDB = {fmt(sl / kl, 2)}")
print(f"Hỏi (danvan: lần đầu, tính từ dữ kiện): DuckDB / danvan SQLite = {fmt(kr / sr, 1)}×; "
      f"PostgreSQL / danvan SQLite = {fmt(gr / sr, 1)}×; PostgreSQL / danvan PostgreSQL = {fmt(gr / pr, 1)}×")
print(f"Hỏi lại (danvan trả từ bộ nhớ đệm, trung vị): SQLite {fmt(sw * 1000, 2)} ms, "
      f"PostgreSQL {fmt(pw * 1000, 2)} ms; DuckDB / danvan SQLite = {fmt(kr / sw, 0)}×")
PY

for engine in sqlite postgres; do
    f="$DIR/danvan-$engine.json.wrk"
    [ -f "$f" ] || continue
    echo
    echo "wrk, 64 kết nối, ${WRK_SECONDS} giây, GET /api/figures cả tỉnh năm 2025 (danvan $engine):"
    grep -E '^ +(50|90|99)%|Requests/sec|requests in|Non-2xx' "$f"
done
