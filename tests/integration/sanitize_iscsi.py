#!/usr/bin/env python3
"""SANITIZE OVERWRITE across task management and a new login, over raw
iSCSI (the initiator of raw_iscsi.py), for test_sanitize.sh.

usage: sanitize_iscsi.py --port PORT --target IQN [--lun N] [--block B] --blocks N

One run: SANITIZE OVERWRITE with IMMED (one pass of a pattern block) of the
whole LU, then, while it runs:
- REQUEST SENSE answers GOOD with NOT READY, LOGICAL UNIT NOT READY,
  SANITIZE IN PROGRESS (04h/1Bh) and a progress indication (SKSV set,
  SPC-4 4.5.2.4.4), which never goes down and goes up;
- TEST UNIT READY gets CHECK CONDITION with the same sense;
- LOGICAL UNIT RESET and TARGET COLD RESET are answered at once, and the
  sanitize goes on (SBC-4 4.11.2: a sanitize is not stopped by a reset);
- a new session's TEST UNIT READY still gets 04h/1Bh with progress;
then the sanitize ends (TEST UNIT READY GOOD) and the first, a middle and
the last block read back as the pattern. Fails when the sanitize ended
before the checks that need it running: the LU is then too small for this
machine, and nothing was shown.

Exits 0 only when every check held. Standard library only; every socket
read has a deadline (raw_iscsi.Conn) and the whole run an alarm.
"""

import argparse
import signal
import struct
import sys
import time

from raw_iscsi import (TMF_LUN_RESET, TMF_TARGET_COLD_RESET, Conn, Failure, TimedOut, read_command,
                       run_script, tmf)

SANITIZE_IN_PROGRESS = (0x02, 0x04, 0x1B)
RUN_SECONDS = 240


def sense_fields(s):
    """(key, ASC, ASCQ, progress or None) from sense data, fixed (70h/71h)
    or descriptor (72h/73h) format; progress from the sense-key specific
    bytes when SKSV is set (SPC-4 4.5.2.4.4, 65536ths)."""
    if len(s) >= 18 and s[0] & 0x7F in (0x70, 0x71):
        prog = struct.unpack_from(">H", s, 16)[0] if s[15] & 0x80 else None
        return (s[2] & 0x0F, s[12], s[13], prog)
    if len(s) >= 8 and s[0] & 0x7F in (0x72, 0x73):
        prog, at = None, 8
        while at + 2 <= len(s):  # descriptor 02h: sense key specific
            if s[at] == 0x02 and at + 8 <= len(s) and s[at + 4] & 0x80:
                prog = struct.unpack_from(">H", s, at + 5)[0]
            at += 2 + s[at + 1]
        return (s[1] & 0x0F, s[2], s[3], prog)
    return (None, None, None, None)


def tur(c):
    """TEST UNIT READY: (status, key, ASC, ASCQ, progress)."""
    itt = c.scsi_cmd(bytes(6))
    rsp = c.scsi_response(itt, "TEST UNIT READY response", timeout=10)
    n = struct.unpack_from(">H", rsp.data)[0] if len(rsp.data) >= 2 else 0
    return (rsp.bhs[3],) + sense_fields(rsp.data[2:2 + n])


def request_sense(c):
    """REQUEST SENSE (fixed format): (status, key, ASC, ASCQ, progress)."""
    st, _, data = read_command(c, bytes([0x03, 0, 0, 0, 252, 0]), 252)
    return (st,) + sense_fields(data)


def timed_tmf(c, function, lun):
    """A task management function: (response, seconds to its answer)."""
    t0 = time.monotonic()
    rsp = tmf(c, function, lun)
    return rsp.bhs[2], time.monotonic() - t0


