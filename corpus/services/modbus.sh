#!/usr/bin/env bash
# corpus/services/modbus.sh OUTDIR: Modbus/TCP sessions (class Modbus; nDPI: Modbus)
# between a pymodbus 3.0 server (python3-pymodbus: a PLC's coils, discrete inputs, input and
# holding registers that change while the run lasts, several unit ids) and the clients
# mbpoll 1.4 (libmodbus) and pymodbus, in two network namespaces, TCP 502. Sessions, drawn
# from the seed: an HMI or SCADA poller reading the same blocks every 0.1-1 s for a while,
# an engineer's one-off reads and writes (mbpoll -1: coils, inputs, 16-bit, 32-bit int and
# float registers, hex), setpoint writes (single and multiple registers and coils),
# read/write-multiple, mask writes, device identification and reads of addresses or
# unit ids the server does not have (exception replies). Contract: corpus/make-captures
# (FC_BATCH, FC_SEED; writes OUTDIR/Modbus/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=502
dir=$(svc_class_dir Modbus)
pcap=$dir/modbus-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP

cat > "$W/plc.py" <<'PY'
# the PLC: units 1-3, 2000 values of each table, some drifting
import asyncio, random, sys
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server import StartAsyncTcpServer
host, port, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
def unit():
    return ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [rng.randint(0, 1) for _ in range(2000)]),
        co=ModbusSequentialDataBlock(0, [rng.randint(0, 1) for _ in range(2000)]),
        hr=ModbusSequentialDataBlock(0, [rng.randint(0, 65535) for _ in range(2000)]),
        ir=ModbusSequentialDataBlock(0, [rng.randint(0, 4000) for _ in range(2000)]))
units = {u: unit() for u in (1, 2, 3)}
context = ModbusServerContext(slaves=units, single=False)
ident = ModbusDeviceIdentification(info_name={
    "VendorName": rng.choice(["ACME Automation", "Example Controls", "OpenPLC"]),
    "ProductCode": rng.choice(["PLC-100", "RTU-7", "CPU 1214C"]),
    "VendorUrl": "http://example.com", "ProductName": "test PLC",
    "ModelName": rng.choice(["M1", "M2", "X9"]), "MajorMinorRevision": rng.choice(["1.0.3", "2.4", "4.1.7"])})
async def drift():
    while True:
        await asyncio.sleep(0.5)
        for u in units.values():
            a = rng.randint(0, 40)
            u.setValues(4, a, [rng.randint(0, 4000)])
            u.setValues(2, a, [rng.randint(0, 1)])
async def main():
    asyncio.ensure_future(drift())
    await StartAsyncTcpServer(context=context, identity=ident, address=(host, port))
asyncio.run(main())
PY
bg_srv $SVC_PYTHON "$W/plc.py" "$srv" $port "$FC_SEED"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

cat > "$W/client.py" <<'PY'
# one pymodbus client session: argv host port kind seed
import random, sys, time
from pymodbus.client import ModbusTcpClient
from pymodbus.mei_message import ReadDeviceInformationRequest
host, port, kind, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
c = ModbusTcpClient(host, port=port, timeout=2)
c.connect()
unit = rng.choice([1, 1, 1, 2, 3])   # unit 0 is broadcast: no reply, and pymodbus reconnects
def step():
    r = rng.random()
    a = rng.choice([0, 10, 40, 100, 400, 1000, 1990, 5000])   # 5000: an illegal address
    n = rng.choice([1, 2, 4, 10, 32, 125])
    if r < 0.3:
        c.read_holding_registers(a, n, slave=unit)
    elif r < 0.5:
        c.read_input_registers(a, n, slave=unit)
    elif r < 0.6:
        c.read_coils(a, rng.choice([1, 8, 16, 100]), slave=unit)
    elif r < 0.68:
        c.read_discrete_inputs(a, rng.choice([1, 8, 16, 100]), slave=unit)
    elif r < 0.76:
        c.write_register(a, rng.randint(0, 65535), slave=unit)
    elif r < 0.82:
        c.write_registers(a, [rng.randint(0, 65535) for _ in range(rng.randint(2, 20))], slave=unit)
    elif r < 0.87:
        c.write_coil(a, rng.random() < 0.5, slave=unit)
    elif r < 0.9:
        c.write_coils(a, [rng.random() < 0.5 for _ in range(rng.randint(2, 16))], slave=unit)
    elif r < 0.93:
        c.readwrite_registers(read_address=a, read_count=n, write_address=a + 1,
                              write_registers=[rng.randint(0, 999) for _ in range(3)], slave=unit)
    elif r < 0.96:
        c.mask_write_register(address=a, and_mask=0xF0F0, or_mask=0x0101, slave=unit)
    else:
        c.execute(ReadDeviceInformationRequest(read_code=rng.choice([1, 2, 3]), object_id=0, slave=unit))
if kind == "poller":   # an HMI: the same reads every period
    period = rng.choice([0.1, 0.25, 0.5, 1.0])
    blocks = [(rng.choice([0, 100, 200]), rng.choice([8, 16, 32, 64])) for _ in range(rng.randint(1, 4))]
    for _ in range(rng.randint(5, 40)):
        for a, n in blocks:
            c.read_holding_registers(a, n, slave=unit) if a != 200 else c.read_input_registers(a, n, slave=unit)
        if rng.random() < 0.2:
            c.read_coils(0, 16, slave=unit)
        time.sleep(period)
else:                  # an engineer's tool: a few mixed requests with pauses
    for _ in range(rng.randint(1, 25)):
        step()
        time.sleep(rng.choice([0, 0.05, 0.2, 0.8, 2.0]))
c.close()
PY

mbpoll_session() {
    local t opts=(-m tcp -p $port -1 -o 2 -a "$(svc_pick 1 1 1 2 3)" -r "$(svc_pick 1 11 101 401 1001)")
    t=$(svc_pick 0 1 3 4 4 3:int 4:float 4:hex 3:float)
    opts+=(-t "$t")
    [ "$(svc_rand 0 3)" -eq 0 ] && opts+=(-B)
    if [[ $t == [04] ]] && [ "$(svc_rand 0 2)" -eq 0 ]; then   # a write: the values after the host
        local values=() i
        for i in $(seq "$(svc_rand 1 4)"); do
            if [ "$t" = 0 ]; then values+=("$(svc_rand 0 1)"); else values+=("$(svc_rand 0 30000)"); fi
        done
        in_cli timeout 20 mbpoll "${opts[@]}" "$srv" "${values[@]}"
    else
        in_cli timeout 20 mbpoll "${opts[@]}" -c "$(svc_pick 1 2 4 10 32 100)" "$srv"
    fi
}

sessions=40
for s in $(seq $sessions); do
    case $(svc_rand 0 9) in
    0|1|2|3) mbpoll_session >/dev/null 2>&1 ;;
    4|5|6) in_cli timeout 60 $SVC_PYTHON "$W/client.py" "$srv" $port poller "$FC_SEED$s" >/dev/null 2>&1 ;;
    *) in_cli timeout 60 $SVC_PYTHON "$W/client.py" "$srv" $port engineer "$FC_SEED$s" >/dev/null 2>&1 ;;
    esac
    svc_think
done
capture_stop
svc_end Modbus "$pcap" $sessions
