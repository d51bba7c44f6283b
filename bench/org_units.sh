#!/usr/bin/env bash
# bench/org_units.sh: what a locality's or a team's figures cost, computed on
# request, beside the council's (read from stored values) and beside what
# storing them would cost (a recompute per org unit).
#
#   bench/org_units.sh          (BENCH_ORG_CHILDREN=10000)
#
# A council of 10,000 children over 5 years (csperf-gen), loaded as
# bench/compute.sh loads it. Then, with the CLI as a user runs it:
#   - the council's scorecard for the latest year (stored values), median of 3;
#   - a locality's and a team's scorecard, first call (computed on request)
#     and second call (csperfd's read cache), each median of 3 with the cache
#     emptied (a load of nothing new would not empty it: the cache is emptied
#     by restarting csperfd) for the first call;
#   - the whole catalogue recomputed for the council (csperf-recompute), which
#     is what storing each org unit's figures would cost per org unit, for
#     every load.
# Prints the figures and the ratios; docs/indicators.md ("Figures by org
# unit") quotes a run.
source "$(dirname "$0")/lib.sh"

CHILDREN=${BENCH_ORG_CHILDREN:-10000}
YEARS=5
END_YEAR=2024
COUNCIL=501
PERIOD=2023-24

bench_require "$RECOMPUTE"
bench_init org_units
pg_start
csperfd_start

data=$BENCH_WORK/data
say "org_units: loading a council of $CHILDREN children..."
"$CSPERF_GEN" --council "$COUNCIL" --children "$CHILDREN" --years "$YEARS" --seed 1 \
	--end-year "$END_YEAR" --out "$data" >/dev/null
for year in $(seq $((END_YEAR - YEARS + 1)) "$END_YEAR"); do
	"$CSPERF" load --council "$COUNCIL" --format cin-xml "$data/cin/$year.xml" >/dev/null
	"$CSPERF" load --council "$COUNCIL" --format ssda903 "$data/ssda903/$year" >/dev/null
done
"$CSPERF" load --council "$COUNCIL" --format csv "$data/csv" >/dev/null

"$CSPERF" -o csv org-units --council "$COUNCIL" | tr -d '"\r' >"$BENCH_WORK/units.csv"
localities=$(grep -c '^locality,' "$BENCH_WORK/units.csv" || true)
teams=$(grep -c '^team,' "$BENCH_WORK/units.csv" || true)
locality=$(awk -F, '$1 == "locality" { print $3; exit }' "$BENCH_WORK/units.csv")
team=$(awk -F, '$1 == "team" { print $3; exit }' "$BENCH_WORK/units.csv")
say "org_units: $localities localities, $teams teams; timing $locality and $team"

# Seconds of one `csperf scorecard` (wall clock, the CLI's start included).
card() {
	local start end
	start=$(now)
	"$CSPERF" -o json scorecard --council "$COUNCIL" --period "$PERIOD" "$@" >/dev/null
	end=$(now)
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
restart() { csperfd_stop; csperfd_start; }

c1=$(card); c2=$(card); c3=$(card)
council_s=$(median3 "$c1" "$c2" "$c3")
for unit in "$locality" "$team"; do
	cold=(); warm=()
	for run in 1 2 3; do
		restart
		cold+=("$(card --org "$unit")")
		warm+=("$(card --org "$unit")")
	done
	eval "cold_$(echo "${unit%%:*}")=$(median3 "${cold[@]}")"
	eval "warm_$(echo "${unit%%:*}")=$(median3 "${warm[@]}")"
done
"$RECOMPUTE" --dsn "$PG_DSN" --council "$COUNCIL" >"$BENCH_WORK/recompute.txt"
recompute_s=$(sed -n 's/^run=.*wall_ms=\([0-9]*\).*/\1/p' "$BENCH_WORK/recompute.txt" |
	awk '{ printf "%.3f", $1 / 1000 }')
units=$((localities + teams))

printf '\norg units of a council of %s children (%s to %s), period %s\n' "$CHILDREN" \
	$((END_YEAR - YEARS + 1)) "$END_YEAR" "$PERIOD"
printf '  %-56s %8s s\n' "council scorecard (stored values)" "$council_s"
printf '  %-56s %8s s\n' "$locality scorecard, computed on request" "$cold_locality"
printf '  %-56s %8s s\n' "$locality scorecard, again (read cache)" "$warm_locality"
printf '  %-56s %8s s\n' "$team scorecard, computed on request" "$cold_team"
printf '  %-56s %8s s\n' "$team scorecard, again (read cache)" "$warm_team"
printf '  %-56s %8s s\n' "whole-catalogue recompute of the council" "$recompute_s"
awk -v l="$cold_locality" -v t="$cold_team" -v c="$council_s" -v r="$recompute_s" -v n="$units" \
	'BEGIN {
		printf "  on request / stored council read: locality %.1fx, team %.1fx\n", l / c, t / c
		printf "  storing every org unit (%d) would add about %.1f s to each recompute (%.0fx the council alone)\n", n, n * r, n
	}'
