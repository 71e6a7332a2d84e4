#!/usr/bin/env bash
# corpus/threats/ssh.sh OUTDIR: SSH sessions (OpenSSH client and sshd) -> OUTDIR/SSH/FC_BATCH/
#
# An operator logging in with a key or a password and typing shell commands at a human
# speed with idle gaps (expect), one-off remote commands, and file transfers with scp
# (SFTP and legacy SCP protocol) and sftp, of random sizes. Ciphers, key exchange, host
# key types, compression, keepalives and terminal sizes vary with FC_SEED.
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
wait_tcp_port 22 || exit 1
capture_start "$ACCESS_OUT/ssh-$FC_BATCH.pcap" "tcp port 22"

ssh_options() {
    local key=$(pick ed25519 rsa ecdsa)
    echo -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
        -o BatchMode=$1 -i "$W/id_$key" \
        -c "$(pick chacha20-poly1305@openssh.com aes128-ctr aes256-ctr aes128-gcm@openssh.com aes256-gcm@openssh.com)" \
        -o KexAlgorithms="$(pick curve25519-sha256 sntrup761x25519-sha512@openssh.com ecdh-sha2-nistp256 diffie-hellman-group14-sha256 diffie-hellman-group16-sha512)" \
        -o HostKeyAlgorithms="$(pick ssh-ed25519 rsa-sha2-512 rsa-sha2-256 ecdsa-sha2-nistp256)" \
        -o Compression=$(pick no no yes) -o ServerAliveInterval=$(pick 0 0 2 5)
}

interactive() {
    local user=$(pick root "$ACCESS_USER" "$ACCESS_USER") auth
    # root logs in with a key; the user with a key or by typing the password
    auth=$([ "$user" = root ] && echo yes || pick yes no)
    FC_CMDS=$(access_commands "$(rand 3 8)") FC_TYPE_AVG=$(printf 0.%02d "$(rand 6 25)") \
    FC_ROWS=$(pick 24 40 50 60) FC_COLS=$(pick 80 120 160 200) \
        access_type ip netns exec "$NETNS_CLI" ssh -tt $(ssh_options "$auth") "$user@$NETNS_SRV_IP" >/dev/null
}

remote_command() {
    in_cli timeout 30 ssh $(ssh_options yes) "root@$NETNS_SRV_IP" \
        "$(access_commands 3 | grep -v SLEEP | paste -sd';')" >/dev/null 2>&1
}

transfer() {
    local i=$1 size=$(( $(rand 1 400) * $(pick 256 1024 8192) )) f=$W/file$1 how=$(pick scp scp-legacy sftp)
    if [ "$(pick text random)" = text ]; then
        head -c "$size" /dev/urandom | base64 > "$f"
    else
        head -c "$size" /dev/urandom > "$f"
    fi
    case $how in
    scp|scp-legacy)
        local legacy=$([ $how = scp-legacy ] && echo -O)
        if [ "$(pick up down)" = up ]; then
            in_cli timeout 60 scp $legacy $(ssh_options yes) "$f" "root@$NETNS_SRV_IP:/tmp/fcgen-up$i" 
        else
            in_cli timeout 60 scp $legacy $(ssh_options yes) "root@$NETNS_SRV_IP:$f" "$f.back"
        fi ;;
    sftp)
        printf '%s\n' "cd /tmp" "put $f fcgen-up$i" "ls -l" "get fcgen-up$i $f.back" "rm fcgen-up$i" > "$f.batch"
        in_cli timeout 60 sftp -b "$f.batch" $(ssh_options yes) "root@$NETNS_SRV_IP" ;;
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
