#!/usr/bin/env bash
# fc-read | fc-flow | fc-emit on small real captures gives exactly the reviewed golden
# outputs in tests/data/emit_golden (CSV, TSV, ZeekConn, EveJsonFlow), with TZ=UTC;
# regenerate them with tests/update-goldens and review the diff.
source "$(dirname "$0")/../lib.sh"

dir=$FC_DATA/emit_golden
declare -A ext=([CSV]=csv [TSV]=tsv [ZeekConn]=zeekconn [EveJsonFlow]=eveflow)
while read -r name path; do
    case $name in ''|'#'*) continue ;; esac
    shared_or_skip "golden_$name" "$path" || continue
    fc-read "$FC_SHARED/$path" 2> "$TMP/$name.err" | fc-flow > "$TMP/$name.fcr" 2>> "$TMP/$name.err"
    for fmt in CSV TSV ZeekConn EveJsonFlow; do
        TZ=UTC fc-emit --format "$fmt" < "$TMP/$name.fcr" > "$TMP/$name.${ext[$fmt]}"
        check_files_eq "golden_${name}_${ext[$fmt]}" "$dir/$name.${ext[$fmt]}" "$TMP/$name.${ext[$fmt]}"
    done
done < "$dir/captures"

# Output does not depend on the local time zone (times are UTC via gmtime_r).
path=vectors/community-id/pcaps/tcp.pcap
if shared_or_skip csv_ignores_tz "$path"; then
    fc-read "$FC_SHARED/$path" | fc-flow > "$TMP/tz.fcr"
    check_eq csv_ignores_tz "$(TZ=UTC fc-emit < "$TMP/tz.fcr")" "$(TZ=Asia/Kolkata fc-emit < "$TMP/tz.fcr")"
    # The Community ID seed changes the id to the seed-1 baseline value of this flow.
    check_contains community_id_seed_1_matches_baseline ',1:3V71V58M3Ksw/yuFALMcW0LAHvc=,' \
        "$(fc-emit --community-id-seed 1 < "$TMP/tz.fcr")"
fi
