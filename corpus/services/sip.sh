#!/usr/bin/env bash
# corpus/services/sip.sh OUTDIR: SIP signalling sessions (class SIP) between two SIPp
# instances (Debian's sip-tester), in two network namespaces: a user agent server on port
# 5060 playing a registrar, PBX and presence server, and a user agent client playing a
# phone, a softphone, a PBX trunk or a monitoring probe. Both run XML scenarios written
# here for each session (sip_plan, from the seed): REGISTER with a 401 digest challenge
# (right or wrong password, refreshes, de-registration), OPTIONS pings, INVITE/ACK/BYE
# calls with SDP offers of varied codecs (with video, ICE attributes, DTMF by INFO,
# hold/resume re-INVITEs, the callee or the caller hanging up), calls to outside numbers
# challenged with 401/407, busy and unknown callees (486, 404), calls cancelled while
# ringing (CANCEL, 487), MESSAGE, SUBSCRIBE/NOTIFY (presence, dialog, message-summary,
# one-shot fetches and unsubscriptions). User-Agent strings, header sets, server
# personalities (Server header, realm, nonce and tag styles, 100 Trying, early media),
# timings and calls per run (1-7) change from session to session. About one UDP run in
# seven goes over a lossy path (SIPp's -lost on both ends: retransmissions, now and then a
# failed transaction), and one in sixteen finds no server at all (its requests are
# retransmitted a few times, unanswered, as to a dead registrar).
# A session is one SIPp client run: one UDP socket of its own (its own local port), or,
# for about one run in eight, one TCP connection (-t t1); the server is restarted for each
# session with that session's scenario. Signalling only: no RTP is sent, and the capture
# keeps port 5060 alone.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/SIP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=5060
dir=$(svc_class_dir SIP)
pcap=$dir/sip-$FC_BATCH.pcap

# writes one session's scenarios into folder $4: uas.xml (server), uac.xml and calls.csv
# (client, one line per call); prints the client's call count, rate period (ms), Call-ID
# format, network condition (ok, lossy, dead) and loss percentage
sip_plan() {
    $SVC_PYTHON - "$1" "$2" "$3" "$4" <<'PY'
import random, string, sys, time
seed, sess, transport, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(seed * 1009 + sess)
r, pick = rng.randint, rng.choice
def hexs(n): return "".join(rng.choices("0123456789abcdef", k=n))
def alnum(n): return "".join(rng.choices(string.ascii_letters + string.digits, k=n))
def chance(p): return rng.random() < p
tp = transport.lower()
tparam = ";transport=tcp" if tp == "tcp" else pick(["", "", ";transport=udp", ";transport=UDP"])

# ---- the server's personality -------------------------------------------------------
servers = [
    ("Server", "Asterisk PBX %s" % pick(["18.20.2", "20.5.2", "20.7.0", "21.2.0"]), "asterisk", 401,
     lambda: "%d/%s" % (r(1700000000, 1800000000), hexs(32)), lambda: hexs(8) + "-" + hexs(4) + "-" + hexs(4) + "-"),
    ("Server", "FPBX-%s(%s)" % (pick(["16.0.40.7", "17.0.15"]), pick(["18.20.0", "20.6.0"])), "asterisk", 401,
     lambda: "%d/%s" % (r(1700000000, 1800000000), hexs(32)), lambda: hexs(8) + "-" + hexs(4) + "-"),
    ("Server", "kamailio (%s (x86_64/linux))" % pick(["5.6.4", "5.7.3", "5.8.1"]), "sip.%s" % pick(["example.net", "voip.lan", "corp.example"]), 407,
     lambda: alnum(24) + "Zj", lambda: hexs(32) + "."),
    ("Server", "OpenSIPS (%s (x86_64/linux))" % pick(["3.2.12", "3.4.4"]), pick(["voip.example.org", "10.77.0.1"]), 407,
     lambda: hexs(8) + alnum(18), lambda: hexs(32) + "."),
    ("User-Agent", "FreeSWITCH-mod_sofia/%s-release~64bit" % pick(["1.10.9", "1.10.11"]), pick(["10.77.0.1", "pbx.office.lan"]), 401,
     lambda: "%s-%s-%s-%s-%s" % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12)), lambda: alnum(11)),
    ("User-Agent", "3CXPhoneSystem %s" % pick(["18.0.9.20", "20.0.1.345"]), "3CXPhoneSystem", 407,
     lambda: "414d535c" + hexs(16), lambda: hexs(8)),
    ("Server", "Cisco-CUCM%s" % pick(["12.5", "14.0"]), "ccmsipline", 401,
     lambda: alnum(22), lambda: "%d~%s-%s-" % (r(10000, 99999), hexs(8), hexs(4))),
    ("", "", pick(["sipgate.local", "voice.example.com"]), 407, lambda: hexs(32), lambda: "as" + hexs(6)),
]
s_hname, s_name, realm, chal_code, nonce_f, tag_f = pick(servers)
srv_hdr = "%s: %s" % (s_hname, s_name) if s_hname else ""
nonce = nonce_f()
stag = tag_f()
s_allow = pick(["OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL, UPDATE, PRACK, INFO, MESSAGE, REFER",
                "INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE",
                "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, REGISTER, REFER, NOTIFY, PUBLISH, SUBSCRIBE",
                "ACK,BYE,CANCEL,INFO,INVITE,MESSAGE,NOTIFY,OPTIONS,PRACK,REFER,UPDATE"])
s_supp = pick(["100rel, timer, replaces, norefersub", "path, outbound, gruu", "timer, path, replaces", "replaces,timer", ""])
qop = pick(["", "", ', qop="auth"'])
opaque = pick(["", "", ', opaque="%s"' % hexs(16)])
algo = pick([", algorithm=MD5", ", algorithm=MD5", ""])
trying_reg = chance(0.35)
early183 = chance(0.3)
ring_ms = r(700, 2200)
hold_ms = r(1500, 3600)
reg_expires = pick([60, 120, 300, 600, 1800, 3600])
msg_ok = pick(["200 OK", "202 Accepted"])
sub_ok = pick(["200 OK", "202 Accepted"])
date_hdr = "Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()) if chance(0.6) else ""
forbid = pick(["403 Forbidden", "403 Wrong password", "403 Authentication Failed"])
s_user = pick(["-", "FreeSWITCH", "root", "Asterisk", "mxsip", "CiscoSystemsCCM-SIP"])
s_sess = pick(["-", "Asterisk", "FreeSWITCH", "SIP Call", "SipCall"])
vm_counts = "%d/%d (%d/%d)" % (r(0, 4), r(0, 12), r(0, 1), r(0, 3))

