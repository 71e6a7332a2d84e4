#!/usr/bin/env bash
# corpus/services/ipsec.sh OUTDIR: IKE sessions (class IPSec; nDPI: IPSec, for IKE on UDP
# 500 and UDP-encapsulated IKE/ESP on 4500) between two strongSwan 5.9 charon daemons,
# initiator (client namespace) -> responder (server namespace, 10.77.0.1), driven by swanctl.
# Each session comes from its own client address (10.77.0.100 up, `local_addrs`), so it is
# its own flow although IKE uses port 500 on both sides. A PKI made per batch with pki (CA,
# server and client certificates, RSA 2048-4096 or ECDSA keys chosen by FC_SEED). What
# varies per session: IKEv2 mostly, IKEv1 main mode and aggressive mode sometimes; IKE and
# ESP proposals (AES-CBC/GCM, ChaCha20-Poly1305, SHA-2, MODP/ECP/Curve25519, PFS or not);
# PSK or certificate authentication (certificates sent, IKEv2 fragmentation on or off, so
# IKE_AUTH is fragmented either by IKE or by IP); pings through the tunnel; idle gaps with
# DPD; long sessions that rekey their CHILD_SA and IKE SA; an INFORMATIONAL delete at the
# end (swanctl --terminate) or the initiator gone without one (its address removed: the
# responder's DPD probes it); failures (wrong PSK: AUTHENTICATION_FAILED; no IKE or ESP
# proposal chosen).
# This kernel has no ESP (CONFIG_INET_ESP unset), so both daemons use kernel-libipsec
# (userspace ESP on a TUN device), which forces UDP encapsulation: every established
# session moves from 500 to 4500 after IKE_SA_INIT and its ESP is ESP-in-UDP on 4500, as
# behind a NAT; sessions failing in IKE_SA_INIT stay on 500.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/IPSec/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
dir=$(svc_class_dir IPSec)
pcap=$dir/ipsec-$FC_BATCH.pcap
W=$SVC_WORK
P=$W/pki
mkdir -p "$P"
srv=$NETNS_SRV_IP
PSK="fc-$(svc_rand 100000 999999)-ike-$FC_BATCH"

# the PKI: key types drawn per batch; certificates with 3072/4096-bit RSA keys make IKE_AUTH
# messages larger than the MTU
pki_key() { # FILE TYPE
    case $2 in
    rsa*) pki --gen --type rsa --size "${2#rsa}" --outform pem > "$1" ;;
    ec*) pki --gen --type ecdsa --size "${2#ec}" --outform pem > "$1" ;;
    esac 2>/dev/null
}
pki_key "$P/ca.key" "$(svc_pick rsa3072 rsa4096 ec384)"
pki --self --ca --lifetime 3650 --in "$P/ca.key" --dn "C=CH, O=FlowCarp, CN=FlowCarp IPsec CA $FC_BATCH" \
    --outform pem > "$P/ca.crt" 2>/dev/null || { netns_say "could not make the CA"; exit 3; }
issue() { # NAME KEYTYPE DN SAN FLAGS...
    local name=$1 type=$2 dn=$3 san=$4
    shift 4
    pki_key "$P/$name.key" "$type"
    pki --issue --cacert "$P/ca.crt" --cakey "$P/ca.key" --in "$P/$name.key" --type priv --dn "$dn" \
        --san "$san" "$@" --lifetime 730 --outform pem > "$P/$name.crt" 2>/dev/null
}
srvkey=$(svc_pick rsa2048 rsa3072 rsa4096 ec256)
issue server "$srvkey" "C=CH, O=FlowCarp, CN=vpn.flowcarp.test" vpn.flowcarp.test \
    --flag serverAuth --flag ikeIntermediate || exit 3
# clients 0-3 for IKEv2; client 4 for IKEv1, whose authentication method (RSA, ECDSA-256)
# must be the same on both ends: its key is of the server's type
CLIENTS=4
for ((k = 0; k <= CLIENTS; k++)); do
    [ $k = $CLIENTS ] && type=$srvkey || type=$(svc_pick rsa2048 rsa3072 rsa4096 ec256 ec384)
    issue "client$k" "$type" "C=CH, O=FlowCarp, CN=client$k" "client$k@cert.flowcarp.test" \
        --flag clientAuth || exit 3
done

