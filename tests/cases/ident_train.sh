#!/usr/bin/env bash
# fc-train: builds a model from the sessions piped in (with or without fc-feat), refuses
# fewer than 10 sessions, warns below 100, normalizes tags, merges models; and the model
# loader refuses damaged files with a message naming the file.
source "$(dirname "$0")/../lib.sh"

run_status bash -c "fc-read -f udp '$FC_DATA/demo.pcap' | fc-flow | fc-train -n Few -o '$TMP/few.fcp'"
check_eq train_refuses_fewer_than_10_sessions_status 1 "$RC"
check_contains train_refusal_shows_the_count 'only 4 sessions with payload in the input; a model needs at least 10' "$ERR"
[ -e "$TMP/few.fcp" ] && fail train_refusal_writes_no_file "$TMP/few.fcp exists" || pass train_refusal_writes_no_file

run_status fc-train -o "$TMP/x.fcp" </dev/null
check_eq train_needs_a_name 2 "$RC"
run_status fc-train -n unknown -o "$TMP/x.fcp" </dev/null
check_contains train_refuses_name_unknown "cannot name a protocol" "$ERR"

if shared_or_skip train_dns_model corpus/ndpi/alexa-app.pcapng; then
    cap=$FC_SHARED/corpus/ndpi/alexa-app.pcapng
    run_status bash -c "fc-read -f 'udp port 53' '$cap' | fc-flow | fc-feat | fc-train -n DNS -t 'infra,Test,infra' -o '$TMP/dns.fcp'"
    check_eq train_dns_status 0 "$RC"
    check_contains train_warns_below_100_sessions "model 'DNS' is made from only" "$ERR"
    list=$(fc-classify --no-builtin --model "$TMP/dns.fcp" --list-models)
    n=$(cut -f3 <<<"$list")
    if [ "${n:-0}" -ge 10 ] && [ "$n" -lt 100 ]; then pass train_dns_session_count; else fail train_dns_session_count "got [$n]"; fi
    check_eq train_tags_upper_sorted_unique "DNS|INFRA,TEST|17:$n" "$(cut -f1,2,4 <<<"$list" | tr '\t' '|')"

    fc-read -f 'udp port 53' "$cap" | fc-flow | fc-train -n DNS -t infra,test -o "$TMP/dns2.fcp" 2>/dev/null
    if cmp -s "$TMP/dns.fcp" "$TMP/dns2.fcp"; then pass train_same_model_without_fc_feat
    else fail train_same_model_without_fc_feat "models differ"; fi

    fc-train --merge -o "$TMP/dns3.fcp" "$TMP/dns.fcp" "$TMP/dns2.fcp" 2>/dev/null
    check_eq train_merge_adds_sessions "$((n * 2))" \
        "$(fc-classify --no-builtin --model "$TMP/dns3.fcp" --list-models | cut -f3)"
    fc-read -f 'udp port 53' "$cap" | fc-flow | fc-train -n Other -o "$TMP/other.fcp" 2>/dev/null
    run_status fc-train --merge -o "$TMP/bad.fcp" "$TMP/dns.fcp" "$TMP/other.fcp"
    check_contains train_merge_refuses_other_names "the names differ" "$ERR"

    # hostile model files
    head -c 100 "$TMP/dns.fcp" > "$TMP/cut.fcp"
    run_status fc-classify --no-builtin --model "$TMP/cut.fcp" --list-models
    check_eq loader_truncated_status 1 "$RC"
    check_eq loader_truncated_message "fc-classify: $TMP/cut.fcp: truncated (the model ends inside its data)" "$ERR"
    head -c 3000 /dev/urandom > "$TMP/random.fcp"
    run_status fc-classify --no-builtin --model "$TMP/random.fcp" --list-models
    check_contains loader_random_bytes_refused "fc-classify: $TMP/random.fcp: " "$ERR"
    check_eq loader_random_bytes_status 1 "$RC"
    run_status fc-classify --no-builtin --model "$FC_DATA/demo.pcap" --list-models
    check_contains loader_pcap_refused "demo.pcap: not a FlowCarp model" "$ERR"
fi

# A target that is not a regular file (a FIFO here; /dev/null alike) is written into, not
# replaced: the model is renamed into place only over a regular file.
mkfifo "$TMP/model.fifo"
timeout 20 cat "$TMP/model.fifo" > "$TMP/from-fifo.fcp" &   # no hang if the FIFO is replaced
reader=$!
fc-read "$FC_DATA/ident_web.pcap" | fc-flow | fc-train -n Piped -o "$TMP/model.fifo" 2>/dev/null
wait "$reader"
check_eq train_into_fifo_keeps_the_fifo fifo "$( [ -p "$TMP/model.fifo" ] && echo fifo || echo replaced)"
check_contains train_into_fifo_model_arrives "Piped" \
    "$(fc-classify --no-builtin --model "$TMP/from-fifo.fcp" --list-models 2>&1)"