# ---- the client's personality -------------------------------------------------------
clients = [
    dict(ua="Linphone-Desktop/%s (%s) LinphoneSDK/%s" % (pick(["5.1.2", "5.2.1"]), pick(["Ubuntu 22.04 LTS", "Windows 10", "macOS 13"]), pick(["5.2.98", "5.3.12"])),
         allow="INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, PRACK, UPDATE",
         supp="replaces, outbound, gruu, path", codecs=["opus", "speex16", "speex8", "PCMU", "PCMA"], video=0.4, ice=0.5),
    dict(ua="Z %s v2.10.%s" % (pick(["5.6.1", "5.5.13"]), pick(["19.6", "18.2"])),
         allow="INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, SUBSCRIBE, NOTIFY, PRACK, UPDATE, REFER",
         supp="replaces, norefersub", codecs=["PCMU", "PCMA", "GSM", "G722", "iLBC"], video=0.1, ice=0.0),
    dict(ua="MicroSIP/%s" % pick(["3.21.3", "3.21.4", "3.20.7"]),
         allow="PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS",
         supp="replaces, 100rel, timer, norefersub", codecs=["opus", "G722", "PCMA", "PCMU", "GSM"], video=0.15, ice=0.4,
         extra=["Session-Expires: 1800", "Min-SE: 90"]),
    dict(ua="baresip v%s (x86_64/Linux)" % pick(["2.9.0", "3.10.1"]),
         allow="INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,UPDATE,REFER",
         supp="replaces,norefersub,100rel", codecs=["opus", "G722", "PCMU", "PCMA"], video=0.2, ice=0.2),
    dict(ua="Yealink SIP-T%s %s" % (pick(["46S", "54W", "31P"]), pick(["66.86.0.15", "96.86.0.70", "124.86.0.40"])),
         allow="INVITE, INFO, PRACK, ACK, BYE, CANCEL, OPTIONS, NOTIFY, REGISTER, SUBSCRIBE, REFER, PUBLISH, UPDATE, MESSAGE",
         supp="", codecs=["PCMU", "PCMA", "G722", "G729"], video=0.0, ice=0.0,
         extra=["Allow-Events: talk,hold,conference,refer,check-sync", "Accept-Language: en"]),
    dict(ua="Grandstream GXP%s %s" % (pick(["2170", "1630", "2135"]), pick(["1.0.11.23", "1.0.9.135"])),
         allow="INVITE, ACK, OPTIONS, CANCEL, BYE, SUBSCRIBE, NOTIFY, INFO, REFER, UPDATE, MESSAGE",
         supp="replaces, path, timer, eventlist", codecs=["PCMU", "PCMA", "G722", "G729", "iLBC"], video=0.0, ice=0.0,
         extra=["Allow-Events: gs-note, talk, hold, conference, as-feature-event", "X-Grandstream-PBX: true"]),
    dict(ua="PolycomVVX-VVX_%s-UA/%s" % (pick(["411", "450", "311"]), pick(["6.4.3.5018", "6.3.1.8427"])),
         allow="INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, MESSAGE, SUBSCRIBE, NOTIFY, PRACK, UPDATE, REFER",
         supp="100rel,replaces", codecs=["G722", "PCMU", "PCMA", "G729", "iLBC"], video=0.0, ice=0.0,
         extra=["Allow-Events: conference,talk,hold", "Accept-Language: en"]),
    dict(ua="Cisco/SPA%s-%s" % (pick(["504G", "525G2", "303"]), pick(["7.6.2", "7.5.5"])),
         allow="ACK, BYE, CANCEL, INFO, INVITE, NOTIFY, OPTIONS, REFER, UPDATE",
         supp="replaces", codecs=["PCMU", "G729", "PCMA", "G722"], video=0.0, ice=0.0, extra=["Remote-Party-ID: <sip:USER@DOMAIN>;screen=yes;party=calling"]),
    dict(ua="snom%s/%s" % (pick(["D785", "720", "D717"]), pick(["10.1.101.11", "8.9.3.80"])),
         allow="INVITE, ACK, CANCEL, BYE, REFER, OPTIONS, NOTIFY, SUBSCRIBE, PRACK, MESSAGE, INFO, UPDATE",
         supp="timer, 100rel, replaces, from-change", codecs=["G722", "PCMA", "PCMU", "GSM", "G729"], video=0.0, ice=0.0,
         extra=["Allow-Events: talk, hold, refer, call-info"]),
    dict(ua="Jitsi%s%s" % (pick(["2.10.5550", "2.11.5628"]), pick(["Windows 10", "Linux", "Mac OS X"])),
         allow="INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, PRACK, UPDATE",
         supp="", codecs=["opus", "SILK", "G722", "speex16", "PCMU", "PCMA", "iLBC", "GSM"], video=0.5, ice=0.6),
    dict(ua="Asterisk PBX %s" % pick(["16.30.0", "18.21.0"]), allow="OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL, UPDATE, PRACK, MESSAGE, REFER",
         supp="100rel, timer, replaces, norefersub", codecs=["PCMU", "PCMA", "GSM", "G722"], video=0.0, ice=0.0,
         extra=["P-Asserted-Identity: \"Front desk\" <sip:USER@DOMAIN>", "Session-Expires: 1800;refresher=uac", "Min-SE: 90"]),
    dict(ua="FreeSWITCH-mod_sofia/1.10.%s-release~64bit" % pick(["7", "10"]),
         allow="INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, REGISTER, REFER, NOTIFY",
         supp="timer, path, replaces", codecs=["opus", "G722", "PCMU", "PCMA"], video=0.1, ice=0.0,
         extra=["Allow-Events: talk, hold, conference, refer", "Remote-Party-ID: \"USER\" <sip:USER@DOMAIN>;party=calling;screen=yes;privacy=off"]),
    dict(ua="OBIHAI/OBi%s-%s" % (pick(["202", "1032"]), pick(["3.2.2 (Build: 5859EX)", "5.1.11 (Build: 4046)"])),
         allow="INVITE,ACK,BYE,CANCEL,REFER,NOTIFY,INFO,OPTIONS,PRACK,UPDATE", supp="replaces,100rel",
         codecs=["PCMU", "PCMA", "G726", "G729"], video=0.0, ice=0.0),
    dict(ua="Sipsak 0.9.8.1", allow="", supp="", codecs=["PCMU"], video=0.0, ice=0.0, probe=True),
    dict(ua="OpenSIPS (3.4.4 (x86_64/linux))", allow="", supp="", codecs=["PCMU", "PCMA"], video=0.0, ice=0.0, probe=True),
]
cl = pick(clients)
user = pick(["1%02d" % r(0, 99), "2%02d" % r(0, 99), "%d" % r(3000, 8999), pick(["alice", "bob", "jdoe", "reception", "lab-phone", "office12", "kitchen"])])
display = pick(["", "", user, pick(["Alice Martin", "Reception", "Bob", "Conference Room", "J. Doe", "Lab 3", "Front desk"])])
domain = pick(["[remote_ip]", "[remote_ip]", realm if "." in realm else "[remote_ip]", pick(["pbx.office.lan", "sip.example.net", "voip.example.org"])])
password = alnum(r(8, 16))
wrong_pw = chance(0.12)
upw = alnum(10) if wrong_pw else password
ctag = pick([hexs(8), alnum(10), hexs(6) + "-", "as" + hexs(6), ""])
rport = pick(["", ";rport"])
cinst = ";+sip.instance=\"<urn:uuid:%s-%s-%s-%s-%s>\"" % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12)) if chance(0.35) else ""
cobs = pick(["", "", ";ob"]) if cinst else ""
contact = "<sip:%s@[local_ip]:[local_port]%s%s>%s" % (user, tparam, cobs, cinst)
from_hdr = ('"%s" ' % display if display else "") + "<sip:%s@%s>;tag=%s[call_number]" % (user, domain, ctag or "[pid]")
cbase = r(1, 30) * pick([1, 1, 10, 100])
common = ["Max-Forwards: 70"]
if cl.get("ua"): common.append("User-Agent: " + cl["ua"])
if cl.get("allow") and chance(0.9): common.append("Allow: " + cl["allow"])
if cl.get("supp") and chance(0.8): common.append("Supported: " + cl["supp"])
for e in cl.get("extra", []):
    if chance(0.7): common.append(e.replace("USER", user).replace("DOMAIN", domain))
