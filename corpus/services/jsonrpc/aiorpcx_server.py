"""A JSON-RPC 2.0 service over raw TCP, one request or batch per line, served by aiorpcx
(Debian's python3-aiorpcx, the library of Electrum's servers). Its methods are those of a
small indexing service: version and ping, a key-value store, sums, headers by height,
address histories, and subscriptions that the server then feeds with notifications.
The protocol (framing, ids, batches, errors) is aiorpcx's own; this file only gives the
methods something to answer.

Usage: python3 aiorpcx_server.py HOST PORT SEED
"""
import asyncio
import hashlib
import random
import sys

from aiorpcx import RPCError, RPCSession, handler_invocation, serve_rs

STORE = {}


class IndexSession(RPCSession):
    def __init__(self, *args, rng, **kwargs):
        super().__init__(*args, **kwargs)
        self.rng = rng
        self.feed = None

    def header(self, height):
        return hashlib.sha256(b"%d" % height).hexdigest() * 5

    async def version(self, client_name="", protocol="1.4"):
        return ["aiorpcx-index 0.22", protocol]

    async def ping(self):
        return None

    async def echo(self, *args):
        return list(args)

    async def kv_set(self, key, value):
        STORE[key] = value
        return True

    async def kv_get(self, key):
        if key not in STORE:
            raise RPCError(-32001, "no such key %s" % key)
        return STORE[key]

    async def kv_list(self, prefix=""):
        return sorted(k for k in STORE if k.startswith(prefix))

    async def sum(self, *numbers):
        return sum(numbers)

    async def headers(self, start, count):
        count = min(count, 200)
        return {"count": count, "hex": "".join(self.header(h) for h in range(start, start + count)), "max": 200}

    async def history(self, address):
        n = self.rng.randint(0, 40)
        return [{"tx_hash": hashlib.sha256(("%s%d" % (address, i)).encode()).hexdigest(),
                 "height": 800000 + self.rng.randint(0, 9999)} for i in range(n)]

    async def subscribe(self, topic):
        if self.feed is None:
            self.feed = asyncio.ensure_future(self.notify_loop(topic))
        return {"topic": topic, "height": 812345, "hex": self.header(812345)}

    async def notify_loop(self, topic):
        height = 812345
        while not self.is_closing():
            await asyncio.sleep(self.rng.uniform(0.3, 2.5))
            height += 1
            await self.send_notification(topic + ".update", ({"height": height, "hex": self.header(height)},))

    async def connection_lost(self):
        if self.feed is not None:
            self.feed.cancel()
        await super().connection_lost()

    async def handle_request(self, request):
        handler = {
            "server.version": self.version, "server.ping": self.ping, "echo": self.echo,
            "kv.set": self.kv_set, "kv.get": self.kv_get, "kv.list": self.kv_list, "math.sum": self.sum,
            "chain.headers": self.headers, "address.history": self.history, "subscribe": self.subscribe,
        }.get(request.method)
        return await handler_invocation(handler, request)()


async def main():
    host, port, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    server = await serve_rs(lambda *a, **k: IndexSession(*a, rng=rng, **k), host, port)
    await server.serve_forever()


asyncio.run(main())
