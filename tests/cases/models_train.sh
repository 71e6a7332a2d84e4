#!/usr/bin/env bash
# models/train (make models) on a machine with the generated captures of one class only:
# that class's model is made again from them, every other model made from generated
# captures is kept as committed (file, sources.tsv rows, README row marked so), and the
# models of the shared corpus alone come out byte for byte as committed.
source "$(dirname "$0")/../lib.sh"

shared_or_skip models_train_partial_captures corpus/labels.tsv || exit 0
out=$TMP/models
cp -r "$FC_ROOT/models" "$out"
caps=$TMP/captures/services/Syslog
mkdir -p "$caps/b1" "$caps/b2"
cp "$FC_DATA/services/syslog.pcap" "$caps/b1/syslog.pcap"   # 10 sessions a capture; a model
cp "$FC_DATA/services/syslog.pcap" "$caps/b2/syslog.pcap"   # needs 10 from 2 captures
python3 "$FC_ROOT/models/train" --bin "$FC_BIN" --corpus "$FC_SHARED/corpus" --captures "$TMP/captures" \
    --out "$out" > "$TMP/train.out" 2> "$TMP/train.err"
check_eq models_train_partial_captures_succeeds 0 $?

committed=$(cd "$FC_ROOT/models" && find . -name '*.fcp' | sort)
check_eq models_train_keeps_every_model_file "$committed" "$(cd "$out" && find . -name '*.fcp' | sort)"
changed=$(cd "$FC_ROOT/models" && for f in $committed; do cmp -s "$f" "$out/$f" || echo "$f"; done)
check_eq models_train_remakes_only_the_class_with_captures "./syslog.fcp" "$changed"
check_eq models_train_remade_model_has_the_captures_sessions 20 \
    "$(fc-classify --no-builtin --model "$out/syslog.fcp" --list-models | cut -f3)"
check_eq models_train_sources_name_the_new_captures \
    "$(printf 'Syslog\tcaptures:services/Syslog/b1/syslog.pcap\t10\nSyslog\tcaptures:services/Syslog/b2/syslog.pcap\t10')" \
    "$(grep -P '^Syslog\t' "$out/sources.tsv")"
check_eq models_train_keeps_other_sources_rows "$(grep -vP '^Syslog\t' "$FC_ROOT/models/sources.tsv")" \
    "$(grep -vP '^Syslog\t' "$out/sources.tsv")"
check_contains models_train_says_which_it_kept "kept as committed: BGP, BitTorrent" "$(cat "$TMP/train.err")"
check_contains models_train_readme_marks_a_kept_model "| Iodine | MALICIOUS | 114 | 3 | UDP 114 | generated 114 (b1 b2 b3) (kept as committed) |" \
    "$(cat "$out/README.md")"
check_contains models_train_readme_row_of_the_remade_model "| Syslog | - | 20 | 2 | UDP 20 | generated 20 (b1 b2) | syslog.fcp |" \
    "$(cat "$out/README.md")"
