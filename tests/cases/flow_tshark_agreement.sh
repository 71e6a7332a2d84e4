#!/usr/bin/env bash
# fc-read | fc-flow agrees with `tshark -z conv,tcp -z conv,udp` on real captures: the same
# set of TCP and UDP conversations, and per direction the same frames and wire bytes
# (compared as tshark prints bytes: exact below 10 kB, then truncated kB/MB).
# Timeouts are set beyond any capture's length, because tshark never splits a
# conversation by time. Principled differences, why these captures were chosen:
#  - tshark ignores VLAN ids; fc-flow keys flows by the outer VLAN (mongodb.pcap: the same
#    connection captured on VLANs 50 and 300 is two flows);
#  - tshark counts a fragmented datagram once, as the frame completing reassembly (and not
#    at all when reassembly fails); fc-flow counts every fragment (dnscrypt-v1-*.pcap);
#  - tshark decapsulates tunnels (GTP, ...), fc-flow does not (http_origin_*.pcap);
#  - captures whose clock jumps by years exceed even these timeouts (collectd.pcap).
source "$(dirname "$0")/../lib.sh"

command -v tshark >/dev/null || { skip flow_tshark_agreement "tshark not installed"; exit 0; }
captures="iphone KakaoTalk_chat netbios line signal tls_certificate_too_long wa_video fins
          protonvpn tinc WebattackRCE dropbox nfsv3 source_engine"
for c in $captures; do
    name=flows_agree_with_tshark_$c
    shared_or_skip "$name" "corpus/ndpi/$c.pcap" || continue
    f=$FC_SHARED/corpus/ndpi/$c.pcap
    tshark -q -n -z conv,tcp -z conv,udp -r "$f" > "$TMP/tshark.txt" 2>/dev/null
    fc-read "$f" | fc-flow --tcp-timeout 10000000000 --udp-timeout 10000000000 | fc-emit --format Json \
        > "$TMP/flows.json"
    if d=$(/usr/bin/python3 "$FC_ROOT/tests/cases/flow_tshark_compare.py" "$TMP/tshark.txt" < "$TMP/flows.json"); then
        pass "$name"
    else
        fail "$name" "$(tr '\n' ';' <<<"$d")"
    fi
done