class Run:
    def __init__(self, args):
        self.a = args
        self.failures = 0
        self.progress = []  # every progress seen, in order
        self.sessions = 0

    def check(self, cond, msg, detail=""):
        print(f"{'PASS' if cond else 'FAIL'}: {msg}{'' if cond or not detail else ': ' + detail}", flush=True)
        self.failures += 0 if cond else 1
        return cond

    def login(self):
        self.sessions += 1
        c = Conn("127.0.0.1", self.a.port, f"sanitize-{self.sessions}", self.a.lun)
        c.login("iqn.2026-11.org.stmfd:sanitize", bytes([0x80, 0x53, 0x41, 0x4E, 0, self.sessions]),
                self.a.target)
        return c

    def running(self, r, what, want_status=2):
        """r is a TEST UNIT READY answer (CHECK CONDITION) or a REQUEST
        SENSE one (want_status 0, GOOD) that must say 04h/1Bh with progress."""
        status, key, asc, ascq, prog = r
        ok = status == want_status and (key, asc, ascq) == SANITIZE_IN_PROGRESS and prog is not None
        if ok:
            self.progress.append(prog)
        if r[1:4] == (None, None, None) and status == 0 and want_status == 2:
            raise Failure(f"{what}: GOOD, the sanitize has already ended: the LU is too small to "
                          "show a running sanitize on this machine")
        return self.check(ok, f"{what}: NOT READY 04h/1Bh, progress {prog}/65536",
                          f"status {status:#x} sense {key}/{asc}/{ascq} progress {prog}")

    def until_not_ua(self, c, what):
        """TEST UNIT READY, past the unit attentions a reset or a new
        session may leave first (at most 3)."""
        for _ in range(4):
            r = tur(c)
            if r[0] != 2 or r[1] != 6:
                return r
            print(f"info: {what}: unit attention {r[2]:#04x}/{r[3]:#04x} first", flush=True)
        raise Failure(f"{what}: unit attentions without end")

    def main(self):
        bs, blocks = self.a.block, self.a.blocks
        pattern = bytes((i * 7 + 0x35) & 0xFF for i in range(bs))
        c = self.login()
        c.tur_until_good()
        # SBC-4 5.30: SANITIZE, IMMED, service action OVERWRITE; parameter
        # list (5.30.2.2): OVERWRITE COUNT 1, INITIALIZATION PATTERN LENGTH bs.
        params = bytes([0x01, 0]) + struct.pack(">H", bs) + pattern
        cdb = bytes([0x48, 0x80 | 0x01, 0, 0, 0, 0, 0]) + struct.pack(">H", len(params)) + bytes(1)
        t0 = time.monotonic()
        itt = c.scsi_cmd(cdb, len(params), write=True, imm=params)
        rsp = c.scsi_response(itt, "SANITIZE response", timeout=10)
        self.check(rsp.bhs[3] == 0, "SANITIZE OVERWRITE with IMMED: GOOD", f"status {rsp.bhs[3]:#x}")

        self.running(request_sense(c), "REQUEST SENSE", 0)
        self.running(tur(c), "TEST UNIT READY")
        time.sleep(0.3)
        self.running(request_sense(c), "REQUEST SENSE 0.3 s later", 0)

        resp, secs = timed_tmf(c, TMF_LUN_RESET, self.a.lun)
        self.check(resp == 0 and secs < 2, f"LOGICAL UNIT RESET: function complete in {secs:.2f} s "
                   "(it does not wait for the sanitize)", f"response {resp}")
        self.running(self.until_not_ua(c, "after the LUN reset"), "TEST UNIT READY after the LUN reset")

        resp, secs = timed_tmf(c, TMF_TARGET_COLD_RESET, self.a.lun)
        self.check(resp == 0 and secs < 2, f"TARGET COLD RESET: function complete in {secs:.2f} s",
                   f"response {resp}")
        c.expect_close(5)  # RFC 7143 11.5.1: the target then drops every connection
        c.close()
        c = self.login()
        self.running(self.until_not_ua(c, "new session"), "a new session's TEST UNIT READY")
        self.running(request_sense(c), "a new session's REQUEST SENSE", 0)

        # Until the end: every answer is 04h/1Bh with progress, then GOOD.
        deadline = time.monotonic() + RUN_SECONDS - 30
        while True:
            r = tur(c)
            if r[0] == 0:
                break
            if not self.running(r, "TEST UNIT READY while it runs") or time.monotonic() > deadline:
                raise Failure("the sanitize did not end in time")
            time.sleep(1)
        secs = time.monotonic() - t0
        p = self.progress
        self.check(all(x <= y for x, y in zip(p, p[1:])) and p[-1] > p[0],
                   f"progress never went down and went up: {p[0]} .. {p[-1]} in {len(p)} answers", str(p))
        mib = blocks * bs >> 20
        print(f"info: the sanitize of {mib} MiB ended after {secs:.1f} s ({mib / secs:.0f} MiB/s)", flush=True)
        for lba in (0, blocks // 2, blocks - 1):
            st, sense, data = read_command(c, struct.pack(">BBIBHB", 0x28, 0, lba, 0, 1, 0), bs)
            self.check(st == 0 and data == pattern, f"LBA {lba} reads back as the pattern",
                       f"status {st:#x} sense {sense} data {data[:16].hex()}")
        c.logout()
        return 1 if self.failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--lun", type=int, default=0)
    ap.add_argument("--block", type=int, default=512)
    ap.add_argument("--blocks", type=int, required=True)
    args = ap.parse_args()

    def alarm(signum, frame):
        raise TimedOut(f"the run took more than {RUN_SECONDS} s")

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(RUN_SECONDS)
    run_script(lambda: Run(args).main())


if __name__ == "__main__":
    main()
