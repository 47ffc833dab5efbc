# SPDX-License-Identifier: Apache-2.0
# bench/recommend.jq: "what should I pick", computed from a tls_bench result.
# Input: the normalised summary (bench/normalize.jq); output: a Markdown table
# with one row per use case and, in each, the winner among the suites that
# authenticate with certificates and among those that use a pre-shared key
# (which needs a key provisioned in every device), with its figure and the
# runner-up's. Nothing here is typed in: a new run gives a new table.
# The certificate column leaves out the plain RSA key exchange (RSA-...):
# it has no forward secrecy and TLS 1.3 removed it. Plain PSK suites have no
# forward secrecy either; the table says so where one wins.
# bench/report.sh writes the table to OUTDIR/recommendations.md.

def parts: (.name | capture("^(?<family>[^/]+)/(?<version>[^/]+)/(?<suite>[^/]+)/(?<rest>.+)$"));
def full_handshakes: [.[] | select(.name | test("^handshake/[^/]+/[^/]+/[^/]+$"))];
def resumptions: [.[] | select(.name | test("^handshake/[^/]+/[^/]+/[^/]+/resume-(cache|ticket)$"))];
def bulk: [.[] | select(.name | test("^throughput/[^/]+/[^/]+/16384$")) | select(.cpu_us > 0)
           | . + {mbps: (16384 / .cpu_us)}];
def is_psk: (.name | test("/psk(/|$)")) or (parts.suite | test("PSK"));
def no_forward_secrecy: parts.suite | test("^(RSA|PSK)-");
def pretty: parts as $p
  | "`\($p.suite)` (\($p.version | sub("^dtls"; "DTLS ") | sub("^tls"; "TLS "))"
    + (if $p.family == "handshake" then ", \($p.rest | gsub("/"; ", "))" else "" end) + ")"
    + (if no_forward_secrecy then ", no forward secrecy" else "" end);
# fmt: a figure with two or three significant digits.
def fmt: if . >= 100 then round | tostring elif . >= 10 then (. * 10 | round) / 10 | tostring
         else (. * 100 | round) / 100 | tostring end;

# best(ITEMS; KEY; UNIT; DIR; TIMED): "winner: figure (next: runner-up,
# figure)". A timed figure whose runner-up is closer than twice the larger
# CV of the two is a tie within the noise, and says so.
def best(items; key; unit; dir; timed):
  (items | sort_by(key) | if dir == "max" then reverse else . end) as $s
  | if ($s | length) == 0 then "-"
    else ($s[0] | "\(pretty): **\(key | fmt) \(unit)**")
         + (if ($s | length) > 1 then
              ($s[0] | key) as $a | ($s[1] | key) as $b
              | ([$s[0].cv_cpu // 0, $s[1].cv_cpu // 0] | max) as $cv
              | (if ($a | fmt) == ($b | fmt) then "tied with"
                 elif timed and $a > 0 and ((($a - $b) / $a) | fabs) < 2 * $cv then "within the noise of"
                 else "next" end) as $how
              | ($s[1] | " (\($how): \(pretty), \(key | fmt) \(unit))")
            else "" end)
    end;

def row(title; items; key; unit; dir; timed):
  "| \(title) | \(best([items[] | select((is_psk | not) and (parts.suite | test("^RSA-") | not))]; key; unit; dir; timed))"
  + " | \(best([items[] | select(is_psk)]; key; unit; dir; timed)) |";

full_handshakes as $f
| resumptions as $r
| bulk as $b
| "| use case | with certificates | with a pre-shared key |",
  "|---|---|---|",
  row("lowest server CPU per connection (full handshake)"; $f; .server_cpu_us; "us"; "min"; true),
  row("lowest client CPU per connection (full handshake)"; $f; .client_cpu_us; "us"; "min"; true),
  row("fewest bytes on the air (full handshake, both directions)"; $f; .bytes_c2s + .bytes_s2c; "bytes"; "min"; false),
  row("least RAM on the client (peak heap during the handshake)"; $f; .client_peak_heap / 1024; "KiB"; "min"; false),
  row("least RAM on the server (peak heap during the handshake)"; $f; .server_peak_heap / 1024; "KiB"; "min"; false),
  row("fastest bulk transfer (16 KiB records, CPU time)"; $b; .mbps; "MB/s"; "max"; true),
  row("cheapest reconnection (resumption, client + server CPU)"; $r; .client_cpu_us + .server_cpu_us; "us"; "min"; true)
