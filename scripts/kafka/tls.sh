#!/usr/bin/env bash
# A throwaway certificate authority for test brokers and clients (openssl only, PEM files).
#
#   scripts/kafka/tls.sh ca DIR                          DIR/ca.pem + DIR/ca.key (kept when present)
#   scripts/kafka/tls.sh issue DIR NAME [SAN] [expired]  DIR/NAME.pem + DIR/NAME.key, CN=NAME, signed by DIR's CA;
#                                                        SAN e.g. IP:127.0.0.1,DNS:localhost; "expired": valid in 2020 only
#
# Keys are unencrypted PKCS#8 (Kafka's PEM key stores read them without ssl.key.password).
set -euo pipefail

die() { printf 'tls: error: %s\n' "$*" >&2; exit 1; }

make_ca() {
  local dir=$1
  mkdir -p "$dir"
  [[ -f $dir/ca.pem && -f $dir/ca.key ]] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 -subj "/CN=tickflow test CA $(basename "$dir")" \
    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
}

issue() {
  local dir=$1 name=$2 san=${3:-} validity=${4:-}
  [[ -f $dir/ca.pem ]] || die "no CA in $dir (run: $0 ca $dir)"
  [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "a certificate name is letters, digits and . _ - only (got '$name')"
  local ext=$dir/$name.ext
  {
    echo 'basicConstraints=CA:FALSE'
    echo 'keyUsage=critical,digitalSignature,keyEncipherment'
    echo 'extendedKeyUsage=serverAuth,clientAuth'
    [[ -n $san ]] && echo "subjectAltName=$san"
  } >"$ext"
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  if [[ $validity == expired ]]; then
    # x509 -req cannot back-date a certificate; `openssl ca` can, with a throwaway database.
    local db=$dir/.ca-db
    mkdir -p "$db"
    : >"$db/index.txt"
    [[ -f $db/serial ]] || echo 1000 >"$db/serial"
    cat >"$db/ca.cnf" <<CNF
[ca]
default_ca=test
[test]
database=$db/index.txt
new_certs_dir=$db
serial=$db/serial
default_md=sha256
policy=any
unique_subject=no
[any]
commonName=supplied
CNF
    openssl ca -batch -notext -config "$db/ca.cnf" -cert "$dir/ca.pem" -keyfile "$dir/ca.key" -extfile "$ext" \
      -startdate 20200101000000Z -enddate 20200102000000Z -in "$dir/$name.csr" -out "$dir/$name.pem" 2>/dev/null
  else
    openssl x509 -req -sha256 -days 30 -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
      -extfile "$ext" -out "$dir/$name.pem" 2>/dev/null
  fi
  rm -f "$dir/$name.csr" "$ext"
  chmod 600 "$dir/$name.key"
}

case ${1:-} in
  ca) [[ $# -eq 2 ]] || die "usage: $0 ca DIR"; make_ca "$2" ;;
  issue) [[ $# -ge 3 && $# -le 5 ]] || die "usage: $0 issue DIR NAME [SAN] [expired]"; issue "$2" "$3" "${4:-}" "${5:-}" ;;
  *) echo "usage: $0 ca DIR | issue DIR NAME [SAN] [expired]" >&2; exit 2 ;;
esac
