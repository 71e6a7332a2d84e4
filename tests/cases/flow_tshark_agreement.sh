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
#  - tshark reassembles fragmented tunnel packets and opens them, fc-flow does neither
#    (tests/cases/flow_tunnels.sh checks tunnels);
#  - captures whose clock jumps by years exceed even these timeouts (collectd.pcap).
source "$(dirname "$0")/../lib.sh"

command -v tshark >/dev/null || { skip flow_tshark_agreement "tshark not installed"; exit 0; }
captures="iphone KakaoTalk_chat netbios line signal tls_certificate_too_long wa_video fins
          protonvpn tinc WebattackRCE dropbox nfsv3 source_engine"
for c in $captures discord_mid_flow BGP_redist; do   # the last two: PPPoE behind QinQ, MPLS under Cisco HDLC
    name=flows_agree_with_tshark_$c
    shared_or_skip "$name" "corpus/ndpi/$c.pcap" || continue
    flows_agree_with_tshark "$name" "$FC_SHARED/corpus/ndpi/$c.pcap"
done
