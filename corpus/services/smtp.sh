#!/usr/bin/env bash
# corpus/services/smtp.sh OUTDIR: SMTP sessions between a private Postfix (Debian's postfix)
# and swaks, Python's smtplib and curl, in two network namespaces. Two classes:
#   SMTP    plain sessions: EHLO or HELO, one or several messages per connection, bodies
#           from a few lines to attachments of a few hundred KB, several recipients,
#           rejected recipients, sessions that stop after RCPT, VRFY/NOOP/RSET;
#   SMTPS   sessions upgraded with STARTTLS (what nDPI calls SMTPS on port 25/587): the
#           greeting and EHLO in clear, then TLS. A class of its own because after the
#           first few packets the session is TLS records, not SMTP commands.
# Postfix accepts mail for example.net and for relaying from the client's network, and
# discards it (no delivery); TLS uses a self-signed certificate made per run.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/SMTP/FC_BATCH/*.pcap and
# OUTDIR/SMTPS/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=25
smtp_dir=$(svc_class_dir SMTP)
smtps_dir=$(svc_class_dir SMTPS)
conf=$SVC_WORK/postfix

mkdir -p "$conf" "$SVC_WORK/spool" "$SVC_WORK/data"
chown postfix "$SVC_WORK/data"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mail.example.net" \
    -keyout "$conf/key.pem" -out "$conf/cert.pem" >/dev/null 2>&1 || exit 1
cp /etc/postfix/master.cf "$conf/master.cf"
cat > "$conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $SVC_WORK/spool
data_directory = $SVC_WORK/data
maillog_file = $SVC_WORK/maillog
maillog_file_prefixes = $SVC_WORK
myhostname = mail.example.net
mydomain = example.net
mydestination = example.net, mail.example.net
inet_interfaces = $NETNS_SRV_IP
inet_protocols = ipv4
mynetworks = $NETNS_CLI_IP/32
smtpd_peername_lookup = no
smtpd_banner = \$myhostname ESMTP $(svc_pick Postfix "Postfix (Debian/GNU)" "mail service ready")
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
local_recipient_maps =
alias_maps =
local_transport = discard:
default_transport = discard:
relay_transport = discard:
message_size_limit = 20480000
disable_vrfy_command = no
smtpd_tls_cert_file = $conf/cert.pem
smtpd_tls_key_file = $conf/key.pem
smtpd_tls_security_level = may
EOF
# no chroot: the daemons would need copies of system files inside the private spool
postconf -c "$conf" -F '*/*/chroot = n' || exit 1
in_srv postfix -c "$conf" check 2>/dev/null
in_srv postfix -c "$conf" start >/dev/null 2>&1 || { cat "$SVC_WORK/maillog" >&2; exit 1; }
wait_tcp_port $port || exit 1

srv=$NETNS_SRV_IP
sender() { echo "$(svc_pick alerts noreply john.smith billing monitor)@$(svc_pick example.org example.com corp.example)"; }
rcpt() { echo "$(svc_pick anna ben chris dana eve ops sales)@example.net"; }
body_file() {   # a message body of N lines
    local f=$SVC_WORK/body.txt
    seq "$1" | sed 's/^/line of the message, with some ordinary words in it: /' > "$f"
    echo "$f"
}
attachment() {
    head -c "$(svc_pick 3000 40000 250000)" /dev/urandom > "$SVC_WORK/attach.bin"
    echo "$SVC_WORK/attach.bin"
}

# one session; $1 = tls or plain
smtp_session() {
    local tls=() quiet=(--silent 3)
    # stopping right after EHLO would leave a STARTTLS session without its TLS part
    local stop_early=(EHLO)
    [ "$1" = tls ] && tls=(-tls) stop_early=(RCPT)
    case $(svc_rand 1 8) in
    1|2|3)  in_cli timeout 60 swaks "${quiet[@]}" "${tls[@]}" -s "$srv" --ehlo "$(svc_pick client.example.org ws-$(svc_rand 1 99).corp.example laptop)" \
                -f "$(sender)" -t "$(rcpt)" --h-Subject "$(svc_pick 'Weekly report' 'Invoice' 'Re: meeting' 'Build failed')" \
                --body "$(body_file "$(svc_pick 1 5 40 300)")" $(svc_pick "" --pipeline "") ;;
    4)      in_cli timeout 60 swaks "${quiet[@]}" "${tls[@]}" -s "$srv" -f "$(sender)" -t "$(rcpt),$(rcpt),$(rcpt)" \
                --attach "$(attachment)" --body "$(body_file 10)" ;;
    5)      # a client that gives up after the envelope, or is refused a recipient
            in_cli timeout 60 swaks "${quiet[@]}" "${tls[@]}" -s "$srv" -f "$(sender)" \
                -t "$(svc_pick "$(rcpt)" someone@elsewhere.example)" --quit-after "$(svc_pick RCPT MAIL "${stop_early[@]}")" ;;
    6)      if [ ${#tls[@]} -eq 0 ]; then
                in_cli timeout 60 curl -s "smtp://$srv" --mail-from "$(sender)" --mail-rcpt "$(rcpt)" -T "$(body_file "$(svc_rand 2 200)")"
            else
                in_cli timeout 60 curl -s -k --ssl-reqd "smtp://$srv" --mail-from "$(sender)" --mail-rcpt "$(rcpt)" -T "$(body_file "$(svc_rand 2 200)")"
            fi ;;
    *)      # an application's mailer: several messages on one connection, with pauses
            in_cli timeout 60 "$SVC_PYTHON" - "$srv" "$1" "$FC_SEED$s" <<'PY' ;;
import random, smtplib, ssl, sys, time
from email.message import EmailMessage
host, mode, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
s = smtplib.SMTP(host, 25, local_hostname=rng.choice(["app01.corp.example", "cron.example.org"]), timeout=20)
if rng.random() < 0.2 and mode == "plain":
    s.helo()
else:
    s.ehlo()
if mode == "tls":
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    s.starttls(context=ctx); s.ehlo()
for i in range(rng.randint(1, 5)):
    time.sleep(rng.uniform(0.05, 0.4))
    if rng.random() < 0.15:
        s.noop(); s.verify(rng.choice(["anna", "postmaster"])); s.rset()
    m = EmailMessage()
    m["From"] = rng.choice(["alerts@example.org", "noreply@shop.example.com"])
    m["To"] = ", ".join(rng.sample(["anna@example.net", "ben@example.net", "ops@example.net"], rng.randint(1, 3)))
    m["Subject"] = rng.choice(["Order confirmation", "Password reset", "Daily digest", "Job finished"]) + f" #{i}"
    m.set_content("\n".join(f"Item {k}: {rng.random():.6f}" for k in range(rng.choice([3, 30, 400]))))
    if rng.random() < 0.2:
        m.add_attachment(rng.randbytes(rng.choice([2000, 60000])), maintype="application", subtype="octet-stream", filename="data.bin")
    s.send_message(m)
s.quit()
PY
    esac
}

sessions=36
for class in SMTP SMTPS; do
    if [ $class = SMTP ]; then pcap=$smtp_dir/smtp-$FC_BATCH.pcap mode=plain
    else pcap=$smtps_dir/smtps-$FC_BATCH.pcap mode=tls; fi
    capture_start "$pcap" "tcp port $port"
    for s in $(seq $sessions); do
        # what the clients print is of no interest here; the capture is the product
        smtp_session $mode >/dev/null 2>&1
        svc_think
    done
    capture_stop
    svc_end $class "$pcap" $sessions || exit 1
done
in_srv postfix -c "$conf" stop >/dev/null 2>&1
