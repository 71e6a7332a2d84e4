#!/usr/bin/env bash
# corpus/services/dovecot.sh OUTDIR: IMAP and POP3 sessions (classes IMAP, POP3) between a
# private Dovecot (Debian's dovecot-imapd, dovecot-pop3d) and Python's imaplib and poplib
# and curl, in two network namespaces. Six users hold mailboxes from empty to a few hundred
# messages, with message sizes from a few hundred bytes to attachments of a few hundred KB
# (drawn from the seed). IMAP sessions list, select, search, fetch headers and whole
# messages, set flags, append, create and delete folders; POP3 sessions STAT, LIST, UIDL,
# TOP, RETR, DELE then RSET. Plain-text logins without TLS (STARTTLS is not used: once
# upgraded the session is TLS, which the TLS model covers).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/IMAP/FC_BATCH/*.pcap and
# OUTDIR/POP3/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
imap_port=143
pop3_port=110
imap_dir=$(svc_class_dir IMAP)
pop3_dir=$(svc_class_dir POP3)

# mailboxes: Maildir folders owned by the "mail" account, written before the server starts
mkdir -p "$SVC_WORK/mail" "$SVC_WORK/run" "$SVC_WORK/state"
"$SVC_PYTHON" - "$SVC_WORK" "$FC_SEED" <<'PY' || exit 1
import base64, os, random, sys, time
work, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
words = ("meeting report budget invoice project schedule review update travel lunch offer "
         "contract release server backup holiday draft minutes agenda quarter results").split()
def text(n):
    return "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(max(1, n // 80)))
sizes = {"alice": 0, "bob": 4, "carol": 25, "dave": 80, "erin": 200, "frank": 12}
with open(os.path.join(work, "users"), "w") as users:
    for user, count in sizes.items():
        users.write(f"{user}:{{PLAIN}}pw-{user}-{seed}\n")
        box = os.path.join(work, "mail", user, "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(box, sub), exist_ok=True)
        for i in range(count):
            body = text(rng.choice([200, 800, 3000, 12000]))
            msg = (f"From: {rng.choice(words)}@example.org\nTo: {user}@example.net\n"
                   f"Subject: {rng.choice(words)} {rng.choice(words)} {i}\n"
                   f"Date: Mon, {1 + i % 28} Oct 2026 10:{i % 60:02d}:00 +0000\n"
                   f"Message-ID: <{seed}.{user}.{i}@example.org>\nMIME-Version: 1.0\n")
            if rng.random() < 0.15:
                blob = base64.encodebytes(rng.randbytes(rng.choice([20000, 90000, 300000]))).decode()
                msg += ('Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\n'
                        f"{body}\n--b1\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{blob}--b1--\n")
            else:
                msg += f"Content-Type: text/plain; charset=utf-8\n\n{body}\n"
            seen = rng.random() < 0.6
            name = f"{int(time.time())}.{seed}{i}.fcgen" + (":2,S" if seen else "")
            with open(os.path.join(box, "cur" if seen else "new", name), "w") as f:
                f.write(msg)
PY
chown -R mail:mail "$SVC_WORK/mail"

cat > "$SVC_WORK/dovecot.conf" <<EOF
protocols = imap pop3
listen = $NETNS_SRV_IP
base_dir = $SVC_WORK/run
state_dir = $SVC_WORK/state
log_path = $SVC_WORK/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $SVC_WORK/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$SVC_WORK/mail/%u
}
service imap-login {
  inet_listener imap {
    port = $imap_port
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $pop3_port
  }
}
protocol imap {
  mail_max_userip_connections = 100
}
EOF
bg_srv dovecot -F -c "$SVC_WORK/dovecot.conf"
wait_tcp_port $imap_port && wait_tcp_port $pop3_port || { cat "$SVC_WORK/dovecot.log" >&2; exit 1; }

users=(alice bob carol dave erin frank)
srv=$NETNS_SRV_IP

imap_session() {
    local user=$1
    case $(svc_rand 1 6) in
    1)  in_cli timeout 60 curl -s "imap://$srv/INBOX;UID=$(svc_rand 1 30)" -u "$user:pw-$user-$FC_SEED" ;;
    2)  in_cli timeout 60 curl -s "imap://$srv/" -u "$user:pw-$user-$FC_SEED" -X "$(svc_pick 'EXAMINE INBOX' 'STATUS INBOX (MESSAGES UNSEEN)' 'LIST "" *')" ;;
    *)  in_cli timeout 60 "$SVC_PYTHON" - "$srv" "$user" "pw-$user-$FC_SEED" "$FC_SEED$s" <<'PY' ;;
