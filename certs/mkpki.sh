#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# mkpki.sh - generate the workshop's test PKI with the openssl command line.
#
# Usage: mkpki.sh OUTDIR
#
# The build runs this into the build tree (certs/), so the certificates are
# always fresh and never expire in practice. It writes only into OUTDIR and
# uses a temporary directory inside OUTDIR that it removes again. Keys are new
# on every run; the set of files is always the same. See certs/README for what
# each file is for.
#
# Exit codes: 0 success, 1 an openssl step failed, 2 usage error.

set -eu

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
if ! command -v openssl >/dev/null 2>&1; then
    echo "mkpki: the openssl command is needed to make the test certificates" >&2
    exit 1
fi

mkdir -p "$1"
out=$(cd "$1" && pwd)

# The bad/ directory belongs entirely to this script: start it afresh so that
# no file from an older version of the script lingers.
rm -rf "$out/bad"
mkdir "$out/bad"

# openssl ca keeps a small database per issuer (for the CRL). All of that goes
# into a temporary directory that we work in, so nothing lands in the caller's
# current directory.
tmp="$out/.mkpki-tmp.$$"
rm -rf "$tmp"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
cd "$tmp"

# Run a command quietly; if it fails, show what it said and stop.
run() {
    if ! "$@" >log.txt 2>&1; then
        cat log.txt >&2
        echo "mkpki: failed: $*" >&2
        exit 1
    fi
}

# --- Dates -----------------------------------------------------------------
# openssl ca takes explicit dates, which is how we make certificates that are
# already expired or not yet valid. Normal certificates start one day ago (so a
# slightly wrong clock does not matter) and end about twenty years from now.

now=$(date -u +%s)
day=86400
year=$((365 * day))

# Print the UTC time OFFSET seconds from now (GNU date first, then BSD date).
utc() {
    t=$((now + $1))
    date -u -d "@$t" +%Y%m%d%H%M%SZ 2>/dev/null ||
        date -u -r "$t" +%Y%m%d%H%M%SZ
}

normal_start=$(utc "-$day")
normal_end=$(utc "$((20 * year))")
expired_end=$(utc -3600)
future_start=$(utc "$((10 * year))")

# --- openssl configuration -------------------------------------------------
# One "CA" section per issuer, each with its own database, and one extension
# section per kind of certificate.

cat >pki.cnf <<'EOF'
[ req ]
distinguished_name = req_dn

[ req_dn ]

[ policy_any ]
organizationName = optional
commonName = supplied

