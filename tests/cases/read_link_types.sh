#!/usr/bin/env bash
# fc-read finds the network layer of every supported link type (tiny crafted captures),
# strips VLAN tags, PPPoE and MPLS, passes other link types on raw, floors ns timestamps,
# and reads as many packets as tshark from real captures of each link type.
source "$(dirname "$0")/../lib.sh"

mkpcap=$FC_TESTBIN/mkpcap
# entry KIND N: fields of packet entry N (from 1) of a crafted capture of KIND
entry() {
    [ -e "$TMP/$1.pcap" ] || "$mkpcap" "$1" "$TMP/$1.pcap" || return
    fc-read "$TMP/$1.pcap" | packet_entries | awk -v n="$2" 'NR == n'
}
# expect KIND[:N] NAME "link flags proto vlan vlan2 data_len" FIRST-DATA-BYTES (of packet N, default 1)
expect() {
    local n=1 e
    [[ $1 == *:* ]] && n=${1#*:}
    e=$(entry "${1%%:*}" "$n")
    read -r _ link flags proto vlan vlan2 _ _ len data <<<"$e"
    check_eq "$2" "$3 ${4}" "$link $flags $proto $vlan $vlan2 $len ${data:0:${#4}}"
}
expect ether ethernet_ipv4_network_layer_after_14_bytes "0 0 0800 0 0 42" 4500002a
expect vlan ethernet_802_1q_vlan_100_stripped "0 0 0800 100 0 32" 45000020
expect qinq ethernet_qinq_outer_200_inner_300 "0 0 86dd 200 300 52" 6000
expect vlan9100 ethernet_9100_tag_vlan_400 "0 0 0800 400 0 36" 45000024
expect sll linux_cooked_v1_ipv4 "0 0 0800 0 0 31" 4500001f
expect sll2 linux_cooked_v2_ipv6 "0 0 86dd 0 0 52" 6000
expect ipv6 dlt_ipv6_from_first_byte "0 0 86dd 0 0 56" 6000
expect null-le bsd_null_little_endian_af_inet "0 0 0800 0 0 35" 45000023
expect null-be bsd_null_big_endian_af_inet6_30 "0 0 86dd 0 0 55" 6000
expect loop openbsd_loop_af_inet "0 0 0800 0 0 32" 45000020
# PPPoE sessions and MPLS label stacks between the link header and IP.
expect pppoe ethernet_pppoe_session_ipv4 "0 0 0800 0 0 33" 45000021
expect pppoe:2 ethernet_vlan_10_then_pppoe_session_ipv6 "0 0 86dd 10 0 58" 6000
# A PPP control frame (LCP) is the PPPoE layer itself, not IP.
expect pppoe:3 pppoe_lcp_frame_passed_as_not_ip "0 0 8864 0 0 16" 11000001000ac021
expect mpls ethernet_mpls_two_labels_ipv4 "0 0 0800 0 0 32" 45000020
# A label stack cut before its bottom entry: the frame travels raw, whole.
expect mpls:2 mpls_frame_cut_in_label_stack_passed_raw "1 0 0001 0 0 18" 020000000002020000000001884700010040
expect mpls-pw mpls_pseudowire_control_word_ethernet_vlan_20_ipv6 "0 0 86dd 20 0 55" 6000
# An 802.1BR E-tag and network service headers (service function chains).
expect etag ethernet_etag_then_ipv4 "0 0 0800 0 0 32" 45000020
expect nsh ethernet_nsh_md2_carried_ethernet_vlan_30_ipv6 "0 0 86dd 30 0 60" 6000
expect nsh:2 ethernet_nsh_md1_then_ipv4 "0 0 0800 0 0 36" 45000024
# PPP and Cisco HDLC link types.
expect ppp ppp_address_control_protocol_0021_ipv4 "0 0 0800 0 0 31" 4500001f
expect ppp-pfc ppp_compressed_protocol_field_ipv6 "0 0 86dd 0 0 55" 6000
expect ppp-serial ppp_serial_hdlc_like_framing_ipv6 "0 0 86dd 0 0 58" 6000
expect ppp-serial:2 ppp_serial_cisco_hdlc_framing_ipv4 "0 0 0800 0 0 44" 4500002c
expect ppp-ether ppp_ether_pppoe_header_then_ipv4 "0 0 0800 0 0 37" 45000025
expect chdlc cisco_hdlc_ipv4 "0 0 0800 0 0 33" 45000021
expect chdlc:2 cisco_hdlc_slarp_passed_as_not_ip "0 0 8035 0 0 18" 00000002
# An unsupported link type (DLT_USER0, 147): the raw frame, labelled with its DLT, cut to 64 bytes.
expect user0 unsupported_link_type_passed_raw_with_dlt_and_cut "1 1 0093 0 0 64" 45000071
# A frame too short for its Ethernet header travels raw as well, whole (10 bytes).
expect short frame_shorter_than_link_header_passed_raw "1 0 0001 0 0 10" eeee

"$mkpcap" raw "$TMP/raw.pcap"
check_eq raw_ip_version_nibble_picks_ipv4_then_ipv6 "0800 86dd" \
    "$(fc-read "$TMP/raw.pcap" | packet_entries | awk '{print $4}' | paste -sd ' ')"

"$mkpcap" arp "$TMP/arp.pcap"
check_eq non_ip_ethertypes_pass_with_ethertype_cut_to_64 "0806:0:28 88b5:1:64" \
    "$(fc-read "$TMP/arp.pcap" | packet_entries | awk '{print $4 ":" $3 ":" $9}' | paste -sd ' ')"

e=$(entry ns 1)
check_eq nanosecond_timestamp_floored_to_microseconds 1500000000123456 "$(awk '{print $8}' <<<"$e")"
check_eq wire_length_kept 56 "$(awk '{print $7}' <<<"$e")"

# Real captures: every packet read, whatever the link type and file format.
count_check() {   # NAME FILE
    shared_or_skip "$1" "corpus/ndpi/$2" || return
    local f=$FC_SHARED/corpus/ndpi/$2 want got
    want=$(capinfos -M -c "$f" | awk -F': *' '/Number of packets/ {print $2}')
    got=$(fc-read "$f" | packet_entries | wc -l)
    check_eq "$1" "$want" "$got"
}
count_check corpus_pcap_ethernet_packet_count dns.pcap
count_check corpus_pcapng_ethernet_packet_count dtls_certificate.pcapng
count_check corpus_pcap_raw_ip_packet_count dingtalk.pcap
count_check corpus_pcapng_raw_ip_packet_count hls.pcapng
count_check corpus_pcap_linux_cooked_packet_count KakaoTalk_chat.pcap
count_check corpus_pcapng_linux_cooked_packet_count http2.pcapng
count_check corpus_pcap_bsd_null_packet_count rdp.pcap
count_check corpus_pcapng_bsd_null_packet_count openwire.pcapng
count_check corpus_nanosecond_pcap_ppi_packet_count someip_sd_sample.pcap

# Corpus captures decode to IP as tshark sees it: no packet left as "other link" or not IP
# (PPP and Cisco HDLC link types, PPPoE behind QinQ, MPLS under Cisco HDLC).
for f in rdp.pcap KakaoTalk_chat.pcap dingtalk.pcap dlt_ppp.pcap BGP_Cisco_hdlc_slarp.pcap discord_mid_flow.pcap \
    BGP_redist.pcap; do
    shared_or_skip "corpus_${f%%.*}_all_ip" "corpus/ndpi/$f" || continue
    ip=$(tshark -r "$FC_SHARED/corpus/ndpi/$f" -Y 'ip or ipv6' 2>/dev/null | wc -l)
    got=$(fc-read "$FC_SHARED/corpus/ndpi/$f" | packet_entries | awk '$2 == 0 && ($4 == "0800" || $4 == "86dd")' | wc -l)
    check_eq "corpus_${f%%.*}_ip_packets_as_tshark" "$ip" "$got"
done

# QinQ in real traffic: the outer and inner VLAN ids as tshark reads them.
if shared_or_skip corpus_qinq_vlan_ids corpus/ndpi/discord_mid_flow.pcap; then
    f=$FC_SHARED/corpus/ndpi/discord_mid_flow.pcap
    want=$(tshark -r "$f" -T fields -e vlan.id 2>/dev/null | sed 's/,/ /' | sort | uniq -c | sed 's/^ *//')
    got=$(fc-read "$f" | packet_entries | awk '{print $5 " " $6}' | sort | uniq -c | sed 's/^ *//')
    check_eq corpus_qinq_outer_and_inner_vlan_ids_as_tshark "$want" "$got"
fi
