#!/usr/bin/env bash
# corpus/services/http.sh OUTDIR: HTTP/1.x sessions (class HTTP) between nginx and curl,
# wget, ab and Python's urllib (Debian's nginx, curl, wget, apache2-utils, python3), in two
# network namespaces. The server holds pages, JSON, images-like binaries and archives from
# a few hundred bytes to a few MB; sessions fetch one or several paths (keep-alive), send
# HEAD, POST and conditional requests, follow redirects, hit missing pages, and use
# HTTP/1.0 and 1.1. The shared corpus already has HTTP, so this class adds to it.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/HTTP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=80
dir=$(svc_class_dir HTTP)
pcap=$dir/http-$FC_BATCH.pcap

# the site: sizes drawn from the seed, so each batch serves different files
www=$SVC_WORK/www
mkdir -p "$www/docs" "$www/img" "$www/api" "$www/dl"
for i in $(seq 12); do
    n=$(svc_pick 200 900 3000 12000 40000)
    { echo "<!doctype html><html><head><title>Page $i</title></head><body>"
      head -c "$n" /dev/urandom | base64 | sed 's/^/<p>/; s/$/<\/p>/'
      echo "</body></html>"; } > "$www/docs/page$i.html"
done
for i in $(seq 8); do head -c "$(svc_pick 1500 8000 30000 120000)" /dev/urandom > "$www/img/photo$i.jpg"; done
for i in $(seq 6); do
    printf '{"id":%d,"items":[%s]}\n' "$i" "$(seq -s, "$(svc_rand 1 400)")" > "$www/api/item$i.json"
done
for i in 1 2 3; do head -c "$(svc_pick 300000 900000 2500000)" /dev/urandom > "$www/dl/archive$i.tar.gz"; done
cp "$www/docs/page1.html" "$www/index.html"

cat > "$SVC_WORK/nginx.conf" <<EOF
worker_processes 1;
pid $SVC_WORK/nginx.pid;
error_log $SVC_WORK/error.log;
daemon off;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $SVC_WORK/body;
    proxy_temp_path $SVC_WORK/proxy;
    fastcgi_temp_path $SVC_WORK/fastcgi;
    uwsgi_temp_path $SVC_WORK/uwsgi;
    scgi_temp_path $SVC_WORK/scgi;
    keepalive_timeout 5;
    server {
        listen $NETNS_SRV_IP:$port;
        root $www;
        location = /old { return 301 /docs/page2.html; }
        location /api/ { error_page 405 =200 \$uri; }
    }
}
EOF
bg_srv nginx -c "$SVC_WORK/nginx.conf"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

url=http://$NETNS_SRV_IP
page() { echo "$url/docs/page$(svc_rand 1 12).html"; }
anything() {
    svc_pick "$(page)" "$url/img/photo$(svc_rand 1 8).jpg" "$url/api/item$(svc_rand 1 6).json" \
        "$url/" "$url/missing$(svc_rand 1 99)" "$url/old"
}
agent() { svc_pick "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" \
    "curl/7.88.1" "python-requests/2.28.1" "Wget/1.21.3"; }

sessions=36
for s in $(seq $sessions); do
    # what the clients print is of no interest here; the capture is the product
    case $(svc_rand 1 12) in
    1|2|3)  # a browser-like fetch of a page and a few of its resources on one connection
        in_cli timeout 30 curl -s -o /dev/null -A "$(agent)" -H 'Accept-Language: en-US,en;q=0.8' \
            "$(page)" "$(anything)" "$(anything)" "$(anything)" ;;
    4)  in_cli timeout 30 curl -s -o /dev/null -I "$(anything)" ;;
    5)  in_cli timeout 30 curl -s -o /dev/null -L "$url/old" ;;
    6)  in_cli timeout 30 curl -s -o /dev/null --http1.0 "$(anything)" ;;
    7)  # an API call with a body
        head -c "$(svc_pick 60 700 5000)" /dev/urandom | base64 -w0 |
            in_cli timeout 30 curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
            --data-binary @- "$url/api/item$(svc_rand 1 6).json" ;;
    8)  in_cli timeout 60 wget -q -O /dev/null -U "$(agent)" "$url/dl/archive$(svc_rand 1 3).tar.gz" ;;
    9)  in_cli timeout 30 curl -s -o /dev/null -H "If-Modified-Since: $(date -R)" "$(page)" ;;
    10) # a small load test: a few keep-alive or plain connections
        in_cli timeout 30 ab -q -n "$(svc_rand 2 6)" -c 1 $(svc_pick -k "") "$(anything)" >/dev/null 2>&1 ;;
    *)  # a script with the standard library, a few requests with pauses, one connection each
        in_cli timeout 30 "$SVC_PYTHON" - "$(page)" "$(anything)" <<'PY'
import sys, time, urllib.request, urllib.error
for u in sys.argv[1:]:
    try:
        urllib.request.urlopen(u, timeout=10).read()
    except urllib.error.HTTPError:
        pass
    time.sleep(0.2)
PY
        ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end HTTP "$pcap" $sessions
