#!/usr/bin/env bash
# corpus/services/jsonrpc.sh OUTDIR: JSON-RPC 2.0 over raw TCP (class JSON-RPC) between three
# independent implementations, in two network namespaces (drivers in jsonrpc/):
#   - aiorpcx (Debian's python3-aiorpcx, the library of Electrum servers): one request or
#     batch per line; sessions are one-shot, chatty, batched, or subscriptions the server
#     feeds with notifications (port 50001, Electrum's);
#   - a language server: Debian's pylsp --tcp driven by python3-pylsp-jsonrpc's Endpoint
#     (Content-Length framing; an editor opening a standard-library file, asking hover,
#     completion, symbols..., editing; port 2087);
#   - the npm package json-rpc2 (raw socket server and client, JSON texts back to back,
#     its `auth` call first; one-shot, chatty and pipelined sessions; port 7070), installed
#     with npm into FC_TOOLS (default $FC_CAPTURES/../.tools, outside the repository).
# JSON-RPC carried by HTTP is HTTP (the HTTP model's), and Stratum, JSON-RPC of miners, is
# its own class: neither is made here.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/JSON-RPC/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
drivers=$SVC_LIB/jsonrpc
tools=${FC_TOOLS:-$(dirname "${FC_CAPTURES:-/work/captures}")/.tools}/jsonrpc
if [ ! -d "$tools/node_modules/json-rpc2" ]; then
    mkdir -p "$tools" && (cd "$tools" && npm install --silent --no-audit --no-fund json-rpc2@1.0.2) ||
        { echo "jsonrpc.sh: npm could not install json-rpc2 into $tools" >&2; exit 3; }
fi
[ -x /usr/bin/pylsp ] || { echo "jsonrpc.sh: /usr/bin/pylsp missing (apt-get install python3-pylsp)" >&2; exit 3; }
$SVC_PYTHON -c 'import aiorpcx, pylsp_jsonrpc' 2>/dev/null ||
    { echo "jsonrpc.sh: needs python3-aiorpcx and python3-pylsp-jsonrpc" >&2; exit 3; }
svc_begin "$@"
AIO=50001 LSP=2087 NODE=7070
dir=$(svc_class_dir JSON-RPC)
pcap=$dir/jsonrpc-$FC_BATCH.pcap
node_env=(env NODE_PATH="$tools/node_modules")

bg_srv $SVC_PYTHON "$drivers/aiorpcx_server.py" "$NETNS_SRV_IP" $AIO "$FC_SEED" 2>>"$SVC_WORK/aiorpcx.log"
# HOME for jedi's cache; one language server session at a time, as pylsp --tcp serves them
bg_srv env HOME="$SVC_WORK" /usr/bin/pylsp --tcp --host "$NETNS_SRV_IP" --port $LSP 2>>"$SVC_WORK/pylsp.log"
bg_srv "${node_env[@]}" node "$drivers/jsonrpc2_server.js" "$NETNS_SRV_IP" $NODE "$FC_SEED" 2>>"$SVC_WORK/node.log"
for p in $AIO $LSP $NODE; do wait_tcp_port $p || exit 1; done
capture_start "$pcap" "tcp port $AIO or tcp port $LSP or tcp port $NODE"

sessions=40
for s in $(seq $sessions); do
    seed=$((FC_SEED * 100 + s))
    case $(svc_rand 1 20) in
    [1-9])   in_cli timeout 40 $SVC_PYTHON "$drivers/aiorpcx_client.py" "$NETNS_SRV_IP" $AIO $seed \
                 "$(svc_pick oneshot oneshot chatty batch batch subscribe)" ;;
    1[0-4])  in_cli env HOME="$SVC_WORK" timeout 60 $SVC_PYTHON "$drivers/lsp_client.py" "$NETNS_SRV_IP" $LSP $seed \
                 "$(svc_pick glance edit edit)" ;;
    *)       in_cli "${node_env[@]}" timeout 40 node "$drivers/jsonrpc2_client.js" "$NETNS_SRV_IP" $NODE $seed \
                 "$(svc_pick oneshot chatty burst)" ;;
    esac >/dev/null 2>>"$SVC_WORK/clients.log" || netns_say "session $s failed: $(tail -1 "$SVC_WORK/clients.log")"
    svc_think
done
capture_stop
svc_end JSON-RPC "$pcap" $sessions
