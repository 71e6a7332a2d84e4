"""One client session of aiorpcx_server.py, made by aiorpcx's own client (connect_rs): the
requests, batches and notifications are framed and numbered by the library.

Usage: python3 aiorpcx_client.py HOST PORT SEED MODE
  MODE oneshot   version, one or two calls, close (a script asking one thing)
       chatty    version, then 5-40 mixed calls one at a time with 10-600 ms pauses
       batch     version, then 1-6 batches of 2-30 requests and notifications
       subscribe version, a subscription, then pings and the server's updates for 3-15 s
"""
import asyncio
import random
import sys

from aiorpcx import RPCError, connect_rs

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def value(rng):
    return "".join(rng.choices(ALPHABET, k=rng.choice([4, 16, 64, 300, 1200, 5000])))


def call(rng):
    """A (method, args) drawn from the service's methods, with the sizes of real use."""
    kinds = [
        lambda: ("kv.set", ("k%d" % rng.randint(1, 50), value(rng))),
        lambda: ("kv.get", ("k%d" % rng.randint(1, 50),)),
        lambda: ("kv.list", ("k%d" % rng.randint(1, 5),)),
        lambda: ("math.sum", tuple(rng.randint(-1000, 1000) for _ in range(rng.randint(1, 20)))),
        lambda: ("echo", (value(rng),)),
        lambda: ("chain.headers", (rng.randint(0, 800000), rng.choice([1, 4, 10, 50]))),
        lambda: ("address.history", ("bc1q" + "".join(rng.choices(ALPHABET, k=38)),)),
        lambda: ("server.ping", ()),
    ]
    return rng.choices(kinds, [3, 3, 1, 1, 1, 1, 2, 1])[0]()


async def ask(session, method, args):
    try:
        return await session.send_request(method, args)
    except RPCError:
        return None     # e.g. kv.get of a key never set: an error reply is ordinary traffic


async def main():
    host, port, seed, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    async with connect_rs(host, port) as session:
        await session.send_request("server.version", ["fc-client %d" % rng.randint(1, 9), "1.4"])
        if mode == "oneshot":
            for _ in range(rng.randint(1, 2)):
                await ask(session, *call(rng))
        elif mode == "chatty":
            for _ in range(rng.randint(5, 40)):
                await ask(session, *call(rng))
                await asyncio.sleep(rng.uniform(0.01, 0.6))
        elif mode == "batch":
            for _ in range(rng.randint(1, 6)):
                async with session.send_batch(raise_errors=False) as batch:
                    for _ in range(rng.randint(2, 30)):
                        if rng.random() < 0.1:
                            batch.add_notification("client.log", (value(rng),))
                        else:
                            batch.add_request(*call(rng))
                await asyncio.sleep(rng.uniform(0.05, 1.0))
        elif mode == "subscribe":
            await session.send_request("subscribe", ["chain.tip"])
            end = asyncio.get_event_loop().time() + rng.uniform(3, 15)
            while asyncio.get_event_loop().time() < end:
                await asyncio.sleep(rng.uniform(0.5, 3))
                await ask(session, *rng.choice([("server.ping", ()), call(rng)]))
        else:
            sys.exit("aiorpcx_client.py: unknown mode %s" % mode)


asyncio.run(main())
