#!/usr/bin/env bash
# bench/byte_identity.sh TREE OUTDIR: the files a refactor or speed change must keep byte for byte,
# made by the checkout TREE with SOURCE_DATE_EPOCH fixed (compare two trees' OUTDIR.sha256 with diff).
# The shipped handouts built for the office, the press, in large print and as staff copies; the
# peers' letter merged to 1,000 recipients, plain and personal (the first name in its text); the
# follow-up letter merged to 200; 20-file --out-dir batches, plain and personal; a sheet with
# --set values. Writes OUTDIR.sha256 (the files' hashes, paths relative to OUTDIR) and prints how
# many files it holds. PY: the Python (default TREE/.venv's); PEERS: ../shared/bench/peers.
#   bench/byte_identity.sh . /tmp/after && bench/byte_identity.sh ../before /tmp/before
#   diff /tmp/before.sha256 /tmp/after.sha256
set -euo pipefail
TREE=$(cd "$1" && pwd); OUT=$(mkdir -p "$2" && cd "$2" && pwd)
PY=${PY:-$(command -v "$TREE/.venv/bin/python" || command -v python3)}
PEERS=${PEERS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/bench/peers}  # the seeded recipients
export SOURCE_DATE_EPOCH=1764547200 PYTHONDONTWRITEBYTECODE=1
cd "$TREE"
W=$(mktemp -d)
$PY "$PEERS/make_recipients.py" 1000 > "$W/r1000.csv"
head -21 "$W/r1000.csv" > "$W/r20.csv"
head -201 "$W/r1000.csv" > "$W/r200.csv"
python3 - "$W" <<'PY'
import csv, sys
w = sys.argv[1]
rows = list(csv.reader(open(f"{w}/r200.csv", encoding="utf-8", newline="")))
with open(f"{w}/r200v.csv", "w", encoding="utf-8", newline="") as f:
    c = csv.writer(f); c.writerow([*rows[0], "Visit Date"]); c.writerows([*r, "November 20, 2026"] for r in rows[1:])
PY
sed 's/Thank you for visiting our clinic/Thank you, {{ patient.first_name }}, for visiting our clinic/' bench/peer-letter.yaml > "$W/peer-letter.yaml"
$PY generate.py build --out-dir "$OUT/shipped" >/dev/null
$PY generate.py build --out-dir "$OUT/press" --target press >/dev/null
$PY generate.py build --out-dir "$OUT/large" --large-print >/dev/null
$PY generate.py build --out-dir "$OUT/staff" --staff-copy >/dev/null
B="--brand bench/riverside.yaml --jobs 1"
$PY generate.py batch bench/peer-letter.yaml --recipients "$W/r1000.csv" --merged "$OUT/merged.pdf" $B >/dev/null
$PY generate.py batch "$W/peer-letter.yaml" --recipients "$W/r1000.csv" --merged "$OUT/personal.pdf" $B >/dev/null
$PY generate.py batch handouts/tpi-follow-up.yaml --recipients "$W/r200v.csv" --merged "$OUT/follow-up.pdf" $B --proof >/dev/null
$PY generate.py batch bench/peer-letter.yaml --recipients "$W/r20.csv" --out-dir "$OUT/outdir" $B >/dev/null
$PY generate.py batch "$W/peer-letter.yaml" --recipients "$W/r20.csv" --out-dir "$OUT/outdir-personal" $B >/dev/null
$PY generate.py build tpi-aftercare --layout sheet -o "$OUT/sheet-set.pdf" --set patient.name="Ana Ruiz" --set "visit.date=Nov 27, 2026" >/dev/null
rm -rf "$W" "$OUT"/*/.handouts-batch "$OUT"/.handouts-batch
(cd "$OUT" && find . -type f -name '*.pdf' -o -type f -name '*.csv' | sort | xargs sha256sum) > "$OUT.sha256"
wc -l < "$OUT.sha256"
