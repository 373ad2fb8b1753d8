#!/usr/bin/env python3
"""ALUA seen by an initiator (for test_alua.sh): one LU through two targets,
each on its own portal and in its own target port group. Logged in through
both, it reads REPORT TARGET PORT GROUPS and VPD 83h through each portal,
has stmfadm put one group in standby (ASYMMETRIC ACCESS STATE CHANGED
2Ah/06h, then NOT READY 04h/0Bh through that portal while the other still
serves I/O) and back, moves the same group with SET TARGET PORT GROUPS, and
takes target 2 offline (stmfadm offline-target): group 2 is then offline as
seen through portal 1, with 2Ah/06h there, and in stmfadm list-tpg-alua's
effective state, and back when it is online again. Then (issue 7) a live
itadm create-target puts a third port into group 2 and delete-target takes
it out again: REPORT TARGET PORT GROUPS through portal 1 follows each
change with no LU restart (no POWER ON unit attention).

usage: alua_iscsi.py --port1 P --target1 IQN --port2 P --target2 IQN --port3 P --stmfadm PATH

Exits 0 only when every check held. Standard library only; every socket
read has a deadline (raw_iscsi.Conn) and the whole run an alarm.
"""

import argparse
import json
import os
import signal
import struct
import subprocess
import sys
import time

from raw_iscsi import Conn, Failure, parse_sense
from thin_iscsi import data_in  # (status, sense triple, Data-In bytes)

BLOCK = 512
UA_ALUA = (0x06, 0x2A, 0x06)
STANDBY = (0x02, 0x04, 0x0B)
OFFLINE = 0x0E  # asymmetric access state (SPC-4 6.27 Table 169)


def log(msg):
    print(f"[alua_iscsi] {msg}", flush=True)


def check(cond, msg):
    if not cond:
        raise Failure(msg)
    log(f"ok: {msg}")


def session(port, target, tag, n):
    deadline = time.time() + 10
    while True:
        try:
            c = Conn("127.0.0.1", port, tag, 0)
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    c.login(f"iqn.2026-11.org.stmfd:alua-{tag}", bytes([0x80, 0x41, 0x4C, 0x55, 0, n]), target)
    c.tur_until_good()
    return c


def rtpg(c, extended=False):
    """REPORT TARGET PORT GROUPS: {group: (state, status code, [relative ports])}."""
    cdb = struct.pack(">BBxxxxIxx", 0xA3, 0x2A if extended else 0x0A, 1024)
    status, sense, data = data_in(c, cdb, 1024)
    check(status == 0, f"{c.name}: REPORT TARGET PORT GROUPS is GOOD (sense {sense})")
    length = struct.unpack(">I", data[:4])[0]
    check(length + 4 == len(data), f"{c.name}: RTPG RETURN DATA LENGTH {length} covers the {len(data)} bytes")
    at = 8 if extended else 4
    if extended:
        check(data[4] == 0x10, f"{c.name}: extended header FORMAT TYPE 001b")
    groups = {}
    while at + 8 <= len(data):
        d = data[at:]
        count = d[7]
        ports = [struct.unpack(">H", d[8 + 4 * i + 2:8 + 4 * i + 4])[0] for i in range(count)]
        groups[struct.unpack(">H", d[2:4])[0]] = (d[0] & 0x0F, d[5], ports)
        check(d[1] == 0xCF, f"{c.name}: group supports T/O/U/S/AN/AO states (byte 1 {d[1]:#x})")
        at += 8 + 4 * count
    return groups


def vpd83(c):
    """Device Identification designators: {designator type: bytes}."""
    status, sense, data = data_in(c, bytes([0x12, 0x01, 0x83, 0x04, 0x00, 0x00]), 1024)
    check(status == 0, f"{c.name}: INQUIRY VPD 83h is GOOD")
    out, at = {}, 4
    while at + 4 <= len(data):
        kind, n = data[at + 1] & 0x0F, data[at + 3]
        out.setdefault(kind, data[at + 4:at + 4 + n])
        at += 4 + n
    return out


def tur(c):
    status, key, asc, ascq = c.tur()
    return status, (key, asc, ascq)


def read(c):
    status, sense, _ = data_in(c, struct.pack(">BBIBHB", 0x28, 0, 0, 0, 1, 0), BLOCK)
    return status, sense


