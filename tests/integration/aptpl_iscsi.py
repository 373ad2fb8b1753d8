#!/usr/bin/env python3
"""Persistent reservations with APTPL across kill -9 (issue 10 section 3).

usage:
  aptpl_iscsi.py --port P --target IQN write --journal J --round R --seed S [--ready FILE]
  aptpl_iscsi.py --port P --target IQN verify --journal J

`write`: four initiators (one session each) keep re-registering with
PERSISTENT RESERVE OUT REGISTER AND IGNORE EXISTING KEY, APTPL=1, a new
key each time (initiator number in the high 32 bits, a sequence number
below); initiator 0 first takes a Write Exclusive - Registrants Only
reservation. Every command is journalled (JSON lines) with whether it got
GOOD. The target is killed meanwhile.

`verify` (after the restart): PERSISTENT RESERVE IN READ KEYS must show,
for each initiator, exactly one key, and that key must be the last one
acknowledged with GOOD or one sent after it (a command in flight at the
kill may have been saved); and READ RESERVATION must show the reservation
once its RESERVE got GOOD. SPC-4 5.13.4 / 6.16.4: with APTPL the state
survives a power loss. Prints CHECKED <keys checked> LOST <n>; exit 1 when
anything is missing.
"""

import json
import os
import random
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kill_client  # noqa: E402
import raw_iscsi as ri  # noqa: E402

INITIATORS = 4
WERO = 5  # Write Exclusive - Registrants Only (SPC-4 Table 212)


def prout(c, sa, key, sa_key, rtype=0, aptpl=True):
    params = struct.pack(">QQ4xB3x", key, sa_key, 0x01 if aptpl else 0)
    cdb = struct.pack(">BBB2xIB", 0x5F, sa, rtype, len(params), 0)
    rsp, _ = c.write_cdb(cdb, params, len(params), "PERSISTENT RESERVE OUT")
    return rsp.bhs[3], ri.parse_sense(rsp.data)


def prin(c, sa, alloc=8192):
    cdb = struct.pack(">BB5xHB", 0x5E, sa, alloc, 0)
    st, sense, data = ri.read_command(c, cdb, alloc)
    if st != 0:
        raise ri.Failure(f"PERSISTENT RESERVE IN {sa}: status {st} sense {sense}")
    return data


def login(args, n):
    c = ri.Conn(args.host, args.port, f"i{n}", args.lun)
    c.login(f"iqn.2026-11.org.stmfd:aptpl-{n}", bytes([0x80, 0xA7, 0, 0, 0, n]), args.target)
    c.tur_until_good()
    return c


def cmd_write(args):
    rng = random.Random(args.seed)
    log, lock = [], threading.Lock()
    conns = [login(args, n) for n in range(INITIATORS)]
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")

    def run(n, c, seed):
        r = random.Random(seed)
        try:
            for seq in range(1, 100000):
                key = (n << 32) | (args.round << 20) | seq
                e = {"k": "reg", "n": n, "key": key}
                with lock:
                    log.append(e)
                e["status"] = prout(c, 0x06, 0, key)[0]  # REGISTER AND IGNORE EXISTING KEY
                if n == 0 and seq == 1 and e["status"] == 0:
                    e2 = {"k": "resv", "n": n, "key": key}
                    with lock:
                        log.append(e2)
                    e2["status"] = prout(c, 0x01, key, 0, WERO)[0]
                time.sleep(r.random() * 0.01)
        except (ri.Closed, ri.TimedOut, ri.Failure, OSError):
            pass

    threads = [threading.Thread(target=run, args=(n, c, rng.getrandbits(32)), daemon=True)
               for n, c in enumerate(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with lock, open(args.journal, "a") as f:
        for e in log:
            f.write(json.dumps(e) + "\n")
    good = sum(1 for e in log if e.get("status") == 0)
    print(f"round {args.round}: {len(log)} PERSISTENT RESERVE OUT, {good} GOOD", flush=True)
    for c in conns:
        c.close()
    return 0


def cmd_verify(args):
    with open(args.journal) as f:
        log = [json.loads(line) for line in f]
    c = login(args, 9)
    data = prin(c, 0x00)  # READ KEYS
    n_bytes = struct.unpack_from(">I", data, 4)[0]
    keys = [struct.unpack_from(">Q", data, 8 + i)[0] for i in range(0, n_bytes, 8)]
    resv = prin(c, 0x01)  # READ RESERVATION
    c.close()
    lost = 0
    checked = 0
    for n in range(INITIATORS):
        sent = [e for e in log if e["k"] == "reg" and e["n"] == n]
        acked = [i for i, e in enumerate(sent) if e.get("status") == 0]
        if not acked:
            continue
        checked += 1
        allowed = {e["key"] for e in sent[acked[-1]:]}
        mine = [k for k in keys if k >> 32 == n]
        if len(mine) != 1 or mine[0] not in allowed:
            lost += 1
            print(f"initiator {n}: keys {[hex(k) for k in mine]}, expected one of the last acknowledged "
                  f"{sent[acked[-1]]['key']:#x} or later", flush=True)
    if any(e["k"] == "resv" and e.get("status") == 0 for e in log):
        checked += 1
        has = struct.unpack_from(">I", resv, 4)[0] >= 16 and resv[8 + 13] & 0x0F == WERO
        if not has:
            lost += 1
            print(f"the acknowledged reservation is gone: READ RESERVATION {resv[:24].hex()}", flush=True)
    print(f"CHECKED {checked} LOST {lost} KEYS {len(keys)}", flush=True)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(kill_client.run(__doc__, cmd_write, cmd_verify))
