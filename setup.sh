#!/usr/bin/env bash
# \summary: installs the Debian packages FlowCarp needs to build and run (or to test)
#
#   ./setup.sh run    compiler, make, pkg-config and the libraries the tools link with
#   ./setup.sh test   the same plus what the test suite and the benchmarks use:
#                     reference tools (tshark, ndpiReader), sanitizers, and the servers
#                     that tests start on loopback to make real traffic
#   ./setup.sh captures  the run packages plus the servers, clients and tools that
#                     make service-captures and make threat-captures drive
#
# Asks dpkg what is missing first, so a machine that is set up is left alone and the
# script needs neither root nor network. When packages are missing: as root, installs
# them with apt-get, without questions (CI has no stdin); otherwise prints the exact
# command to run and exits 1.
set -euo pipefail

RUN_PACKAGES=(
    gcc make libc6-dev pkg-config
    libpcap-dev libmsgpack-dev libnet1-dev
    libcurl4-openssl-dev libmicrohttpd-dev        # fc-read's URI sources, fc-web
)
TEST_PACKAGES=(
    tshark tcpdump tcpreplay libndpi-bin          # reference tools the results are checked against
    jq python3 python3-jsonschema                 # checking JSON output and the Eve schema
    clang libclang-rt-14-dev valgrind              # make check-asan and leak checks
    nginx redis-server dnsmasq postgresql vsftpd  # servers tests and bench/ start on loopback
    openssh-server openssh-client curl dnsutils   # ... and their clients
    apache2-utils time procps                     # load (ab), peak memory for bench/, pgrep
    netcat-openbsd ncat socat iproute2 ethtool    # plumbing for live-capture tests
    nftables                                      # logs packets to NFLOG for the link-type test
)

# Only for making training captures with real programs (make service-captures,
# make threat-captures; corpus/*/README.md): the servers, clients and tools they drive.
CAPTURE_PACKAGES=(
    tcpdump iproute2 ethtool expect curl openssl python3 socat ncat netcat-openbsd
    nginx redis-server postgresql mariadb-server mariadb-client vsftpd
    dovecot-imapd dovecot-pop3d postfix swaks libnet-ssleay-perl libio-socket-ssl-perl
    mosquitto mosquitto-clients
    python3-aiorpcx python3-pylsp python3-pylsp-jsonrpc   # jsonrpc.sh (also node and npm)
    iodine dns2tcp ptunnel-ng httptunnel
    aria2 ctorrent mktorrent                      # bittorrent.sh
    snmpd snmp python3-pysnmp4 rsyslog tftpd-hpa tftp-hpa atftp slapd ldap-utils python3-ldap3
    freeradius freeradius-utils sip-tester samba smbclient
    rsync munin munin-node                        # rsync.sh, munin.sh
    ngircd sic ii python3-irc prosody sendxmpp python3-slixmpp memcached libmemcached-tools  # irc.sh, xmpp.sh, memcached.sh
    python3-pymodbus mbpoll                       # modbus.sh
    libcoap3-bin git bird2 exabgp gobgpd          # coap.sh, git.sh, bgp.sh
    wsdd collectd-core                            # wsd.sh, collectd.sh
    dnsmasq-base isc-dhcp-server isc-dhcp-client dhcpcd-base udhcpc   # dhcp.sh
    ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi vlc-bin vlc-plugin-base   # rtsp.sh
    strongswan-charon strongswan-swanctl strongswan-pki libstrongswan-standard-plugins libstrongswan-extra-plugins libcharon-extra-plugins   # ipsec.sh
    zabbix-agent zabbix-agent2 zabbix-proxy-sqlite3   # zabbix.sh (zabbix_get comes with the proxy)
    samba-ad-dc samba-ad-provision samba-dsdb-modules python3-samba   # dcerpc.sh
    rsh-server rsh-client rsh-redone-client pdsh  # rsh.sh (rsh-redone-server conflicts with rsh-server: rsh.sh unpacks it)
    openssh-server openssh-client dropbear-bin inetutils-telnetd inetutils-telnet inetutils-inetd
    tigervnc-standalone-server tigervnc-tools tigervnc-viewer xtightvncviewer gvncviewer
    xrdp freerdp2-x11 xvfb xdotool twm xterm x11-apps x11-utils
    shadowsocks-libev v2ray obfs4proxy           # (stratum.sh also needs node and npm)
    openvpn wireguard-tools wireguard-go busybox # openvpn.sh, wireguard.sh (busybox ping)
)

usage() {
    echo "usage: ./setup.sh run|test|captures   (install what FlowCarp needs to build and run, to test, or to make training captures)"
}

# missing_packages PKG...: prints the packages that dpkg does not have fully installed
missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
    printf '%s\n' "$@" | grep -vxF -f <(printf '%s\n' "$installed") || true
}

# install_packages PKG...: apt-get without questions and without starting the services
# it installs (tests start their own instances on their own ports)
install_packages() {
    local created_policy=0
    # tshark asks whether non-root users may capture; answer no instead of waiting for stdin
    echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
    # postfix asks what kind of mail server it is; the generators configure their own
    echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "$@" < /dev/null
    if [ $created_policy -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
}

main() {
    local wanted missing
    case ${1:-} in
        run)  wanted=("${RUN_PACKAGES[@]}") ;;
        test) wanted=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}") ;;
        captures) wanted=("${RUN_PACKAGES[@]}" "${CAPTURE_PACKAGES[@]}") ;;
        -h | --help) usage; exit 0 ;;
        *)    usage >&2; exit 2 ;;
    esac
    if ! command -v dpkg-query > /dev/null; then
        echo "setup.sh: dpkg-query not found: this script knows Debian's package names only; install the equivalents of: ${wanted[*]}" >&2
        exit 1
    fi
    mapfile -t missing < <(missing_packages "${wanted[@]}")
    if [ ${#missing[@]} -eq 0 ]; then
        echo "setup.sh: all ${#wanted[@]} packages for '$1' are installed"
        return 0
    fi
    echo "setup.sh: missing packages: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup.sh: not root, so not installing them; as root, run:" >&2
        echo "  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections" >&2
        echo "  DEBIAN_FRONTEND=noninteractive apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    install_packages "${missing[@]}"
    mapfile -t missing < <(missing_packages "${wanted[@]}")
    if [ ${#missing[@]} -gt 0 ]; then
        echo "setup.sh: still missing after apt-get: ${missing[*]}" >&2
        exit 1
    fi
    echo "setup.sh: installed; all ${#wanted[@]} packages for '$1' are there"
}

main "$@"
