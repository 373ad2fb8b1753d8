#!/usr/bin/env python3
"""Hostile and well-behaved iSCSI peers for test_hostile.sh (architecture.md
"Resources"): each role is one process, so several run at once.

usage: hostile_iscsi.py --port PORT --target IQN [options] ROLE

roles
  flood   keep up to --count idle TCP connections open for --seconds, opening
          new ones as the target closes them (at most 20 per 0.1 s); never
          sends a byte
  stall   log in, send --count WRITE(10)s of --size bytes and never send
          their data; stay connected for --seconds
  short   log in, send --count WRITE(10)s of --size bytes and answer their
          R2Ts with every Data-Out PDU but the last one; stay connected
  pings   log in (MaxRecvDataSegmentLength 256 KiB), send up to --count
          NOP-Out pings of --size bytes and never read the echoes
  good    log in and write, read back and compare random extents (4 KiB to
          1 MiB) for --seconds (or until --stop-file exists), retrying BUSY /
          TASK SET FULL; fails on any mismatch, error, or a wait of more than
          --max-gap seconds
  cycles  --count sequential login / INQUIRY / logout
  rss     sample VmRSS of --pid every 0.1 s for --seconds; print the peak

Each role prints one line "ROLE: key=value ..." and exits 0 when it did
what it should; the roles that log in first print "ROLE logged in" once
the target accepted the login (test_hostile.sh waits for these lines
instead of sleeping). Traffic goes to 127.0.0.1 only; every loop is bounded in
count and time, and an alarm ends the process --seconds + 30 s after start.
Standard library only.
"""

import argparse
import os
import random
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from raw_iscsi import (OP_DATA_OUT, OP_R2T, OP_SCSI_RSP, RSVD_TAG, Closed, Conn,  # noqa: E402
                       Failure, TimedOut, be32)

HOST = "127.0.0.1"
BUSY, TASK_SET_FULL = 0x08, 0x28


def login(args, tag, **kw):
    c = Conn(HOST, args.port, tag)
    isid = bytes([0x80]) + os.urandom(3) + struct.pack(">H", os.getpid() & 0xFFFF)
    c.login(f"iqn.2026-11.org.stmfd:hostile-{tag}", isid, args.target, **kw)
    print(f"{args.role} logged in", flush=True)
    return c


