#!/usr/bin/env bash
# corpus/services/ftp.sh OUTDIR: FTP control sessions (class FTP; nDPI says FTP_CONTROL)
# between vsftpd and curl, wget and Python's ftplib (Debian's vsftpd, curl, wget, python3),
# in two network namespaces. Sessions log in as a local user or anonymously, list folders,
# download and upload files of a few hundred bytes to a few MB, in passive (EPSV/PASV) and
# active (PORT) mode, and send SIZE, MDTM, CWD, MKD, DELE. Only the control connection
# (port 21) is captured: the data connections carry bare file contents, which are no
# protocol of their own.
#
# The local user: a system account "fcftp" (no shell, home /var/lib/fcgen-ftp, password drawn
# anew on every run) is
# created when missing, with a PAM service of its own (/etc/pam.d/fcgen-ftp: pam_unix only,
# since the account has no login shell for pam_shells to accept).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/FTP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=21
dir=$(svc_class_dir FTP)
pcap=$dir/ftp-$FC_BATCH.pcap

user=fcftp
pass=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
# vsftpd enters the account's home before local_root, so the home must exist
id "$user" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/fcgen-ftp --shell /usr/sbin/nologin "$user" || exit 1
mkdir -p /var/lib/fcgen-ftp
usermod --home /var/lib/fcgen-ftp "$user" || exit 1
echo "$user:$pass" | chpasswd || exit 1
[ -f /etc/pam.d/fcgen-ftp ] || printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_permit.so\n' > /etc/pam.d/fcgen-ftp

# the files: sizes drawn from the seed
home=$SVC_WORK/home
pub=$SVC_WORK/pub
mkdir -p "$home/reports" "$home/incoming" "$pub/mirror"
for i in $(seq 8); do head -c "$(svc_pick 300 4000 60000 400000 1500000)" /dev/urandom > "$home/reports/report$i.bin"; done
for i in $(seq 5); do head -c "$(svc_pick 500 20000 800000)" /dev/urandom > "$pub/mirror/release$i.tar.gz"; done
echo "welcome" > "$pub/README"
chown -R "$user" "$home"
mkdir -p /var/run/vsftpd/empty

cat > "$SVC_WORK/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=$NETNS_SRV_IP
listen_port=$port
background=NO
anonymous_enable=YES
anon_root=$pub
no_anon_password=NO
local_enable=YES
local_root=$home
write_enable=YES
local_umask=022
pasv_enable=YES
pasv_min_port=40000
pasv_max_port=40999
connect_from_port_20=YES
seccomp_sandbox=NO
secure_chroot_dir=/var/run/vsftpd/empty
pam_service_name=fcgen-ftp
xferlog_enable=NO
dirmessage_enable=NO
ftpd_banner=$(svc_pick "(vsFTPd 3.0.3)" "Welcome to the file server." "FTP server ready.")
EOF
bg_srv vsftpd "$SVC_WORK/vsftpd.conf"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

srv=$NETNS_SRV_IP
login=$user:$pass
sessions=36
for s in $(seq $sessions); do
    # what the clients print is of no interest here; the capture is the product
    case $(svc_rand 1 12) in
    1|2)  in_cli timeout 60 curl -s -o /dev/null $(svc_pick "" --disable-epsv "-P -") \
              "ftp://$login@$srv/reports/report$(svc_rand 1 8).bin" ;;
    3)    in_cli timeout 60 curl -s "ftp://$login@$srv/$(svc_pick reports/ incoming/ "")" ;;
    4)    head -c "$(svc_pick 200 9000 300000)" /dev/urandom |
              in_cli timeout 60 curl -s -T - "ftp://$login@$srv/incoming/up$s-$FC_BATCH.dat" ;;
    5)    in_cli timeout 60 curl -s -o /dev/null "ftp://$srv/mirror/release$(svc_rand 1 5).tar.gz" ;;
    6)    in_cli timeout 60 curl -s -I "ftp://$login@$srv/reports/report$(svc_rand 1 8).bin" ;;
    7)    in_cli timeout 60 wget -q -O /dev/null "ftp://$srv/mirror/release$(svc_rand 1 5).tar.gz" ;;
    *)    # a script: several commands with pauses, one control connection
        in_cli timeout 60 "$SVC_PYTHON" - "$srv" "$(svc_pick "$user" anonymous)" "$pass" "$FC_SEED$s" <<'PY'
import ftplib, io, random, sys, time
host, user, password, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
ftp = ftplib.FTP(host, timeout=20)
ftp.login(user, password if user != "anonymous" else "guest@example.org")
ftp.set_pasv(rng.random() < 0.8)
folders = ["reports", "incoming"] if user != "anonymous" else ["mirror"]
for _ in range(rng.randint(2, 7)):
    time.sleep(rng.uniform(0.05, 0.4))
    step = rng.choice(["list", "get", "size", "pwd", "put", "cwd"])
    folder = rng.choice(folders)
    try:
        if step == "list":
            ftp.nlst(folder) if rng.random() < 0.5 else ftp.retrlines("LIST " + folder, lambda line: None)
        elif step == "get":
            names = ftp.nlst(folder)
            if names:
                ftp.retrbinary("RETR " + rng.choice(names), lambda block: None)
        elif step == "size":
            for name in ftp.nlst(folder)[:3]:
                ftp.size(name)
                ftp.voidcmd("MDTM " + name)
        elif step == "pwd":
            ftp.pwd(); ftp.voidcmd("SYST"); ftp.voidcmd("NOOP")
        elif step == "put" and user != "anonymous":
            name = "incoming/s%d-%d.txt" % (seed, rng.randint(1, 999))
            ftp.storbinary("STOR " + name, io.BytesIO(rng.randbytes(rng.choice([100, 5000, 70000]))))
            if rng.random() < 0.5:
                ftp.delete(name)
        elif step == "cwd":
            ftp.cwd(folder); ftp.cwd("/")
    except ftplib.error_perm:
        pass
ftp.quit()
PY
        ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end FTP "$pcap" $sessions
