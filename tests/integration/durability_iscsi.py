#!/usr/bin/env python3
"""Durability client (issue 10 section 3): several iSCSI sessions write
self-describing blocks to overlapping ranges while the daemon is killed
with SIGKILL; after the restart every acknowledged write must read back.

usage:
  durability_iscsi.py --port P --target IQN write --journal J --round R --seed S
        --mode {wt,fua,sync} [--sessions N] [--ready FILE]
  durability_iscsi.py --port P --target IQN verify --journal J --round R [--recheck]
  durability_iscsi.py --port P --target IQN corrupt --journal J --round R --backing FILE

`write` logs N sessions in, touches --ready, then writes until the target
goes away (or --seconds pass) and appends every command it issued to the
journal (JSON lines). `verify` runs after the restart: it records the
restart in the journal, reads the whole LU and checks every block against
the journal, then prints
  CHECKED <durable writes of this round> LOST <writes lost> BLOCKS <n>
and exits 1 when anything was lost. `corrupt` (daemon stopped) puts an
older content back over one block of the newest durable write, for the
test's proof that the check can fail.

Block content: each block of a write carries a header (magic, write id,
LBA) and a CRC32 over the block, so a block names the write it came from
and a torn or misplaced block is detected.

Which writes are durable (architecture.md: GOOD with the write cache off,
or after FUA or SYNCHRONIZE CACHE, means stable storage):
  wt    the LU runs with writeCache false: every write that got GOOD;
  fua   write cache on, two writes in three carry FUA: those that got GOOD;
  sync  write cache on, no FUA; each session sends SYNCHRONIZE CACHE every
        few writes: a write is durable once it got GOOD before a
        SYNCHRONIZE CACHE that then got GOOD was issued (by any session)
        in the same round (a sync after a restart does not bring back what
        a power cut lost: tests/integration/test_powercut.sh).

The rule for a block (overlapping writes from concurrent sessions): let D
be the durable writes covering it and t = the latest issue time among
them. The block must hold a write W covering it whose end is not before t,
where W's end is the time its response arrived, or for a write without a
response the restart after its round (it may still have landed until the
daemon died). That admits the last durable write, any write in flight
with it or issued after it, and nothing older. With no durable write
covering the block, any write that covered it (or zeros) is accepted.
Times are CLOCK_MONOTONIC taken before a command is sent and after its
response is read, so the ordering they show is one the target saw.
"""

import argparse
import bisect
import json
import os
import random
import struct
import sys
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as ri  # noqa: E402

MAGIC = b"DURB"
HEADER = struct.Struct("<4sQQ")  # magic, write id, LBA; the CRC32 ends the block


