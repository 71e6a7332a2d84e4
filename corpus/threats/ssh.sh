#!/usr/bin/env bash
# corpus/threats/ssh.sh OUTDIR: SSH sessions (OpenSSH and Dropbear) -> OUTDIR/SSH/FC_BATCH/
#
# An operator logging in with a key or a password and typing shell commands at a human
# speed with idle gaps (expect), one-off remote commands, and file transfers with scp
# (SFTP and legacy SCP protocol) and sftp, of random sizes. Ciphers, key exchange, host
# key types, compression, keepalives and terminal sizes vary with FC_SEED.
# Two implementations on each side, since captures in the wild hold both: OpenSSH's sshd
# (port 22) and Dropbear's server (port 2222, as on routers and small devices: a third of
# the sessions), OpenSSH's ssh/scp/sftp and Dropbear's dbclient (a third of the sessions;
# its transfers pipe the file through a remote cat, as scripts on such devices do).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init SSH "${1:-}" 36
access_user
W=$ACCESS_WORK

for t in ed25519 rsa ecdsa; do
    ssh-keygen -q -t $t -N '' -f "$W/host_$t" && ssh-keygen -q -t $t -N '' -f "$W/id_$t" || exit 3
    cat "$W/id_$t.pub" >> "$W/authorized_keys"
done
chmod 644 "$W/authorized_keys"
# Dropbear: its own host keys, and the client keys in its format; it reads a user's
# ~/.ssh/authorized_keys, so the Dropbear logins are the local account's
for t in ed25519 rsa ecdsa; do
    dropbearkey -t $t -f "$W/db_host_$t" >/dev/null 2>&1 &&
        dropbearconvert openssh dropbear "$W/id_$t" "$W/db_id_$t" >/dev/null 2>&1 || exit 3
done
install -d -m 700 -o "$ACCESS_USER" "/home/$ACCESS_USER/.ssh"
install -m 600 -o "$ACCESS_USER" "$W/authorized_keys" "/home/$ACCESS_USER/.ssh/authorized_keys"
cat > "$W/sshd_config" <<CFG
ListenAddress $NETNS_SRV_IP
Port 22
HostKey $W/host_ed25519
HostKey $W/host_rsa
HostKey $W/host_ecdsa
AuthorizedKeysFile $W/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM yes
StrictModes no
UseDNS no
MaxStartups 50
MaxSessions 20
PidFile $W/sshd.pid
Subsystem sftp internal-sftp
PrintMotd no
CFG
mkdir -p /run/sshd

netns_up
bg_srv /usr/sbin/sshd -D -e -f "$W/sshd_config" 2>"$W/sshd.log"
bg_srv dropbear -F -E -p "$NETNS_SRV_IP:2222" -r "$W/db_host_ed25519" -r "$W/db_host_rsa" -r "$W/db_host_ecdsa" \
    2>"$W/dropbear.log"
wait_tcp_port 22 && wait_tcp_port 2222 || exit 1
capture_start "$ACCESS_OUT/ssh-$FC_BATCH.pcap" "tcp port 22 or tcp port 2222"

# BatchMode ($1) and the server's port ($2): Dropbear 2022.83 has neither AES-GCM, the
# sntrup761 and group16 key exchanges nor rsa-sha2-512 host key signatures, and ssh would
# only fail to agree with it
ssh_options() {
    local key=$(pick ed25519 rsa ecdsa) ciphers=(chacha20-poly1305@openssh.com aes128-ctr aes256-ctr)
    local kex=(curve25519-sha256 ecdh-sha2-nistp256 diffie-hellman-group14-sha256)
    local host_keys=(ssh-ed25519 rsa-sha2-256 ecdsa-sha2-nistp256)
    if [ "$2" = 22 ]; then
        ciphers+=(aes128-gcm@openssh.com aes256-gcm@openssh.com)
        kex+=(sntrup761x25519-sha512@openssh.com diffie-hellman-group16-sha512)
        host_keys+=(rsa-sha2-512)
    fi
    echo -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
        -o BatchMode=$1 -i "$W/id_$key" -c "$(pick "${ciphers[@]}")" -o KexAlgorithms="$(pick "${kex[@]}")" \
        -o HostKeyAlgorithms="$(pick "${host_keys[@]}")" \
        -o Compression=$(pick no no yes) -o ServerAliveInterval=$(pick 0 0 2 5)
}