import imaplib, random, sys, time
host, user, password, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
def pause(): time.sleep(rng.uniform(0.02, 0.5))
m = imaplib.IMAP4(host, timeout=20)
if rng.random() < 0.5:
    m.capability()
m.login(user, password)
pause()
m.list()
m.select("INBOX", readonly=rng.random() < 0.3)
typ, data = m.search(None, rng.choice(["ALL", "UNSEEN", "SEEN", 'SUBJECT "report"']))
ids = data[0].split()
for _ in range(rng.randint(1, 6)):
    pause()
    step = rng.choice(["headers", "body", "flags", "status", "noop", "append", "folder"])
    if step == "headers" and ids:
        lo = rng.randint(1, len(ids))
        m.fetch(f"{lo}:{min(len(ids), lo + rng.randint(0, 40))}", "(FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])")
    elif step == "body" and ids:
        m.fetch(rng.choice(ids).decode(), rng.choice(["(RFC822)", "(BODY.PEEK[])", "(BODY.PEEK[TEXT]<0.2048>)", "(BODYSTRUCTURE)"]))
    elif step == "flags" and ids:
        try:
            m.store(rng.choice(ids).decode(), rng.choice(["+FLAGS", "-FLAGS"]), rng.choice(["\\Seen", "\\Flagged"]))
        except imaplib.IMAP4.error:
            pass
    elif step == "status":
        m.status("INBOX", "(MESSAGES RECENT UNSEEN UIDNEXT)")
    elif step == "noop":
        m.noop()
    elif step == "append":
        body = "Subject: draft\r\n\r\n" + "line of a draft\r\n" * rng.randint(1, 200)
        m.append("INBOX", "(\\Seen)", None, body.encode())
    elif step == "folder":
        name = f"Archive{rng.randint(1, 99)}"
        m.create(name); m.list(); m.delete(name)
if rng.random() < 0.7:
    m.close() if m.state == "SELECTED" else None
m.logout()
PY
    esac
}

pop3_session() {
    local user=$1
    case $(svc_rand 1 6) in
    1)  in_cli timeout 60 curl -s "pop3://$srv/" -u "$user:pw-$user-$FC_SEED" ;;
    2)  in_cli timeout 60 curl -s "pop3://$srv/$(svc_rand 1 4)" -u "$user:pw-$user-$FC_SEED" ;;
    *)  in_cli timeout 60 "$SVC_PYTHON" - "$srv" "$user" "pw-$user-$FC_SEED" "$FC_SEED$s" <<'PY' ;;
import poplib, random, sys, time
host, user, password, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
def pause(): time.sleep(rng.uniform(0.02, 0.4))
p = poplib.POP3(host, timeout=20)
if rng.random() < 0.4:
    p.capa()
p.user(user); p.pass_(password)
count, size = p.stat()
pause()
if rng.random() < 0.7:
    p.uidl()
if rng.random() < 0.7:
    p.list()
for _ in range(rng.randint(0, 5) if count else 0):
    pause()
    n = rng.randint(1, count)
    step = rng.choice(["retr", "retr", "top", "dele", "noop"])
    if step == "retr":
        p.retr(n)
    elif step == "top":
        p.top(n, rng.randint(0, 20))
    elif step == "dele":
        p.dele(n)
    else:
        p.noop()
p.rset()     # keep the mailbox for the next sessions
p.quit()
PY
    esac
}

sessions=36
for class in IMAP POP3; do
    if [ $class = IMAP ]; then pcap=$imap_dir/imap-$FC_BATCH.pcap port=$imap_port
    else pcap=$pop3_dir/pop3-$FC_BATCH.pcap port=$pop3_port; fi
    capture_start "$pcap" "tcp port $port"
    for s in $(seq $sessions); do
        user=$(svc_pick "${users[@]}")
        # what the clients print is of no interest here; the capture is the product
        if [ $class = IMAP ]; then imap_session "$user"; else pop3_session "$user"; fi >/dev/null 2>&1
        svc_think
    done
    capture_stop
    svc_end $class "$pcap" $sessions || exit 1
done
