#!/usr/bin/env python3
"""Tape cartridges across kill -9 (issue 10 section 3).

usage:
  tape_durable_iscsi.py --port P --target IQN write --journal J --round R --seed S [--ready FILE]
  tape_durable_iscsi.py --port P --target IQN verify --journal J

`write` (one session): SPACE to end of data (REWIND in round 1), then
files of 1-6 variable blocks (1 byte to 32 KiB, each naming its round,
file and block and filled from them), each ended by WRITE FILEMARKS 1 with
IMMED=0, until the daemon is killed. Every command is journalled in order
with its status.

`verify` (after the restart) reads the tape (READ(6), FILEMARK sense,
BLANK CHECK at end of data). For each round, the tape must hold, in order
and byte for byte, everything the round wrote up to its last acknowledged
WRITE FILEMARKS (SSC-4: a synchronizing operation: the buffered blocks are
on the medium before GOOD), followed by at most a prefix of what it sent
after that; rounds follow each other in order.

What a verify found is kept in J.verified (each round's extent on the
tape). A round only appends at end of data, so the next verify reads only
what is new: it LOCATEs to the last item verified and reads it (the tape
still reaches that far, with that item there), reads 16 items at seeded
random places of the verified part, then reads on from there to end of
data, which must be the new rounds. That keeps a run of many rounds
linear; without J.verified (remove it) a verify reads and checks the whole
tape, as the last one of a run does.
Prints CHECKED <files checked> LOST <n>; exit 1 on any difference.
"""

import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kill_client  # noqa: E402
import raw_iscsi as ri  # noqa: E402
from raw_iscsi import no_data, read6, write6  # noqa: E402


