#!/usr/bin/env bash
# corpus/services/irc.sh OUTDIR: IRC sessions (class IRC; nDPI: IRC) between ngircd 26 and
# the clients sic 1.1 and ii 1.8 (suckless), python3-irc 8.5 (jaraco's library) and people
# typing the protocol by hand through ncat, in two network namespaces, plain text on TCP 6667.
# The server has its own name, MOTD and predefined channels per batch. A "regulars" bot
# (python3-irc) sits in the channels for the whole run and answers some messages, so the
# other sessions also receive channel traffic they did not cause. Each session registers
# (NICK/USER, the welcome numerics and MOTD), then, drawn from the seed: joins one to three
# channels, chats (a few to a few dozen lines, short and long, with typing pauses), queries
# (NAMES, WHO, WHOIS, LIST, TOPIC, MODE, VERSION, TIME), sends private messages and notices,
# changes nick, idles through the server's PINGs (a few sessions stay past the ping time),
# parts and quits. Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes
# OUTDIR/IRC/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=6667
dir=$(svc_class_dir IRC)
pcap=$dir/irc-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP

server_name=$(svc_pick irc chat irc1 hub)"."$(svc_pick example.org example.net lan corp.example.com)
ping_time=$(svc_pick 15 20 25)
channels=("#$(svc_pick general lobby main)" "#$(svc_pick ops dev support)" "#$(svc_pick random offtopic linux)")
# the MOTD: from a two-line greeting to a network's page of rules and news (2-45 lines)
$SVC_PYTHON - "$FC_SEED" "$server_name" "${channels[@]}" > "$W/ngircd.motd" <<'PY'
import random, sys
rng = random.Random(int(sys.argv[1]))
name, chans = sys.argv[2], sys.argv[3:]
lines = ["Welcome to %s." % name]
rules = ["No flooding, no spam, no advertising.", "Be nice to each other.",
         "Bots need an operator's permission.", "Logs are kept for 30 days.",
         "Ask in %s if you need help." % chans[0], "Channels: " + " ".join(chans),
         "Abuse reports to abuse@%s" % name, "Server located in Frankfurt, DE.",
         "This server is part of the network; connect to the round robin for the best one.",
         "Please register your nickname with NickServ.", "Use of this server is a privilege, not a right.",
         "Staff: alice (admin), bob (oper), carol (oper)", "Scheduled maintenance on Sunday 03:00 UTC."]
for _ in range(rng.choice([1, 3, 8, 20, 44])):
    r = rng.random()
    if r < 0.5:
        lines.append(rng.choice(rules))
    elif r < 0.8:
        lines.append("-" * rng.randint(10, 70))
    else:
        lines.append(" " * rng.randint(0, 20) + "".join(rng.choice(" _/\\|()<>.-=") for _ in range(rng.randint(8, 50))))
print("\n".join(lines))
PY
cat > "$W/ngircd.conf" <<EOF
[Global]
    Name = $server_name
    Info = FlowCarp test server $FC_BATCH
    Listen = $srv
    Ports = $port
    MotdFile = $W/ngircd.motd
    ServerUID = 0
    ServerGID = 0
[Limits]
    PingTimeout = $ping_time
    PongTimeout = 20
    MaxNickLength = 16
[Options]
    DNS = no
    Ident = no
    PAM = no
    SyslogFacility = local5
[Channel]
    Name = ${channels[0]}
    Topic = $(svc_pick "Welcome!" "General talk" "Read the MOTD first")
[Channel]
    Name = ${channels[1]}
    Topic = $(svc_pick "Deploys at 14:00" "Ticket queue" "Build status")
    Modes = tn
EOF
bg_srv sh -c "exec ngircd --config '$W/ngircd.conf' --nodaemon --passive > '$W/ngircd.log' 2>&1"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

# The regulars: one connection for the whole run, in every channel, answering "!" commands
# and some mentions (python3-irc).
cat > "$W/regulars.py" <<'PY'
import random, sys, time
import irc.client
host, port, seed, channels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
rng = random.Random(seed)
replies = ["sure", "no idea, try the wiki", "works for me", "which version?", "lol",
           "restart it and see", "I'll look after lunch", "did you check the logs?",
           "the build is green again", "ping me later"]
def on_welcome(c, e):
    for ch in channels:
        c.join(ch)
