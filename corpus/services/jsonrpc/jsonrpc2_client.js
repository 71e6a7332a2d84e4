// One client session of jsonrpc2_server.js made with the npm package json-rpc2's raw socket
// client (connectSocket; its `auth` call first). Arguments: host, port, seed, mode:
//   oneshot  one or two calls, then close (a cron job, a health check)
//   chatty   5-40 calls one at a time with 10-600 ms pauses (an operator's tool)
//   burst    20-150 calls sent at once without waiting (a worker reporting metrics)
const rpc = require('json-rpc2');
const [host, port] = process.argv.slice(2, 4);
let seed = +process.argv[4];
const mode = process.argv[5];
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const word = (n) => { let s = ''; while (s.length < n) s += Math.floor(rand() * 36).toString(36); return s; };
const calls = [
    () => ['jobs.add', [{ cmd: word(int(4, 20)), args: Array.from({ length: int(0, 6) }, () => word(int(2, 30))), priority: int(0, 9) }]],
    () => ['jobs.get', [int(1, 30)]],
    () => ['jobs.list', [[5, 20, 100][int(0, 2)]]],
    () => ['jobs.cancel', [int(1, 30)]],
    () => ['config.get', ['svc.' + word(int(3, 12))]],
    () => ['config.set', ['svc.' + word(int(3, 12)), word([4, 40, 400, 3000][int(0, 3)])]],
    () => ['metrics.report', [Array.from({ length: int(1, 60) }, () => ({ name: word(8), value: rand() * 100 }))]],
    () => ['echo', [word([8, 100, 1000, 8000][int(0, 3)])]],
    () => ['status', []],
];
const pick = () => calls[int(0, calls.length - 1)]();
const client = rpc.Client.$create(+port, host, 'user' + int(1, 20), word(12));
client.connectSocket((err, conn) => {
    if (err) process.exit(1);
    const call = () => new Promise((resolve) => { const [m, p] = pick(); conn.call(m, p, () => resolve()); });
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    (async () => {
        if (mode === 'oneshot') {
            for (let n = int(1, 2); n > 0; n--) await call();
        } else if (mode === 'chatty') {
            for (let n = int(5, 40); n > 0; n--) { await call(); await sleep(int(10, 600)); }
        } else if (mode === 'burst') {
            const all = [];
            for (let n = int(20, 150); n > 0; n--) all.push(call());
            await Promise.all(all);
        } else {
            process.exit(2);
        }
        conn.end();
        process.exit(0);
    })();
});
