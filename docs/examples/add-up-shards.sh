#!/usr/bin/env bash
# Add up the summary lines of a mailing's shards ("N records: M made, R rejected, B blank",
# the first line `batch` prints) so that rows in = made + rejected + blank over all shards.
#   docs/examples/add-up-shards.sh out/mailing/shard-*/summary.txt
set -euo pipefail
awk '
  /^[0-9]+ records?: / {
    gsub(/[:,]/, " ")
    records += $1; made += $3; rejected += $5; blank += $7; shards++
  }
  END {
    printf "%d shards, %d records: %d made, %d rejected, %d blank\n", shards, records, made, rejected, blank
    if (records != made + rejected + blank) { print "the shards do not add up" > "/dev/stderr"; exit 1 }
  }' "$@"
