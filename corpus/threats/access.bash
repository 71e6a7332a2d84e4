# corpus/threats/access.bash: what the remote-access and tunnel generators share
# (vnc, rdp, ssh, telnet, shadowsocks, vmess, obfs4, stratum). Sourced after
# corpus/lib/netns.sh; named .bash so that make-captures does not run it as a generator.
#
#   access_init CLASS OUTDIR DEFAULT_SESSIONS
#                       checks FC_BATCH/FC_SEED, makes ACCESS_OUT=OUTDIR/CLASS/FC_BATCH
#                       and a scratch folder ACCESS_WORK (removed on exit); the number
#                       of sessions is FC_SESSIONS if set (the short test-sample runs),
#                       else DEFAULT_SESSIONS, in ACCESS_SESSIONS
#   rand LO HI          a number in LO..HI, the next of the seeded sequence
#                       (corpus/lib/seeded.sh: FC_SEED's, or the session's)
#   pick WORD...        one of the words (the same sequence)
#   run_sessions WORKERS FUNC
#                       calls FUNC I for I in 1..ACCESS_SESSIONS, WORKERS at a time;
#                       each session has its own sequence, seeded from FC_SEED and I, so
#                       what a session does is the same whatever the parallelism
#   access_user         makes the local account fcremote (password in ACCESS_PASSWORD)
#                       that the password logins (ssh, telnet, rdp) use
#   access_commands N   N shell commands an operator might type, one a line, with
#                       "SLEEP S" lines for idle gaps between some of them
#   access_type SPAWN... an operator at a terminal: expect runs SPAWN, answers login and
#                       password prompts with ACCESS_USER/ACCESS_PASSWORD, then types
#                       the lines of FC_CMDS (SLEEP lines are idle gaps) at a human speed
#                       (FC_TYPE_AVG seconds a key), in a FC_ROWS x FC_COLS terminal
#   access_done         says how many sessions the capture holds and how long it took

# shellcheck source=../lib/seeded.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/seeded.sh"

