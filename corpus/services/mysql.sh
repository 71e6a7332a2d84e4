#!/usr/bin/env bash
# corpus/services/mysql.sh OUTDIR: MySQL protocol sessions (class MySQL) between a private
# MariaDB server (Debian's mariadb-server) and the mariadb command-line client,
# mariadb-dump, mariadb-admin and mariadb-slap, in two network namespaces. Clients log in
# with a password over TCP (no TLS, as the packaged server runs by default); sessions run
# single queries, transactions, result sets from one row to thousands, table dumps,
# status queries and short load runs.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/MySQL/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=3306
dir=$(svc_class_dir MySQL)
pcap=$dir/mysql-$FC_BATCH.pcap
data=$SVC_WORK/data
sock=$SVC_WORK/mysqld.sock
chown mysql "$SVC_WORK"

mariadb-install-db --no-defaults --user=mysql --datadir="$data" --auth-root-authentication-method=socket \
    --skip-test-db >"$SVC_WORK/install.log" 2>&1 || { cat "$SVC_WORK/install.log" >&2; exit 1; }
bg_srv mariadbd --no-defaults --user=mysql --datadir="$data" --socket="$sock" --pid-file="$SVC_WORK/mysqld.pid" \
    --bind-address="$NETNS_SRV_IP" --port=$port --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \
    --log-error="$SVC_WORK/mysqld.err" 2>>"$SVC_WORK/mysqld.err"
wait_tcp_port $port || exit 1

# the database, made over the Unix socket before the capture starts
pass=app-pass-$FC_SEED
mariadb --no-defaults -S "$sock" -u root <<EOF || exit 1
CREATE DATABASE shop;
CREATE USER 'app'@'%' IDENTIFIED BY '$pass';
GRANT ALL ON shop.* TO 'app'@'%';
USE shop;
CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), created TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, total DECIMAL(10,2), note TEXT);
INSERT INTO customers (name, email) SELECT CONCAT('customer ', seq), CONCAT('c', seq, '@example.org') FROM seq_1_to_$(svc_rand 500 3000);
INSERT INTO orders (customer, total, note) SELECT 1 + seq % 400, (seq * 7.31) % 900, REPEAT('x', seq % 90) FROM seq_1_to_$(svc_rand 2000 9000);
EOF

capture_start "$pcap" "tcp port $port"
remote=(--no-defaults -h "$NETNS_SRV_IP" -P $port -u app "-p$pass")
query() {
    case $(svc_rand 1 9) in
    1) echo "SELECT COUNT(*) FROM orders WHERE total > $(svc_rand 1 800);" ;;
    2) echo "SELECT * FROM customers WHERE id = $(svc_rand 1 500);" ;;
    3) echo "SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer = c.id GROUP BY c.name ORDER BY 2 DESC LIMIT $(svc_rand 5 300);" ;;
    4) echo "SELECT * FROM orders ORDER BY id LIMIT $(svc_pick 10 100 1000 4000);" ;;
    5) echo "START TRANSACTION; UPDATE orders SET note = 'upd $(svc_rand 1 999)' WHERE id = $(svc_rand 1 2000); INSERT INTO customers (name, email) VALUES ('n$(svc_rand 1 99999)', 'n@example.org'); COMMIT;" ;;
    6) echo "SELECT VERSION(), CURRENT_USER(), NOW();" ;;
    7) echo "SHOW TABLES; DESCRIBE orders;" ;;
    8) echo "SHOW STATUS LIKE 'Threads%'; SHOW VARIABLES LIKE 'max_%';" ;;
    9) echo "SELECT MD5(RAND()) FROM seq_1_to_$(svc_rand 1 2000);" ;;
    esac
}

sessions=36
for s in $(seq $sessions); do
    # what the clients print is of no interest here; the capture is the product
    case $(svc_rand 1 12) in
    1)  in_cli timeout 60 mariadb-dump "${remote[@]}" shop "$(svc_pick customers orders)" ;;
    2)  in_cli timeout 60 mariadb-admin "${remote[@]}" "$(svc_pick status extended-status processlist variables ping)" ;;
    3)  in_cli timeout 60 mariadb-slap "${remote[@]}" --create-schema=shop --concurrency=1 \
            --iterations=1 --number-of-queries="$(svc_rand 5 40)" --query="$(query)" ;;
    4|5|6)  # an interactive user: a few statements with pauses, some in batch (-B) format
        for q in $(seq "$(svc_rand 2 6)"); do query; done |
            while read -r line; do echo "$line"; sleep "0.$(svc_rand 10 60)"; done |
            in_cli timeout 60 mariadb "${remote[@]}" $(svc_pick -t -B) shop ;;
    *)  in_cli timeout 60 mariadb "${remote[@]}" shop -e "$(query)" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end MySQL "$pcap" $sessions