# dbclient's counterpart of ssh_options: key (or none: the password prompt), cipher, keepalive
dbclient_options() {
    local key=$(pick ed25519 rsa ecdsa)
    echo -y -y $([ "$1" = yes ] && echo -i "$W/db_id_$key") \
        -c "$(pick chacha20-poly1305@openssh.com aes128-ctr aes256-ctr)" -K "$(pick 0 0 2 5)"
}

# Each session's server (sshd on 22, Dropbear on 2222) and client (ssh or dbclient), drawn
# in the session; Dropbear's logins are the local account's (root's keys are sshd's only).
pick_ends() {
    port=$(pick 22 22 2222)
    client=$(pick ssh ssh dbclient)
    admin=$([ "$port" = 22 ] && echo root || echo "$ACCESS_USER")
}

interactive() {
    local port client admin user auth
    pick_ends
    user=$(pick "$admin" "$ACCESS_USER" "$ACCESS_USER")
    # root logs in with a key; the user with a key or by typing the password
    auth=$([ "$user" = root ] && echo yes || pick yes no)
    local spawn=(ssh -tt -p "$port" $(ssh_options "$auth" "$port"))
    [ "$client" = ssh ] || spawn=(dbclient -t -p "$port" $(dbclient_options "$auth"))
    FC_CMDS=$(access_commands "$(rand 3 8)") FC_TYPE_AVG=$(printf 0.%02d "$(rand 6 25)") \
    FC_ROWS=$(pick 24 40 50 60) FC_COLS=$(pick 80 120 160 200) \
        access_type ip netns exec "$NETNS_CLI" "${spawn[@]}" "$user@$NETNS_SRV_IP" >/dev/null
}

remote_command() {
    local port client admin
    pick_ends
    local run=(ssh -p "$port" $(ssh_options yes "$port"))
    [ "$client" = ssh ] || run=(dbclient -p "$port" $(dbclient_options yes))
    in_cli timeout 30 "${run[@]}" "$admin@$NETNS_SRV_IP" \
        "$(access_commands 3 | grep -v SLEEP | paste -sd';')" >/dev/null 2>&1
}

transfer() {
    local i=$1 size=$(( $(rand 1 400) * $(pick 256 1024 8192) )) f=$W/file$1 how=$(pick scp scp-legacy sftp)
    local port client admin
    pick_ends
    if [ "$(pick text random)" = text ]; then
        head -c "$size" /dev/urandom | base64 > "$f"
    else
        head -c "$size" /dev/urandom > "$f"
    fi
    [ "$client" = ssh ] || how=dbclient
    case $how in
    scp|scp-legacy)
        local legacy=$([ $how = scp-legacy ] && echo -O)
        if [ "$(pick up down)" = up ]; then
            in_cli timeout 60 scp $legacy -P "$port" $(ssh_options yes "$port") "$f" "$admin@$NETNS_SRV_IP:/tmp/fcgen-up$i"
        else
            in_cli timeout 60 scp $legacy -P "$port" $(ssh_options yes "$port") "$admin@$NETNS_SRV_IP:$f" "$f.back"
        fi ;;
    sftp)
        printf '%s\n' "cd /tmp" "put $f fcgen-up$i" "ls -l" "get fcgen-up$i $f.back" "rm fcgen-up$i" > "$f.batch"
        in_cli timeout 60 sftp -P "$port" -b "$f.batch" $(ssh_options yes "$port") "$admin@$NETNS_SRV_IP" ;;
    dbclient)
        if [ "$(pick up down)" = up ]; then
            in_cli timeout 60 dbclient -p "$port" $(dbclient_options yes) "$admin@$NETNS_SRV_IP" "cat > /tmp/fcgen-up$i" < "$f"
        else
            in_cli timeout 60 dbclient -p "$port" $(dbclient_options yes) "$admin@$NETNS_SRV_IP" "cat $f" > "$f.back"
        fi ;;
    esac >/dev/null 2>&1
    rm -f "$f" "$f.back" "$f.batch" "/tmp/fcgen-up$i"
}

session() {
    case $(pick interactive interactive interactive interactive remote_command transfer transfer) in
    interactive) interactive ;;
    remote_command) remote_command ;;
    transfer) transfer "$1" ;;
    esac
    sleep 0.$(rand 1 9)
}

run_sessions 3 session
capture_stop
access_done
