#!/usr/bin/env bash
# corpus/services/redis.sh OUTDIR: Redis sessions (class Redis) between redis-server and
# redis-cli / redis-benchmark (Debian's redis-server, redis-tools), in two network
# namespaces. Each session is one client connection running a random mix of string, hash,
# list, set and server commands with values from a few bytes to tens of KB; a few sessions
# are redis-benchmark runs (one connection per test), clients that connect for every
# command (redis-benchmark -k 0: as web scripts without persistent connections and health
# checks do, one command and its reply per connection) and pipelined bulk loads.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/Redis/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=6379
dir=$(svc_class_dir Redis)
pcap=$dir/redis-$FC_BATCH.pcap

bg_srv redis-server --bind "$NETNS_SRV_IP" --port $port --save '' --appendonly no \
    --protected-mode no --dir "$SVC_WORK" --logfile "$SVC_WORK/redis.log"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

# one session's commands (N of them, kinds drawn from the seed), one per line
command_mix() {
    $SVC_PYTHON - "$1" "$2" <<'PY'
import random, string, sys
rng = random.Random(int(sys.argv[1]))
alphabet = string.ascii_letters + string.digits + "+/"
def value(n): return "".join(rng.choices(alphabet, k=n))
def r(a, b): return rng.randint(a, b)
kinds = [
    lambda: f"SET k:{r(1,60)} {value(rng.choice([8, 40, 300, 2000, 6000]))}",
    lambda: f"GET k:{r(1,60)}",
    lambda: f"INCRBY ctr:{r(1,5)} {r(1,100)}",
    lambda: f"HSET h:{r(1,9)} f{r(1,30)} {value(r(4,200))}",
    lambda: f"HGETALL h:{r(1,9)}",
    lambda: f"LPUSH l:{r(1,4)} {value(r(4,120))} {value(r(4,120))}",
    lambda: f"LRANGE l:{r(1,4)} 0 {rng.choice([5, 20, -1])}",
    lambda: f"SADD s:{r(1,4)} m{r(1,500)} m{r(1,500)}",
    lambda: f"SMEMBERS s:{r(1,4)}",
    lambda: f"MGET k:{r(1,60)} k:{r(1,60)} k:{r(1,60)}",
    lambda: rng.choice(["PING", "INFO memory", "DBSIZE", "SCAN 0 COUNT 20", "TTL k:1",
                        "EXPIRE k:2 600", "KEYS h:*", "TYPE l:1", "CLIENT SETNAME app"]),
]
weights = [3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1]
for _ in range(int(sys.argv[2])):
    print(rng.choices(kinds, weights)[0]())
PY
}

sessions=34
for s in $(seq $sessions); do
    case $(svc_rand 0 10) in
    0)  # a client that connects for every command: a few one-command connections
        in_cli timeout 30 redis-benchmark -h "$NETNS_SRV_IP" -p $port -c 1 -k 0 -n "$(svc_rand 3 8)" \
            -d "$(svc_pick 3 64 512)" -t "$(svc_pick ping set get incr lpush)" -q >/dev/null 2>&1 ;;
    1)  # a benchmark client: one connection per test, a few hundred requests each
        in_cli timeout 30 redis-benchmark -h "$NETNS_SRV_IP" -p $port -c 1 -n "$(svc_rand 20 300)" \
            -d "$(svc_pick 3 64 512 4096)" -t "$(svc_pick ping set get set,get lpush,lpop incr)" -q >/dev/null ;;
    2)  # an interactive user: commands one at a time, with pauses
        command_mix "$FC_SEED$s" "$(svc_rand 2 8)" | while read -r line; do
            echo "$line"; sleep "0.$(svc_rand 10 99)"; done |
            in_cli timeout 30 redis-cli -h "$NETNS_SRV_IP" -p $port >/dev/null ;;
    3)  # a bulk load with the pipe mode
        command_mix "$FC_SEED$s" "$(svc_rand 20 200)" | in_cli timeout 30 redis-cli -h "$NETNS_SRV_IP" -p $port --pipe >/dev/null ;;
    *)  # a script's client: a batch of commands on one connection
        command_mix "$FC_SEED$s" "$(svc_rand 1 30)" | in_cli timeout 30 redis-cli -h "$NETNS_SRV_IP" -p $port >/dev/null ;;
    esac
    svc_think
done
capture_stop
svc_end Redis "$pcap" $sessions
