#!/bin/sh
# Run every fuzz target in turn for SECONDS (default 300) each, one process
# at a time, with the memory bound the spreadsheet readers must respect.
# Logs go to fuzz/target/logs/<target>.log.
set -eu
cd "$(dirname "$0")"
seconds=${1:-300}
mkdir -p target/logs
for t in $(cargo +nightly fuzz list); do
    cargo +nightly fuzz run "$t" -- -max_total_time="$seconds" \
        -rss_limit_mb=2048 -print_final_stats=1 >"target/logs/$t.log" 2>&1 ||
        echo "$t: crash, see target/logs/$t.log and artifacts/$t/"
done
