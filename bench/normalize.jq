# SPDX-License-Identifier: Apache-2.0
# Turns a Google Benchmark JSON file into one object per benchmark, the input
# of bench/report.sh and bench/compare.sh:
#   {name, real_us, cpu_us, cv_real, cv_cpu, repetitions, label, <counters>}
# (the counters: client_*, server_*, bytes_*, bare_*, the microcontroller
# lab's mcu_*, flights, debug_*, record_bytes)
# With repetitions the figures are the medians (and the "cv" aggregate, which
# Google Benchmark computes as stddev / mean); without, the single run.
# Benchmarks that failed (error_occurred) are left out here; the report lists
# them separately.
def to_us: if .time_unit == "ns" then 0.001 elif .time_unit == "us" then 1
           elif .time_unit == "ms" then 1000 else 1000000 end;
def counters: with_entries(select(.key | test("^(client_|server_|bytes_|bare_|mcu_|flights$|debug_|record_bytes$|datagrams_|flight[0-9]+_|completion_ms_|resent_bytes_|timer_expiries_|handshakes$|failed$|loss_percent$)")));
[.benchmarks[] | select((.error_occurred // false) | not)]
| group_by(.run_name)
| map(
    (map(select(.run_type == "aggregate" and .aggregate_name == "median")) | first) as $median
  | (map(select(.run_type == "aggregate" and .aggregate_name == "cv")) | first) as $cv
  | (map(select(.run_type == "iteration"))) as $runs
  | ($median // $runs[0]) as $r
  | select($r != null)
  | {
      name: ($r.run_name | sub("/manual_time$"; "") | sub("/iterations:[0-9]+"; "") | sub("/repeats:[0-9]+"; "")),
      real_us: ($r.real_time * ($r | to_us)),
      cpu_us: ($r.cpu_time * ($r | to_us)),
      cv_real: (if $cv != null then $cv.real_time else null end),
      cv_cpu: (if $cv != null then $cv.cpu_time else null end),
      repetitions: ($r.repetitions // 1),
      bytes_per_second: ($r.bytes_per_second // null),
      label: ($r.label // "")
    } + ($r | counters)
  )
