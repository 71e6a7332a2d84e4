#!/usr/bin/env bash
# corpus/services/coap.sh OUTDIR: CoAP sessions over UDP (class CoAP; nDPI: CoAP) between
# libcoap 4.3's example server (coap-server-notls: /, /time observable, /async,
# /example_data, resources created on PUT) and its client coap-client-notls, in two network
# namespaces, UDP 5683. Each session is one client run (its own source port): resource
# discovery (/.well-known/core), GETs with Accept options, confirmable and non-confirmable
# requests, PUT/POST/DELETE/FETCH/PATCH of sensor readings and JSON documents (block-wise
# transfer of the larger ones), observing /time for a few seconds, repeated polls (-G),
# delayed (/async) answers, requests for resources that do not exist. Contract:
# corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/CoAP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=5683
dir=$(svc_class_dir CoAP)
pcap=$dir/coap-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP

bg_srv coap-server-notls -A "$srv" -p $port -d 200 -v 0
wait_port udp $port || exit 1
capture_start "$pcap" "udp port $port"

# payloads: a reading, a small JSON document, a larger one (block-wise)
payload() {
    case $(svc_rand 0 3) in
    0) echo "$(svc_rand 0 400).$(svc_rand 0 9)" ;;
    1) echo "{\"t\":$(svc_rand 100 350),\"h\":$(svc_rand 10 99),\"id\":\"n$(svc_rand 1 40)\"}" ;;
    2) echo "on" ;;
    *) $SVC_PYTHON -c "import json,random,sys; r=random.Random(int(sys.argv[1])); print(json.dumps([{'ts': 1700000000 + i * 60, 'v': round(r.uniform(0, 100), 2)} for i in range(r.randint(20, 120))]))" "$(svc_rand 1 99999)" ;;
    esac
}
uri() { echo "coap://$srv/$1"; }
client() { in_cli timeout 30 coap-client-notls -v 0 -B "$(svc_pick 3 5 8)" "$@"; }

sessions=45
for s in $(seq $sessions); do
    res=$(svc_pick "sensors/t$(svc_rand 1 12)" "devices/n$(svc_rand 1 40)/state" "example_data" "config/app$(svc_rand 1 3)" "lights/$(svc_rand 1 8)")
    non=(); [ "$(svc_rand 0 3)" -eq 0 ] && non=(-N)
    blk=(); [ "$(svc_rand 0 2)" -eq 0 ] && blk=(-b "$(svc_pick 16 64 256 1024)")
    case $(svc_rand 0 11) in
    0)  client -m get "$(uri .well-known/core)" ;;
    1)  client -m get "${non[@]}" "$(uri time)" ;;
    2)  client -m get -s "$(svc_rand 3 10)" "$(uri time)" ;;                 # observe
    3)  client -m get -G "$(svc_rand 2 6)" "${non[@]}" "$(uri "$res")" ;;   # polling
    4|5) client -m put "${blk[@]}" -t "$(svc_pick 0 50 60)" -e "$(payload)" "$(uri "$res")" ;;
    6)  client -m post "${blk[@]}" -t 50 -e "$(payload)" "$(uri "$res")" ;;
    7)  client -m get -A "$(svc_pick 0 50 60 40)" "$(uri "$res")" ;;
    8)  client -m delete "$(uri "$res")" ;;
    9)  client -m get "$(uri async?$(svc_rand 1 3))" ;;                   # a delayed answer
    10) client -m "$(svc_pick fetch patch ipatch)" -e "$(payload)" "$(uri "$res")" ;;
    *)  client -m get "$(uri "nothing/here$(svc_rand 1 9)")" ;;            # 4.04
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end CoAP "$pcap" $sessions
