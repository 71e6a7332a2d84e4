#!/usr/bin/env bash
# Options, sources and targets the product has but FlowCarp cannot do yet are refused
# by name with exit status 2 and no output, never ignored; so is bad usage.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
flowcarp=$FC_ROOT/flowcarp

# check_refused NAME WHAT ARGS...: flowcarp ARGS exits 2, says "WHAT is not supported yet", prints nothing
check_refused() {
    local name=$1 names=$2; shift 2
    run_status "$flowcarp" "$@"
    check_eq "${name}_exit_status_2" 2 "$RC"
    check_contains "${name}_message_names_it" "flowcarp: $names is not supported yet" "$ERR"
    check_eq "${name}_writes_nothing" "" "$OUT"
}

check_refused refuses_realtime   --realtime   --input - --realtime --preview --output -
check_refused refuses_preview    --preview    --input "$demo" --preview
check_refused refuses_flush      --flush      --input "$demo" --flush 10
check_refused refuses_timeout    --timeout    --input "$demo" --timeout 5
check_refused refuses_clearcache --clearcache --clearcache
check_refused refuses_webservice --webservice --webservice http://127.0.0.1:57080/
check_refused refuses_input_tcp         "--input tcp:PORT"            --input tcp:57012 --output -
check_refused refuses_input_tcpconnect  "--input tcpconnect:IP:PORT"  --input tcpconnect:127.0.0.1:57012 --realtime --preview --output -
check_refused refuses_input_tzsp        "--input tzsp:PORT"           --input tzsp:37008 --output -
check_refused refuses_input_uri         "--input URI (http://)"       --input http://127.0.0.1/dump.pcap
check_refused refuses_input_dir_monitor "--input directory:Monitor:PATH" --input directory:Monitor:/tmp/
check_refused refuses_output_tcp        "--output tcp:[IP:]PORT"      --input "$demo" --output tcp:57013
check_refused refuses_output_tcpconnect "--output tcpconnect:IP:PORT" --input "$demo" --output tcpconnect:127.0.0.1:57013

# bad usage: exit 2 and a message saying what is wrong
while IFS='|' read -r name needle args; do
    # shellcheck disable=SC2086  # args are plain words
    run_status "$flowcarp" $args
    check_eq "${name}_exit_status_2" 2 "$RC"
    check_contains "${name}_says_why" "$needle" "$ERR"
done <<'LINES'
rejects_unknown_option|flowcarp: unknown option --bogus|--input x.pcap --bogus
rejects_missing_input|flowcarp: no input|--output -
rejects_bare_argument|flowcarp: unexpected argument 'dump.pcap'|dump.pcap
rejects_input_without_value|flowcarp: --input needs a value|--input
rejects_two_outputs|flowcarp: --output given twice|--input x.pcap --output - --output y.csv
rejects_unknown_directory_mode|expected directory:Once:PATH or directory:OnceRecursive:PATH|--input directory:Sometimes:/tmp
rejects_value_on_flag|flowcarp: --verbose takes no value|--input x.pcap --verbose=yes
LINES
