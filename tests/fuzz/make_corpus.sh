#!/bin/sh
# Builds the seed corpus of each fuzz target in OUTDIR/<target>, from the
# shared test data beside the repository (../shared/data: real-world messy
# extracts), the repository's test fixtures, and, for fuzz_requests, a
# well-formed request of every method made by fuzz_request_seeds (with one
# PutIndicator per definition of the catalogue migration).
#   tests/fuzz/make_corpus.sh OUTDIR PATH/TO/fuzz_request_seeds
set -eu
out=$1
seeds=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$root/../shared/data
fixtures=$root/tests/fixtures

rm -rf "$out"
mkdir -p "$out/ssda903" "$out/cin_xml" "$out/csperf_csv" "$out/requests"

# The readers' inputs are kept short (the first 40 lines): fuzzing mutates
# small inputs faster, and 40 lines hold every column and a few rows.
# fuzz_ssda903 reads its first byte as the collection year (\003: 2018).
for f in "$shared"/ssda903-fake/*.csv "$fixtures"/ssda903_*.csv "$fixtures"/returns/*/*.csv; do
  [ -f "$f" ] || continue
  name=$(echo "$f" | sed "s|^$root/||; s|^.*shared/data/||; s|/|_|g")
  { printf '\003'; head -n 40 "$f"; } > "$out/ssda903/$name"
done
for f in "$shared"/cin-census-fake/*.xml "$fixtures"/*.xml; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  if [ "$(wc -l < "$f")" -gt 400 ]; then
    # A big file: its first Child, cut (the reader must say where).
    head -n 120 "$f" > "$out/cin_xml/cut_$name"
  else
    cp "$f" "$out/cin_xml/$name"
  fi
done
# fuzz_csperf_csv reads its first byte as the record type (\000: from the header).
for f in "$fixtures"/journeys/*.csv "$fixtures"/csperf_*.csv "$fixtures"/contacts.csv \
         "$fixtures"/visits_ambiguous.csv; do
  [ -f "$f" ] || continue
  name=$(echo "$f" | sed "s|^$fixtures/||; s|/|_|g")
  { printf '\000'; head -n 40 "$f"; } > "$out/csperf_csv/$name"
done

# The catalogue's definitions as "kind<TAB>params" lines: each a kind line
# ('snapshot_count',) followed by its parameters ('{...}',).
awk "/^ '[a-z_]+',\$/ { kind = substr(\$1, 2, length(\$1) - 3); next }
     kind != \"\" && /^ '\\{.*\\}',\$/ { sub(/^ '/, \"\"); sub(/',\$/, \"\"); gsub(/''/, \"'\");
                                       print kind \"\\t\" \$0; kind = \"\"; next }
     { kind = \"\" }" "$root"/migrations/*.sql > "$out/definitions.tsv"
"$seeds" "$out/requests" "$out/definitions.tsv" >/dev/null
rm -f "$out/definitions.tsv"
for t in ssda903 cin_xml csperf_csv requests; do
  echo "make_corpus: $t: $(ls "$out/$t" | wc -l) seeds"
done