# strongswan.conf of one daemon (SIDE srv or cli): its vici socket and log in the work folder
daemon_conf() {
    cat > "$W/$1.conf" <<EOF
charon {
    load_modular = no
    load = random nonce aes sha1 sha2 md5 hmac gcm chapoly curve25519 openssl gmp pem pkcs1 pkcs8 x509 pubkey constraints kdf kernel-libipsec kernel-netlink socket-default vici
    i_dont_care_about_security_and_use_aggressive_mode_psk = yes
    retransmit_tries = 3
    retransmit_timeout = 2.0
    plugins { vici { socket = unix://$W/$1.vici } }
    filelog { log { path = $W/$1.log
                    default = 1 } }
}
EOF
}
# a daemon in NS; the pid file /run/charon.pid is compiled in: each gets a /run of its own
start_daemon() { # SIDE NS
    daemon_conf "$1"
    ip netns exec "$2" unshare -m --propagation private sh -c \
        "mount -t tmpfs none /run && STRONGSWAN_CONF=$W/$1.conf exec /usr/lib/ipsec/charon" >/dev/null 2>&1 &
    NETNS_PIDS+=($!)
    for k in $(seq 100); do [ -S "$W/$1.vici" ] && return 0; sleep 0.1; done
    netns_say "charon ($1) did not start"; tail -5 "$W/$1.log" >&2; return 1
}
swan() { local side=$1; shift; SWANCTL_DIR=$W/$side.d swanctl "$@" --uri "unix://$W/$side.vici"; }

IKE2="aes128-aes256-sha256-sha384-sha512-curve25519-ecp256-ecp384-modp2048-modp3072, aes128gcm16-aes256gcm16-chacha20poly1305-prfsha256-prfsha384-prfsha512-curve25519-ecp256-ecp384-modp2048-modp3072"
IKE1="aes128-aes256-sha256-sha384-sha512-ecp256-ecp384-modp2048-modp3072"
ESPS="aes128gcm16-aes256gcm16-chacha20poly1305, aes128gcm16-aes256gcm16-chacha20poly1305-curve25519-ecp256-ecp384-modp2048-modp3072, aes128-aes256-sha256-sha384-sha512, aes128-aes256-sha256-sha384-sha512-curve25519-ecp256-ecp384-modp2048-modp3072"
# the responder: one connection per IKE version and authentication
# unencrypted private keys are found only in SWANCTL_DIR/private, never named in swanctl.conf
mkdir -p "$W/srv.d/private" "$W/cli.d/private"
cp "$P/server.key" "$W/srv.d/private/"
cp "$P"/client*.key "$W/cli.d/private/"
{   echo "connections {"
    for c in "2 psk no" "2 pubkey no" "1 psk no" "1 psk yes" "1 pubkey no"; do
        set -- $c
        [ "$1" = 2 ] && prop=$IKE2 || prop=$IKE1
        [ "$2" = psk ] && rid='*@psk.flowcarp.test' || rid='*@cert.flowcarp.test'
        cat <<EOF
  r$1$2$3 {
    version = $1
    aggressive = $3
    local_addrs = $srv
    proposals = $prop
    send_cert = always
    dpd_delay = $(svc_pick 0 0 30 60)s
    local { auth = $2
            id = vpn.flowcarp.test
            $([ "$2" = pubkey ] && echo "certs = $P/server.crt") }
    remote { auth = $2
             id = $rid
             $([ "$2" = pubkey ] && echo "cacerts = $P/ca.crt") }
    children { net { local_ts = 10.88.0.1/32
                     remote_ts = 10.99.0.0/16
                     esp_proposals = $ESPS } }
  }
EOF
    done
    echo "}"
    echo "secrets { ike-all { secret = \"$PSK\" } }"
} > "$W/srv.d/swanctl.conf"

# inner addresses: 10.88.0.1 in the server, 10.99.0.N for session N in the client
in_srv ip addr add 10.88.0.1/32 dev lo
in_srv sysctl -qw net.ipv4.conf.all.rp_filter=0
in_cli sysctl -qw net.ipv4.conf.all.rp_filter=0
start_daemon srv "$NETNS_SRV" || exit 1
swan srv --load-all --noprompt >"$W/load-srv.log" 2>&1 || { netns_say "responder config not loaded"; exit 1; }
start_daemon cli "$NETNS_CLI" || exit 1
capture_start "$pcap" "udp port 500 or udp port 4500"

tunnel_ping() { # SESSION COUNT SIZE
    in_cli timeout 30 busybox ping -q -c "$2" -s "$3" -i 0.3 -W 2 -I "10.99.0.$1" 10.88.0.1 >/dev/null 2>&1
}

sessions=$(svc_rand 44 54)
for ((s = 1; s <= sessions; s++)); do
    addr=10.77.0.$((99 + s))
    in_cli ip addr add "$addr/24" dev "$NETNS_CLI_DEV"
    in_cli ip addr add "10.99.0.$s/32" dev lo
    # what this session is: IKE version, authentication, proposals, what happens in it
    case $(svc_rand 0 9) in
    0) ver=1 aggr=no ;;
    1) ver=1 aggr=yes ;;
    *) ver=2 aggr=no ;;
    esac
    auth=$(svc_pick psk psk pubkey)
    [ $aggr = yes ] && auth=psk
    if [ $ver = 2 ] && [ "$(svc_rand 0 1)" = 0 ]; then
        ike=$(svc_pick aes128gcm16 aes256gcm16 chacha20poly1305)-$(svc_pick prfsha256 prfsha384 prfsha512)
    else
        ike=$(svc_pick aes128 aes256 aes256)-$(svc_pick sha256 sha256 sha384 sha512)
    fi
    ike+=-$(svc_pick modp2048 modp3072 ecp256 ecp384 curve25519)
    esp=$(svc_pick aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256 aes256-sha256 aes256-sha512)
    [ "$(svc_rand 0 2)" = 0 ] && esp+=-$(svc_pick modp2048 ecp256 curve25519)
    # strongSwan's IKEv1 has neither Curve25519 nor ChaCha20-Poly1305
    [ $ver = 1 ] && { ike=${ike/curve25519/ecp256}; esp=${esp/curve25519/ecp256}; esp=${esp/chacha20poly1305/aes256gcm16}; }
    cert=$(svc_rand 0 $((CLIENTS - 1)))
    [ $ver = 1 ] && cert=$CLIENTS
    frag=$(svc_pick yes yes no)
    dpd=$(svc_pick 0 2 3 5)
    ikerekey=0 childrekey=0 secret=$PSK
    case $(svc_rand 0 11) in
    0) what=long; ikerekey=$(svc_rand 14 22); childrekey=$(svc_rand 8 12); dpd=$(svc_pick 0 4) ;;
    1) what=long; childrekey=$(svc_rand 6 10) ;;
    2) what=fail; auth=psk; secret=wrong-$PSK ;;
    3) what=fail; ike=aes192-sha1-$(svc_pick modp1024 modp1536) ;;
    4) what=fail; esp=aes192-sha1 ;;
    *) what=normal ;;
    esac
    pings=$(svc_rand 1 8) size=$(svc_pick 56 56 100 512 1000 1400)
    idle=$(svc_rand 0 8).$(svc_rand 0 9) bye=$(svc_pick terminate terminate terminate vanish)
    # a long session: pauses of 3-8 s (long enough together to rekey) and a few pings after each
    steps=()
    for ((k = $(svc_rand 4 7); k > 0; k--)); do steps+=("$(svc_rand 3 8) $(svc_rand 1 4) $(svc_pick 56 200 1200)"); done
    [ $auth = psk ] && id=user$s@psk.flowcarp.test || id=client$cert@cert.flowcarp.test
    cat > "$W/cli.d/swanctl.conf" <<EOF
