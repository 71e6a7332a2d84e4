#!/usr/bin/env bash
# Payload trimming: a flow's first --sample-full-packets payload packets travel whole, the
# next ones up to --sample-packets with --sample-bytes of payload, later ones as headers
# only (flag "cut"); retransmissions are not counted; --all-bytes sends everything whole;
# trimming never changes which packets are sent.
source "$(dirname "$0")/../lib.sh"

# tcpflow: SYN, SYN-ACK, ACK, 30 client segments of 300 payload bytes with a copy of the
# third right after it, FIN, ACK. IPv4 + TCP headers: 40 bytes; whole segment: 340.
"$FC_TESTBIN/mkpcap" tcpflow "$TMP/flow.pcap"
# sizes: "flags:data_len" of each entry, run-length encoded as "count*flags:len"
sizes() { packet_entries | awk '{print $3 ":" $9}' | uniq -c | awk '{print $1 "*" $2}' | paste -sd ' '; }

check_eq default_sample_5_whole_15_with_128_bytes_then_headers \
    "3*0:40 6*0:340 15*1:168 10*1:40 2*0:40" "$(fc-read "$TMP/flow.pcap" | sizes)"
check_eq sample_options_change_the_cut "3*0:40 2*0:340 3*1:50 26*1:40 2*0:40" \
    "$(fc-read --sample-packets 4 --sample-full-packets 2 --sample-bytes 10 "$TMP/flow.pcap" | sizes)"
check_eq sample_options_written_to_header "4 2 10" \
    "$(fc-read --sample-packets 4 --sample-full-packets 2 --sample-bytes 10 "$TMP/flow.pcap" |
       fc-emit --format Json | head -1 | jq -r '"\(.sample.packets) \(.sample.full_packets) \(.sample.bytes)"')"
check_eq all_bytes_sends_every_packet_whole "3*0:40 31*0:340 2*0:40" "$(fc-read --all-bytes "$TMP/flow.pcap" | sizes)"
check_eq all_bytes_header_sample_zero "0 0 0" \
    "$(fc-read --all-bytes "$TMP/flow.pcap" | fc-emit --format Json | head -1 |
       jq -r '"\(.sample.packets) \(.sample.full_packets) \(.sample.bytes)"')"
check_eq cut_packets_keep_wire_length "31*354" \
    "$(fc-read "$TMP/flow.pcap" | packet_entries | awk '$9 > 40 || $3 == 1 {print $7}' | uniq -c | awk '{print $1 "*" $2}')"

# Two sources are two separate flows for the sample: the second file starts over.
check_eq each_source_starts_its_own_sample "3*0:40 6*0:340 15*1:168 10*1:40 5*0:40 6*0:340 15*1:168 10*1:40 2*0:40" \
    "$(fc-read "$TMP/flow.pcap" "$TMP/flow.pcap" | sizes)"

# Real traffic: the same packets with and without trimming, and the cut ones keep their
# headers (the bytes up to the payload are identical).
for f in dns.pcap KakaoTalk_chat.pcap tls_heur__vmess-websocket.pcapng; do
    shared_or_skip "trim_$f" "corpus/ndpi/$f" || continue
    fc-read --all-bytes "$FC_SHARED/corpus/ndpi/$f" | packet_entries > "$TMP/all"
    fc-read "$FC_SHARED/corpus/ndpi/$f" | packet_entries > "$TMP/cut"
    check_eq "trim_${f%%.*}_sends_the_same_packets" "$(awk '{print $1,$2,$4,$5,$6,$7,$8}' "$TMP/all" | md5sum)" \
        "$(awk '{print $1,$2,$4,$5,$6,$7,$8}' "$TMP/cut" | md5sum)"
    bad=$(paste -d ' ' "$TMP/all" "$TMP/cut" | awk '{ n = length($20); if (substr($10, 1, n) != $20) print NR }' | head -3)
    check_eq "trim_${f%%.*}_cut_data_is_a_prefix_of_the_packet" "" "$bad"
done
if shared_or_skip trim_reduces_bulk corpus/ndpi/tls_heur__vmess-websocket.pcapng; then
    f=$FC_SHARED/corpus/ndpi/tls_heur__vmess-websocket.pcapng
    all=$(fc-read --all-bytes "$f" | wc -c); cut=$(fc-read "$f" | wc -c)
    if [ "$cut" -lt "$all" ]; then pass trim_reduces_the_stream_of_a_bulk_capture
    else fail trim_reduces_the_stream_of_a_bulk_capture "trimmed $cut bytes, untrimmed $all"; fi
fi
