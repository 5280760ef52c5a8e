#!/usr/bin/env bash
# A single-node KRaft broker with TLS, SASL and ACLs, next to the plaintext one and from the same jars.
# Certificates (a CA made here, the broker's for 127.0.0.1 and localhost) and SCRAM users are made at
# the first start, into KAFKA_HOME.
#
#   scripts/kafka/secure-broker.sh start|stop|status|reset     as scripts/kafka/kafka.sh
#
# Listeners on 127.0.0.1: KAFKA_PORT (9094) SASL_SSL with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN;
# KAFKA_SSL_PORT (KAFKA_PORT+1) SSL with client certificates required (principal = the certificate's CN);
# KAFKA_EXPIRED_PORT (+2) and KAFKA_MISMATCH_PORT (+3) SSL with an expired certificate and with one
# for another host name (for tests of the clients' errors); KAFKA_CONTROLLER_PORT (+4) the controller.
# Users: admin (a super user; password KAFKA_ADMIN_PASSWORD, or the one made at the first start in
# KAFKA_HOME/tls/admin.password) and KAFKA_SCRAM_USERS ("name:password name2:password2", both SCRAM mechanisms).
# Client certificates: scripts/kafka/tls.sh issue KAFKA_HOME/tls NAME.
# KAFKA_HOME defaults to <repo>/.kafka-secure; KAFKA_LIBS to the plaintext broker's jars.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
export KAFKA_HOME=${KAFKA_HOME:-$ROOT/.kafka-secure}
export KAFKA_LIBS=${KAFKA_LIBS:-$ROOT/.kafka/libs}
export KAFKA_PORT=${KAFKA_PORT:-9094}
KAFKA_SSL_PORT=${KAFKA_SSL_PORT:-$((KAFKA_PORT + 1))}
KAFKA_EXPIRED_PORT=${KAFKA_EXPIRED_PORT:-$((KAFKA_PORT + 2))}
KAFKA_MISMATCH_PORT=${KAFKA_MISMATCH_PORT:-$((KAFKA_PORT + 3))}
export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 4))}
TLS=$KAFKA_HOME/tls
TLS_SH=$SCRIPT_DIR/tls.sh

die() { printf 'secure-broker: error: %s\n' "$*" >&2; exit 1; }

# Kafka's PEM key store: the certificate chain and the key in one file.
keystore() {
  local name=$1 san=$2 validity=${3:-}
  [[ -f $TLS/$name.keystore.pem ]] && return 0
  bash "$TLS_SH" issue "$TLS" "$name" "$san" "$validity"
  cat "$TLS/$name.pem" "$TLS/$name.key" >"$TLS/$name.keystore.pem"
  chmod 600 "$TLS/$name.keystore.pem"
}

prepare() {
  mkdir -p "$TLS"
  chmod 700 "$TLS"
  bash "$TLS_SH" ca "$TLS"
  keystore broker 'IP:127.0.0.1,DNS:localhost'
  keystore expired 'IP:127.0.0.1,DNS:localhost' expired
  keystore mismatch 'DNS:kafka.elsewhere.invalid'
  local password=${KAFKA_ADMIN_PASSWORD:-}
  if [[ -z $password ]]; then
    [[ -f $TLS/admin.password ]] || { head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$TLS/admin.password"; chmod 600 "$TLS/admin.password"; }
    password=$(cat "$TLS/admin.password")
  fi
  [[ $password =~ ^[A-Za-z0-9._~-]+$ ]] || die 'KAFKA_ADMIN_PASSWORD: letters, digits and . _ ~ - only'
  sed -e "s|@SSL_PORT@|$KAFKA_SSL_PORT|g" -e "s|@EXPIRED_PORT@|$KAFKA_EXPIRED_PORT|g" \
      -e "s|@MISMATCH_PORT@|$KAFKA_MISMATCH_PORT|g" -e "s|@TLS_DIR@|$TLS|g" -e "s|@ADMIN_PASSWORD@|$password|g" \
      "$SCRIPT_DIR/secure-server.properties" >"$KAFKA_HOME/server.template"
  chmod 600 "$KAFKA_HOME/server.template"
  export KAFKA_SERVER_TEMPLATE=$KAFKA_HOME/server.template
  local args="" user
  for user in "admin:$password" ${KAFKA_SCRAM_USERS:-}; do
    [[ $user =~ ^[A-Za-z0-9._-]+:[A-Za-z0-9._~-]+$ ]] || die "KAFKA_SCRAM_USERS: name:password pairs, letters, digits and . _ ~ - only"
    for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
      args+=" --add-scram $mechanism=[name=${user%%:*},password=${user#*:}]"
    done
  done
  export KAFKA_FORMAT_ARGS=$args
}

case ${1:-} in
  start) mkdir -p "$KAFKA_HOME"; prepare; exec bash "$SCRIPT_DIR/kafka.sh" start ;;
  stop | status) exec bash "$SCRIPT_DIR/kafka.sh" "$1" ;;
  reset) bash "$SCRIPT_DIR/kafka.sh" reset; rm -rf "$TLS" "$KAFKA_HOME/server.template" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