connections {
  s$s {
    version = $ver
    aggressive = $aggr
    local_addrs = $addr
    remote_addrs = $srv
    proposals = $ike
    fragmentation = $frag
    dpd_delay = ${dpd}s
    rekey_time = $([ "$ikerekey" = 0 ] && echo 4h || echo "${ikerekey}s")
    local { auth = $auth
            id = $id
            $([ $auth = pubkey ] && echo "certs = $P/client$cert.crt") }
    remote { auth = $auth
             id = vpn.flowcarp.test
             $([ $auth = pubkey ] && echo "cacerts = $P/ca.crt") }
    children { c { local_ts = 10.99.0.$s/32
                   remote_ts = 10.88.0.1/32
                   esp_proposals = $esp
                   rekey_time = $([ "$childrekey" = 0 ] && echo 1h || echo "${childrekey}s")
                   rand_time = 1s } }
  }
}
secrets { ike-1 { secret = "$secret" } }
EOF
    swan cli --load-all --noprompt >"$W/load-$s.log" 2>&1 || netns_say "session $s: config not loaded"
    if swan cli --initiate --child c --timeout 30 >"$W/init-$s.log" 2>&1; then
        tunnel_ping "$s" "$pings" "$size"
        if [ $what = long ]; then
            for step in "${steps[@]}"; do
                set -- $step
                sleep "$1"; tunnel_ping "$s" "$2" "$3"
            done
        else
            sleep "$idle"
            [ "${idle%.*}" -gt 3 ] && tunnel_ping "$s" 1 "$size"
        fi
        if [ "$bye" = terminate ]; then
            swan cli --terminate --ike "s$s" --timeout 10 >/dev/null 2>&1
        else
            # the initiator gone without a word: the responder's DPD, if any, finds it dead
            in_cli ip addr del "$addr/24" dev "$NETNS_CLI_DEV"
            swan cli --terminate --ike "s$s" --force --timeout 2 >/dev/null 2>&1
        fi
    elif [ $what != fail ]; then
        netns_say "session $s ($ver $auth $ike / $esp) did not come up:"; tail -3 "$W/init-$s.log" >&2
    fi
    swan cli --terminate --ike "s$s" --force --timeout 2 >/dev/null 2>&1
    svc_think
done
sleep 2
capture_stop
svc_end IPSec "$pcap" "$sessions"