def write_cmd(c, lba, size, imm=b""):
    cdb = struct.pack(">BBIBHB", 0x2A, 0, lba, 0, size // 512, 0)
    return c.scsi_cmd(cdb, size, write=True, imm=imm)


def pdus_until(c, deadline):
    """The target's PDUs until the deadline (pings are answered by Conn.recv)."""
    while time.monotonic() < deadline:
        try:
            yield c.recv(min(1.0, max(0.01, deadline - time.monotonic())))
        except TimedOut:
            continue


def far_lba(i, size):
    # Hostile writes aim past the good client's first 8 MiB (and never complete anyway).
    return 32768 + (i * size // 512) % 65536


def role_flood(args):
    deadline = time.monotonic() + args.seconds
    socks, opened, closed_by_target, refused, most = [], 0, 0, 0, 0
    while time.monotonic() < deadline:
        round_end = time.monotonic() + 0.1
        for _ in range(min(20, args.count - len(socks))):
            try:
                socks.append(socket.create_connection((HOST, args.port), timeout=1))
                opened += 1
            except OSError:
                refused += 1
                break
        most = max(most, len(socks))
        readable, _, _ = select.select(socks, [], [], 0.1) if socks else ([], [], [])
        for s in readable:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                socks.remove(s)
                s.close()
                closed_by_target += 1
        time.sleep(max(0.0, round_end - time.monotonic()))
    for s in socks:
        s.close()
    print(f"flood: opened={opened} closed_by_target={closed_by_target} connect_errors={refused} "
          f"most_open={most}", flush=True)
    return 0 if opened > 0 else 1


def role_stall(args):
    c = login(args, "stall")
    itts = [write_cmd(c, far_lba(i, args.size), args.size) for i in range(args.count)]
    r2ts = busy = 0
    for pdu in pdus_until(c, time.monotonic() + args.seconds):
        if pdu.opcode == OP_R2T:
            r2ts += 1
        elif pdu.opcode == OP_SCSI_RSP and pdu.bhs[3] in (BUSY, TASK_SET_FULL):
            busy += 1
    c.close()
    print(f"stall: commands={len(itts)} r2ts={r2ts} busy={busy}", flush=True)
    return 0


def role_short(args):
    c = login(args, "short")
    for i in range(args.count):
        write_cmd(c, far_lba(i, args.size), args.size)
    data = bytes(args.size)
    withheld = r2ts = 0
    for pdu in pdus_until(c, time.monotonic() + args.seconds):
        if pdu.opcode != OP_R2T:
            continue
        r2ts += 1
        off, want = be32(pdu.bhs, 40), be32(pdu.bhs, 44)
        last_burst = off + want >= args.size
        chunk, pos, sn = min(c.target_mrdsl, 65536), off, 0
        while pos < off + want:
            n = min(chunk, off + want - pos)
            if last_burst and pos + n == off + want:
                withheld += 1  # the one PDU that never comes
                break
            b = c.bhs(OP_DATA_OUT, 0x80 if pos + n == off + want else 0, 0, pdu.itt, n)
            b[8:16] = pdu.bhs[8:16]
            struct.pack_into(">IxxxxIxxxxII", b, 20, pdu.ttt, c.exp_stat_sn, sn, pos)
            c.send_pdu(bytes(b), data[pos:pos + n])
            sn += 1
            pos += n
    c.close()
    print(f"short: commands={args.count} r2ts={r2ts} withheld_pdus={withheld}", flush=True)
    return 0


def role_pings(args):
    c = login(args, "pings", mrdsl=262144)
    payload = bytes(args.size)
    sent = 0
    stalled = False
    deadline = time.monotonic() + args.seconds
    for _ in range(args.count):
        if time.monotonic() >= deadline:
            break
        b = c.bhs(0x40 | 0x00, 0x80, 0, c.itt(), len(payload))
        struct.pack_into(">III", b, 20, RSVD_TAG, c.cmd_sn, c.exp_stat_sn)
        c.sock.settimeout(2)
        try:
            c.sock.sendall(bytes(b) + payload)
        except socket.timeout:
            stalled = True  # the target stopped reading us
            break
        sent += 1
    while time.monotonic() < deadline:
        time.sleep(0.2)
    c.close()
    print(f"pings: sent={sent} of {args.count} size={args.size} stalled={'yes' if stalled else 'no'}",
          flush=True)
    return 0


def role_good(args):
    rng = random.Random(args.seed)
    start = time.monotonic()
    deadline = start + args.seconds
    c = login(args, "good")
    c.tur_until_good()
    ops = nbytes = retries = 0
    last_ok = time.monotonic()
    max_gap = 0.0
    sizes = [4096, 65536, 262144, 1048576]
    region_blocks = 16384  # the first 8 MiB of the LU belong to this client

    def retry(what, fn):
        nonlocal retries
        while True:
            st = fn()
            if st not in (BUSY, TASK_SET_FULL):
                return st
            retries += 1
            if time.monotonic() > deadline + 20:
                raise Failure(f"{what}: BUSY / TASK SET FULL for more than 20 s past the run")
            time.sleep(0.05)

    while time.monotonic() < deadline and not (args.stop_file and os.path.exists(args.stop_file)):
        size = rng.choice(sizes)
        lba = rng.randrange(0, region_blocks - size // 512 + 1)
        data = rng.randbytes(size)
        st = retry("WRITE", lambda: c.write10(lba, data, 512, min(size, 4096))[0].bhs[3])
        if st != 0:
            raise Failure(f"WRITE(10) of {size} bytes at {lba}: status {st:#x}")
        got = {}

        def read():
            buf, status, _ = c.read10(lba, size // 512, 512)
            got["data"] = buf
            return status[1]
        st = retry("READ", read)
        if st != 0:
            raise Failure(f"READ(10) of {size} bytes at {lba}: status {st:#x}")
        if got["data"] != data:
            raise Failure(f"read back {size} bytes at LBA {lba}: data differs from what was written")
        ops += 1
        nbytes += size
        now = time.monotonic()
        max_gap = max(max_gap, now - last_ok)
        last_ok = now
    c.logout()
    c.close()
    print(f"good: ops={ops} bytes={nbytes} busy_retries={retries} longest_wait={max_gap:.2f}s "
          f"seconds={time.monotonic() - start:.1f}", flush=True)
    if max_gap > args.max_gap:
        raise Failure(f"one write+read took {max_gap:.1f} s (more than {args.max_gap} s)")
    return 0 if ops >= args.min_ops else 1


def role_cycles(args):
    t0 = time.monotonic()
    for i in range(args.count):
        c = Conn(HOST, args.port, f"cycle{i}")
        try:
            c.login("iqn.2026-11.org.stmfd:hostile-cycles", bytes([0x80, 0, 0, 0, 0, 1]), args.target)
            c.inquiry()
            c.logout()
        finally:
            c.close()
    print(f"cycles: {args.count} login/INQUIRY/logout in {time.monotonic() - t0:.1f}s", flush=True)
    return 0


def rss_kib(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise Failure(f"no {key} for pid {pid}")


def role_rss(args):
    peak = 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        try:
            peak = max(peak, rss_kib(args.pid))
        except (OSError, Failure):
            break
        time.sleep(0.1)
    print(f"rss: peak_kib={peak}", flush=True)
    return 0


ROLES = {"flood": role_flood, "stall": role_stall, "short": role_short, "pings": role_pings,
         "good": role_good, "cycles": role_cycles, "rss": role_rss}


def _alarm(signum, frame):
    raise Failure("role ran past its time limit")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", default="")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--size", type=int, default=1 << 20)
    p.add_argument("--pid", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--min-ops", type=int, default=10)
    p.add_argument("--max-gap", type=float, default=15)
    p.add_argument("--stop-file", default="", help="good: stop once this file exists")
    p.add_argument("role", choices=sorted(ROLES))
    args = p.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(int(args.seconds) + 30 + (args.count // 20 if args.role == "cycles" else 0))
    try:
        return ROLES[args.role](args)
    except (Failure, Closed, TimedOut, OSError) as e:
        print(f"{args.role}: FAIL: {type(e).__name__}: {e}", flush=True)
        return 1
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    sys.exit(main())
