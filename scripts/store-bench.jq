# SPDX-License-Identifier: Apache-2.0
# scripts/store-bench.jq: a `make bench` result (Google Benchmark's JSON) as
# it is stored in bench/testdata/ (scripts/store-bench.sh): the aggregates of
# every benchmark that ran with repetitions (mean, median, stddev, cv), the
# single run of those that ran once (the DTLS loss family), and three more
# context fields the run does not know itself, passed as arguments:
#   --arg after "L1/L5/L15"  the load average when the run ended
#   --arg seconds N          how long the run took
#   --arg peak L1            the highest 1-minute load average sampled during
#                            the run ("" when it was not sampled)
#   --arg note TEXT          what was left out, and by whom
([.benchmarks[] | select(.run_type == "aggregate") | .run_name] | unique) as $aggregated
| .context += {ws_load_avg_after: $after, ws_run_seconds: $seconds, ws_stored: $note}
| if $peak != "" then .context.ws_load_avg_1min_max = $peak else . end
| .benchmarks |= map(select(.run_type == "aggregate" or ((.run_name as $n | $aggregated | index($n)) | not)))
