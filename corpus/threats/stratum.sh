#!/usr/bin/env bash
# corpus/threats/stratum.sh OUTDIR: Stratum (mining pool JSON-RPC over TCP) sessions
# -> OUTDIR/Stratum/FC_BATCH/
#
# No Stratum miner or pool is packaged in Debian; npm has both ends of the protocol: the
# pool is the `stratum` package's Server (a small pool script below hands out jobs with
# mining.set_difficulty and mining.notify and answers mining.submit), the miner is the
# `stratum-client` package (mining.subscribe, mining.authorize, mining.submit). The miner
# does no hashing: it submits made-up shares at the pace of a small rig. Both are
# installed with npm into FC_TOOLS (default $FC_CAPTURES/../.tools, outside the repo).
# Pool port, job interval, difficulty, worker name, share rate and session length vary
# with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init Stratum "${1:-}" 36
W=$ACCESS_WORK
tools=${FC_TOOLS:-$(dirname "${FC_CAPTURES:-/work/captures}")/.tools}/stratum
if [ ! -d "$tools/node_modules/stratum-client" ] || [ ! -d "$tools/node_modules/stratum" ]; then
    mkdir -p "$tools" && (cd "$tools" && npm install --silent --no-audit --no-fund stratum@0.2.4 stratum-client@1.1.0) ||
        { netns_say "npm could not install stratum and stratum-client into $tools"; exit 3; }
fi
PORTS=(3333 4444 5555 7777)

cat > "$W/pool.js" <<'JS'
// A pool: one job every FC_JOB_MS milliseconds to each authorized miner, shares accepted
// nine times in ten. Arguments: port, seed.
const stratum = require('stratum');
const port = +process.argv[2];
let seed = +process.argv[3];
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const hex = (n) => { let s = ''; while (s.length < n) s += Math.floor(rand() * 16).toString(16); return s; };
const server = stratum.Server.$create({ settings: { port: port, host: process.argv[4] } });
let job = Math.floor(rand() * 4096);
function notify(socket) {
    job++;
    const branches = [];
    for (let b = Math.floor(rand() * 12); b > 0; b--) branches.push(hex(64));
    return socket.notify([job.toString(16), hex(64),
        '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff' + hex(40 + 2 * Math.floor(rand() * 20)),
        hex(60) + '1976a914' + hex(40) + '88ac00000000', branches,
        '20000000', '1a0' + hex(5), Math.floor(Date.now() / 1000).toString(16), rand() < 0.2]);
}
server.on('mining', function (req, deferred, socket) {
    switch (req.method) {
    case 'subscribe':
        deferred.resolve([hex(32), hex(32), hex(8), 4]);
        break;
    case 'authorize':
        deferred.resolve([true]);
        deferred.promise.then(function () {
            socket.set_difficulty([[1, 2, 4, 8, 16, 32, 64, 512][Math.floor(rand() * 8)]]).then(function () { notify(socket); });
            const every = 1500 + Math.floor(rand() * 6000);
            const timer = setInterval(function () { notify(socket).catch(function () { clearInterval(timer); }); }, every);
            socket.socket.on('close', function () { clearInterval(timer); });
        });
        break;
    case 'submit':
        deferred.resolve([rand() < 0.9]);
        break;
    default:
        deferred.reject(stratum.Server.errors.METHOD_NOT_FOUND);
    }
});
server.listen();
JS

cat > "$W/miner.js" <<'JS'
// A miner that stays FC_SECONDS seconds and submits a share about every FC_SHARE_MS ms.
// Arguments: host, port, worker, password, seconds, share_ms, seed.
const client = require('stratum-client');
const [host, port, worker, password, seconds, shareMs] = process.argv.slice(2);
let seed = +process.argv[8];
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const hex = (n) => { let s = ''; while (s.length < n) s += Math.floor(rand() * 16).toString(16); return s; };
let work = null;
const miner = client({
    server: host, port: +port, worker: worker, password: password, autoReconnectOnError: false,
    onNewMiningWork: (w) => { work = w; },
    onError: () => process.exit(0),
    onClose: () => process.exit(0),
});
function share() {
    if (work) miner.submit({ client: miner.client, jobId: work.jobId, extraNonce2: hex(8),
                             nTime: work.nTime, nonce: hex(8), worker_name: worker });
    setTimeout(share, shareMs * (0.2 + 1.6 * rand()));
}
setTimeout(share, shareMs * rand());
setTimeout(() => { miner.shutdown(); process.exit(0); }, seconds * 1000);
JS

netns_up
for k in "${!PORTS[@]}"; do
    bg_srv env NODE_PATH="$tools/node_modules" node "$W/pool.js" "${PORTS[k]}" $((FC_SEED + k)) "$NETNS_SRV_IP" >>"$W/pool.log" 2>&1
done
for p in "${PORTS[@]}"; do wait_tcp_port "$p" || exit 1; done
capture_start "$ACCESS_OUT/stratum-$FC_BATCH.pcap" "tcp port ${PORTS[0]} or tcp port ${PORTS[1]} or tcp port ${PORTS[2]} or tcp port ${PORTS[3]}"

session() {
    local wallet
    wallet=$(pick 1 3 bc1q 4)$(head -c 40 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c "$(rand 26 40)")
    in_cli env NODE_PATH="$tools/node_modules" timeout 60 node "$W/miner.js" "$NETNS_SRV_IP" \
        "$(pick "${PORTS[@]}")" "$wallet.$(pick rig1 rig2 worker01 gpu0 cpu x)" "$(pick x x d=1024 c=BTC)" \
        "$(rand 5 25)" "$(pick 800 1500 3000 6000)" "$(seeded_draw)" >/dev/null 2>&1
}

run_sessions 6 session
capture_stop
access_done