common_hdrs = "\n".join(common)

# the SDP offer: codecs, attributes, perhaps video and ICE
CODECS = {"PCMU": (0, "PCMU/8000", None), "PCMA": (8, "PCMA/8000", None), "GSM": (3, "GSM/8000", None),
          "G722": (9, "G722/8000", None), "G729": (18, "G729/8000", "annexb=no"), "G726": (2, "G726-32/8000", None),
          "opus": (pick([96, 107, 111, 120]), "opus/48000/2", pick(["useinbandfec=1", "maxplaybackrate=16000; sprop-maxcapturerate=16000; minptime=20; useinbandfec=1", "useinbandfec=1; usedtx=1"])),
          "speex16": (97, "speex/16000", "vbr=on"), "speex8": (98, "speex/8000", "vbr=on"),
          "iLBC": (102, "iLBC/8000", pick(["mode=30", "mode=20"])), "SILK": (103, "SILK/24000", None)}
names = [c for c in cl["codecs"] if chance(0.75)] or cl["codecs"][:1]
if chance(0.3): rng.shuffle(names)
dtmf_pt = pick([101, 101, 100, 126])
pts = [CODECS[n][0] for n in names] + [dtmf_pt]
sdp = ["v=0", "o=%s [pid][call_number] %s IN IP4 [local_ip]" % (pick(["-", user, "root", "user1", "Zoiper", "FreeSWITCH"]), "VER"),
       "s=" + pick(["-", "Talk", "SIP Call", "pjmedia", "session", "Asterisk"]), "c=IN IP4 [local_ip]", "t=0 0"]
if chance(0.2): sdp.insert(4, "b=AS:%d" % pick([64, 84, 128, 256]))
sdp.append("m=audio [auto_media_port] RTP/AVP " + " ".join(map(str, pts)))
for n in names:
    pt, enc, fmtp = CODECS[n]
    sdp.append("a=rtpmap:%d %s" % (pt, enc))
    if fmtp: sdp.append("a=fmtp:%d %s" % (pt, fmtp))
sdp.append("a=rtpmap:%d telephone-event/8000" % dtmf_pt)
sdp.append("a=fmtp:%d 0-%d" % (dtmf_pt, pick([15, 16])))
if chance(0.6): sdp.append("a=ptime:%d" % pick([20, 20, 30]))
if chance(0.3): sdp.append("a=maxptime:%d" % pick([60, 150]))
if chance(0.3): sdp.append("a=rtcp:%d" % r(4000, 40000))
if chance(0.25): sdp.append("a=rtcp-mux")
if chance(cl["ice"]):
    sdp += ["a=ice-ufrag:%s" % alnum(8), "a=ice-pwd:%s" % alnum(24),
            "a=candidate:%s 1 UDP %d [local_ip] %d typ host" % (hexs(8), r(2113900000, 2130706431), r(4000, 60000)),
            "a=candidate:%s 2 UDP %d [local_ip] %d typ host" % (hexs(8), r(2113900000, 2130706431), r(4000, 60000))]
sdp.append("DIR")
if chance(cl["video"]):
    sdp += ["m=video [auto_media_port] RTP/AVP 96 97", "a=rtpmap:96 VP8/90000", "a=rtpmap:97 H264/90000",
            "a=fmtp:97 profile-level-id=42801F; packetization-mode=1", "a=rtcp-fb:* nack pli", "a=rtcp-fb:* ccm fir", "DIR"]
def offer(ver, direction):
    return "\n".join(sdp).replace("VER", str(ver)).replace("DIR", "a=" + direction)

# ---- what the client does: its calls ------------------------------------------------
probe = cl.get("probe", False)
kind_of_session = "probe" if probe else pick(["phone", "phone", "phone", "trunk", "reg", "keepalive", "messaging", "presence"])
exts = ["1%02d" % r(0, 99) for _ in range(3)] + ["2%02d" % r(0, 99) for _ in range(3)] + [pick(["alice", "bob", "sales", "support", "conf"])]
def callee(kind):
    if kind == "cancel": return pick(exts)
    return rng.choices([pick(exts), "4%02d" % r(0, 99), "9%03d" % r(0, 999), "0%d" % r(100000000, 999999999),
                        "+%d" % r(10000000000, 49999999999), pick(["*97", "*43", "*60"])], [10, 2, 1, 3, 2, 1])[0]