def stpg(c, group, state):
    params = bytes(4) + struct.pack(">BBH", state, 0, group)
    itt = c.scsi_cmd(struct.pack(">BBxxxxIxx", 0xA4, 0x0A, len(params)), len(params), write=True, imm=params)
    rsp = c.scsi_response(itt, "SET TARGET PORT GROUPS response", timeout=10)
    return rsp.bhs[3], parse_sense(rsp.data)


def stmfadm(args, *verb):
    r = subprocess.run([args.stmfadm, *verb], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise Failure(f"stmfadm {' '.join(verb)} exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def effective_states(args):
    """stmfadm list-tpg-alua: {group: (configured state, effective state, {relative port: up})}."""
    groups = json.loads(stmfadm(args, "--json", "list-tpg-alua", "-v"))["groups"]
    return {g["id"]: (g["state"], g.get("effectiveState"),
                      {p["relativePortId"]: p.get("up", False) for p in g.get("ports", [])}) for g in groups}


def itadm(args, *verb):
    r = subprocess.run([os.path.join(os.path.dirname(args.stmfadm), "itadm"), *verb],
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise Failure(f"itadm {' '.join(verb)} exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def live_ports(args, a):
    """A third target port joins group 2 live (its first portal group's tag is
    2) and leaves again; the LU, never restarted, reports each change."""
    target3 = "iqn.2026-11.org.stmfd:site-b-two"
    itadm(args, "create-tpg", "-T", "2", "alua-b2", f"127.0.0.1:{args.port3}")
    itadm(args, "create-target", "-n", target3, "-t", "alua-b2")
    g = rtpg(a)
    check(len(g[2][2]) == 2 and g[1][2] == [1],
          f"RTPG through portal 1 after create-target: group 2 has two ports ({g})")
    third = [p for p in g[2][2] if p not in (1, 2)]
    check(len(third) == 1, f"the new port has a relative identifier of its own: {g[2][2]}")
    eff = effective_states(args)
    check(eff[2][2].get(third[0]) is True, f"stmfadm list-tpg-alua lists the new port in group 2, up: {eff[2]}")
    st, sense = tur(a)
    check(st == 0, f"portal 1: TEST UNIT READY GOOD, no POWER ON: the LU was not restarted (sense {sense})")
    itadm(args, "delete-target", target3)
    itadm(args, "delete-tpg", "alua-b2")
    g = rtpg(a)
    check(g[2][2] == [2] and g[1][2] == [1], f"RTPG through portal 1 after delete-target: group 2 has port 2 only ({g})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port1", type=int, required=True)
    ap.add_argument("--target1", required=True)
    ap.add_argument("--port2", type=int, required=True)
    ap.add_argument("--target2", required=True)
    ap.add_argument("--port3", type=int, required=True)
    ap.add_argument("--stmfadm", required=True)
    args = ap.parse_args()
    signal.alarm(120)

    a = session(args.port1, args.target1, "a", 1)
    b = session(args.port2, args.target2, "b", 2)

    status, _, inq = data_in(a, bytes([0x12, 0, 0, 0, 96, 0]), 96)
    check(status == 0 and (inq[5] >> 4) & 3 == 3, "INQUIRY reports TPGS 11b (implicit and explicit ALUA)")

    ga, gb = rtpg(a), rtpg(b, extended=True)
    check(ga == gb, f"RTPG through both portals agrees: {ga}")
    check(sorted(ga) == [1, 2] and all(g[0] == 0 for g in ga.values()),
          "two groups, both active/optimized by default")
    rel_a, rel_b = ga[1][2], ga[2][2]
    check(len(rel_a) == 1 and len(rel_b) == 1 and rel_a != rel_b, f"one port in each group: {rel_a} {rel_b}")

    for c, group, rel in ((a, 1, rel_a[0]), (b, 2, rel_b[0])):
        d = vpd83(c)
        check(0x5 in d and struct.unpack(">H", d[0x5][2:4])[0] == group,
              f"{c.name}: VPD 83h target port group designator says {group}")
        check(0x4 in d and struct.unpack(">H", d[0x4][2:4])[0] == rel,
              f"{c.name}: VPD 83h relative target port designator says {rel}")

    # Implicit: the admin puts group 2 in standby while both are logged in.
    stmfadm(args, "set-alua-state", "2", "standby")
    check(tur(b) == (2, UA_ALUA), "portal 2 hears ASYMMETRIC ACCESS STATE CHANGED")
    check(read(b) == (2, STANDBY), "portal 2 answers READ with NOT READY, TARGET PORT IN STANDBY STATE")
    check(tur(a) == (2, UA_ALUA), "portal 1 hears ASYMMETRIC ACCESS STATE CHANGED too")
    check(read(a)[0] == 0, "portal 1 still serves READ")
    g = rtpg(b)
    check(g[2][0] == 2 and g[2][1] == 0x02 and g[1][0] == 0,
          f"RTPG through the standby portal: group 2 standby, altered implicitly ({g})")
    listing = stmfadm(args, "list-tpg-alua", "-v")
    check("standby" in listing, f"stmfadm list-tpg-alua shows the standby group:\n{listing}")

    stmfadm(args, "set-alua-state", "2", "active-optimized")
    check(tur(b) == (2, UA_ALUA), "portal 2 hears the state change back")
    check(read(b)[0] == 0, "portal 2 serves READ again")
    tur(a)  # its unit attention

    # Explicit: SET TARGET PORT GROUPS through portal 1 puts group 2 in standby.
    check(stpg(a, 2, 0x2)[0] == 0, "SET TARGET PORT GROUPS (group 2 standby) is GOOD")
    check(tur(a)[0] == 0, "the requester is not told of its own change")
    check(tur(b) == (2, UA_ALUA), "the other nexus hears ASYMMETRIC ACCESS STATE CHANGED")
    check(read(b) == (2, STANDBY), "portal 2 is in standby")
    check(rtpg(a)[2][1] == 0x01, "RTPG status code: altered by SET TARGET PORT GROUPS")
    check(stpg(b, 2, 0x0)[0] == 0, "SET TARGET PORT GROUPS is allowed through the standby portal")
    check(read(b)[0] == 0, "portal 2 serves READ after STPG back to active/optimized")
    check(tur(a) == (2, UA_ALUA), "portal 1 hears of the STPG made through portal 2")
    check(stpg(a, 9, 0x0) == (2, (0x05, 0x26, 0x00)), "STPG of an unknown group: INVALID FIELD IN PARAMETER LIST")

    # A port going down: the admin takes target 2 offline, which logs its
    # session out; group 2 (its only port down) is then offline as seen
    # through portal 1, which hears 2Ah/06h and goes on serving; when the
    # target is back the group returns to its state, with 2Ah/06h again.
    stmfadm(args, "offline-target", args.target2)
    b.close()
    check(tur(a) == (2, UA_ALUA), "portal 1 hears ASYMMETRIC ACCESS STATE CHANGED when target 2 goes offline")
    g = rtpg(a)
    check(g[2][0] == OFFLINE and g[2][1] == 0x02 and g[1][0] == 0,
          f"RTPG through portal 1: group 2 offline, altered implicitly; group 1 active/optimized ({g})")
    check(read(a)[0] == 0, "portal 1 still serves READ while target 2 is offline")
    eff = effective_states(args)
    check(eff[2][:2] == ("active-optimized", "offline") and eff[2][2] == {rel_b[0]: False},
          f"stmfadm list-tpg-alua: group 2 configured active-optimized, effective offline, its port down ({eff[2]})")
    check(eff[1][:2] == ("active-optimized", "active-optimized"), f"group 1 effective active-optimized ({eff[1]})")
    stmfadm(args, "online-target", args.target2)
    check(tur(a) == (2, UA_ALUA), "portal 1 hears ASYMMETRIC ACCESS STATE CHANGED when target 2 is back")
    g = rtpg(a)
    check(g[2][0] == 0 and g[2][1] == 0x02, f"RTPG through portal 1: group 2 active/optimized again ({g})")
    b = session(args.port2, args.target2, "b", 3)
    check(read(b)[0] == 0, "portal 2 serves READ after target 2 came back")
    eff = effective_states(args)
    check(eff[2][1] == "active-optimized" and all(eff[2][2].values()), f"group 2 effective state back ({eff[2]})")

    live_ports(args, a)

    a.logout()
    b.logout()
    log("all ALUA checks held")


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
