# SPDX-License-Identifier: Apache-2.0
# The link model: time to the first application byte of each TLS handshake row
# of a tls_bench run, over named links. Input: bench/normalize.jq's summary.
# Output: one object per handshake row and link,
#   {name, profile, rtt_ms, rate_kbit, mtu, app_flight, round_trips,
#    bytes_on_path, serialization_ms, slow_start_rtts, slow_start_ms, network_ms,
#    compute_ms, total_ms}
#
#   jq -f bench/link_model.jq summary.json
#   jq -f bench/link_model.jq --argjson profiles '[{"name": "x", "rtt_ms": 200,
#      "rate_kbit": 60, "mtu": 1500}]' summary.json
#
# "Time to the first application byte" runs from the client's connect() until
# its first application byte has reached the server. The model:
#
# - The TCP handshake costs one round trip: the client's first flight leaves
#   with the ACK of the server's SYN-ACK.
# - The handshake's flights alternate, client first, as the in-memory pair
#   counted them (flightN_bytes). The first application byte leaves with the
#   client's first flight after the last server flight it needs: TLS 1.2 needs
#   the server's Finished (a full handshake's fourth flight, so the byte goes
#   in a fifth flight of its own; a resumed handshake ends with the client's
#   third flight, which carries it); TLS 1.3 needs only the server's first
#   flight, so the byte rides with the client's Finished (flight 3), and the
#   session ticket the server sends afterwards is not on the way.
# - Each flight on the way takes half a round trip, plus its bytes at the
#   link's rate (TCP/IP headers counted: 40 bytes per segment of MTU - 40
#   bytes), plus the wait for each extra window TCP's slow start needs: every
#   flight starts from the initial window of 10 segments (RFC 6928), doubled
#   each round trip, without loss (see flight_time).
# - The application record's own bytes are not counted (a reading of a few
#   bytes), nor ACKs, nor delayed-ACK timers.
# - Both sides' handshake CPU time (client_cpu_us + server_cpu_us, measured on
#   this machine) is on the way: each side computes while the other waits.
#
# The links: round trip time (what ping shows) and rate, each way. Rate 0 is a
# link without a rate limit (only delay). bench/link_validate.sh checks the
# model against the lessons' client and server through tools/lossy_link.
def default_profiles: [
  {name: "LAN", rtt_ms: 1, rate_kbit: 1000000, mtu: 1500},
  {name: "Wi-Fi", rtt_ms: 5, rate_kbit: 20000, mtu: 1500},
  {name: "LTE-M", rtt_ms: 60, rate_kbit: 1000, mtu: 1500},
  {name: "NB-IoT", rtt_ms: 600, rate_kbit: 60, mtu: 1500},
  {name: "LoRa-class", rtt_ms: 1500, rate_kbit: 5, mtu: 1500}
];

def initial_window: 10;
def header_bytes: 40;

# Which flight carries the first application byte, from the row's version
# and its handshake's flight count.
def app_flight($tls13; $flights):
  if $tls13 then (if $flights % 2 == 1 then $flights else $flights - 1 end)
  else (if $flights % 2 == 1 then $flights else $flights + 1 end) end;

# One flight of $bytes over link $p: {serialization_ms, slow_start_rtts,
# slow_start_ms, ms}. Slow start sends the flight in windows of 10, 20, 40
# ... segments; the next window may leave once the first segment of this one
# has been acknowledged, a round trip after it left, so a window costs the
# longer of that round trip and the time its own bytes take at the link's rate.
def flight_time($p; $bytes):
  ($p.mtu - header_bytes) as $mss
  | (if $bytes > 0 then (($bytes / $mss) | ceil) else 0 end) as $segments
  | ($bytes + header_bytes * $segments) as $wire
  | (if $p.rate_kbit > 0 then $wire * 8 / $p.rate_kbit else 0 end) as $ser
  | [foreach range(0; 64) as $i ({left: $segments, windows: []};
       if .left > 0 then (initial_window * pow(2; $i)) as $w
         | {left: (.left - $w), windows: (.windows + [if $w < .left then $w else .left end])}
       else . end; .)] | last | .windows as $windows
  | ($windows[0:-1] | map(. * $mss) | map(. as $b | ($b + header_bytes * ($b / $mss)) * 8
       / (if $p.rate_kbit > 0 then $p.rate_kbit else 1e12 end))
     | map(if . < $p.rtt_ms then $p.rtt_ms - . else 0 end) | add // 0) as $stall
  | {serialization_ms: $ser, slow_start_rtts: ([($windows | length) - 1, 0] | max),
     slow_start_ms: $stall, ms: ($p.rtt_ms / 2 + $ser + $stall)};

def model($p):
  (.name | test("^handshake/tls1\\.3/")) as $tls13
  | (.flights | round) as $flights
  | app_flight($tls13; $flights) as $k
  | . as $row
  | [range(1; $k + 1) | flight_time($p; ($row["flight\(.)_bytes"] // 0))] as $legs
  | ($p.rtt_ms + ($legs | map(.ms) | add)) as $network
  | ((.client_cpu_us + .server_cpu_us) / 1000) as $compute
  | {name, profile: $p.name, rtt_ms: $p.rtt_ms, rate_kbit: $p.rate_kbit, mtu: $p.mtu,
     app_flight: $k, round_trips: (1 + $k / 2),
     bytes_on_path: ([range(1; $k + 1) | $row["flight\(.)_bytes"] // 0] | add),
     serialization_ms: ($legs | map(.serialization_ms) | add),
     slow_start_rtts: ($legs | map(.slow_start_rtts) | add),
     slow_start_ms: ($legs | map(.slow_start_ms) | add),
     network_ms: $network, compute_ms: $compute, total_ms: ($network + $compute)};

($ARGS.named.profiles // default_profiles) as $profiles
| [.[] | select(.name | test("^handshake/tls1\\.[23]/")) | select(.flight1_bytes != null)
   | . as $row | $profiles[] | . as $p | $row | model($p)]
