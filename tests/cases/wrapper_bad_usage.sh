#!/usr/bin/env bash
# Bad usage is refused, never ignored: exit status 2 and a message saying what is wrong.
source "$(dirname "$0")/../lib.sh"

flowcarp=$FC_ROOT/flowcarp

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
rejects_unknown_directory_mode|expected directory:Once:PATH, directory:OnceRecursive:PATH or directory:Monitor:PATH|--input directory:Sometimes:/tmp
rejects_unknown_uri_scheme|only http:// and https:// URIs can be read|--input ftp://127.0.0.1/dump.pcap
rejects_flush_not_seconds|flowcarp: --flush needs a whole number of seconds, not 'soon'|--input x.pcap --flush soon
rejects_timeout_not_seconds|flowcarp: --timeout needs a whole number of seconds, not '-1'|--input x.pcap --timeout=-1
rejects_timeout_above_a_year|flowcarp: --timeout 999999999: at most 31536000 seconds|--input x.pcap --timeout 999999999
rejects_preview_with_model_output|--preview has no meaning with --output model:|--input x.pcap --preview --output model:P::p.fcp
rejects_value_on_flag|flowcarp: --verbose takes no value|--input x.pcap --verbose=yes
rejects_value_on_clearcache|flowcarp: --clearcache takes no value|--clearcache=yes
LINES