texts = ["hi", "ok", "on my way", "call me back when you can", "meeting moved to 3pm, room B",
         "Can you send me the report before the end of the day? Thanks", "lunch?", "the printer on the 2nd floor is out of toner again",
         "build finished: 0 errors, 2 warnings", "Reminder: the quarterly review starts in 10 minutes in the main conference room. Please bring your numbers.",
         "yes", "no", "I am in a call, will ring you later", "door code changed to the usual one plus 1"]
events = [("presence", "application/pidf+xml"), ("presence", "application/pidf+xml, application/xpidf+xml, application/simple-message-summary"),
          ("dialog", "application/dialog-info+xml"), ("message-summary", "application/simple-message-summary")]
def subscribe_line():
    ev, acc = pick(events)
    target = user if ev == "message-summary" else pick(exts)
    exp = pick(["0", "600", "3600", "1800"])
    return "sub;%s;%s;%s;%s;%s" % (target, ev, acc, exp, "u" if exp != "0" and chance(0.6) else "-")
def call_line(k): return "%s;%s;-;-;-;-" % (k, callee(k))
def pick_call(): return rng.choices(["call", "callr", "cancel"], [5, 3, 2])[0]
lines = []
if kind_of_session == "phone":
    lines.append("reg;-;-;-;-;-")
    for _ in range(r(1, 5)):
        k = rng.choices(["call", "opt", "sub", "msg"], [6, 2, 2, 1])[0]
        lines.append(call_line(pick_call()) if k == "call" else subscribe_line() if k == "sub" else
                     "msg;%s;%s;-;-;-" % (pick(exts), pick(texts)) if k == "msg" else "opt;-;-;-;-;-")
elif kind_of_session == "trunk":
    if chance(0.4): lines.append("reg;-;-;-;-;-")
    lines += [call_line(pick_call()) for _ in range(r(2, 6))]
elif kind_of_session == "reg":
    lines.append("reg;-;-;-;-;-")
    if chance(0.3): lines.append("opt;-;-;-;-;-")
elif kind_of_session in ("keepalive", "probe"):
    lines += ["opt;-;-;-;-;-"] * r(1, 5)
elif kind_of_session == "messaging":
    if chance(0.5): lines.append("reg;-;-;-;-;-")
    lines += ["msg;%s;%s;-;-;-" % (pick(exts), pick(texts)) for _ in range(r(1, 6))]
else:
    lines.append("reg;-;-;-;-;-")
    lines += [subscribe_line() for _ in range(r(1, 4))]
reg_follow = pick(["none", "none", "refresh", "unregister"]) if not wrong_pw else "none"
# the network: now and then a registrar that does not answer (nothing listens: the client
# retransmits, then gives up) or a lossy path (SIPp drops some messages; retransmissions)
net, lost = "ok", 0
if tp == "udp":
    net = rng.choices(["ok", "dead", "lossy"], [80, 6, 14])[0]
if net == "dead":
    lines = rng.choices([["reg;-;-;-;-;-"], ["opt;-;-;-;-;-"] * r(1, 3), [call_line("call")], ["reg;-;-;-;-;-", call_line("call")]], [4, 2, 2, 1])[0]
elif net == "lossy":
    lost = r(5, 20)

