#!/usr/bin/env python3
"""Sessions through the admin plane (issue 6 "Sessions and connections:
list with negotiated parameters; force logout"), against a running stmfd.

usage: sessions_iscsi.py --port PORT --target IQN --stmfadm PATH

Two raw sessions log in: A with CRC32C header and data digests and
MaxRecvDataSegmentLength 16384, B without digests and 32768.
`stmfadm list-session --json` lists both with those values, their
initiator names, ISID/TSIH, TPGT, the target and each connection's
addresses; `list-session -v TARGET` and `list-target -v` show them.
`stmfadm logout-session NEXUS-of-A`: A receives an Asynchronous Message
with AsyncEvent 1 (target requests logout, RFC 7143 11.9.1) and, since it
does not log out, its connection ends within the grace time; B still
answers TEST UNIT READY and is still listed. `logout-session --initiator
B`: B receives the same message, logs out cleanly, and no session is left.
An unknown nexus and an unknown target are refused with exit code 3
(notFound). Exits 0 only when every check passed.
"""

import argparse
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as ri  # noqa: E402

failures = 0
INIT_A = "iqn.2026-11.org.example:sessions-a"
INIT_B = "iqn.2026-11.org.example:sessions-b"


def check(cond, msg, detail=""):
    global failures
    print(f"{'PASS' if cond else 'FAIL'}: {msg}{'' if cond or not detail else ': ' + str(detail)}", flush=True)
    if not cond:
        failures += 1
    return cond


def stmfadm(args, *verb):
    r = subprocess.run([args.stmfadm, *verb], capture_output=True, text=True, timeout=20)
    return r.returncode, r.stdout, r.stderr


def sessions(args, target=""):
    rc, out, err = stmfadm(args, "list-session", "--json", *([target] if target else []))
    if not check(rc == 0, f"list-session --json {target}".strip(), err):
        return []
    return json.loads(out).get("sessions", [])


def by_initiator(listing, name):
    found = [s for s in listing if s.get("initiatorName") == name]
    return found[0] if len(found) == 1 else None


