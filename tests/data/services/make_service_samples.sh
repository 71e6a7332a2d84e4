#!/usr/bin/env bash
# tests/data/services/make_service_samples.sh [NAME...] (as root): remakes the small held-out
# samples of the service classes here (all, or the generators named: snmp, syslog, tftp,
# ldap, radius, sip, smb, rsync, munin, irc, memcached, xmpp, modbus, coap, git, bgp, wsd,
# zabbix, dcerpc, collectd, rtsp, rsh), checked by tests/cases/threat_samples.sh. Needs the
# packages of `./setup.sh captures`.
#
# Runs each generator corpus/services/NAME.sh once as batch "t" (its own seed; never
# training data) into a scratch folder, then (cut_flows.py) takes the capture's flows in
# the order they began and keeps each whole flow that still fits under LIMIT bytes
# (default 60000), at most KEEP flows (default 10). Writes NAME.pcap here.
set -u
cd "$(dirname "$0")/../../.." || exit 3
out=tests/data/services
keep=${KEEP:-10} limit=${LIMIT:-60000}
scratch=$(mktemp -d /tmp/fc-service-samples.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(snmp syslog tftp ldap radius sip smb rsync munin irc memcached xmpp
                                        modbus coap git bgp wsd zabbix dcerpc collectd rtsp rsh)

status=0
for name in "${names[@]}"; do
    rm -rf "${scratch:?}"/*
    FC_BATCH=t FC_SEED=424242 bash "corpus/services/$name.sh" "$scratch" ||
        { echo "make_service_samples: $name failed" >&2; status=1; continue; }
    pcap=$(ls "$scratch"/*/t/*.pcap 2>/dev/null | head -n 1)
    [ -n "$pcap" ] || { echo "make_service_samples: $name made no capture" >&2; status=1; continue; }
    python3 "$out/cut_flows.py" "$pcap" "$out/$name.pcap" --whole-flows "$keep" "$limit" || status=1
done
exit $status
