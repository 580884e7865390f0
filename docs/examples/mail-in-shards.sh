#!/usr/bin/env bash
# Split one mailing into N shards and make them at the same time with GNU parallel, then add
# up what they did. Each shard is a separate `batch --shard K/N` run with its own folder (its
# mailing.pdf, mailing.manifest.csv and mailing.rejects.csv), so shards never share a file and any one can be re-run
# or resumed (`--resume`) alone.
#
#   docs/examples/mail-in-shards.sh HANDOUT RECIPIENTS.csv OUT_DIR N [batch options…]
#   docs/examples/mail-in-shards.sh tpi-follow-up patients.csv out/mailing 4 --proof
#
# Needs GNU parallel (apt-get install parallel). HANDOUTS names the command (default:
# `handouts`; from a checkout: HANDOUTS="python generate.py").
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 HANDOUT RECIPIENTS.csv OUT_DIR N [batch options…]" >&2; exit 2; }
handout=$1 recipients=$2 out=$3 n=$4
shift 4
HANDOUTS=${HANDOUTS:-handouts}
mkdir -p "$out"

# One job per shard; --halt never: a shard that rejects rows (exit 3) does not stop the others.
# Each shard's summary line ("N records: M made, R rejected, B blank") goes to its folder.
parallel --halt never --jobs "${JOBS:-0}" --joblog "$out/joblog.tsv" \
  "mkdir -p '$out/shard-{}' && $HANDOUTS batch '$handout' --recipients '$recipients' \
     --merged '$out/shard-{}/mailing.pdf' --shard {}/$n $* > '$out/shard-{}/summary.txt'" \
  ::: $(seq 1 "$n") || true

# Add up: every record of the CSV is in exactly one shard's summary.
"$(dirname "$0")/add-up-shards.sh" "$out"/shard-*/summary.txt
# Exit as batch does: 0 all made, 3 some rows rejected (see each shard's mailing.rejects.csv), else
# the first other exit code of a shard (1 bad input, 130 interrupted: re-run it with --resume).
awk -F'\t' 'NR > 1 { if ($7 != 0 && $7 != 3 && !other) other = $7; if ($7 == 3) rejected = 1 }
  END { exit other ? other : (rejected ? 3 : 0) }' "$out/joblog.tsv"