def on_pubmsg(c, e):
    text = e.arguments[0]
    if text.startswith("!time"):
        c.privmsg(e.target, time.strftime("%H:%M:%S UTC", time.gmtime()))
    elif text.startswith("!help"):
        for line in ["commands: !time !help !roll", "ask a question and wait a bit"]:
            c.notice(e.source.nick, line)
    elif text.startswith("!roll"):
        c.privmsg(e.target, "%s rolls %d" % (e.source.nick, rng.randint(1, 100)))
    elif rng.random() < 0.3:
        c.privmsg(e.target, "%s: %s" % (e.source.nick, rng.choice(replies)))
def on_privmsg(c, e):
    c.privmsg(e.source.nick, rng.choice(replies))
reactor = (getattr(irc.client, "Reactor", None) or irc.client.IRC)()  # IRC before 12.0
conn = reactor.server().connect(host, port, "regulars", ircname="channel regulars")
conn.add_global_handler("welcome", on_welcome)
conn.add_global_handler("pubmsg", on_pubmsg)
conn.add_global_handler("privmsg", on_privmsg)
reactor.process_forever()
PY
bg_cli $SVC_PYTHON "$W/regulars.py" "$srv" $port "$FC_SEED" "${channels[@]}"
sleep 1

# One session's script: lines for the client kind $1, "sleep S" lines are pauses. Kinds:
# raw (the protocol itself, through ncat), sic (its ":j", ":m" commands and plain lines),
# ii (a line for the server FIFO, or "#chan text" for a channel's FIFO), bot (python3-irc).
session_script() {
    $SVC_PYTHON - "$1" "$2" "$3" "$server_name" "${channels[@]}" <<'PY'
import random, sys
kind, seed, nick, server = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
chans = sys.argv[5:]
rng = random.Random(seed)
words = ("the build deploy server disk backup ticket logs config cache queue release fix "
         "patch kernel network latency user password printer coffee lunch meeting today "
         "tomorrow works broken again please thanks why how when maybe").split()
def line():
    n = rng.choice([2, 4, 6, 9, 14, 25])
    s = " ".join(rng.choice(words) for _ in range(n))
    if rng.random() < 0.1:
        s = rng.choice(["!time", "!help", "!roll", "regulars: " + s])
    if rng.random() < 0.08:
        s = "https://example.org/" + "/".join(rng.choice(words) for _ in range(3))
    return s
def pause(lo=0.3, hi=3.0):
    out.append("sleep %.2f" % rng.uniform(lo, hi))
out = []
joined = rng.sample(chans, rng.randint(1, len(chans)))
queries = ["NAMES {c}", "WHO {c}", "WHOIS regulars", "LIST", "TOPIC {c}", "MODE {c}",
           "VERSION", "TIME", "LUSERS", "MOTD", "ISON regulars " + nick, "USERHOST regulars"]
def raw(cmd):
    if kind == "raw" or kind == "ii":
        out.append(cmd)
    elif kind == "sic":
        out.append(":" + cmd)
    else:
        out.append("raw " + cmd)
if kind == "raw":
    if rng.random() < 0.2:
        out.append("CAP LS 302")
    out += ["NICK " + nick, "USER %s 0 * :%s" % (nick.lower(), rng.choice(["Alice", "Bob B.", nick, "irc user"]))]
    pause(0.5, 1.5)
    for c in joined:
        out.append("JOIN " + c); pause(0.2, 1.0)
else:
    pause(0.8, 1.5)
    for c in joined:
        out.append({"sic": ":j " + c, "ii": "/j " + c, "bot": "join " + c}[kind]); pause(0.2, 1.0)
for _ in range(rng.choice([1, 2, 4, 6, 10, 20])):
    r = rng.random()
    c = rng.choice(joined)
    if r < 0.65:
        t = line()
        if kind == "raw":
            out.append("PRIVMSG %s :%s" % (c, t))
        elif kind == "sic":
            out.append(":m %s %s" % (c, t))
        elif kind == "ii":
            out.append("%s %s" % (c, t))
        else:
            out.append("say %s %s" % (c, t))
    elif r < 0.85:
        raw(rng.choice(queries).format(c=c))
    elif r < 0.93:
        t = line()
        raw(rng.choice(["PRIVMSG regulars :", "NOTICE regulars :"]) + t)
    elif r < 0.97:
        raw("PRIVMSG %s :\x01ACTION %s\x01" % (c, line()))
    else:
        nick = nick[:12] + rng.choice(["_", "|away", "2", "^"])
        raw("NICK " + nick)
    pause(0.2, 2.0)
if rng.random() < 0.08:
    out.append("sleep %d" % rng.randint(25, 40))   # idle past the server's PING
if rng.random() < 0.5:
    raw("PART %s :%s" % (rng.choice(joined), rng.choice(["bye", "later", "gone"])))
    pause(0.2, 0.8)
reason = rng.choice(["Leaving", "bye", "Quit: restarting", "see you"])
out.append({"raw": "QUIT :" + reason, "sic": ":QUIT :" + reason, "ii": "/q " + reason, "bot": "quit " + reason}[kind])
print("\n".join(out))
PY
}

