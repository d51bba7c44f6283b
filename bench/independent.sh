#!/usr/bin/env bash
# bench/independent.sh: csperfd's AD01 (per financial year and per three-year
# period), CP06 and LA01 against tests/independent/independent.py, which counts
# them from the extracts themselves by the rules of INDICATORS.md, on councils
# csperf has never seen: csperf-gen councils of seeds and years chosen here
# (each its own LA code), and the shared SSDA903 sample (../shared/data) when
# it is there. Prints one line per figure and a total; exits 1 when any
# figure differs. Not a benchmark of speed: it writes nothing in the docs.
#
#   bench/independent.sh [SEED ...]      (default: three seeds)
#
# Environment as bench/lib.sh (BENCH_BUILD: the build folder; default
# build-bench), and INDEPENDENT_CHILDREN (default 3000).
source "$(dirname "$0")/lib.sh"

INDEPENDENT=$BENCH_ROOT/tests/independent/independent.py
CHILDREN=${INDEPENDENT_CHILDREN:-3000}
SHARED=${CSPERF_SHARED_DATA:-$BENCH_ROOT/../shared/data}
SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(11 2026 90210)

bench_require
command -v python3 >/dev/null || die "python3 is missing"
bench_init independent
pg_start
csperfd_start

DIFFERENT=0
COMPARED=0

# csperfd's figure: "numerator denominator" (LA01: the count).
engine_figure() {
	local council=$1 indicator=$2 period=$3
	sql "SELECT coalesce((SELECT CASE WHEN '$indicator' = 'LA01' THEN
	       trim_scale(numerator)::text ELSE concat_ws(' ', trim_scale(numerator),
	       trim_scale(denominator)) END FROM indicator_value WHERE council = '$council'
	       AND org_unit = 'council' AND indicator_id = '$indicator' AND period = '$period'
	       AND breakdown = ''), 'none')"
}

# Waits until csperfd has computed the figures of every load of a council.
wait_computed() {
	local council=$1 i
	for i in $(seq 1 1200); do
		[ "$(sql "SELECT coalesce((SELECT through_load FROM compute_run WHERE council =
		  '$council'), 0) >= (SELECT max(id) FROM load WHERE council = '$council') AND NOT
		  EXISTS (SELECT 1 FROM compute_pending WHERE council = '$council')")" = t ] && return 0
		sleep 0.5
	done
	die "council $council: figures not computed after 10 minutes"
}

# compare COUNCIL ARGS...: runs independent.py with ARGS and checks each of its
# lines against csperfd.
compare() {
	local council=$1 indicator period expected got
	shift
	wait_computed "$council"
	python3 "$INDEPENDENT" --quiet "$@" >"$BENCH_WORK/independent.out" ||
		die "independent.py failed"
	while read -r indicator period expected; do
		got=$(engine_figure "$council" "$indicator" "$period")
		# A figure neither side has (no plan ended, no adoption) is no comparison.
		if [ "$expected" = "0 0" ] && [ "$got" = none ]; then
			continue
		fi
		COMPARED=$((COMPARED + 1))
		if [ "$got" = "$expected" ]; then
			printf '  %-4s %-6s %-11s %-14s same\n' "$council" "$indicator" "$period" "$got"
		else
			printf '  %-4s %-6s %-11s csperfd %-14s independent %s  DIFFERENT\n' \
				"$council" "$indicator" "$period" "$got" "$expected"
			DIFFERENT=$((DIFFERENT + 1))
		fi
	done <"$BENCH_WORK/independent.out"
}

# Financial years, their quarters and the three-year periods of a council
# whose data end on 31 March END over YEARS years.
periods_of() {
	local end=$1 years=$2 y
	for ((y = end - years; y < end; y++)); do
		printf -- '--period %d-%02d ' "$y" $(((y + 1) % 100))
		printf -- '--period %d-%02d:Q2 ' "$y" $(((y + 1) % 100))
		printf -- '--period %d-%02d ' "$y" 9
		if ((y >= end - years + 2)); then
			printf -- '--period 3y:%d-%02d ' "$y" $(((y + 1) % 100))
		fi
	done
}

n=0
for seed in "${SEEDS[@]}"; do
	n=$((n + 1))
	council=$((880 + n))
	end=$((2019 + (seed % 6)))
	years=5
	dir=$BENCH_WORK/gen/$council
	"$CSPERF_GEN" --council "$council" --children "$CHILDREN" --years "$years" --seed "$seed" \
		--end-year "$end" --out "$dir" >/dev/null
	say "council $council: csperf-gen seed $seed, $CHILDREN children, $years years to 31 March $end"
	args=()
	for ((y = end - years + 1; y <= end; y++)); do
		"$CSPERF" load --council "$council" --council-name "Independent $seed" --nation england \
			--format ssda903 --year "$y" "$dir/ssda903/$y" >/dev/null
		args+=(--ssda903 "$dir/ssda903/$y")
	done
	for ((y = end - years + 1; y <= end; y++)); do
		"$CSPERF" load --council "$council" --format cin-xml "$dir/cin/$y.xml" >/dev/null
		args+=(--cin "$dir/cin/$y.xml")
	done
	# shellcheck disable=SC2046
	compare "$council" "${args[@]}" $(periods_of "$end" "$years")
done

if [ -r "$SHARED/ssda903-fake/episodes.csv" ]; then
	say "council 994: the shared SSDA903 sample ($SHARED/ssda903-fake), its valid records"
	{
		echo "# ssda903 1"
		"$CSPERF" load --council 994 --council-name "Shared SSDA903" --nation england \
			--format ssda903 --year 2018 --accept-valid "$SHARED/ssda903-fake" 2>&1 || true
	} >"$BENCH_WORK/rejected.txt"
	# shellcheck disable=SC2046
	compare 994 --ssda903 "$SHARED/ssda903-fake" --rejected "$BENCH_WORK/rejected.txt" \
		$(periods_of 2018 3)
else
	say "no shared SSDA903 sample at $SHARED: left out"
fi

say "$COMPARED figures compared, $DIFFERENT different"
[ "$DIFFERENT" = 0 ]
