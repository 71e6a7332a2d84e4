#!/usr/bin/env bash
# models/train (make models) on a machine with the generated captures of one class only:
# that class's model is made again from them, every other model made from generated
# captures is kept as committed (file, sources.tsv rows, README row marked so), and the
# models of the shared corpus alone come out byte for byte as committed. A class with only
# some of its batches here (a batch that failed), or too few sessions in them, keeps its
# committed model, and a class folder no corpus/*/*.tsv lists (a generator tried and not
# kept) is left out.
source "$(dirname "$0")/../lib.sh"

shared_or_skip models_train_partial_captures corpus/labels.tsv || exit 0
out=$TMP/models
cp -r "$FC_ROOT/models" "$out"
mv "$out/optional/obfs4.fcp" "$out/obfs4.fcp"   # as if obfs4 had just been made optional: kept, moved there
caps=$TMP/captures/services
for b in b1 b2 b3; do   # 10 sessions a capture; a model needs 10 from 2 captures
    mkdir -p "$caps/Syslog/$b"
    cp "$FC_DATA/services/syslog.pcap" "$caps/Syslog/$b/syslog.pcap"
done
mkdir -p "$caps/BGP/b1" "$caps/NotAClass/b1" "$caps/NotAClass/b2"
cp "$FC_DATA/services/bgp.pcap" "$caps/BGP/b1/bgp.pcap"   # BGP was made from b1, b2 and b3
cp "$FC_DATA/services/syslog.pcap" "$caps/NotAClass/b1/x.pcap"   # enough for a model, were it a class
cp "$FC_DATA/services/syslog.pcap" "$caps/NotAClass/b2/x.pcap"
for b in b1 b2 b3; do   # every batch Iodine was made from, but too few sessions for a model
    mkdir -p "$TMP/captures/threats/Iodine/$b"
    cp "$FC_DATA/threats/iodine.pcap" "$TMP/captures/threats/Iodine/$b/iodine.pcap"
done
python3 "$FC_ROOT/models/train" --bin "$FC_BIN" --corpus "$FC_SHARED/corpus" --captures "$TMP/captures" \
    --out "$out" > "$TMP/train.out" 2> "$TMP/train.err"
check_eq models_train_partial_captures_succeeds 0 $?

committed=$(cd "$FC_ROOT/models" && find . -name '*.fcp' | sort)
check_eq models_train_keeps_every_model_file "$committed" "$(cd "$out" && find . -name '*.fcp' | sort)"
changed=$(cd "$FC_ROOT/models" && for f in $committed; do cmp -s "$f" "$out/$f" || echo "$f"; done)
check_eq models_train_remakes_only_the_class_with_captures "./syslog.fcp" "$changed"
check_eq models_train_remade_model_has_the_captures_sessions 30 \
    "$(fc-classify --no-builtin --model "$out/syslog.fcp" --list-models | cut -f3)"
check_eq models_train_sources_name_the_new_captures \
    "$(printf 'Syslog\tcaptures:services/Syslog/b%s/syslog.pcap\t10\n' 1 2 3)" \
    "$(grep -P '^Syslog\t' "$out/sources.tsv")"
check_eq models_train_keeps_other_sources_rows "$(grep -vP '^Syslog\t' "$FC_ROOT/models/sources.tsv")" \
    "$(grep -vP '^Syslog\t' "$out/sources.tsv")"
check_contains models_train_says_which_it_kept "kept as committed: BGP, BitTorrent" "$(cat "$TMP/train.err")"
iodine=$(grep '^| Iodine |' "$FC_ROOT/models/README.md")   # its committed row, marked
check_contains models_train_readme_marks_a_kept_model "${iodine% | iodine.fcp |} (kept as committed) | iodine.fcp |" \
    "$(cat "$out/README.md")"
check_contains models_train_readme_row_of_the_remade_model "| Syslog | - | 30 | 3 | UDP 30 | generated 30 (b1 b2 b3) | syslog.fcp |" \
    "$(cat "$out/README.md")"
check_contains models_train_keeps_a_model_missing_batches "BGP: no captures here of services/BGP/b2, services/BGP/b3" \
    "$(cat "$TMP/train.err")"
check_contains models_train_leaves_out_unlisted_classes "services/NotAClass: not a class of corpus/services/*.tsv, left out" \
    "$(cat "$TMP/train.err")"
check_eq models_train_no_model_of_an_unlisted_class "" "$(grep -P '^NotAClass\t' "$out/sources.tsv")"
check_contains models_train_keeps_a_model_with_too_few_sessions "Iodine: 9 flows from 3 captures here, too few to make it again" \
    "$(cat "$TMP/train.err")"
