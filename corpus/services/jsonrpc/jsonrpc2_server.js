// A JSON-RPC 2.0 service over raw TCP served by the npm package json-rpc2 (listenRaw: JSON
// texts back to back on the socket, parsed as a stream). Its methods are those of a small
// job queue and configuration service; json-rpc2 does the framing, ids and errors.
// Clients log in with json-rpc2's own `auth` call. Arguments: host, port, seed.
const rpc = require('json-rpc2');
const [host, port] = process.argv.slice(2, 4);
let seed = +process.argv[4];
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const jobs = new Map();
let next = 1;
const server = rpc.Server.$create({});
server.enableAuth((user, password) => user.length > 0 && password.length > 0);
server.expose('jobs', {
    add: (args, opt, cb) => { const id = next++; jobs.set(id, { id, spec: args[0], state: 'queued' }); cb(null, id); },
    get: (args, opt, cb) => jobs.has(args[0]) ? cb(null, jobs.get(args[0])) : cb(new rpc.Error.InvalidParams('no job ' + args[0])),
    list: (args, opt, cb) => cb(null, Array.from(jobs.values()).slice(-(args[0] || 20))),
    cancel: (args, opt, cb) => { const j = jobs.get(args[0]); if (j) j.state = 'cancelled'; cb(null, !!j); },
});
server.expose('config', {
    get: (args, opt, cb) => cb(null, { key: args[0], value: 'v' + Math.floor(rand() * 1e6), ttl: 60 }),
    set: (args, opt, cb) => cb(null, true),
});
server.expose('metrics', { report: (args, opt, cb) => cb(null, { accepted: (args[0] || []).length }) });
server.expose('echo', (args, opt, cb) => cb(null, args));
server.expose('status', (args, opt, cb) => cb(null, { uptime: process.uptime(), jobs: jobs.size, load: [rand(), rand(), rand()] }));
server.listenRaw(+port, host);
