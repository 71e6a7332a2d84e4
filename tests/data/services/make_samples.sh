#!/usr/bin/env bash
# tests/data/services/make_samples.sh (as root): remakes the MQTT samples of this folder
# from a fresh capture of bench/accuracy/learn-new-protocol --capture-only (mosquitto 2.0
# and mosquitto_pub / mosquitto_sub / mosquitto_rr in two network namespaces, MTU 1500):
#   mqtt_train.pcap     the first 10 sessions under 6 KB
#   mqtt_heldout.pcap   the next 20 sessions under 6 KB
# Sessions of 6 KB and more (the 12-40 KB "firmware" uploads) are left out to keep the
# samples small (tests/data/README.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/fc-mqtt-samples.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
FC_CAPTURES=$tmp bash "$here/../../../bench/accuracy/learn-new-protocol" --capture-only || exit 1
small=()
for f in "$tmp"/learn-new/MQTT/s*.pcap; do
    [ "$(stat -c %s "$f")" -lt 6144 ] && small+=("$f")
done
[ ${#small[@]} -ge 30 ] || { echo "make_samples: only ${#small[@]} small sessions" >&2; exit 1; }
mergecap -F pcap -w "$here/mqtt_train.pcap" "${small[@]:0:10}"
mergecap -F pcap -w "$here/mqtt_heldout.pcap" "${small[@]:10:20}"
ls -l "$here"/mqtt_*.pcap
