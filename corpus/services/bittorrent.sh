#!/usr/bin/env bash
# corpus/services/bittorrent.sh OUTDIR: BitTorrent peer-wire sessions (class BitTorrent)
# between real clients (Debian's aria2 and ctorrent), in two network namespaces. Each
# session shares new content: a torrent made by mktorrent (one file or a folder of a few,
# 48 KB to 6 MB, pieces of 32 KB to 1 MB), seeded by aria2c or ctorrent in the server
# namespace on a port of its own, and downloaded by aria2c or ctorrent in the client
# namespace. The tracker is a static announce reply (served by python3's http.server,
# outside the capture) that names the seeder, so the swarm is exactly those two peers;
# DHT, local peer discovery and peer exchange are off. aria2c opens with the encrypted
# (MSE) handshake and, where the seeder refuses it (ctorrent), reconnects in plain text:
# both connections are BitTorrent, as on the Internet.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/BitTorrent/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
for tool in aria2c ctorrent mktorrent; do
    command -v $tool >/dev/null || { netns_say "$tool missing (Debian packages aria2, ctorrent, mktorrent)"; exit 3; }
done
svc_begin "$@"
tracker_port=6969
dir=$(svc_class_dir BitTorrent)
pcap=$dir/bittorrent-$FC_BATCH.pcap
mkdir -p "$SVC_WORK/tracker"

# announce_reply IP PORT: the tracker's bencoded reply naming one peer (compact form, BEP 23)
announce_reply() {
    $SVC_PYTHON - "$SVC_WORK/tracker/announce" "$1" "$2" <<'PY'
import socket, struct, sys
peer = socket.inet_aton(sys.argv[2]) + struct.pack(">H", int(sys.argv[3]))
with open(sys.argv[1], "wb") as f:
    f.write(b"d8:completei1e10:incompletei1e8:intervali1800e5:peers6:" + peer + b"e")
PY
}

# new_content DIR: a file or a folder of files of random bytes; echoes the path to share
new_content() {
    local root=$1 name n i
    mkdir -p "$root"
    if [ "$(svc_rand 1 3)" = 1 ]; then
        name=$root/album-$(svc_rand 100 999)
        mkdir -p "$name"
        n=$(svc_rand 2 4)
        for i in $(seq "$n"); do head -c "$(svc_rand 16 1500)000" /dev/urandom > "$name/track$i.bin"; done
    else
        name=$root/$(svc_pick linux.iso dataset.tar backup.zip video.mkv notes.pdf)
        head -c "$(svc_pick 48 200 700 1500 3000 6000)000" /dev/urandom > "$name"
    fi
    echo "$name"
}

# the peers' common options: a swarm of exactly two (no DHT, local discovery, exchange)
aria_swarm=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false
    --console-log-level=error --summary-interval=0 --allow-overwrite=true)

bg_srv "$SVC_PYTHON" -m http.server $tracker_port --bind "$NETNS_SRV_IP" --directory "$SVC_WORK/tracker" 2>/dev/null
wait_tcp_port $tracker_port || exit 1
capture_start "$pcap" "tcp and not port $tracker_port"

sessions=${FC_SESSIONS:-34}
for s in $(seq $sessions); do
    work=$SVC_WORK/s$s
    content=$(new_content "$work/seed")
    torrent=$work/share.torrent
    mktorrent -a "http://$NETNS_SRV_IP:$tracker_port/announce" -l "$(svc_rand 15 20)" \
        -c "session $s" -o "$torrent" "$content" >/dev/null || exit 1
    port=$(svc_pick 6881 6889 51413 "$(svc_rand 10000 60000)")
    announce_reply "$NETNS_SRV_IP" "$port"
    # the seeder, for this session only
    case $(svc_rand 1 2) in
    1) (cd "$work/seed" && exec ip netns exec "$NETNS_SRV" timeout 90 aria2c "${aria_swarm[@]}" -d "$work/seed" \
            --listen-port="$port" --seed-ratio=0.0 --bt-seed-unverified=true "$torrent" >/dev/null 2>&1) & ;;
    2) (cd "$work/seed" && exec ip netns exec "$NETNS_SRV" timeout 90 ctorrent -e 1 -p "$port" \
            -s "$content" "$torrent" </dev/null >/dev/null 2>&1) & ;;
    esac
    seeder=$!
    wait_tcp_port "$port" || { kill "$seeder" 2>/dev/null; continue; }
    mkdir -p "$work/get"
    case $(svc_rand 1 2) in
    1) in_cli timeout 60 aria2c "${aria_swarm[@]}" -d "$work/get" --seed-time=0 \
            --max-download-limit="$(svc_pick 0 0 0 500K 2M)" --bt-request-peer-speed-limit=10M "$torrent" >/dev/null 2>&1 ;;
    2) limit=()   # a download capped in KB/s in one session of four
        [ "$(svc_rand 1 4)" != 1 ] || limit=(-D "$(svc_pick 400 2000)")
        (cd "$work/get" && exec ip netns exec "$NETNS_CLI" timeout 60 ctorrent -e 0 -p "$(svc_rand 7000 7999)" \
            "${limit[@]}" "$torrent" </dev/null >/dev/null 2>&1) ;;
    esac
    kill "$seeder" 2>/dev/null
    wait "$seeder" 2>/dev/null
    rm -rf "$work"
    svc_think
done
capture_stop
svc_end BitTorrent "$pcap" $sessions