def make_block(wid, lba, bs):
    head = HEADER.pack(MAGIC, wid, lba)
    fill = struct.pack("<QQ", wid ^ 0x5A5A5A5A5A5A5A5A, lba * 2654435761) * (bs // 16)
    body = head + fill[:bs - len(head) - 4]
    return body + struct.pack("<I", zlib.crc32(body))


def parse_block(b):
    """'zero', ('ok', wid, lba) or 'bad'."""
    if not any(b):
        return "zero"
    if b[:4] != MAGIC or struct.unpack_from("<I", b, len(b) - 4)[0] != zlib.crc32(b[:-4]):
        return "bad"
    _, wid, lba = HEADER.unpack_from(b)
    return ("ok", wid, lba)


def write_cdb10(lba, blocks, fua):
    return struct.pack(">BBIBHB", 0x2A, 0x08 if fua else 0, lba, 0, blocks, 0)


SYNC_CACHE10 = bytes([0x35]) + bytes(9)  # whole medium (NUMBER OF BLOCKS 0)


class Writer(threading.Thread):
    def __init__(self, args, n, rng, capacity, log, lock):
        super().__init__(daemon=True)
        self.a, self.n, self.rng, self.capacity = args, n, rng, capacity
        self.log, self.lock = log, lock
        self.conn = None
        self.error = None

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def pick_range(self):
        # Half the writes land in a hot region all sessions share, so
        # ranges overlap often; sizes from one block to 64 KiB.
        r = self.rng
        blocks = r.choice([1, 1, 2, 3, 8, 16, 31, 64, 128])
        blocks = min(blocks, 65536 // self.a.block)
        hot = max(blocks, min(self.capacity, 256))
        span = hot if r.random() < 0.5 else self.capacity
        return r.randrange(0, span - blocks + 1), blocks

    def run(self):
        a, bs = self.a, self.a.block
        seq = 0
        deadline = time.monotonic() + a.seconds
        try:
            while time.monotonic() < deadline:
                seq += 1
                if a.mode == "sync" and seq % 5 == 0:
                    entry = {"k": "sync", "issue": time.monotonic()}
                    self.record(entry)
                    itt = self.conn.scsi_cmd(SYNC_CACHE10)
                    rsp = self.conn.scsi_response(itt, "SYNCHRONIZE CACHE response", timeout=10)
                    entry["end"], entry["status"] = time.monotonic(), rsp.bhs[3]
                    continue
                lba, blocks = self.pick_range()
                wid = (a.round << 40) | (self.n << 32) | seq
                fua = a.mode == "fua" and self.rng.random() < 2 / 3
                data = b"".join(make_block(wid, lba + i, bs) for i in range(blocks))
                entry = {"k": "w", "wid": wid, "lba": lba, "n": blocks, "fua": fua, "issue": time.monotonic()}
                self.record(entry)
                rsp, _ = self.conn.write_cdb(write_cdb10(lba, blocks, fua), data,
                                             min(len(data), self.conn.target_mrdsl, 65536))
                entry["end"], entry["status"] = time.monotonic(), rsp.bhs[3]
        except (ri.Closed, ri.TimedOut, ri.Failure, OSError) as e:
            self.error = f"{type(e).__name__}: {e}"


def login(args, n):
    c = ri.Conn(args.host, args.port, f"s{n}", args.lun)
    isid = bytes([0x80, 0xD0, args.round & 0xFF, (args.round >> 8) & 0xFF, 0, n])
    c.login(f"iqn.2026-11.org.stmfd:durable-{n}", isid, args.target)
    c.tur_until_good()
    return c


def capacity_blocks(c, bs):
    st, sense, data = ri.read_command(c, bytes([0x25]) + bytes(9), 8)
    if st != 0 or len(data) < 8:
        raise ri.Failure(f"READ CAPACITY(10) status {st} sense {sense}")
    last, got_bs = struct.unpack(">II", data[:8])
    if got_bs != bs:
        raise ri.Failure(f"block size {got_bs}, expected {bs}")
    return last + 1


def cmd_write(args):
    rng = random.Random(args.seed)
    log, lock = [], threading.Lock()
    first = login(args, 0)
    cap = min(capacity_blocks(first, args.block), args.max_blocks)
    writers = [Writer(args, n, random.Random(rng.getrandbits(64)), cap, log, lock) for n in range(args.sessions)]
    writers[0].conn = first
    for w in writers[1:]:
        w.conn = login(args, w.n)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")
    for w in writers:
        w.start()
    for w in writers:
        w.join(args.seconds + 30)
    with lock, open(args.journal, "a") as f:
        f.write(json.dumps({"k": "round", "round": args.round, "mode": args.mode, "cap": cap}) + "\n")
        for e in log:
            f.write(json.dumps(e) + "\n")
    good = sum(1 for e in log if e["k"] == "w" and e.get("status") == 0)
    ended = [w.error for w in writers if w.error]
    print(f"round {args.round}: {len(log)} commands, {good} writes GOOD; "
          f"{len(ended)} session(s) ended by the target: {ended[:1]}", flush=True)
    for w in writers:
        w.conn.close()
    return 0


def load_journal(path):
    rounds, writes, syncs, restart = {}, [], [], {}
    cur = None
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if e["k"] == "round":
                cur = e["round"]
                rounds[cur] = e
            elif e["k"] == "restart":
                restart[e["round"]] = e["t"]
            else:
                e["round"] = cur
                (writes if e["k"] == "w" else syncs).append(e)
    return rounds, writes, syncs, restart


def durable_set(rounds, writes, syncs):
    """Write ids that must survive, by the mode of their round."""
    # Per round: a SYNCHRONIZE CACHE after a restart cannot make a write of
    # an earlier round durable (a power cut lost what was not synced then).
    good_syncs = {}
    for s in syncs:
        if s.get("status") == 0:
            good_syncs.setdefault(s["round"], []).append(s["issue"])
    for times in good_syncs.values():
        times.sort()
    out = set()
    for w in writes:
        if w.get("status") != 0:
            continue
        mode = rounds[w["round"]]["mode"]
        if mode == "wt" or (mode == "fua" and w["fua"]):
            out.add(w["wid"])
        elif mode == "sync":
            # a GOOD sync of the same round issued after this write's GOOD arrived
            times = good_syncs.get(w["round"], [])
            if bisect.bisect_right(times, w["end"]) < len(times):
                out.add(w["wid"])
    return out


def cmd_verify(args):
    t_restart = time.monotonic()
    if not args.recheck:
        with open(args.journal, "a") as f:
            f.write(json.dumps({"k": "restart", "round": args.round, "t": t_restart}) + "\n")
    rounds, writes, syncs, restart = load_journal(args.journal)
    if args.round not in rounds:
        raise ri.Failure(f"no round {args.round} in the journal (did the writer run?)")
    cap = rounds[args.round]["cap"]
    by_wid = {w["wid"]: w for w in writes}
    durable = durable_set(rounds, writes, syncs)

    def end_of(w):
        return w["end"] if "end" in w else restart.get(w["round"], t_restart)

    # The latest issue time of a durable write, per block, and who set it.
    need = [(-1.0, None)] * cap
    for wid in durable:
        w = by_wid[wid]
        for b in range(w["lba"], min(w["lba"] + w["n"], cap)):
            if w["issue"] > need[b][0]:
                need[b] = (w["issue"], wid)
    c = login(args, 15)
    bs = args.block
    lost, bad_blocks = set(), []
    chunk = 65536 // bs
    for lba in range(0, cap, chunk):
        n = min(chunk, cap - lba)
        data, status, _ = c.read10(lba, n, bs)
        if status[1] != 0:
            raise ri.Failure(f"READ(10) at {lba} status {status[1]}")
        for i in range(n):
            b = lba + i
            t_need, by = need[b]
            got = parse_block(data[i * bs:(i + 1) * bs])
            why = None
            if got == "bad":
                why = "torn or foreign content"
            elif got == "zero":
                if by is not None:
                    why = "zeros"
            else:
                _, wid, at = got
                w = by_wid.get(wid)
                if at != b or w is None or not (w["lba"] <= b < w["lba"] + w["n"]):
                    why = f"content of write {wid:#x} for LBA {at}"
                elif by is not None and end_of(w) < t_need:
                    why = f"older write {wid:#x} (ended {t_need - end_of(w):.6f} s before the durable one was issued)"
            if why:
                bad_blocks.append(b)
                if by is not None:
                    lost.add(by)
                if len(bad_blocks) <= 10:
                    owner = f"durable write {by:#x}" if by is not None else "no durable write"
                    print(f"LBA {b}: {why}; expected {owner}", flush=True)
    c.close()
    checked = sum(1 for wid in durable if by_wid[wid]["round"] == args.round)
    print(f"CHECKED {checked} LOST {len(lost)} BLOCKS {cap} BAD {len(bad_blocks)}", flush=True)
    return 1 if bad_blocks else 0


def cmd_corrupt(args):
    """The checker's own test: with the daemon stopped, make the backing
    file lose the newest durable write on one block, by putting back the
    content of an older write to that block (or zeros when there is none).
    A verify afterwards must report it lost."""
    rounds, writes, syncs, _ = load_journal(args.journal)
    by_wid = {w["wid"]: w for w in writes}
    durable = sorted(durable_set(rounds, writes, syncs), key=lambda wid: by_wid[wid]["issue"])
    if not durable:
        raise ri.Failure("no durable write in the journal")
    d = by_wid[durable[-1]]
    lba = d["lba"]
    older = [w for w in writes if w["lba"] <= lba < w["lba"] + w["n"] and "end" in w and w["end"] < d["issue"]]
    content = make_block(older[-1]["wid"], lba, args.block) if older else bytes(args.block)
    with open(args.backing, "r+b") as f:
        f.seek(lba * args.block)
        f.write(content)
        os.fsync(f.fileno())
    print(f"LBA {lba}: durable write {d['wid']:#x} replaced by "
          f"{'older write %#x' % older[-1]['wid'] if older else 'zeros'}", flush=True)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--lun", type=int, default=0)
    p.add_argument("--block", type=int, default=512)
    p.add_argument("--journal", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--max-blocks", type=int, default=8192, help="LBAs used (and read back)")
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--seed", type=int, required=True)
    w.add_argument("--mode", choices=["wt", "fua", "sync"], required=True)
    w.add_argument("--sessions", type=int, default=6)
    w.add_argument("--seconds", type=float, default=20)
    w.add_argument("--ready")
    v = sub.add_parser("verify")
    v.add_argument("--recheck", action="store_true", help="check again without recording a restart")
    c = sub.add_parser("corrupt")
    c.add_argument("--backing", required=True)
    args = p.parse_args()
    cmds = {"write": cmd_write, "verify": cmd_verify, "corrupt": cmd_corrupt}
    try:
        return cmds[args.cmd](args)
    except (ri.Failure, ri.Closed, ri.TimedOut, OSError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
