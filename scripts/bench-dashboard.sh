#!/usr/bin/env bash
# The province dashboard under load, against `danvan serve` on loopback.
#
#   scripts/bench-dashboard.sh [DB]
#
# DB is a SQLite file (default target/bench-dashboard.db) or a PostgreSQL URL
# of an existing, empty or already generated database. The script
#   1. builds the release binary (or uses the binary named by DANVAN),
#   2. runs `danvan bench dashboard --db DB`: generates one province of 100
#      communes with two years of records if DB has none, makes a leader and
#      an officer of the province with an API token each, and times the
#      dashboard built one at a time in-process (no cache),
#   3. starts `danvan serve --insecure-cookies` on DB,
#   4. warms up, then runs `wrk -t2 -c64 -d30s --latency` on the province's
#      dashboard page with the leader's token, and prints wrk's result.
#
# Environment: THREADS (2), CONNECTIONS (64), DURATION (30s), ADDR
# (127.0.0.1:8089), PERIOD (2025), WRITES=1 to post a mediation case through
# the API every WRITE_INTERVAL seconds (0.1) during the run, so every write
# invalidates the dashboard cache and the cache-miss path shows in the
# percentiles. Needs wrk and curl (`apt-get install -y wrk curl`).
set -euo pipefail

cd "$(dirname "$0")/.."
DB=${1:-target/bench-dashboard.db}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-30s}
ADDR=${ADDR:-127.0.0.1:8089}
PERIOD=${PERIOD:-2025}
WRITES=${WRITES:-0}
WRITE_INTERVAL=${WRITE_INTERVAL:-0.1}

if [ -z "${DANVAN:-}" ]; then
    cargo build --release -p danvan
    DANVAN=target/release/danvan
fi
"$DANVAN" bench dashboard --db "$DB" --period "$PERIOD" | tee target/bench-dashboard.out
eval "$(grep -E '^DANVAN_BENCH_[A-Z_]+=' target/bench-dashboard.out | sed 's/=\(.*\)/="\1"/')"

server_pid=
writer_pid=
cleanup() {
    [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

"$DANVAN" serve --db "$DB" --addr "$ADDR" --insecure-cookies >target/bench-dashboard-serve.log 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fs "http://$ADDR/healthz" >/dev/null && break
    sleep 0.1
done

URL="http://$ADDR$DANVAN_BENCH_PATH"
AUTH="Authorization: Bearer $DANVAN_BENCH_READ_TOKEN"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL")
if [ "$status" != 200 ]; then
    echo "GET $URL trả về $status" >&2
    exit 1
fi

echo "Khởi động: wrk 5 giây"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -H "$AUTH" "$URL" >/dev/null

if [ "$WRITES" = 1 ]; then
    : >target/bench-dashboard-writes.log
    (
        n=0
        while :; do
            n=$((n + 1))
            curl -fs -o /dev/null -X POST "http://$ADDR/api/mediation" \
                -H "Authorization: Bearer $DANVAN_BENCH_WRITE_TOKEN" \
                -H 'Content-Type: application/json' \
                -d "{\"unit_id\": $DANVAN_BENCH_COMMUNE, \"team\": \"Tổ hòa giải đo tải\", \"received_on\": \"$PERIOD-06-01\", \"field\": \"land\", \"result\": \"success\", \"summary\": \"ghi trong lúc đo $n\"}" \
                && echo "$n" >>target/bench-dashboard-writes.log \
                || echo "ghi lần $n thất bại" >&2
            sleep "$WRITE_INTERVAL"
        done
    ) &
    writer_pid=$!
    echo "Ghi một vụ hòa giải mỗi $WRITE_INTERVAL giây trong lúc đo"
fi

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $URL"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$URL"
if [ "$WRITES" = 1 ]; then
    echo "Đã ghi $(wc -l <target/bench-dashboard-writes.log) vụ hòa giải từ lúc khởi động ghi đến hết lượt đo."
fi
