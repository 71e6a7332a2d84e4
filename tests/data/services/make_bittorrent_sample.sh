#!/usr/bin/env bash
# tests/data/services/make_bittorrent_sample.sh (as root): remakes bittorrent.pcap here,
# the held-out BitTorrent sample of tests/cases/threat_samples.sh: corpus/services/
# bittorrent.sh run once as batch "t" (its own seed, FC_SESSIONS sessions, default 6; never
# training data), then each TCP connection cut to its first KEEP packets (default 30): the
# classifier reads a flow's first 20 payload packets only, and whole sessions (up to
# megabytes of pieces) would not be a small test capture (tests/data/README.md).
set -u
cd "$(dirname "$0")/../../.." || exit 3
scratch=$(mktemp -d /tmp/fc-bt-sample.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT
FC_BATCH=t FC_SEED=424242 FC_SESSIONS=${FC_SESSIONS:-6} bash corpus/services/bittorrent.sh "$scratch" || exit 1
python3 tests/data/services/cut_flows.py "$scratch"/BitTorrent/t/*.pcap tests/data/services/bittorrent.pcap \
    --first-packets "${KEEP:-30}"
