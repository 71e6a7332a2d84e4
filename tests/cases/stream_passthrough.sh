#!/usr/bin/env bash
# Records of kinds a stage does not handle pass through it byte for byte, and each stage
# appends its command line to the header's stages.
source "$(dirname "$0")/../lib.sh"

# {"magic":"FlowCarp","version":[1,7],"producer":"test","stages":["test"]}
hdr='\x84\xa5magic\xa8FlowCarp\xa7version\x92\x01\x07\xa8producer\xa4test\xa6stages\x91\xa4test'
# {"k":99,"zz":{"a":[1,-2,"x"]}}  -- a kind from the future with nested content
rec='\x82\xa1k\x63\xa2zz\x81\xa1a\x93\x01\xfe\xa1x'
printf "$hdr$rec" > "$TMP/future.fcr"

fc-flow < "$TMP/future.fcr" > "$TMP/after_flow.fcr"; rc=$?
check_eq fc_flow_accepts_newer_minor_version 0 "$rc"
hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }
printf "$rec" > "$TMP/rec.bin"
if [[ "$(hex "$TMP/after_flow.fcr")" == *"$(hex "$TMP/rec.bin")"* ]]; then
    pass fc_flow_passes_unknown_kind_byte_for_byte
else
    fail fc_flow_passes_unknown_kind_byte_for_byte "the unknown record's bytes are not in fc-flow's output"
fi

json=$(fc-emit --format Json < "$TMP/after_flow.fcr")
first=$(sed -n 1p <<<"$json")
check_contains header_keeps_minor_version '"version":[1,7]' "$first"
check_contains header_appends_stage '"stages":["test","fc-flow"]' "$first"
check_contains json_view_shows_unknown_kind '{"k":99,"zz":{"a":[1,-2,"x"]}}' "$json"

csv=$(fc-emit --format CSV < "$TMP/after_flow.fcr")
check_eq csv_ignores_unknown_kind 1 "$(printf '%s\n' "$csv" | wc -l)"
