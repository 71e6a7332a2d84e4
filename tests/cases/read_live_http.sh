#!/usr/bin/env bash
# http:// sources: a capture served by a local web server (nginx, or python3's http.server
# when nginx is missing) is read as it downloads and gives the same flows as the file;
# a missing page is a clear error naming the HTTP status; a redirect is followed, and a
# redirect loop said as such; a page that is not a capture,
# and a server that is not there, are reported too. libcurl is opened only for such sources.
source "$(dirname "$0")/../lib.sh"

port=$(free_port)
mkdir -p "$TMP/www"
cp "$FC_DATA/demo.pcap" "$TMP/www/demo.pcap"
echo "hello" > "$TMP/www/hello.txt"
chmod 755 "$TMP" "$TMP/www"; chmod 644 "$TMP/www"/*   # nginx workers run unprivileged
if command -v nginx >/dev/null; then
    mkdir -p "$TMP/nginx/logs"
    cat > "$TMP/nginx/nginx.conf" <<CONF
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx;
    uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
    server {
        listen 127.0.0.1:$port; root $TMP/www;
        location = /moved.pcap { return 301 /demo.pcap; }
        location = /loop.pcap { return 302 /loop.pcap; }
    }
}
CONF
    timeout 30 nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2> "$TMP/server.err" &
else
    (cd "$TMP/www" && exec timeout 30 python3 -m http.server "$port" --bind 127.0.0.1 2> "$TMP/server.err") &
fi
server=$!
for _ in $(seq 100); do ss -ltn | grep -q "127.0.0.1:$port " && break; sleep 0.1; done

flows_csv() { fc-flow | fc-emit --format CSV; }
run_status_to "$TMP/http.fcr" timeout 30 fc-read "http://127.0.0.1:$port/demo.pcap"
check_eq http_download_status 0 "$RC"
check_files_eq http_flows_equal_file_flows <(fc-read "$FC_DATA/demo.pcap" | flows_csv) <(flows_csv < "$TMP/http.fcr")
check_eq http_source_named_by_url "http://127.0.0.1:$port/demo.pcap" \
    "$(fc-emit --format Json < "$TMP/http.fcr" | jq -r 'select(.k == 6 and .event == "open") | .name')"

# libcurl is opened only for URI sources (fc-read/curl_lazy.h): reading a file loads none of
# its thirty libraries; a URL opens it; one that cannot be opened is a clear system error
LD_DEBUG=files fc-read "$FC_DATA/demo.pcap" 2> "$TMP/ld-file.txt" > /dev/null
check_contains loader_lists_what_fc_read_opens "file=libpcap" "$(grep 'file=' "$TMP/ld-file.txt")"   # else the next check says nothing
check_eq libcurl_not_opened_for_a_file 0 "$(grep -c 'file=libcurl' "$TMP/ld-file.txt")"
LD_DEBUG=files timeout 30 fc-read "http://127.0.0.1:$port/demo.pcap" 2> "$TMP/ld-url.txt" > /dev/null
check_contains libcurl_opened_for_a_url "dynamically loaded by" "$(grep 'file=libcurl' "$TMP/ld-url.txt")"
mkdir -p "$TMP/no-curl"
: > "$TMP/no-curl/libcurl.so.4"; : > "$TMP/no-curl/libcurl-gnutls.so.4"   # not libraries: dlopen refuses them
LD_LIBRARY_PATH="$TMP/no-curl" run_status fc-read "http://127.0.0.1:$port/demo.pcap"
check_eq http_without_libcurl_status 3 "$RC"
check_contains http_without_libcurl_says_so \
    "fc-read: http://127.0.0.1:$port/demo.pcap: http:// and https:// sources need libcurl (Debian: libcurl4): " "$ERR"

run_status_to "$TMP/404.fcr" timeout 30 fc-read "http://127.0.0.1:$port/missing.pcap" "$FC_DATA/flow_icmp.pcap"
check_eq http_404_status 1 "$RC"
check_eq http_404_message "fc-read: http://127.0.0.1:$port/missing.pcap: download failed: HTTP status 404" "$ERR"
check_eq http_404_other_sources_still_read "$FC_DATA/flow_icmp.pcap" \
    "$(fc-emit --format Json < "$TMP/404.fcr" | jq -r 'select(.k == 6 and .event == "end") | .name')"

# Redirects are followed; a redirect loop is said as such (it was "Too large response headers")
if command -v nginx > /dev/null; then
    run_status_to "$TMP/moved.fcr" timeout 30 fc-read "http://127.0.0.1:$port/moved.pcap"
    check_eq http_redirect_followed_status 0 "$RC"
    check_files_eq http_redirect_followed_flows <(fc-read "$FC_DATA/demo.pcap" | flows_csv) <(flows_csv < "$TMP/moved.fcr")
    run_status_to "$TMP/loop.fcr" timeout 30 fc-read "http://127.0.0.1:$port/loop.pcap"
    check_eq http_redirect_loop_status 1 "$RC"
    check_eq http_redirect_loop_said \
        "fc-read: http://127.0.0.1:$port/loop.pcap: download failed: Maximum (20) redirects followed" "$ERR"
else
    skip http_redirects "nginx is not installed (python3's http.server does not redirect)"
fi

run_status_to "$TMP/txt.fcr" timeout 30 fc-read "http://127.0.0.1:$port/hello.txt"
check_eq http_not_a_capture_status 1 "$RC"
check_contains http_not_a_capture_named "http://127.0.0.1:$port/hello.txt: not a pcap or pcapng capture" "$ERR"

kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
run_status_to "$TMP/gone.fcr" timeout 20 fc-read "http://127.0.0.1:$port/demo.pcap"
check_eq http_no_server_status 1 "$RC"
check_contains http_no_server_says_so "http://127.0.0.1:$port/demo.pcap: download failed:" "$ERR"
