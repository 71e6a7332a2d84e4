#!/usr/bin/env bash
# corpus/services/xmpp.sh OUTDIR: XMPP client-to-server sessions (class XMPP; nDPI: Jabber)
# between prosody 0.12 and the clients slixmpp 1.8 (python3-slixmpp) and sendxmpp 1.24
# (perl Net::XMPP), in two network namespaces, TCP 5222. Most sessions upgrade with STARTTLS
# (a self-signed certificate made per run), the others stay plain (the server allows plain
# SASL without TLS); either way the stream opening, features and SASL/STARTTLS exchange are
# plain XML. A "buddy" (slixmpp) is online for the whole run in every chat room and answers
# chats, so other sessions also receive messages they did not cause. Each slixmpp session
# logs in (SASL PLAIN, resource binding, roster, presence), then, drawn from the seed: chats
# with the buddy or other users, joins group chat rooms (XEP-0045) and posts, asks for
# service discovery, version, time, vCard, pings the server, sets its status, idles; sendxmpp
# sessions send one message or one room message and leave. Contract: corpus/make-captures
# (FC_BATCH, FC_SEED; writes OUTDIR/XMPP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=5222
dir=$(svc_class_dir XMPP)
pcap=$dir/xmpp-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP

domain=$(svc_pick chat im jabber xmpp).$(svc_pick example.org example.net corp.example.com lan)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" -days 30 \
    -subj "/CN=$domain" >/dev/null 2>&1
mkdir -p "$W/data"
chown prosody: "$W/data" 2>/dev/null   # prosodyctl registers users as the prosody user
cat > "$W/prosody.cfg.lua" <<EOF
pidfile = "$W/prosody.pid"
data_path = "$W/data"
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "private"; "vcard4"; "vcard_legacy";
    "version"; "uptime"; "time"; "ping"; "carbons"; "pep"; "blocklist"; "smacks" }
modules_disabled = { "s2s"; "posix" }
c2s_interfaces = { "$srv" }
c2s_ports = { $port }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
storage = "internal"
log = { info = "$W/prosody.log" }
ssl = { key = "$W/key.pem"; certificate = "$W/cert.pem" }
VirtualHost "$domain"
Component "rooms.$domain" "muc"
EOF
users=(buddy alice bob carol dave erin frank grace)
for u in "${users[@]}"; do
    prosodyctl --config "$W/prosody.cfg.lua" register "$u" "$domain" "pw-$u" >/dev/null 2>&1
done
bg_srv sh -c "exec prosody -F --config '$W/prosody.cfg.lua' > '$W/prosody.out' 2>&1"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

cat > "$W/client.py" <<'PY'
# one XMPP session: argv host port domain user kind seed starttls(0|1)
import asyncio, random, ssl, sys
import slixmpp
host, port, domain, user, kind, seed, tls = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], \
    sys.argv[5], int(sys.argv[6]), sys.argv[7] == "1"
rng = random.Random(seed)
rooms = ["team", "support", "random"]
others = ["buddy", "alice", "bob", "carol", "dave", "erin", "frank", "grace"]
words = ("hello are you there the build is done lunch meeting at three can you review my patch "
         "the server is slow again thanks see you tomorrow ok sure").split()
def line():
    return " ".join(rng.choice(words) for _ in range(rng.choice([1, 3, 5, 9, 20])))

class Session(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__("%s@%s/%s" % (user, domain, rng.choice(["laptop", "phone", "work", "bot"])), "pw-" + user)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("groupchat_message", self.on_group)
    def on_message(self, msg):
        if kind == "buddy" and msg["type"] in ("chat", "normal") and msg["body"]:
            msg.reply(rng.choice(["ok", "sure, one minute", "no idea", "done", "thanks!", line()])).send()
    def on_group(self, msg):
        if kind == "buddy" and msg["mucnick"] != "buddy" and rng.random() < 0.3:
            self.send_message(mto=msg["from"].bare, mbody=line(), mtype="groupchat")
    async def start(self, event):
        await self.get_roster()
        self.send_presence(pshow=rng.choice(["", "away", "chat", "dnd"]), pstatus=rng.choice(["", "working", "brb"]))
        if kind == "buddy":
            for r in rooms:
                self.plugin["xep_0045"].join_muc("%s@rooms.%s" % (r, domain), "buddy")
            return  # stays until killed
        for _ in range(rng.choice([1, 2, 4, 8, 15])):
            r = rng.random()
            if r < 0.45:
                self.send_message(mto="%s@%s" % (rng.choice(others), domain), mbody=line(), mtype="chat")
            elif r < 0.65:
                room = "%s@rooms.%s" % (rng.choice(rooms), domain)
                self.plugin["xep_0045"].join_muc(room, user)
                await asyncio.sleep(0.3)
                self.send_message(mto=room, mbody=line(), mtype="groupchat")
            elif r < 0.75:
                await self.plugin["xep_0030"].get_info(jid=domain)
            elif r < 0.82:
                await self.plugin["xep_0092"].get_version(domain)
            elif r < 0.88:
                await self.plugin["xep_0199"].ping(domain)
            elif r < 0.94:
                try:
                    await self.plugin["xep_0054"].get_vcard(jid="%s@%s" % (rng.choice(others), domain))
                except Exception:
                    pass
            else:
                self.send_presence(pshow=rng.choice(["away", "xa", "chat"]), pstatus=line())
            await asyncio.sleep(rng.choice([0.1, 0.3, 0.8, 1.5, 3.0]))
        if rng.random() < 0.1:
            await asyncio.sleep(rng.randint(10, 25))
        self.disconnect()

s = Session()
for p in ["xep_0030", "xep_0045", "xep_0054", "xep_0092", "xep_0199"]:
    s.register_plugin(p)
s.ssl_context.check_hostname = False
s.ssl_context.verify_mode = ssl.CERT_NONE
s.connect((host, port), disable_starttls=not tls)
s.process(forever=kind == "buddy")
PY

client() { in_cli timeout "$1" $SVC_PYTHON "$W/client.py" "$srv" $port "$domain" "${@:2}"; }
client 100000 buddy buddy "$FC_SEED" 1 >/dev/null 2>&1 &
buddy_pid=$!
sleep 2

sessions=40
for s in $(seq $sessions); do
    user=$(svc_pick alice bob carol dave erin frank grace)
    tls=$(svc_pick 1 1 0)
    case $(svc_rand 0 9) in
    0|1)  # sendxmpp: one message, to a user or a room
        opts=(-u "$user" -p "pw-$user" -j "$srv:$port" -o "$domain")
        [ "$tls" = 1 ] && opts+=(-t -n)
        if [ "$(svc_rand 0 2)" -eq 0 ]; then
            opts+=(-c "$(svc_pick team support random)@rooms.$domain")
        else
            opts+=("$(svc_pick buddy alice bob carol)@$domain")
        fi
        echo "$(svc_pick "deploy finished" "backup failed on db02, see the logs" "reminder: meeting at 15:00" "disk /var at 91%")" |
            in_cli timeout 30 sendxmpp "${opts[@]}" >/dev/null 2>&1 ;;
    *) client 90 "$user" chat "$FC_SEED$s" "$tls" >/dev/null 2>&1 ;;
    esac
    svc_think
done
kill "$buddy_pid" 2>/dev/null
capture_stop
svc_end XMPP "$pcap" $sessions
