#!/usr/bin/env bash
# fc-feat: one feature vector record (kind 4) per payload sample, written just before the
# sample, carrying the sample's flow fields, the meter set and one sparse bin list per meter;
# every other record passes through untouched.
source "$(dirname "$0")/../lib.sh"

json_of() { fc-read "$1" | fc-flow | fc-feat "${@:2}" | fc-emit --format Json; }
ids_of_kind() { grep "^{\"k\":$1," | sed -E 's/^\{"k":[0-9]+,"id":([0-9]+),.*/\1/' | tr '\n' ' '; }

check_capture() {   # NAME FILE
    local name=$1 file=$2
    local with without
    with=$(json_of "$file")
    without=$(fc-read "$file" | fc-flow | fc-emit --format Json)
    local samples vectors
    samples=$(ids_of_kind 3 <<<"$with")
    vectors=$(ids_of_kind 4 <<<"$with")
    if [ -n "$samples" ]; then pass "${name}_has_samples"; else fail "${name}_has_samples" "no sample records"; fi
    check_eq "${name}_one_vector_per_sample_same_ids" "$samples" "$vectors"
    # each vector is immediately followed by its sample
    local pairs
    pairs=$(grep -E '^\{"k":[34],' <<<"$with" | sed -E 's/^\{"k":([0-9]+),"id":([0-9]+),.*/\1 \2/' |
            awk 'NR % 2 == 1 { k = $1; id = $2; next } { if (k != 4 || $1 != 3 || $2 != id) bad++ } END { print bad + 0 }')
    check_eq "${name}_vector_comes_just_before_its_sample" 0 "$pairs"
    check_eq "${name}_vectors_name_meter_set" "$(grep -c '^{"k":4,' <<<"$with")" \
        "$(grep '^{"k":4,' <<<"$with" | grep -c '"meter_set":"spid-default","meter_set_version":1,"bins":\[')"
    local bad_count
    bad_count=$(grep '^{"k":4,' <<<"$with" | jq -c '.bins | length' | grep -vc '^15$')
    check_eq "${name}_every_vector_has_15_meters" 0 "$bad_count"
    # everything but vectors, fc-feat's stats and the header is unchanged
    check_eq "${name}_other_records_pass_through" \
        "$(sed 1d <<<"$without" | md5sum)" \
        "$(sed 1d <<<"$with" | grep -v '^{"k":4,' | grep -v '"stage":"fc-feat"' | md5sum)"
}

check_capture demo "$FC_DATA/demo.pcap"
if shared_or_skip nntp_capture corpus/ndpi/nntp.pcap; then
    check_capture nntp "$FC_SHARED/corpus/ndpi/nntp.pcap"
fi
if shared_or_skip quic_capture corpus/ndpi/quic-23.pcap; then
    check_capture quic "$FC_SHARED/corpus/ndpi/quic-23.pcap"
fi

# Real bins: demo.pcap flow 1 is an HTTP GET of 79 payload bytes answered by one 3239-byte
# segment; DirectionPacketLengthDistribution (meter 6) is floor(79^(ln128/ln1500)) = 18 for
# the client and 128 + 127 for the server.
first=$(json_of "$FC_DATA/demo.pcap" | grep '^{"k":4,"id":1,')
check_eq http_get_length_bins '{"$bin":"120100ff0100"}' "$(jq -c '.bins[6]' <<<"$first")"
# ByteFrequencyOfFirstPacketBytes (meter 3): "GET / HTTP/1" and "HTTP/1.1 200" -> '/' 3 times, 'T' 5 times
check_contains http_get_first_bytes_count_slashes '2f0300' "$(jq -r '.bins[3]["$bin"]' <<<"$first")"
check_contains http_get_first_bytes_count_letter_t '540500' "$(jq -r '.bins[3]["$bin"]' <<<"$first")"

a=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-feat | md5sum)
b=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-feat | md5sum)
check_eq vectors_are_deterministic "$a" "$b"

dropped=$(json_of "$FC_DATA/demo.pcap" --drop-samples)
check_eq drop_samples_removes_samples 0 "$(grep -c '^{"k":3,' <<<"$dropped")"
check_eq drop_samples_keeps_vectors "$(json_of "$FC_DATA/demo.pcap" | grep -c '^{"k":4,')" \
    "$(grep -c '^{"k":4,' <<<"$dropped")"

# A malformed sample: reported with its offset, passed on unchanged, exit status 1.
hdr='\x83\xa5magic\xa8FlowCarp\xa7version\x92\x01\x00\xa6stages\x91\xa4test'
bad='\x84\xa1k\x03\xa2id\x01\xa5proto\x06\xa3obs\x05'   # {"k":3,"id":1,"proto":6,"obs":5}
printf "$hdr$bad" > "$TMP/bad.fcr"
run_status bash -c "fc-feat < '$TMP/bad.fcr' | fc-emit --format Json"
check_contains malformed_sample_is_reported 'fc-feat: stdin: offset' "$ERR"
check_contains malformed_sample_says_what 'no obs array' "$ERR"
check_contains malformed_sample_passed_on '{"k":3,"id":1,"proto":6,"obs":5}' "$OUT"
fc-feat < "$TMP/bad.fcr" > /dev/null 2>&1
check_eq malformed_sample_exit_status 1 "$?"

list=$(fc-feat --list-meters)
check_eq list_meters_names_set_and_15_meters "spid-default 1|16" "$(head -1 <<<"$list")|$(wc -l <<<"$list")"
