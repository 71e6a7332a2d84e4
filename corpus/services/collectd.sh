#!/usr/bin/env bash
# corpus/services/collectd.sh OUTDIR: collectd network-protocol sessions (class collectd;
# nDPI: collectd), collectd's binary protocol over UDP 25826, between Debian's collectd 5.12
# daemons in two network namespaces: a collector (the network plugin listening on 10.77.0.1,
# writing what it receives with the csv plugin) <- senders in the client namespace, each a
# collectd instance of its own that reads the machine's metrics and sends them. A session is
# one sender run (its own socket, so its own source port): Interval × 3..20 seconds (at most
# 45), one or a few datagrams per interval (or, without FlushInterval, only full ones) and a
# last one on shutdown. What varies per sender: its host name and address (BindAddress),
# Interval (1-10 s), its plugins (one to three, or four to ten for full datagrams; per-CPU
# or aggregated CPU, percentages or absolute values), an exec plugin script putting custom
# application metrics (PUTVAL), the network plugin's own statistics, MaxPacketSize
# (1024-1452: collectd ignores smaller values), and the security level: None mostly, Sign
# or Encrypt (a user in the collector's AuthFile) in a minority. Two to four senders run at once, each with its own configuration, PID file and
# base directory, all under $SVC_WORK; nothing under /etc/collectd or /var/lib/collectd.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/collectd/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=25826
dir=$(svc_class_dir collectd)
pcap=$dir/collectd-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP
# more client addresses: the senders stand for several machines
addrs=("$NETNS_CLI_IP")
for a in 11 12 23 37 45; do
    ip -n "$NETNS_CLI" addr add "10.77.0.$a/24" dev "$NETNS_CLI_DEV"
    addrs+=("10.77.0.$a")
done

# the collector accepts plain, signed and encrypted data; its AuthFile knows the users
users=(collectd metrics "$(svc_pick monitor ops telemetry)" "agent$(svc_rand 1 9)")
for u in "${users[@]}"; do echo "$u: pw-$u-$(svc_rand 1000 9999)"; done > "$W/auth"
common() {      # the part every instance's configuration shares: KEY HOSTNAME INTERVAL
    mkdir -p "$W/$1.d"
    cat <<EOF
Hostname "$2"
FQDNLookup false
BaseDir "$W/$1.d"
PIDFile "$W/$1.pid"
TypesDB "/usr/share/collectd/types.db"
Interval $3
LoadPlugin logfile
<Plugin logfile>
  File "$W/$1.log"
  LogLevel warning
</Plugin>
EOF
}
{ common collector collector 10
  cat <<EOF
LoadPlugin network
LoadPlugin csv
<Plugin network>
  <Listen "$srv" "$port">
    SecurityLevel None
    AuthFile "$W/auth"
  </Listen>
  MaxPacketSize 1452
</Plugin>
<Plugin csv>
  DataDir "$W/csv"
</Plugin>
EOF
} > "$W/collector.conf"
bg_srv collectd -C "$W/collector.conf" -f 2>/dev/null
wait_port udp $port || exit 1
capture_start "$pcap" "udp port $port"

# the exec plugin's script: an application's counters and gauges, one PUTVAL each per
# interval; STEP and BASE (drawn here) make each sender's values its own
cat > "$W/app-metrics.sh" <<'EOF'
#!/bin/sh
step=$1 base=$2 app=$3 i=0
while :; do
    i=$((i + 1))
    echo "PUTVAL \"$COLLECTD_HOSTNAME/exec-$app/gauge-queue_length\" interval=$COLLECTD_INTERVAL N:$(( (base + i * step) % 500 ))"
    echo "PUTVAL \"$COLLECTD_HOSTNAME/exec-$app/derive-requests\" interval=$COLLECTD_INTERVAL N:$(( base * 100 + i * i * step ))"
    [ $((base % 3)) -eq 0 ] && echo "PUTVAL \"$COLLECTD_HOSTNAME/exec-$app/latency-p99\" interval=$COLLECTD_INTERVAL N:0.$(( (i * step) % 900 + 100 ))"
    sleep "${COLLECTD_INTERVAL%.*}"
done
EOF
chmod 755 "$W/app-metrics.sh"