access_init() {
    local class=$1 outdir=$2 default=$3
    [ -n "$outdir" ] || { netns_say "usage: ${0##*/} OUTDIR (FC_BATCH, FC_SEED in the environment)"; exit 2; }
    : "${FC_BATCH:?FC_BATCH (b1, b2, b3 or t) must be set}" "${FC_SEED:?FC_SEED must be set}"
    ACCESS_CLASS=$class
    ACCESS_OUT=$outdir/$class/$FC_BATCH
    ACCESS_SESSIONS=${FC_SESSIONS:-$default}
    ACCESS_STARTED=$SECONDS
    mkdir -p "$ACCESS_OUT" || exit 3
    rm -f "$ACCESS_OUT"/*.pcap
    ACCESS_WORK=$(mktemp -d /tmp/fcgen-"$class"-XXXXXX) || exit 3
    chmod 755 "$ACCESS_WORK"
    seeded_start "$FC_SEED" "$ACCESS_WORK/draws"
}

rand() { echo $(($1 + $(seeded_draw) % ($2 - $1 + 1))); }

pick() { shift $(($(seeded_draw) % $#)); echo "$1"; }

run_sessions() {
    local workers=$1 func=$2 i p live running=()
    for ((i = 1; i <= ACCESS_SESSIONS; i++)); do
        while :; do
            live=()
            for p in "${running[@]}"; do kill -0 "$p" 2>/dev/null && live+=("$p"); done
            running=("${live[@]}")
            [ "${#running[@]}" -lt "$workers" ] && break
            sleep 0.2
        done
        ( seeded_start $((FC_SEED * 1009 + i * 7)) "$ACCESS_WORK/draws.$i"; "$func" "$i" ) &
        running+=($!)
    done
    for p in "${running[@]}"; do wait "$p" 2>/dev/null; done
}

ACCESS_USER=fcremote
ACCESS_PASSWORD=fc-Remote-7319

access_user() {
    id "$ACCESS_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$ACCESS_USER" || exit 3
    echo "$ACCESS_USER:$ACCESS_PASSWORD" | chpasswd || exit 3
    # something to look at
    [ -e /home/$ACCESS_USER/notes.txt ] || { seq 1 400 | sed 's/^/line /' > /home/$ACCESS_USER/notes.txt
        mkdir -p /home/$ACCESS_USER/projects/site && cp /etc/services /home/$ACCESS_USER/projects/site/ports.txt
        chown -R "$ACCESS_USER:" /home/$ACCESS_USER; }
}

ACCESS_COMMAND_POOL=(
    "ls -la" "ls -la /etc | head -n 40" "cat /etc/os-release" "uname -a" "id" "w" "uptime"
    "ps aux | head -n 30" "ps -ef --forest | tail -n 25" "df -h" "free -m" "ip -br addr"
    "grep -c processor /proc/cpuinfo" "du -sh /usr/share/doc/* 2>/dev/null | sort -h | tail"
    "find /etc -name '*.conf' | head -n 20" "grep -i ssh /etc/services" "cat /etc/passwd"
    "echo \$SHELL \$HOME" "date" "env | sort | head -n 25" "ls /var/log" "hostname"
    "cd /tmp && ls" "pwd" "cat notes.txt | head -n 60" "wc -l /etc/services" "ls -R projects"
    "python3 -c 'print(2**200)'" "cat /proc/loadavg" "mount | head" "ls -lt /usr/bin | head -n 30"
    "tail -n 40 /etc/services" "last -n 5 2>/dev/null" "who" "netstat -tn 2>/dev/null || ss -tn"
    "head -c 600 /dev/urandom | base64" "seq 1 300 | tr '\\n' ' '" "ls -la ~/.ssh 2>/dev/null"
    "sort -r notes.txt | head -n 30" "file /bin/ls" "stat /etc/hostname" "echo hello > /tmp/fc.\$\$ && cat /tmp/fc.\$\$"
)

access_commands() {
    local n=$1 k
    for ((k = 0; k < n; k++)); do
        echo "${ACCESS_COMMAND_POOL[$(seeded_draw) % ${#ACCESS_COMMAND_POOL[@]}]}"
        [ $(($(seeded_draw) % 3)) -eq 0 ] && echo "SLEEP $(rand 1 4).$(rand 0 9)"
    done
}

# access_web_site [NGINX_HTTP_DIRECTIVE]: the web site the proxy classes fetch through their
# tunnels: pages and downloads of many sizes under $ACCESS_WORK/www, and an nginx config
# ($ACCESS_WORK/nginx.conf) serving them on the server's 127.0.0.1:8080.
access_web_site() {
    local w=$ACCESS_WORK k
    mkdir -p "$w/www" "$w/tmp"
    for k in 1 2 3 4 5 6 7 8; do
        seq 1 $((k * k * 300)) | sed 's/^/<p>paragraph /' > "$w/www/page$k.html"
        head -c $((k * k * k * 4000)) /dev/urandom > "$w/www/file$k.bin"
    done
    cat > "$w/nginx.conf" <<CFG
worker_processes 1;
pid $w/nginx.pid;
error_log $w/nginx-error.log;
events { worker_connections 256; }
http {
    access_log off;
    ${1:-}
    client_body_temp_path $w/tmp; proxy_temp_path $w/tmp; fastcgi_temp_path $w/tmp;
    uwsgi_temp_path $w/tmp; scgi_temp_path $w/tmp;
    server { listen 127.0.0.1:8080; root $w/www; }
}
CFG
}

# access_web_path: a page or file of the web site, as a URL path.
access_web_path() {
    local what
    what=$(pick page page page file)$(rand 1 8)
    case $what in page*) echo "$what.html" ;; file*) echo "$what.bin" ;; esac
}

# access_user_agent: the user agent of one browser or curl.
access_user_agent() {
    pick 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0' curl/7.88.1 \
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36'
}

# access_socks_session N: 1-4 fetches from the web site, with think times, through one of N
# SOCKS5 proxies listening on the client's 127.0.0.1:1080+k (Shadowsocks, VMess).
access_socks_session() {
    local k=$(($(seeded_draw) % $1)) n path
    for ((n = $(rand 1 4); n > 0; n--)); do
        path=$(access_web_path)
        in_cli timeout 30 curl -s -o /dev/null --socks5-hostname "127.0.0.1:$((1080 + k))" \
            -A "$(access_user_agent)" "http://127.0.0.1:8080/$path"
        sleep "$(rand 0 2).$(rand 0 9)"
    done
}

# access_take_slot: a slot number 0-7 held by this session (a folder made atomically in
# $ACCESS_WORK, removed by the session when it ends), for X display numbers of its own, away
# from those of other sessions and generators: two X servers picking their numbers at the
# same moment with -displayfd were seen to meet.
access_take_slot() {
    local k
    while :; do
        for k in 0 1 2 3 4 5 6 7; do mkdir "$ACCESS_WORK/slot.$k" 2>/dev/null && { echo $k; return; }; done
        sleep 0.2
    done
}

access_type() {
    [ -f "$ACCESS_WORK/type.exp" ] || cat > "$ACCESS_WORK/type.exp" <<'EXP'
set timeout 10
match_max 200000
expr {srand($env(FC_TYPE_SEED))}
# user@host:dir$ with no end-of-buffer anchor: typed-ahead echoes and a fast prompt can
# arrive in one read, and an anchored pattern would then swallow two prompts as one
set prompt {@[^ \r\n]+:[^\r\n]*[$#] }
# send -h: average gap, gap after a word, shape, shortest, longest (seconds)
set send_human [list $env(FC_TYPE_AVG) [expr {$env(FC_TYPE_AVG) * 2.5}] 1 0.02 1.2]
stty rows $env(FC_ROWS) columns $env(FC_COLS)
eval spawn -noecho $argv
expect {
    -re {ogin: $} { sleep 0.8; send -h "$env(FC_USER)\r"; exp_continue }
    -re {assword: ?$} { sleep 0.6; send -h "$env(FC_PASS)\r"; exp_continue }
    -re $prompt {}
    timeout { exit 1 }
    eof { exit 1 }
}
foreach line [split $env(FC_CMDS) "\n"] {
    if {$line eq ""} continue
    if {[string match "SLEEP *" $line]} { sleep [lindex $line 1]; continue }
    sleep [expr {0.2 + rand() * 0.8}]
    send -h -- "$line\r"
    expect -re $prompt
}
sleep 0.5
send -h "exit\r"
expect eof
EXP
    FC_TYPE_SEED=$(seeded_draw) FC_USER=${FC_USER:-$ACCESS_USER} FC_PASS=${FC_PASS:-$ACCESS_PASSWORD} \
        expect -f "$ACCESS_WORK/type.exp" "$@"
}

access_done() {
    local f n=0
    for f in "$ACCESS_OUT"/*.pcap; do [ -s "$f" ] && n=$((n + 1)); done
    netns_say "$ACCESS_CLASS $FC_BATCH: $ACCESS_SESSIONS sessions in $n capture(s), $((SECONDS - ACCESS_STARTED)) s"
    rm -rf "$ACCESS_WORK"
}