# lines with pauses, to a client's standard input
# paced EOL: the lines, each ended with EOL (the protocol's CRLF, or sic's LF)
paced() { while read -r l; do case $l in "sleep "*) sleep "${l#sleep }" ;; *) printf "%s$1" "$l" ;; esac; done; }

# python3-irc: the script's lines as library calls
cat > "$W/client.py" <<'PY'
import sys, time
import irc.client
host, port, nick = sys.argv[1], int(sys.argv[2]), sys.argv[3]
steps = [l.rstrip("\n") for l in sys.stdin]
reactor = (getattr(irc.client, "Reactor", None) or irc.client.IRC)()  # IRC before 12.0
conn = reactor.server().connect(host, port, nick, ircname=nick + " (bot)")
welcomed = []
conn.add_global_handler("welcome", lambda c, e: welcomed.append(1))
deadline = time.time() + 5
while not welcomed and time.time() < deadline:
    reactor.process_once(0.1)
def wait(s):
    end = time.time() + s
    while time.time() < end:
        reactor.process_once(min(0.1, end - time.time()))
for st in steps:
    verb, _, rest = st.partition(" ")
    if verb == "sleep":
        wait(float(rest))
    elif verb == "join":
        conn.join(rest)
    elif verb == "say":
        ch, _, text = rest.partition(" ")
        conn.privmsg(ch, text)
    elif verb == "raw":
        conn.send_raw(rest)
    elif verb == "quit":
        conn.quit(rest)
        wait(0.5)
        break
conn.close()
PY

sessions=40
for s in $(seq $sessions); do
    nick=$(svc_pick alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent)$(svc_rand 1 99)
    kind=$(svc_pick raw raw sic sic ii bot bot)
    case $kind in
    raw)  session_script raw "$FC_SEED$s" "$nick" | paced '\r\n' | in_cli timeout 120 ncat "$srv" $port >/dev/null ;;
    sic)  session_script sic "$FC_SEED$s" "$nick" | paced '\n' | in_cli timeout 120 sic -h "$srv" -p $port -n "$nick" >/dev/null ;;
    bot)  session_script bot "$FC_SEED$s" "$nick" | in_cli timeout 120 $SVC_PYTHON "$W/client.py" "$srv" $port "$nick" >/dev/null 2>&1 ;;
    ii)
        idir=$W/ii-$s
        mkdir -p "$idir"
        in_cli timeout 120 ii -s "$srv" -p $port -n "$nick" -i "$idir" >/dev/null 2>&1 &
        iipid=$!
        for _ in $(seq 50); do [ -p "$idir/$srv/in" ] && break; sleep 0.1; done
        session_script ii "$FC_SEED$s" "$nick" | while read -r l; do
            case $l in
            "sleep "*) sleep "${l#sleep }" ;;
            "#"*) c=${l%% *}; f="$idir/$srv/$c/in"; [ -p "$f" ] && timeout 2 sh -c 'printf "%s\n" "$1" > "$2"' - "${l#* }" "$f" ;;
            *) timeout 2 sh -c 'printf "%s\n" "$1" > "$2"' - "$l" "$idir/$srv/in" ;;
            esac
        done
        sleep 0.5
        kill "$iipid" 2>/dev/null; wait "$iipid" 2>/dev/null ;;
    esac
    svc_think
done
capture_stop
svc_end IRC "$pcap" $sessions