few=(cpu memory load uptime users df)
many=(cpu memory load interface df disk processes uptime users swap vmem irq entropy contextswitch protocols tcpconns fhcount)
# pick_n K WORD...: K of the words, each at most once
pick_n() {
    local k=$1 i j t; shift
    local w=("$@")
    for (( i = 0; i < k; i++ )); do
        j=$(svc_rand "$i" $(( ${#w[@]} - 1 ))); t=${w[i]}; w[i]=${w[j]}; w[j]=$t
        printf '%s ' "${w[i]}"
    done
}
# sender N: writes sender N's configuration $W/sN.conf and sets DUR (every draw made here,
# in the parent shell, before the senders run at once)
sender() {
    local n=$1 name iv sec pl p mps u
    name=$(svc_pick web db cache app mq lb k8s-node build nas edge vpn mail)-$(svc_rand 1 40)$(svc_pick "" "" "" .corp.example.com .dc2.internal)
    iv=$(svc_pick 1 1 2 2 3 5 10)
    DUR=$(( iv * $(svc_rand 3 20) ))
    [ $DUR -gt 45 ] && DUR=$(( iv * (45 / iv > 3 ? 45 / iv : 3) ))   # a batch in minutes
    sec=$(svc_pick None None None None None Sign Encrypt)
    case $(svc_rand 0 2) in
    0) pl=$(pick_n "$(svc_rand 1 3)" "${few[@]}") ;;
    *) pl=$(pick_n "$(svc_rand 4 10)" "${many[@]}") ;;
    esac
    mps=$(svc_pick 1452 1452 1452 1024 1200 1280 1400 "$(svc_rand 1024 1452)")
    { common "s$n" "$name" "$iv"
      for p in $pl; do echo "LoadPlugin $p"; done
      case " $pl " in *" cpu "*)
          printf '<Plugin cpu>\n  ReportByCpu %s\n  ValuesPercentage %s\n</Plugin>\n' \
              "$(svc_pick true false)" "$(svc_pick true false)" ;; esac
      case " $pl " in *" df "*)
          printf '<Plugin df>\n  ValuesPercentage %s\n  ReportInodes %s\n</Plugin>\n' \
              "$(svc_pick true false)" "$(svc_pick true false)" ;; esac
      if [ "$(svc_rand 0 2)" -eq 0 ]; then
          printf 'LoadPlugin exec\n<Plugin exec>\n  Exec "nobody" "%s" "%s" "%s" "%s"\n</Plugin>\n' \
              "$W/app-metrics.sh" "$(svc_rand 1 97)" "$(svc_rand 1 999)" "$(svc_pick nginx api worker billing queue)"
      fi
      # without FlushInterval the network plugin sends only full datagrams (and the rest
      # on shutdown), as many installations do: only with many plugins, or the session
      # would be one datagram; the others flush every interval
      if [ "$(svc_rand 0 3)" -eq 0 ] && [ "$(wc -w <<< "$pl")" -ge 4 ]; then echo "LoadPlugin network"
      else printf '<LoadPlugin network>\n  FlushInterval %s\n</LoadPlugin>\n' "$iv"; fi
      echo "<Plugin network>"
      echo "  <Server \"$srv\" \"$port\">"
      echo "    BindAddress \"$(svc_pick "${addrs[@]}")\""
      echo "    SecurityLevel $sec"
      if [ "$sec" != None ]; then
          u=$(svc_pick "${users[@]}")
          echo "    Username \"$u\""
          echo "    Password \"$(sed -n "s/^$u: //p" "$W/auth")\""
      fi
      echo "  </Server>"
      echo "  MaxPacketSize $mps"
      echo "  ReportStats $(svc_pick false false true)"
      echo "</Plugin>"
    } > "$W/s$n.conf"
}

runs=40 n=0
while [ $n -lt $runs ]; do
    k=$(svc_rand 2 4)
    pids=()
    for j in $(seq "$k"); do
        [ $n -lt $runs ] || break
        n=$(( n + 1 ))
        sender $n
        # timeout stops the sender with SIGTERM, on which collectd sends what it holds
        ip netns exec "$NETNS_CLI" timeout "$DUR" collectd -C "$W/s$n.conf" -f >/dev/null 2>&1 &
        pids+=($!)
        sleep "0.$(svc_rand 0 9)"
    done
    wait "${pids[@]}"
    svc_think
done
capture_stop
svc_end collectd "$pcap" $(( runs - 2 ))
