#!/usr/bin/env bash
# -f/--filter: a BPF expression compiled by libpcap keeps exactly the packets tcpdump keeps;
# a bad expression is a usage error with libpcap's message, before any output.
source "$(dirname "$0")/../lib.sh"

filter_check() {   # NAME FILE EXPR
    shared_or_skip "$1" "corpus/ndpi/$2" || return
    local f=$FC_SHARED/corpus/ndpi/$2 all want got
    all=$(fc-read "$f" | packet_entries | wc -l)
    want=$(tcpdump -nr "$f" "$3" 2>/dev/null | wc -l)
    got=$(fc-read -f "$3" "$f" | packet_entries | wc -l)
    if [ "$want" -ge "$all" ] || [ "$want" -eq 0 ]; then
        fail "$1" "filter '$3' should keep some but not all of $all packets (tcpdump keeps $want)"
    else
        check_eq "$1" "$want" "$got"
    fi
}
filter_check filter_udp_keeps_what_tcpdump_keeps dns.pcap 'udp'
filter_check filter_tcp_port_on_linux_cooked KakaoTalk_chat.pcap 'tcp port 443'
filter_check filter_tcp_flags_on_pcapng_linux_cooked tls_heur__vmess-websocket.pcapng 'tcp[tcpflags] & tcp-push != 0'
filter_check filter_on_bsd_null_link rdp.pcap 'src port 3389'

if shared_or_skip filter_long_option corpus/ndpi/dns.pcap; then
    check_eq filter_long_option_same_as_short \
        "$(fc-read -f udp "$FC_SHARED/corpus/ndpi/dns.pcap" | packet_entries | md5sum)" \
        "$(fc-read --filter udp "$FC_SHARED/corpus/ndpi/dns.pcap" | packet_entries | md5sum)"
fi

"$FC_TESTBIN/mkpcap" ether "$TMP/a.pcap"
run_status_to "$TMP/out.fcr" fc-read -f 'tcp and' "$TMP/a.pcap"
check_eq bad_filter_is_usage_error 2 "$RC"
check_contains bad_filter_shows_libpcap_message "bad filter expression 'tcp and': can't parse filter expression: syntax error" "$ERR"
check_eq bad_filter_writes_nothing 0 "$(wc -c < "$TMP/out.fcr")"
