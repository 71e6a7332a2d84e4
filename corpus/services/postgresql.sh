#!/usr/bin/env bash
# corpus/services/postgresql.sh OUTDIR: PostgreSQL sessions (class PostgreSQL) between a
# private postgres server (Debian's postgresql) and psql, pgbench and pg_dump, in two network
# namespaces. Clients log in with a SCRAM password over TCP (sslmode=prefer against a server
# without TLS, as many installations run); sessions run single queries, transactions,
# result sets from one row to thousands, COPY out, a few seconds of pgbench, and dumps.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/PostgreSQL/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=5432
dir=$(svc_class_dir PostgreSQL)
pcap=$dir/postgresql-$FC_BATCH.pcap
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data=$SVC_WORK/data
sock=$SVC_WORK/sock
mkdir -p "$sock"
chown postgres "$SVC_WORK" "$sock"

runuser -u postgres -- "$pgbin/initdb" -A trust -U postgres -D "$data" >/dev/null || exit 1
cat >> "$data/postgresql.conf" <<EOF
listen_addresses = '$NETNS_SRV_IP'
port = $port
unix_socket_directories = '$sock'
password_encryption = scram-sha-256
fsync = off
EOF
echo "host all all $NETNS_CLI_IP/32 scram-sha-256" >> "$data/pg_hba.conf"
bg_srv runuser -u postgres -- "$pgbin/postgres" -D "$data" 2>"$SVC_WORK/postgres.log"
wait_tcp_port $port || exit 1

# the database, made over the Unix socket before the capture starts
psql_local() { runuser -u postgres -- "$pgbin/psql" -q -h "$sock" -p $port -U postgres "$@"; }
psql_local -c "CREATE ROLE app LOGIN PASSWORD 'app-pass-$FC_SEED'" -c "CREATE DATABASE shop OWNER app" || exit 1
psql_local -d shop -c "SET ROLE app" -c "
CREATE TABLE customers (id serial PRIMARY KEY, name text, email text, created timestamptz DEFAULT now());
CREATE TABLE orders (id serial PRIMARY KEY, customer int REFERENCES customers, total numeric(10,2), note text);
INSERT INTO customers (name, email) SELECT 'customer ' || i, 'c' || i || '@example.org' FROM generate_series(1, $(svc_rand 500 3000)) i;
INSERT INTO orders (customer, total, note) SELECT 1 + i % 400, (i * 7.31) % 900, repeat('x', i % 90) FROM generate_series(1, $(svc_rand 2000 9000)) i;" || exit 1
runuser -u postgres -- env PGPASSWORD="app-pass-$FC_SEED" \
    "$pgbin/pgbench" -q -i -s 1 -h "$sock" -p $port -U app shop >/dev/null 2>&1

capture_start "$pcap" "tcp port $port"
export PGPASSWORD=app-pass-$FC_SEED PGCONNECT_TIMEOUT=10
remote=(-h "$NETNS_SRV_IP" -p $port -U app -d shop)
query() {
    case $(svc_rand 1 9) in
    1) echo "SELECT count(*) FROM orders WHERE total > $(svc_rand 1 800);" ;;
    2) echo "SELECT * FROM customers WHERE id = $(svc_rand 1 500);" ;;
    3) echo "SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer = c.id GROUP BY c.name ORDER BY 2 DESC LIMIT $(svc_rand 5 300);" ;;
    4) echo "SELECT * FROM orders ORDER BY id LIMIT $(svc_pick 10 100 1000 4000);" ;;
    5) echo "BEGIN; UPDATE orders SET note = 'upd $(svc_rand 1 999)' WHERE id = $(svc_rand 1 2000); INSERT INTO customers (name, email) VALUES ('n$(svc_rand 1 99999)', 'n@example.org'); COMMIT;" ;;
    6) echo "SELECT version(); SELECT current_user, now();" ;;
    7) echo "\\d orders" ;;
    8) echo "SELECT relname, n_live_tup FROM pg_stat_user_tables;" ;;
    9) echo "SELECT md5(random()::text) FROM generate_series(1, $(svc_rand 1 2000));" ;;
    esac
}

sessions=36
for s in $(seq $sessions); do
    case $(svc_rand 1 12) in
    1)  in_cli timeout 60 "$pgbin/pgbench" -n -c 1 -t "$(svc_rand 5 60)" $(svc_pick -S -S -N) "${remote[@]}" >/dev/null 2>&1 ;;
    2)  in_cli timeout 60 "$pgbin/pg_dump" "${remote[@]}" -t "$(svc_pick customers orders pgbench_branches)" >/dev/null ;;
    3)  in_cli timeout 60 "$pgbin/psql" -q "${remote[@]}" -c "\\copy (SELECT * FROM customers LIMIT $(svc_rand 10 3000)) TO '/dev/null'" ;;
    4|5|6)  # an interactive user: a few statements with pauses
        for q in $(seq "$(svc_rand 2 6)"); do query; done |
            while read -r line; do echo "$line"; sleep "0.$(svc_rand 10 60)"; done | in_cli timeout 60 "$pgbin/psql" -q "${remote[@]}" >/dev/null ;;
    *)  in_cli timeout 60 "$pgbin/psql" -q "${remote[@]}" -c "$(query)" >/dev/null ;;
    esac
    svc_think
done
capture_stop
svc_end PostgreSQL "$pcap" $sessions