[ ext_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ext_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# ECDSA keys only sign; RSA keys may also decrypt the premaster secret in the
# static-RSA key exchange, hence keyEncipherment.
[ ext_server_ecdsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_server_rsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# Bad on purpose: a server certificate for another host name.
[ ext_wrong_host ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# Bad on purpose: a certificate for localhost that may only be used by clients.
[ ext_client_only ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# Bad on purpose: a client certificate that may only be used by servers.
[ ext_server_only ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

for issuer in root intermediate rogue self; do
    mkdir "$issuer"
    : >"$issuer/index.txt"
    cat >>pki.cnf <<EOF

[ ca_$issuer ]
database = $issuer/index.txt
new_certs_dir = $issuer
rand_serial = yes
unique_subject = no
copy_extensions = none
preserve = yes
policy = policy_any
default_md = sha256
EOF
done

# --- Helpers ---------------------------------------------------------------

ec_key() { # CURVE FILE
    run openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$1" -out "$2"
}

rsa_key() { # BITS FILE
    run openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" -out "$2"
}

# Issue a certificate for KEY.
# sign ISSUER EXTENSIONS SUBJECT KEY CERT [NOT_BEFORE NOT_AFTER DIGEST]
# ISSUER is root, intermediate, rogue or self (self-signed by KEY).
sign() {
    issuer=$1 ext=$2 subject=$3 key=$4 cert=$5
    not_before=${6:-$normal_start}
    not_after=${7:-$normal_end}
    digest=${8:-sha256}
    case $issuer in
    root) issuer_cert=$out/ca.pem issuer_key=$out/ca.key ;;
    intermediate) issuer_cert=$out/intermediate.pem issuer_key=$out/intermediate.key ;;
    rogue) issuer_cert=$out/bad/rogue-ca.pem issuer_key=rogue-ca.key ;;
    self) issuer_cert='' issuer_key=$key ;;
    esac
    run openssl req -new -config pki.cnf -key "$key" -subj "$subject" -out req.csr
    if [ "$issuer" = self ]; then
        set -- -selfsign
    else
        set -- -cert "$issuer_cert"
    fi
    run openssl ca -batch -config pki.cnf -name "ca_$issuer" "$@" \
        -keyfile "$issuer_key" -in req.csr -out "$cert" -notext \
        -extensions "$ext" -startdate "$not_before" -enddate "$not_after" \
        -md "$digest"
}

org="/O=mbedTLS Workshop"

# A normal server certificate from the intermediate, plus the chain a server
# sends (leaf, then intermediate).
# server_cert NAME EXTENSIONS KEYTYPE SIZE
server_cert() {
    "$3" "$4" "$out/$1.key"
    sign intermediate "$2" "$org/CN=localhost" "$out/$1.key" "$out/$1.pem"
    cat "$out/$1.pem" "$out/intermediate.pem" >"$out/$1-chain.pem"
}

client_cert() { # NAME KEYTYPE SIZE
    "$2" "$3" "$out/$1.key"
    sign intermediate ext_client "$org/CN=Workshop Client" "$out/$1.key" "$out/$1.pem"
    cat "$out/$1.pem" "$out/intermediate.pem" >"$out/$1-chain.pem"
}

# --- The good PKI ----------------------------------------------------------

ec_key P-256 "$out/ca.key"
sign self ext_root "$org/CN=Workshop Root CA" "$out/ca.key" "$out/ca.pem"

ec_key P-256 "$out/intermediate.key"
sign root ext_intermediate "$org/CN=Workshop Intermediate CA" \
    "$out/intermediate.key" "$out/intermediate.pem"
cat "$out/intermediate.pem" "$out/ca.pem" >"$out/ca-chain.pem"

server_cert server-ecdsa ext_server_ecdsa ec_key P-256
server_cert server-ecdsa384 ext_server_ecdsa ec_key P-384
server_cert server-rsa ext_server_rsa rsa_key 2048
server_cert server-rsa3072 ext_server_rsa rsa_key 3072
client_cert client ec_key P-256
client_cert client-rsa rsa_key 2048

# --- The bad certificates --------------------------------------------------
# Each case is wrong in exactly one way. cases.tsv lists them with the
# verification flag mbedTLS should report.

printf 'side\tcase\tchain\tkey\texpected_flag\n' >"$out/bad/cases.tsv"

# bad_case SIDE NAME FLAG ISSUER EXTENSIONS CN [NOT_BEFORE NOT_AFTER DIGEST]
# Makes bad/PREFIXNAME.key and bad/PREFIXNAME-chain.pem (the leaf, followed
# by the intermediate when ISSUER is the intermediate), where PREFIX is
# "client-" for the client side.
bad_case() {
    side=$1 name=$2 flag=$3 issuer=$4 ext=$5 cn=$6
    shift 6
    if [ "$side" = client ]; then name="client-$name"; fi
    ec_key P-256 "$out/bad/$name.key"
    sign "$issuer" "$ext" "$org/CN=$cn" "$out/bad/$name.key" leaf.pem "$@"
    if [ "$issuer" = intermediate ]; then
        cat leaf.pem "$out/intermediate.pem" >"$out/bad/$name-chain.pem"
    else
        cat leaf.pem >"$out/bad/$name-chain.pem"
    fi
    add_case "$side" "${name#client-}" "$flag"
}

add_case() { # SIDE CASE FLAG
    file=$2
    if [ "$1" = client ]; then file="client-$2"; fi
    printf '%s\t%s\tbad/%s-chain.pem\tbad/%s.key\tMBEDTLS_X509_%s\n' \
        "$1" "$2" "$file" "$file" "$3" >>"$out/bad/cases.tsv"
}

# The "unknown root": a CA that looks like ours but is not in ca.pem.
ec_key P-256 rogue-ca.key
sign self ext_root "$org/CN=Rogue Root CA" rogue-ca.key "$out/bad/rogue-ca.pem"

bad_case server expired BADCERT_EXPIRED intermediate ext_server_ecdsa localhost \
    "$normal_start" "$expired_end"
bad_case server not-yet-valid BADCERT_FUTURE intermediate ext_server_ecdsa localhost \
    "$future_start" "$normal_end"
bad_case server wrong-host BADCERT_CN_MISMATCH intermediate ext_wrong_host www.example.com
bad_case server self-signed BADCERT_NOT_TRUSTED self ext_server_ecdsa localhost
bad_case server unknown-root BADCERT_NOT_TRUSTED rogue ext_server_ecdsa localhost

# The very certificate that works, sent without the intermediate.
cp "$out/server-ecdsa.key" "$out/bad/missing-intermediate.key"
cp "$out/server-ecdsa.pem" "$out/bad/missing-intermediate-chain.pem"
add_case server missing-intermediate BADCERT_NOT_TRUSTED

bad_case server wrong-eku BADCERT_EXT_KEY_USAGE intermediate ext_client_only localhost
bad_case server sha1 BADCERT_BAD_MD intermediate ext_server_ecdsa localhost \
    "$normal_start" "$normal_end" sha1

# RSA-1024 needs an RSA key, so it does not go through bad_case.
rsa_key 1024 "$out/bad/rsa1024.key"
sign intermediate ext_server_rsa "$org/CN=localhost" "$out/bad/rsa1024.key" leaf.pem
cat leaf.pem "$out/intermediate.pem" >"$out/bad/rsa1024-chain.pem"
add_case server rsa1024 BADCERT_BAD_KEY

bad_case server revoked BADCERT_REVOKED intermediate ext_server_ecdsa localhost
run openssl ca -batch -config pki.cnf -name ca_intermediate \
    -cert "$out/intermediate.pem" -keyfile "$out/intermediate.key" \
    -revoke leaf.pem -crl_reason keyCompromise

bad_case client expired BADCERT_EXPIRED intermediate ext_client "Workshop Client" \
    "$normal_start" "$expired_end"
bad_case client self-signed BADCERT_NOT_TRUSTED self ext_client "Workshop Client"
bad_case client unknown-root BADCERT_NOT_TRUSTED rogue ext_client "Workshop Client"
bad_case client wrong-eku BADCERT_EXT_KEY_USAGE intermediate ext_server_only "Workshop Client"
bad_case client not-yet-valid BADCERT_FUTURE intermediate ext_client "Workshop Client" \
    "$future_start" "$normal_end"
bad_case client sha1 BADCERT_BAD_MD intermediate ext_client "Workshop Client" \
    "$normal_start" "$normal_end" sha1

# As on the server side, RSA-1024 needs an RSA key.
rsa_key 1024 "$out/bad/client-rsa1024.key"
sign intermediate ext_client "$org/CN=Workshop Client" "$out/bad/client-rsa1024.key" leaf.pem
cat leaf.pem "$out/intermediate.pem" >"$out/bad/client-rsa1024-chain.pem"
add_case client rsa1024 BADCERT_BAD_KEY

# Revoked by the intermediate, so the same crl.pem lists both revoked leaves.
bad_case client revoked BADCERT_REVOKED intermediate ext_client "Workshop Client"
run openssl ca -batch -config pki.cnf -name ca_intermediate \
    -cert "$out/intermediate.pem" -keyfile "$out/intermediate.key" \
    -revoke leaf.pem -crl_reason keyCompromise

# --- CRLs ------------------------------------------------------------------
# mbedTLS checks each certificate against the CRLs from its own issuer and
# ignores the rest; openssl verify -crl_check_all wants one CRL per CA. So
# crl.pem holds both: the intermediate's (listing the revoked leaf) and the
# root's (empty).

crl() { # ISSUER CERT KEY OUT
    run openssl ca -batch -config pki.cnf -name "ca_$1" -cert "$2" -keyfile "$3" \
        -gencrl -crl_lastupdate "$normal_start" -crl_nextupdate "$normal_end" \
        -md sha256 -out "$4"
}
crl intermediate "$out/intermediate.pem" "$out/intermediate.key" intermediate.crl
crl root "$out/ca.pem" "$out/ca.key" root.crl
cat intermediate.crl root.crl >"$out/crl.pem"