def expect_async_logout(c, what):
    """The next PDU (pings answered) is an Async Message, AsyncEvent 1."""
    pdu = c.recv(5, "Asynchronous Message")
    ok = pdu.opcode == ri.OP_ASYNC and pdu.bhs[36] == 1
    check(ok, f"{what}: Async Message with AsyncEvent 1 (target requests logout)", pdu.hex())
    if ok:
        p3 = struct.unpack_from(">H", pdu.bhs, 42)[0]
        check(p3 > 0, f"{what}: Parameter3 gives the initiator time to log out ({p3} s)")
    c.exp_stat_sn = struct.unpack_from(">I", pdu.bhs, 24)[0] + 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--stmfadm", required=True)
    args = p.parse_args()
    signal.alarm(90)

    a = ri.Conn(args.host, args.port, "A")
    a.login(INIT_A, bytes([0x80, 0, 0, 0x12, 0x34, 0x01]), args.target, digests=True, mrdsl=16384)
    b = ri.Conn(args.host, args.port, "B")
    b.login(INIT_B, bytes([0x80, 0, 0, 0x12, 0x34, 0x02]), args.target, digests=False, mrdsl=32768)
    b.tur_until_good()

    listing = sessions(args)
    check(len(listing) == 2, "list-session lists the two sessions", listing)
    sa, sb = by_initiator(listing, INIT_A), by_initiator(listing, INIT_B)
    if not (check(sa is not None, "A is listed") and check(sb is not None, "B is listed")):
        return 1
    pa = {kv["key"]: kv["value"] for kv in sa.get("parameters", [])}
    pb = {kv["key"]: kv["value"] for kv in sb.get("parameters", [])}
    check(sa.get("detailed") is True, "A's provider answered with details", sa)
    check(pa.get("HeaderDigest") == "CRC32C" and pa.get("DataDigest") == "CRC32C",
          "A's digests are CRC32C as it asked", pa)
    check(pb.get("HeaderDigest") == "None" and pb.get("DataDigest") == "None", "B's digests are None", pb)
    check(pa.get("MaxRecvDataSegmentLength") == "16384", "A's MaxRecvDataSegmentLength is its 16384", pa)
    check(pb.get("MaxRecvDataSegmentLength") == "32768", "B's MaxRecvDataSegmentLength is its 32768", pb)
    want_keys = ["TargetMaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "ImmediateData",
                 "InitialR2T", "MaxOutstandingR2T", "ErrorRecoveryLevel"]
    check(all(k in pa for k in want_keys), "A lists every negotiated key", pa)
    check(pa.get("InitialR2T") == "Yes" and pa.get("ErrorRecoveryLevel") == "0" and pa.get("ImmediateData") == "Yes",
          "A's InitialR2T, ImmediateData, ErrorRecoveryLevel as negotiated", pa)
    check(sa.get("target") == args.target, "A's target", sa.get("target"))
    check(sa.get("initiatorPort") == INIT_A + ",i,0x800000123401", "A's initiator port (name, ISID)",
          sa.get("initiatorPort"))
    check(sa.get("sessionId") == f"isid=800000123401,tsih={a.tsih}", "A's ISID and TSIH", sa.get("sessionId"))
    check(sa.get("tpgt", 0) >= 1, "A's TPGT", sa.get("tpgt"))
    conns = sa.get("connections", [])
    local = "%s:%d" % a.sock.getsockname()[:2]
    check(len(conns) == 1 and conns[0].get("remote") == local and
          conns[0].get("local") == f"{args.host}:{args.port}", "A's connection addresses", conns)
    check(int(sa.get("loginTimeNs", 0)) > (time.time() - 300) * 1e9, "A's login time", sa.get("loginTimeNs"))

    rc, out, err = stmfadm(args, "list-session", "-v", args.target)
    check(rc == 0 and INIT_A in out and "HeaderDigest=CRC32C" in out and f"tsih={b.tsih}" in out,
          "list-session -v TARGET shows both with parameters", out + err)
    rc, out, err = stmfadm(args, "list-session")
    check(rc == 0 and "NEXUS" in out and INIT_B in out, "list-session prints a table", out + err)
    rc, out, err = stmfadm(args, "list-target", "-v", args.target)
    check(rc == 0 and "Session: " in out and INIT_A in out and INIT_B in out,
          "list-target -v shows the target's sessions", out + err)

    # Bad input: notFound (exit 3) with a clear message.
    rc, out, err = stmfadm(args, "logout-session", "999999")
    check(rc == 3 and "no session" in err, "logout-session of an unknown nexus: exit 3", f"{rc} {err}")
    rc, out, err = stmfadm(args, "list-session", "iqn.2026-11.org.example:no-such-target")
    check(rc == 3 and "no target" in err, "list-session of an unknown target: exit 3", f"{rc} {err}")
    rc, out, err = stmfadm(args, "logout-session", "--initiator", "iqn.2026-11.org.example:nobody")
    check(rc == 3, "logout-session --initiator with no session: exit 3", f"{rc} {err}")

    # Forced logout of A: the Async Message, then the drop (A does not log out).
    rc, out, err = stmfadm(args, "logout-session", str(sa["nexus"]))
    check(rc == 0, "logout-session NEXUS", err)
    expect_async_logout(a, "A")
    try:
        took = a.expect_close(10)
        check(True, f"A's connection ended {took:.1f} s after the message (it did not log out)")
    except ri.Failure as e:
        check(False, "A's connection ends", e)
    status = b.tur()
    check(status[0] == 0, "B still answers TEST UNIT READY after A's logout", status)
    left = sessions(args)
    check([s.get("initiatorName") for s in left] == [INIT_B], "only B is listed now", left)

    # Forced logout by initiator name: B logs out cleanly when asked.
    rc, out, err = stmfadm(args, "logout-session", "--initiator", INIT_B)
    check(rc == 0, "logout-session --initiator B", err)
    expect_async_logout(b, "B")
    try:
        b.logout()
        check(True, "B logged out cleanly when asked")
    except ri.Failure as e:
        check(False, "B's logout", e)
    b.close()
    a.close()
    for _ in range(50):
        if not sessions(args):
            break
        time.sleep(0.1)
    check(sessions(args) == [], "no session is left")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    ri.run_script(main)
