#!/usr/bin/env python3
"""Load against a running stmfd (issue 10 section 5): many concurrent
sessions doing mixed, verified reads and writes, and a login storm at the
same time.

usage: load_iscsi.py --port PORT --target IQN --sessions N --logins M
                     --seconds S [--region-blocks B] [--storm-workers W]

1. N sessions log in (up to 16 logins in flight at once) and all of them
   stay logged in: "held" counts the sessions that were logged in at the
   same moment (a barrier before any I/O starts), and the caller checks it
   against the established TCP connections it sees.
2. For S seconds every session writes random extents (512 B to 64 KiB) of
   its own region of the LU (B blocks) with a fresh pattern, reads some back
   at once, and reads back older extents it wrote earlier; every read is
   compared with what the session last wrote there. BUSY and TASK SET FULL
   are retried (SAM-5 5.3); anything else, a mismatch or a dropped session
   is an error.
3. Meanwhile W workers run M login / INQUIRY / logout cycles (the storm);
   a refused or failed login counts as a storm error.
Prints "load: key=value ..." lines and exits 0 only without errors.
One thread per session (blocking sockets, the GIL is not the limit at these
rates); every socket read has a deadline, so nothing hangs. Standard
library only; traffic to 127.0.0.1.
"""

import argparse
import os
import random
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from raw_iscsi import Closed, Conn, Failure, TimedOut  # noqa: E402

HOST = "127.0.0.1"
BUSY, TASK_SET_FULL = 0x08, 0x28
BLOCK = 512


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ios = self.bytes = self.verified = self.retries = 0
        self.errors = []
        self.logged_in = self.held = 0
        self.storm_ok = self.storm_failed = 0

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def error(self, msg):
        with self.lock:
            self.errors.append(msg)


def login(port, target, name, isid_n):
    c = Conn(HOST, port, name)
    c.login(f"iqn.2026-11.org.stmfd:load-{name}", bytes([0x80, 0x4C, 0x44]) + isid_n.to_bytes(3, "big"), target,
            mrdsl=65536)
    return c


def retried(stats, deadline, fn):
    """fn() -> (status, result); retried on BUSY / TASK SET FULL."""
    while True:
        st, res = fn()
        if st not in (BUSY, TASK_SET_FULL):
            return st, res
        stats.add(retries=1)
        if time.monotonic() > deadline + 30:
            raise Failure("BUSY / TASK SET FULL for more than 30 s past the run")
        time.sleep(0.02)


def session_worker(i, args, stats, gate, start):
    rng = random.Random(args.seed * 100003 + i)
    base = i * args.region_blocks
    written = {}  # lba -> bytes last written there (non-overlapping extents)
    try:
        c = login(args.port, args.target, f"s{i}", i)
        c.tur_until_good()
    except (Failure, Closed, TimedOut, OSError) as e:
        stats.error(f"session {i}: login: {e}")
        gate.wait()
        return
    stats.add(logged_in=1)
    try:
        gate.wait(timeout=args.login_wait)
    except threading.BrokenBarrierError:
        pass
    deadline = start[0] + args.seconds
    try:
        slot_blocks = 128  # 64 KiB slots, so extents never overlap
        slots = args.region_blocks // slot_blocks
        while time.monotonic() < deadline:
            op = rng.random()
            if op < 0.5 or not written:
                slot = rng.randrange(slots)
                lba = base + slot * slot_blocks
                blocks = rng.choice((1, 8, 16, 64, 128))
                data = rng.randbytes(blocks * BLOCK)
                st, _ = retried(stats, deadline, lambda: (c.write10(lba, data, BLOCK, min(len(data), 8192))[0].bhs[3],
                                                          None))
                if st != 0:
                    raise Failure(f"WRITE(10) {blocks} blocks at {lba}: status {st:#x}")
                written[lba] = data
                stats.add(ios=1, bytes=len(data))
                if op >= 0.25:
                    continue  # half of the writes are read back at once, the rest later
            else:
                lba = rng.choice(list(written))
            want = written[lba]

            def read():
                buf, status, _ = c.read10(lba, len(want) // BLOCK, BLOCK)
                return status[1], buf
            st, got = retried(stats, deadline, read)
            if st != 0:
                raise Failure(f"READ(10) at {lba}: status {st:#x}")
            if got != want:
                raise Failure(f"READ(10) at {lba}: {len(want)} bytes differ from what this session wrote")
            stats.add(ios=1, bytes=len(want), verified=1)
        c.logout()
    except (Failure, Closed, TimedOut, OSError) as e:
        stats.error(f"session {i}: {type(e).__name__}: {e}")
    finally:
        c.close()


def storm_worker(w, args, stats, counter):
    while True:
        with stats.lock:
            n = counter[0]
            if n >= args.logins:
                return
            counter[0] += 1
        c = None
        try:
            c = login(args.port, args.target, f"storm{w}", 0x100000 + w)
            c.inquiry(10)
            c.logout()
            stats.add(storm_ok=1)
        except (Failure, Closed, TimedOut, OSError) as e:
            stats.add(storm_failed=1)
            stats.error(f"storm login {n}: {type(e).__name__}: {e}")
        finally:
            if c:
                c.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--sessions", type=int, default=64)
    p.add_argument("--logins", type=int, default=200)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--region-blocks", type=int, default=2048)
    p.add_argument("--storm-workers", type=int, default=8)
    p.add_argument("--login-wait", type=float, default=120, help="seconds all sessions have to log in")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--held-file", default="", help="touched once every session is logged in (or the wait ended)")
    args = p.parse_args()
    threading.stack_size(512 << 10)
    stats = Stats()
    start = [0.0]

    def all_in():
        with stats.lock:
            stats.held = stats.logged_in
        start[0] = time.monotonic()
        if args.held_file:
            open(args.held_file, "w").write(f"{stats.held}\n")
    gate = threading.Barrier(args.sessions, action=all_in)
    t0 = time.monotonic()
    sessions = []
    for i in range(args.sessions):
        t = threading.Thread(target=session_worker, args=(i, args, stats, gate, start), daemon=True)
        t.start()
        sessions.append(t)
        if i % 16 == 15:
            time.sleep(0.05)  # at most about 16 logins in flight
    while not start[0] and time.monotonic() - t0 < args.login_wait + 5:
        time.sleep(0.1)
    if not start[0]:
        gate.abort()
        start[0] = time.monotonic()
        all_in()
    login_s = start[0] - t0
    print(f"load: sessions={args.sessions} held={stats.held} login_seconds={login_s:.1f}", flush=True)
    counter = [0]
    storm = [threading.Thread(target=storm_worker, args=(w, args, stats, counter), daemon=True)
             for w in range(args.storm_workers)]
    for t in storm:
        t.start()
    limit = args.seconds + 120
    for t in sessions + storm:
        t.join(max(0.1, start[0] + limit - time.monotonic()))
    hung = sum(t.is_alive() for t in sessions + storm)
    took = time.monotonic() - start[0]
    print(f"load: ios={stats.ios} bytes={stats.bytes} verified_reads={stats.verified} busy_retries={stats.retries} "
          f"io_seconds={took:.1f}", flush=True)
    print(f"load: storm_logins={stats.storm_ok} storm_failed={stats.storm_failed} of {args.logins}", flush=True)
    for e in stats.errors[:20]:
        print(f"load: error: {e}", flush=True)
    print(f"load: errors={len(stats.errors)} hung_threads={hung}", flush=True)
    ok = not stats.errors and not hung and stats.held == args.sessions and stats.storm_ok == args.logins
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