dtmf_n = pick([0, 0, 0, 1, 2, 4])
do_hold = chance(0.25)
# the caller's time in a call stays under the callee's hang-up time (hold_ms)
budget = hold_ms - 700 - dtmf_n * 250 - (700 if do_hold else 0)
talk1 = r(100, max(150, budget // 2))
talk2 = r(50, max(100, budget - talk1))

with open(out + "/calls.csv", "w") as f:
    f.write("SEQUENTIAL\n" + "\n".join(lines) + "\n")

# ---- client scenario ----------------------------------------------------------------
def msg(text):
    return "<![CDATA[\n\n" + "\n".join(l for l in text.strip("\n").split("\n") if l != "@") + "\n\n]]>"
def req(method, ruri, cseq, to, extra="", body=None, ctype=None, auth=False):
    h = ["%s %s SIP/2.0" % (method, ruri),
         "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]" + rport,
         "From: " + from_hdr, "To: " + to, "Call-ID: [call_id]", "CSeq: %s %s" % (cseq, method)]
    if auth: h.append("[authentication username=%s password=%s]" % (user, upw))
    if method not in ("ACK", "CANCEL", "BYE") or chance(0.3): h.append("Contact: " + contact)
    if method not in ("ACK", "CANCEL"): h.append(common_hdrs)
    else: h.append("Max-Forwards: 70")
    if extra: h.append(extra)
    if body is not None:
        h += ["Content-Type: " + ctype, "Content-Length: [len]", "", body]
    else:
        h.append("Content-Length: 0")
    return msg("\n".join(h))
def send(text, retrans=True): return '<send%s>%s</send>\n' % (' retrans="500"' if retrans else "", text)
def recv(what, **kw):
    a = "".join(' %s="%s"' % (k, v) for k, v in kw.items())
    return '<recv %s%s/>\n' % (what, a)
def jump(label, test=None): return '<nop hide="true"%s next="%s"/>\n' % (' test="%s"' % test if test else "", label)
def pause(lo, hi): return '<pause distribution="uniform" min="%d" max="%d"/>\n' % (lo, max(lo + 1, hi))
def ok_for_request():
    return send(msg("""
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
%s
Content-Length: 0
""" % ("User-Agent: " + cl["ua"] if chance(0.5) else "@")), retrans=False)

aor = "<sip:%s@%s>" % (user, domain)
to_callee = "<sip:[field1]@%s>" % domain
x = ['<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="fcgen SIP client">\n']
x.append("""<nop hide="true"><action>
<assignstr assign_to="kind" value="[field0]"/>
<assignstr assign_to="flag" value="[field5]"/>
<strcmp assign_to="c1" variable="kind" value="reg"/><test assign_to="k_reg" variable="c1" compare="equal" value="0"/>
<strcmp assign_to="c2" variable="kind" value="opt"/><test assign_to="k_opt" variable="c2" compare="equal" value="0"/>
<strcmp assign_to="c3" variable="kind" value="msg"/><test assign_to="k_msg" variable="c3" compare="equal" value="0"/>
<strcmp assign_to="c4" variable="kind" value="sub"/><test assign_to="k_sub" variable="c4" compare="equal" value="0"/>
<strcmp assign_to="c5" variable="kind" value="cancel"/><test assign_to="k_cancel" variable="c5" compare="equal" value="0"/>
<strcmp assign_to="c6" variable="kind" value="callr"/><test assign_to="k_callr" variable="c6" compare="equal" value="0"/>
<strcmp assign_to="c7" variable="flag" value="u"/><test assign_to="unsub" variable="c7" compare="equal" value="0"/>
</action></nop>
""")
for k in ("reg", "opt", "msg", "sub", "cancel"): x.append(jump("L" + k, "k_" + k))

# a call (the caller or the callee hangs up; DTMF by INFO, hold and resume)
inv_extra = "\n".join(e for e in [pick(["", "Subject: call", "Subject: Performance Test"]) if chance(0.2) else "",
                                  "Allow-Events: talk, hold" if chance(0.2) else "", "P-Early-Media: supported" if chance(0.15) else "",
                                  "Privacy: none" if chance(0.1) else ""] if e) 
x.append('<nop hide="true"><action><assignstr assign_to="cs" value="%d"/></action></nop>\n' % cbase)
x.append(send(req("INVITE", "sip:[field1]@" + domain, cbase, to_callee, inv_extra, offer(1, "sendrecv"), "application/sdp")))
def answers(first):
    return (recv('response="100"', optional="true") + recv('response="183"', optional="true") + recv('response="180"', optional="true") +
            (recv('response="401"', optional="true", auth="true", next="invauth") + recv('response="407"', optional="true", auth="true", next="invauth") if first else "") +
            recv('response="486"', optional="true", next="invfail") + recv('response="404"', optional="true", next="invfail") +
            '<recv response="200" rtd="true"%s><action><ereg regexp="sip:[^&gt;;]+" search_in="hdr" header="Contact:" assign_to="rcontact"/></action></recv>\n'
            % ("" if first else ' next="invok"'))
x.append(answers(True))
x.append('<label id="invok"/>\n')
ackline = lambda cs: send(req("ACK", "[$rcontact]", cs, to_callee + "[peer_tag_param]"), retrans=False)
x.append(ackline("[$cs]"))
x.append(jump("waitbye", "k_callr"))
x.append(pause(talk1 // 2, talk1))
n = cbase + 2
for i in range(dtmf_n):
    digit = pick("0123456789*#")
    x.append(send(req("INFO", "[$rcontact]", n, to_callee + "[peer_tag_param]", "",
                      "Signal=%s\nDuration=%d" % (digit, pick([100, 160, 250])), "application/dtmf-relay")))
    x.append(recv('response="200"') + pause(80, 250))
    n += 1
if do_hold:
    x.append(send(req("INVITE", "[$rcontact]", n, to_callee + "[peer_tag_param]", "", offer(2, "sendonly"), "application/sdp")))
    x.append(recv('response="100"', optional="true") + recv('response="200"') + ackline(n) + pause(150, 400))
    n += 1
    x.append(send(req("INVITE", "[$rcontact]", n, to_callee + "[peer_tag_param]", "", offer(3, "sendrecv"), "application/sdp")))
    x.append(recv('response="100"', optional="true") + recv('response="200"') + ackline(n))
    n += 1
x.append(pause(talk2 // 2, talk2))
x.append('<label id="hangup"/>\n')
bye_extra = 'Reason: Q.850;cause=16;text="Normal call clearing"' if chance(0.2) else ""
x.append(send(req("BYE", "[$rcontact]", n, to_callee + "[peer_tag_param]", bye_extra)) + recv('response="200"', next="end"))
x.append('<label id="waitbye"/>\n' + recv('request="BYE"', timeout=hold_ms + 4000, ontimeout="hangup") + ok_for_request() + jump("end"))
# the ACK of a final error answer to the INVITE
failure_ack = msg("""
ACK sip:[field1]@%s SIP/2.0
[last_Via:]
From: %s
[last_To:]
Call-ID: [call_id]
CSeq: [$cs] ACK
Max-Forwards: 70
Content-Length: 0
""" % (domain, from_hdr))
x.append('<label id="invfail"/>\n')
x.append(send(failure_ack, retrans=False) + jump("end"))
x.append('<label id="invauth"/>\n')
x.append(send(failure_ack, retrans=False))
x.append('<nop hide="true"><action><assignstr assign_to="cs" value="%d"/></action></nop>\n' % (cbase + 1))
x.append(send(req("INVITE", "sip:[field1]@" + domain, cbase + 1, to_callee, inv_extra, offer(1, "sendrecv"), "application/sdp", auth=True)))
x.append(answers(False))

# a call cancelled while ringing
x.append('<label id="Lcancel"/>\n')
x.append(send(req("INVITE", "sip:[field1]@" + domain, cbase, to_callee, inv_extra, offer(1, "sendrecv"), "application/sdp")))
x.append(recv('response="100"', optional="true") + recv('response="183"', optional="true") + recv('response="180"'))
x.append(pause(100, ring_ms - 400))
x.append(send(msg("""
CANCEL sip:[field1]@%s SIP/2.0
[last_Via:]
From: %s
To: %s
Call-ID: [call_id]
CSeq: %d CANCEL
Max-Forwards: 70
%s
Content-Length: 0
""" % (domain, from_hdr, to_callee, cbase, "User-Agent: " + cl["ua"] if chance(0.5) else "@"))))
x.append(recv('response="200"') + recv('response="487"'))
x.append(send(msg("""
ACK sip:[field1]@%s SIP/2.0
[last_Via:]
From: %s
[last_To:]
Call-ID: [call_id]
CSeq: %d ACK
Max-Forwards: 70
Content-Length: 0
""" % (domain, from_hdr, cbase)), retrans=False) + jump("end"))

# registration with its digest challenge; then perhaps a refresh or a de-registration
def register(cs, expires):
    star = expires == 0 and chance(0.5)
    ct = "Contact: *" if star else "Contact: " + contact + (";expires=%d" % expires if chance(0.3) else "")
    def one(c, auth):
        h = ["REGISTER sip:%s SIP/2.0" % domain, "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]" + rport,
             "From: " + from_hdr, "To: " + aor, "Call-ID: [call_id]", "CSeq: %d REGISTER" % c]
        if auth: h.append("[authentication username=%s password=%s]" % (user, upw))
        h += [ct, common_hdrs, "Expires: %d" % expires, "Content-Length: 0"]
        return msg("\n".join(h))
    return (send(one(cs, False)) + recv('response="100"', optional="true") + recv('response="401"', auth="true") +
            send(one(cs + 1, True)) + recv('response="100"', optional="true") +
            recv('response="403"', optional="true", next="end") + recv('response="200"'))
exp0 = pick([60, 120, 300, 600, 900, 1800, 3600])
x.append('<label id="Lreg"/>\n' + register(cbase, exp0))
if reg_follow != "none":
    x.append(pause(200, 1200) + register(cbase + 2, 0 if reg_follow == "unregister" else exp0))
x.append(jump("end"))

# OPTIONS: a keep-alive or a probe
x.append('<label id="Lopt"/>\n')
if probe:
    x.append(send(msg("""
OPTIONS sip:%s SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]%s
From: <sip:%s@[local_ip]:[local_port]>;tag=%s[call_number]
To: <sip:%s>
Call-ID: [call_id]
CSeq: %d OPTIONS
Max-Forwards: 70
%s
Contact: <sip:%s@[local_ip]:[local_port]>
Content-Length: 0
""" % (pick(["[remote_ip]:[remote_port]", domain]), rport, pick(["sipsak", "pinger", "monitor"]), ctag or "[pid]",
       pick(["[remote_ip]:[remote_port]", domain]), cbase, "User-Agent: " + cl["ua"], pick(["sipsak", "pinger", "monitor"])))))
else:
    x.append(send(req("OPTIONS", "sip:" + pick([domain, "[remote_ip]:[remote_port]"]), cbase, "<sip:%s>" % domain,
                      "Accept: application/sdp" if chance(0.6) else "")))
x.append(recv('response="200"', next="end"))

# MESSAGE: a short text
x.append('<label id="Lmsg"/>\n')
x.append(send(req("MESSAGE", "sip:[field1]@" + domain, cbase, to_callee, "", "[field2]",
                  pick(["text/plain", "text/plain;charset=UTF-8", "text/plain; charset=utf-8"]))))
x.append(recv('response="200"', optional="true", next="end") + recv('response="202"', next="end"))

# SUBSCRIBE and the NOTIFY it brings; perhaps an unsubscription later
def subscribe(cs, expires, to):
    return send(req("SUBSCRIBE", "sip:[field1]@" + domain, cs, to, "Event: [field2]\nAccept: [field3]\nExpires: " + expires)) + \
        recv('response="200"', optional="true") + recv('response="202"', optional="true") + recv('request="NOTIFY"') + ok_for_request()
x.append('<label id="Lsub"/>\n' + subscribe(cbase, "[field4]", to_callee))
x.append(jump("unsubscribe", "unsub") + jump("end"))
x.append('<label id="unsubscribe"/>\n' + pause(200, 1500) + subscribe(cbase + 1, "0", to_callee + "[peer_tag_param]"))
x.append('<label id="end"/>\n<nop hide="true"/>\n</scenario>\n')
open(out + "/uac.xml", "w").write("".join(x))

# ---- server scenario ----------------------------------------------------------------
sv = srv_hdr if srv_hdr else "@"
stag_full = stag + "[call_number]"
def resp(status, to_tag=True, extra="", body=None, ctype=None, contact_line=True, to=None):
    h = ["SIP/2.0 " + status, "[last_Via:]", "[last_From:]",
         to if to else ("[last_To:];tag=" + stag_full if to_tag else "[last_To:]"), "[last_Call-ID:]", "[last_CSeq:]"]
    if contact_line: h.append("Contact: <sip:[$ruser]@[local_ip]:[local_port]%s>" % tparam)
    h.append(sv)
    if extra: h.append(extra)
    if body is not None: h += ["Content-Type: " + ctype, "Content-Length: [len]", "", body]
    else: h.append("Content-Length: 0")
    return msg("\n".join(h))
auth_hdr = 'Digest realm="%s", nonce="%s[clock_tick]"%s%s%s' % (realm, nonce, algo, qop, opaque)
def answer_sdp(ver, direction, video):
    s = ["v=0", "o=%s [pid][call_number] %d IN IP4 [local_ip]" % (s_user, ver), "s=" + s_sess, "c=IN IP4 [local_ip]", "t=0 0",
         "m=audio [auto_media_port] RTP/AVP [$pt] %d" % dtmf_pt, "a=rtpmap:[$rtpmap]", "a=rtpmap:%d telephone-event/8000" % dtmf_pt,
         "a=fmtp:%d 0-16" % dtmf_pt]
    if chance(0.5): s.append("a=ptime:20")
    if chance(0.4): s.append("a=maxptime:150")
    s.append("a=" + direction)
    if video: s.append("m=video 0 RTP/AVP [$vpt]")
    return "\n".join(s)
y = ['<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="fcgen SIP server">\n']
y.append(recv('request="REGISTER"', optional="true", next="reg") + recv('request="OPTIONS"', optional="true", next="opt") +
         recv('request="MESSAGE"', optional="true", next="msg"))
y.append("""<recv request="SUBSCRIBE" optional="true" next="sub"><action>
<ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="sfrom"/>
<ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="sto"/>
<ereg regexp="sip:[^&gt;;]+" search_in="hdr" header="Contact:" assign_to="scontact"/>
<ereg regexp="sip:[^&gt;;]+" search_in="hdr" header="To:" assign_to="suri"/>
<ereg regexp="^SUBSCRIBE sip:([^@;]+)" search_in="msg" assign_to="dummy,ruser"/>
<ereg regexp="message-summary" search_in="hdr" header="Event:" assign_to="evmwi"/>
<ereg regexp="dialog" search_in="hdr" header="Event:" assign_to="evdlg"/>
<ereg regexp="^ *0" search_in="hdr" header="Expires:" assign_to="fetch"/>
</action></recv>
<recv request="INVITE" next="inv"><action>
<ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="ifrom"/>
<ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="ito"/>
<ereg regexp="sip:[^&gt;;]+" search_in="hdr" header="Contact:" assign_to="icontact"/>
<ereg regexp="^INVITE sip:([^@;]+)" search_in="msg" assign_to="dummy,ruser"/>
<ereg regexp="^INVITE sip:4" search_in="msg" assign_to="isbusy"/>
<ereg regexp="^INVITE sip:9" search_in="msg" assign_to="isnf"/>
<ereg regexp="^INVITE sip:[0+]" search_in="msg" assign_to="isext"/>
<ereg regexp="^INVITE sip:[*]" search_in="msg" assign_to="isfeat"/>
<ereg regexp="m=audio [0-9]+ RTP/AVP ([0-9]+)" search_in="body" assign_to="dummy,pt"/>
<ereg regexp="a=rtpmap:([0-9]+ [^[:cntrl:]]+)" search_in="body" assign_to="dummy,rtpmap"/>
<ereg regexp="m=video [0-9]+ RTP/AVP ([0-9]+)" search_in="body" assign_to="hasvid,vpt"/>
</action></recv>
""")
# REGISTER: challenge, check the answer, 200 or 403; a later REGISTER of the same call is challenged again
trying = send(resp("100 Trying", to_tag=False, contact_line=False), retrans=False) if trying_reg else ""
y.append('<label id="reg"/>\n' + trying)
y.append(send(resp("401 Unauthorized", contact_line=False, extra="WWW-Authenticate: " + auth_hdr), retrans=False))
y.append('<recv request="REGISTER" timeout="10000" ontimeout="done"><action><verifyauth assign_to="authok" username="%s" password="%s"/></action></recv>\n' % (user, password))
y.append(trying + jump("regok", "authok"))
y.append(send(resp(forbid, contact_line=False), retrans=False) + jump("done"))
y.append('<label id="regok"/>\n')
y.append(send(msg("""
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=%s
[last_Call-ID:]
[last_CSeq:]
[last_Contact:];expires=%d
%s
%s
%s
Content-Length: 0
""" % (stag_full, reg_expires, sv, date_hdr or "@", "Allow: " + s_allow if chance(0.5) else "@")), retrans=False))
y.append(recv('request="REGISTER"', timeout=9000, ontimeout="done", next="reg"))
# OPTIONS and MESSAGE
y.append('<label id="opt"/>\n')
y.append(send(resp("200 OK", contact_line=False, extra="\n".join(l for l in [
    "Allow: " + s_allow, "Accept: application/sdp" + pick(["", ", application/dtmf-relay, application/pidf+xml"]),
    "Supported: " + s_supp if s_supp else "", "Accept-Encoding: identity" if chance(0.4) else "",
    "Accept-Language: en" if chance(0.4) else "", date_hdr] if l)), retrans=False) + jump("done"))
y.append('<label id="msg"/>\n' + send(resp(msg_ok, contact_line=False, extra=date_hdr), retrans=False) + jump("done"))
# SUBSCRIBE: accept, NOTIFY the state; an unsubscription ends it with a last NOTIFY
sub_exp = pick([600, 1800, 3600])
to_sub = "To: [$sto];tag=" + stag_full
y.append('<label id="sub"/>\n<nop hide="true"><action><assignstr assign_to="ncs" value="%d"/><assignstr assign_to="state" value="active;expires=%d"/></action></nop>\n' % (r(1, 9), sub_exp))
y.append(jump("subterm", "fetch") + jump("subresp"))
y.append('<label id="subterm"/>\n<nop hide="true"><action><assignstr assign_to="state" value="terminated;reason=%s"/></action></nop>\n' % pick(["timeout", "noresource", "deactivated"]))
y.append('<label id="subresp"/>\n')
y.append(send(resp(sub_ok, to=to_sub, extra="Expires: %d" % sub_exp), retrans=False))
def notify(ctype, body):
    return send(msg("""
NOTIFY [$scontact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
Max-Forwards: 70
From: [$sto];tag=%s
To: [$sfrom]
Contact: <sip:[$ruser]@[local_ip]:[local_port]%s>
Call-ID: [call_id]
CSeq: [$ncs] NOTIFY
[last_Event:]
Subscription-State: [$state]
%s
Content-Type: %s
Content-Length: [len]

%s
""" % (stag_full, tparam, sv, ctype, body)))
basic = pick(["open", "closed"])
pidf = """<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="[$suri]">
<tuple id="%s">
<status><basic>%s</basic></status>
<contact priority="1">[$suri]</contact>
</tuple>%s
</presence>""" % (alnum(8), basic, pick(["", "\n<note>%s</note>" % pick(["On the phone", "Away", "Available", "In a meeting"])]))
dlg = """<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="%d" state="full" entity="[$suri]">%s
</dialog-info>""" % (r(0, 40), pick(["", '\n<dialog id="%s" direction="%s"><state>%s</state></dialog>' % (
    hexs(12), pick(["initiator", "recipient"]), pick(["confirmed", "terminated", "early"]))]))
mwi = "Messages-Waiting: %s\nMessage-Account: sip:*97@[local_ip]\nVoice-Message: %s" % (pick(["yes", "no"]), vm_counts)
y.append('<label id="notify"/>\n' + jump("nmwi", "evmwi") + jump("ndlg", "evdlg"))
# (each send is followed by its recv: an answer arriving while the call sits on a nop is lost)
nok = recv('response="200"', timeout=5000, ontimeout="done", next="nwait")
y.append(notify("application/pidf+xml", pidf) + nok)
y.append('<label id="nmwi"/>\n' + notify("application/simple-message-summary", mwi) + nok)
y.append('<label id="ndlg"/>\n' + notify("application/dialog-info+xml", dlg) + nok)
y.append('<label id="nwait"/>\n' + jump("done", "fetch"))
y.append("""<recv request="SUBSCRIBE" timeout="9000" ontimeout="done"><action><ereg regexp="^ *0" search_in="hdr" header="Expires:" assign_to="fetch"/></action></recv>
<nop hide="true"><action><assignstr assign_to="ncs" value="%d"/><assignstr assign_to="state" value="terminated"/></action></nop>
""" % r(10, 20))
y.append(send(resp(sub_ok, to="[last_To:]", extra="Expires: 0"), retrans=False) + jump("notify"))
# INVITE
y.append('<label id="inv"/>\n' + jump("invchal", "isext"))
y.append('<label id="ring"/>\n' + send(resp("100 Trying", to_tag=False, contact_line=False), retrans=False))
y.append(jump("busy", "isbusy") + jump("notfound", "isnf") + jump("answer", "isfeat"))
if early183:
    y.append(jump("ring183", "hasvid") + send(resp("183 Session Progress", body=answer_sdp(1, "sendrecv", False), ctype="application/sdp"), retrans=False) + jump("ring180"))
    y.append('<label id="ring183"/>\n' + send(resp("183 Session Progress", body=answer_sdp(1, "sendrecv", True), ctype="application/sdp"), retrans=False))
    y.append('<label id="ring180"/>\n')
y.append(send(resp("180 Ringing"), retrans=False))
y.append('<recv request="CANCEL" timeout="%d" ontimeout="answer"><action><ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="ccseq"/></action></recv>\n' % ring_ms)
y.append(send(resp("200 OK", contact_line=False), retrans=False))
y.append(send(msg("""
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
To: [$ito];tag=%s
[last_Call-ID:]
CSeq: [$ccseq] INVITE
%s
Content-Length: 0
""" % (stag_full, sv)), retrans=False))
y.append(recv('request="ACK"', timeout=5000, ontimeout="done", next="done"))
y.append('<label id="busy"/>\n' + send(resp("486 Busy Here", contact_line=False), retrans=False) + recv('request="ACK"', timeout=5000, ontimeout="done", next="done"))
y.append('<label id="notfound"/>\n' + send(resp("404 Not Found", contact_line=False), retrans=False) + recv('request="ACK"', timeout=5000, ontimeout="done", next="done"))
chal = "407 Proxy Authentication Required" if chal_code == 407 else "401 Unauthorized"
chal_h = ("Proxy-Authenticate: " if chal_code == 407 else "WWW-Authenticate: ") + auth_hdr
y.append('<label id="invchal"/>\n' + send(resp(chal, contact_line=False, extra=chal_h), retrans=False))
y.append(recv('request="ACK"', timeout=5000, ontimeout="done") + recv('request="INVITE"', timeout=5000, ontimeout="done", next="ring"))
y.append('<label id="answer"/>\n' + jump("answerv", "hasvid"))
ack = recv('request="ACK"', timeout=8000, ontimeout="done", next="answered")
y.append(send(resp("200 OK", extra="Allow: " + s_allow, body=answer_sdp(1, "sendrecv", False), ctype="application/sdp")) + ack)
y.append('<label id="answerv"/>\n' + send(resp("200 OK", extra="Allow: " + s_allow, body=answer_sdp(1, "sendrecv", True), ctype="application/sdp")) + ack)
y.append('<label id="answered"/>\n')
y.append('<nop hide="true"><action><assign assign_to="nre" value="0"/></action></nop>\n')
y.append('<label id="incall"/>\n' + recv('request="BYE"', optional="true", next="gotbye", timeout=hold_ms, ontimeout="srvbye"))
y.append(recv('request="INFO"', optional="true", next="info") + recv('request="INVITE"', next="reinv"))
y.append('<label id="info"/>\n' + send(resp("200 OK", to_tag=False, contact_line=False), retrans=False) + jump("incall"))
y.append('<label id="reinv"/>\n<nop hide="true"><action><add assign_to="nre" value="1"/><test assign_to="resume" variable="nre" compare="greater_than" value="1.5"/></action></nop>\n')
y.append(jump("resume", "resume"))
y.append(send(resp("200 OK", to_tag=False, body=answer_sdp(2, "recvonly", False), ctype="application/sdp")) + recv('request="ACK"') + jump("incall"))
y.append('<label id="resume"/>\n' + send(resp("200 OK", to_tag=False, body=answer_sdp(3, "sendrecv", False), ctype="application/sdp")) + recv('request="ACK"') + jump("incall"))
y.append('<label id="gotbye"/>\n' + send(resp("200 OK", to_tag=False, contact_line=False), retrans=False) + jump("done"))
y.append('<label id="srvbye"/>\n')
y.append(send(msg("""
BYE [$icontact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
Max-Forwards: 70
From: [$ito];tag=%s
To: [$ifrom]
Call-ID: [call_id]
CSeq: %d BYE
%s
%s
Content-Length: 0
""" % (stag_full, r(10, 200), sv, pick(["@", 'Reason: Q.850;cause=16;text="Normal Clearing"', "X-Asterisk-HangupCause: Normal Clearing"])))))
y.append(recv('response="200"', timeout=5000, ontimeout="done"))
y.append('<label id="done"/>\n<nop hide="true"/>\n</scenario>\n')
open(out + "/uas.xml", "w").write("".join(y))

# how the client runs: calls, rate period, Call-ID format
cid = pick(["%u-%p@%s", "%p%u" + hexs(12), hexs(8) + "-%u-%p", alnum(10) + "%u%p@%s", hexs(6) + "%u" + hexs(6) + "%p"])
print(len(lines), r(250, 1100) if kind_of_session not in ("keepalive", "probe") else r(300, 1200), cid, net, lost)
PY
}

capture_start "$pcap" "port $port"
sessions=38
for s in $(seq $sessions); do
    plan=$SVC_WORK/s$s
    mkdir -p "$plan"
    cd "$plan" || exit 1
    transport=udp t=u1
    [ "$(svc_rand 1 8)" -eq 1 ] && transport=tcp t=t1
    read -r calls period cid net lost < <(sip_plan "$FC_SEED" "$s" "$transport" "$plan") || { netns_say "session $s: no plan"; exit 1; }
    srvopt=() cliopt=() uas=""
    case $net in
    lossy) srvopt=(-lost "$lost") cliopt=(-lost "$lost") ;;
    # a client that gets no answer gives up after a few retransmissions
    dead) cliopt=(-max_invite_retrans "$(svc_rand 2 3)" -max_non_invite_retrans "$(svc_rand 2 3)") ;;
    esac
    # the server, fresh for this session, with its personality (none: a dead registrar)
    if [ "$net" != dead ]; then
        bg_srv sipp -sf "$plan/uas.xml" -t $t -i "$NETNS_SRV_IP" -p $port "${srvopt[@]}" -nd -nostdin -l 100 -deadcall_wait 2000 >/dev/null 2>&1
        uas=$!
        wait_port "$transport" $port || exit 1
    fi
    # the client: its own local port; calls started one per rate period
    cport=$(( 10000 + s * 900 + $(svc_rand 0 899) ))
    in_cli timeout 60 sipp -sf uac.xml -inf calls.csv -t $t -i "$NETNS_CLI_IP" -p $cport "${cliopt[@]}" \
        -m "$calls" -r 1 -rp "$period" -l 20 -cid_str "$cid" -nd -nostdin -recv_timeout 9000 -timeout 40 \
        "$NETNS_SRV_IP:$port" >/dev/null 2>&1
    [ -n "$uas" ] && { kill "$uas" 2>/dev/null; wait "$uas" 2>/dev/null; }
    cd "$SVC_WORK" || exit 1
    svc_think
done
capture_stop
svc_end SIP "$pcap" $sessions