def block(rnd, f, b, n):
    head = b"TD%06d.%06d.%03d|" % (rnd, f, b)
    fill = (head * (n // len(head) + 1))[: max(0, n - len(head))]
    return (head + fill)[:n] if n >= len(head) else head[:n]


def login(args):
    c = ri.Conn(args.host, args.port, "tape", args.lun)
    c.login("iqn.2026-11.org.stmfd:tape-durable", bytes([0x80, 0x7A, 0, 0, 0, 1]), args.target)
    c.tur_until_good()
    return c


def cmd_write(args):
    rng = random.Random(args.seed)
    c = login(args)
    log = []
    if args.round == 1:
        st, sense = no_data(c, [0x01, 0, 0, 0, 0, 0], "REWIND")
    else:
        st, sense = no_data(c, [0x11, 0x03, 0, 0, 0, 0], "SPACE to end of data")
    if st != 0:
        raise ri.Failure(f"positioning failed: status {st} sense {sense}")
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")
    eom = None  # the sense that ended the round at end of medium
    try:
        for fno in range(1, 100000):
            for b in range(rng.randint(1, 6)):
                n = rng.choice([1, 17, 512, 4000, 4096, 10000, 32768])
                e = {"k": "rec", "round": args.round, "file": fno, "b": b, "n": n}
                log.append(e)
                e["status"], sense = write6(c, block(args.round, fno, b, n))
                eom = eom or end_of_medium(e["status"], sense)
            e = {"k": "fm", "round": args.round, "file": fno}
            log.append(e)
            e["status"], sense = no_data(c, [0x10, 0, 0, 0, 1, 0], "WRITE FILEMARKS")
            eom = eom or end_of_medium(e["status"], sense)
            if eom:
                break
    except (ri.Closed, ri.TimedOut, ri.Failure, OSError):
        pass
    with open(args.journal, "a") as f:
        for e in log:
            f.write(json.dumps(e) + "\n")
    fms = sum(1 for e in log if e["k"] == "fm" and e.get("status") == 0)
    print(f"round {args.round}: {len(log)} commands, {fms} WRITE FILEMARKS GOOD", flush=True)
    c.close()
    if eom:
        # Past early warning the drive fails writes (SSC-4 4.2.5), so later
        # rounds would check nothing: the cartridge is too small for the run.
        print(f"round {args.round}: end of medium (sense {eom}): the cartridge is too small for this many "
              "rounds", flush=True)
        return 1
    return 0


def end_of_medium(status, sense):
    """The sense when a command ended at end of medium: VOLUME OVERFLOW or
    END-OF-PARTITION/MEDIUM DETECTED (SPC-4 Table 28, 00h/02h); else None."""
    return sense if status == 2 and (sense[0] == 0x0D or sense[1:] == (0x00, 0x02)) else None


def read_token(c):
    """The item at the position: ('rec', bytes), ('fm',), or None at end of data."""
    data, st, sense, flags = read6(c, 65536)
    if st == 0:
        return ("rec", data)
    if st == 2 and flags & 0x80:
        return ("fm",)
    if st == 2 and sense[0] == 8:
        return None
    raise ri.Failure(f"READ(6) status {st} sense {sense}")


def read_rest(c, limit=200000):
    """The items from the position up to BLANK CHECK."""
    out = []
    while len(out) < limit:
        t = read_token(c)
        if t is None:
            return out
        out.append(t)
    raise ri.Failure(f"no end of data after {limit} items")


def locate(c, obj):
    """LOCATE(10) to logical object obj; True when the tape reaches it."""
    st, _ = no_data(c, [0x2B, 0, 0, obj >> 24 & 0xFF, obj >> 16 & 0xFF, obj >> 8 & 0xFF, obj & 0xFF, 0, 0, 0],
                    "LOCATE(10)")
    return st == 0


def place(tape, plan):
    """(extents, None) when the tape is, round after round, each round's
    tokens up to at least its acknowledged ones, then nothing else (extents:
    how many items of the tape each round has); else (None, what differs).
    Short records do not name their round (a 1-byte record is b"T" in every
    round), so the unacknowledged tail a round left may look like the start
    of the next one: each round's extent is chosen so that the following
    rounds match too (a search over the few extents that fit, memoized by
    round and position), not greedily."""
    seen = {}

    def reach(i, pos):  # how many of round i's tokens the tape holds from pos
        want, k = plan[i][1], 0
        while pos + k < len(tape) and k < len(want) and tape[pos + k] == want[k]:
            k += 1
        return k

    def fits(i, pos):  # plan[i:] matches tape[pos:]
        if i == len(plan):
            return pos == len(tape)
        if (i, pos) not in seen:
            k, must = reach(i, pos), plan[i][2]
            seen[(i, pos)] = k >= must and any(fits(i + 1, pos + j) for j in range(k, must - 1, -1))
        return seen[(i, pos)]

    if fits(0, 0):
        extents, pos = [], 0
        for i in range(len(plan)):
            j = next(j for j in range(reach(i, pos), plan[i][2] - 1, -1) if fits(i + 1, pos + j))
            extents.append(j)
            pos += j
        return extents, None
    # Not placeable: name the first round that cannot reach its acknowledged
    # tokens, each earlier round taking an extent after which the rest fits,
    # else one after which the next round reaches its acknowledged tokens.
    pos = 0
    for i, (r, _, must) in enumerate(plan):
        k = reach(i, pos)
        if k < must:
            got = tape[pos + k] if pos + k < len(tape) else "end of data"
            got = got[1][:24] if isinstance(got, tuple) and got[0] == "rec" else got
            return None, f"round {r}: item {k} of the {must} acknowledged differs: got {got!r}"
        extents = range(k, must - 1, -1)
        ok = [j for j in extents if fits(i + 1, pos + j)] or \
             [j for j in extents if i + 1 < len(plan) and reach(i + 1, pos + j) >= plan[i + 1][2]]
        pos += ok[0] if ok else k
    if pos < len(tape):
        t = tape[pos]
        return None, f"{len(tape) - pos} item(s) on the tape that no round sent in that order: " \
                     f"{t[1][:24] if t[0] == 'rec' else t!r}"
    return None, "no placement of the rounds on the tape"


def token(e):
    """What journal entry e put on the tape."""
    return ("rec", block(e["round"], e["file"], e["b"], e["n"])) if e["k"] == "rec" else ("fm",)


def checked_prefix(c, done, sent):
    """None when the verified part of the tape (done: [round, start, end]
    extents, not all empty) is still there: its last item and 16 seeded
    random ones read back as the rounds sent them (sent: the journal
    entries by round); else what differs."""
    end = done[-1][2]

    def item(x):
        r, start, _ = next(d for d in done if d[1] <= x < d[2])
        return token(sent[r][x - start])

    rng = random.Random(len(done))
    for x in [rng.randrange(end) for _ in range(16)] + [end - 1]:
        if not locate(c, x):
            return f"LOCATE to item {x} of the {end} verified failed: the tape is shorter"
        got = read_token(c)
        if got != item(x):
            got = got[1][:24] if got and got[0] == "rec" else got
            return f"item {x} of the {end} verified differs: got {got!r}"
    return None


def cmd_verify(args):
    with open(args.journal) as f:
        log = [json.loads(line) for line in f]
    state = args.journal + ".verified"
    done = []  # [round, first item, end] of the rounds verified before
    if os.path.exists(state):
        with open(state) as f:
            done = json.load(f)
    sent = {}
    for e in log:
        sent.setdefault(e["round"], []).append(e)
    plan, checked = [], 0  # the rounds to check now: (round, tokens sent, tokens that must be there)
    for r in sorted(set(sent) - {d[0] for d in done}):
        acked_fm = [i for i, e in enumerate(sent[r]) if e["k"] == "fm" and e.get("status") == 0]
        plan.append((r, [token(e) for e in sent[r]], acked_fm[-1] + 1 if acked_fm else 0))
        checked += len(acked_fm)
    c = login(args)
    start = done[-1][2] if done else 0
    failure = checked_prefix(c, done, sent) if start else None
    if failure is None:
        if not start and no_data(c, [0x01, 0, 0, 0, 0, 0], "REWIND")[0] != 0:
            raise ri.Failure("REWIND failed")
        tape = read_rest(c)  # after the last verified item: what the new rounds wrote
        extents, failure = place(tape, plan)
    c.close()
    lost = 0 if failure is None else 1
    if failure:
        print(failure, flush=True)
    else:
        for (r, _, _), n in zip(plan, extents):
            done.append([r, start, start + n])
            start += n
        with open(state, "w") as f:
            json.dump(done, f)
    print(f"CHECKED {checked} LOST {lost} ITEMS {start}", flush=True)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(kill_client.run(__doc__, cmd_write, cmd_verify))
