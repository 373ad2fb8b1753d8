#!/usr/bin/env python3
"""Data digest errors at ErrorRecoveryLevel 0 (RFC 7143 7.8), against a
running target, with the raw initiator of raw_iscsi.py (DataDigest=CRC32C,
which libiscsi and qemu cannot negotiate).

usage: digest_iscsi.py --port PORT --target IQN [--lun N] [--block B] SCENARIO

  dataout_digest      a solicited Data-Out with a wrong data digest: Reject
                      02h for it, then, once the burst's F=1 PDU is in,
                      CHECK CONDITION ABORTED COMMAND 47h/05h; nothing of the
                      write reaches the LU, the connection and another
                      session go on.
  unsolicited_digest  the same for unsolicited Data-Out (InitialR2T=No):
                      the status waits for the first burst's F=1 PDU.
  immediate_digest    immediate data with a wrong digest: Reject 02h, the
                      command is discarded (no status, its CmdSN not
                      received) and its retry (same ITT and CmdSN) runs.
  abort_after_digest  ABORT TASK while the target waits for the rest of a
                      damaged write's data concludes it (function complete,
                      no SCSI status, TAS=0); nothing is written.

Each answer must come within ANSWER_S seconds (the Data-Out time limit is
not what ends these commands). Prints PASS/FAIL lines; exits 0 only when
every check passed. Standard library only.
"""

import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from raw_iscsi import (OP_DATA_OUT, OP_R2T, OP_REJECT, OP_SCSI_CMD, OP_SCSI_RSP, RSVD_TAG,  # noqa: E402
                       TMF_ABORT_TASK, Ctx, Failure, TimedOut, be32, hexdump, parse_sense, run_scenario,
                       scenario_parser, tmf)

ANSWER_S = 2                 # every answer checked here comes well within this
R_DATA_DIGEST = 0x02         # RFC 7143 11.17.1
CRC_ERROR = (0x0B, 0x47, 0x05)  # ABORTED COMMAND, PROTOCOL SERVICE CRC ERROR (11.4.7.2)
BLOCKS = 16


def write_cdb(lba, blocks):
    return struct.pack(">BBIBHB", 0x2A, 0, lba, 0, blocks, 0)


def data_out(c, itt, ttt, lun_field, data_sn, offset, data, final, bad_dd=False):
    """One Data-Out PDU (RFC 7143 11.7); returns its BHS."""
    b = c.bhs(OP_DATA_OUT, 0x80 if final else 0, 0, itt, len(data))
    b[8:16] = lun_field
    struct.pack_into(">IxxxxIxxxxII", b, 20, ttt, c.exp_stat_sn, data_sn, offset)
    c.send_pdu(bytes(b), data, bad_dd=bad_dd)
    return bytes(b)


def digest_session(ctx, name, isid_n, **kw):
    c = ctx.login(name, isid_n, digests=True, **kw)
    if not (c.hd and c.dd):
        raise Failure(f"{name}: HeaderDigest/DataDigest CRC32C not negotiated: {c.login_keys}")
    c.tur_until_good()
    return c


def baseline(ctx, c, lba):
    """Writes and returns known data at lba (what a failed write must leave)."""
    old = os.urandom(BLOCKS * ctx.block)
    rsp, _ = c.write10(lba, old, ctx.block, 0)
    if rsp.bhs[3] != 0:
        raise Failure(f"baseline WRITE(10) at LBA {lba} not GOOD: {rsp.hex()}")
    return old


def expect_digest_reject(ctx, c, sent, what):
    t0 = time.monotonic()
    rej = c.expect(OP_REJECT, f"Reject for {what}", ANSWER_S)
    ctx.check(rej.bhs[2] == R_DATA_DIGEST,
              f"{what}: Reject reason 0x02 (data digest error) after {time.monotonic() - t0:.2f} s", rej.hex())
    ctx.check(rej.data[:48] == sent, f"{what}: the Reject carries the discarded header",
              f"got {hexdump(rej.data, 64)} want {hexdump(sent, 48)}")
    return rej


def expect_nothing(ctx, c, seconds, what):
    try:
        pdu = c.recv(seconds, "nothing")
        ctx.check(False, what, f"got {pdu.hex()}")
    except TimedOut:
        ctx.ok(f"{what} (nothing within {seconds} s)")


def expect_crc_error(ctx, c, itt, what):
    t0 = time.monotonic()
    rsp = c.scsi_response(itt, f"SCSI Response for {what}", ANSWER_S)
    got = (rsp.bhs[3],) + parse_sense(rsp.data)
    ctx.check(got == (0x02,) + CRC_ERROR,
              f"{what}: CHECK CONDITION 0B/47/05 {time.monotonic() - t0:.2f} s after the last Data-Out",
              f"status/sense {got}: {rsp.hex()}")


def start_write(ctx, c, lba):
    """Writes known data at lba, then starts a WRITE(10) of new data there
    (no immediate data) up to its R2T: (old data, new data, ITT, its CmdSN, R2T)."""
    old = baseline(ctx, c, lba)
    n = BLOCKS * ctx.block
    new = os.urandom(n)
    itt = c.scsi_cmd(write_cdb(lba, BLOCKS), n, write=True)
    cmd_sn = (c.cmd_sn - 1) & 0xFFFFFFFF
    r2t = c.expect(OP_R2T, "R2T", ANSWER_S)
    off, want = be32(r2t.bhs, 40), be32(r2t.bhs, 44)
    if (off, want) != (0, n):
        raise Failure(f"R2T asks offset {off} length {want}, expected 0/{n}: {r2t.hex()}")
    return old, new, itt, cmd_sn, r2t


def unchanged(ctx, c, lba, old, what):
    back, status, _ = c.read10(lba, BLOCKS, ctx.block)
    ctx.check(status[1] == 0 and back == old, f"{what}: the blocks read back unchanged",
              f"status {status[1]:#x}, equal={back == old}")


def rewrite_works(ctx, c, lba):
    new = os.urandom(BLOCKS * ctx.block)
    rsp, _ = c.write10(lba, new, ctx.block, 0)
    back, status, _ = c.read10(lba, BLOCKS, ctx.block)
    ctx.check(rsp.bhs[3] == 0 and status[1] == 0 and back == new,
              "the same connection writes and reads back the data again", rsp.hex())


def sc_dataout_digest(ctx):
    other = ctx.login("ddgst-other", 40)
    other.tur_until_good()
    c = digest_session(ctx, "ddgst", 41)
    lba = 256
    old, new, itt, _, r2t = start_write(ctx, c, lba)
    q = len(new) // 4
    data_out(c, itt, r2t.ttt, r2t.bhs[8:16], 0, 0, new[:q], False)
    bad = data_out(c, itt, r2t.ttt, r2t.bhs[8:16], 1, q, new[q:2 * q], False, bad_dd=True)
    expect_digest_reject(ctx, c, bad, "Data-Out 2 of 4")
    expect_nothing(ctx, c, 0.5, "no status while the burst's F=1 Data-Out is owed")
    data_out(c, itt, r2t.ttt, r2t.bhs[8:16], 2, 2 * q, new[2 * q:3 * q], False)
    data_out(c, itt, r2t.ttt, r2t.bhs[8:16], 3, 3 * q, new[3 * q:], True)
    expect_crc_error(ctx, c, itt, "the write with the damaged Data-Out")
    unchanged(ctx, c, lba, old, "after the damaged write")
    r = other.tur()
    ctx.check(r[0] == 0, "another session's TEST UNIT READY: GOOD", f"got {r}")
    other.ping()
    rewrite_works(ctx, c, lba)
    c.logout()
    other.logout()


def sc_unsolicited_digest(ctx):
    c = digest_session(ctx, "ddgst-unsol", 42, initial_r2t="No")
    if c.login_keys.get("InitialR2T") != "No":
        raise Failure(f"InitialR2T=No not negotiated: {c.login_keys}")
    n = BLOCKS * ctx.block
    if int(c.login_keys.get("FirstBurstLength", "65536")) < n:
        raise Failure(f"FirstBurstLength below {n}: {c.login_keys}")
    lba = 320
    old = baseline(ctx, c, lba)
    new = os.urandom(n)
    itt = c.scsi_cmd(write_cdb(lba, BLOCKS), n, write=True, final=False)  # unsolicited Data-Out follows
    lun_field = c.bhs(OP_SCSI_CMD, 0, c.lun)[8:16]
    q = n // 4
    data_out(c, itt, RSVD_TAG, lun_field, 0, 0, new[:q], False)
    bad = data_out(c, itt, RSVD_TAG, lun_field, 1, q, new[q:2 * q], False, bad_dd=True)
    expect_digest_reject(ctx, c, bad, "unsolicited Data-Out 2 of 4")
    expect_nothing(ctx, c, 0.5, "no status while the first burst's F=1 Data-Out is owed")
    data_out(c, itt, RSVD_TAG, lun_field, 2, 2 * q, new[2 * q:3 * q], False)
    data_out(c, itt, RSVD_TAG, lun_field, 3, 3 * q, new[3 * q:], True)
    expect_crc_error(ctx, c, itt, "the write with damaged unsolicited data")
    unchanged(ctx, c, lba, old, "after the damaged unsolicited write")
    rewrite_works(ctx, c, lba)
    c.logout()


def sc_immediate_digest(ctx):
    c = digest_session(ctx, "ddgst-imm", 43)
    lba = 384
    new = os.urandom(BLOCKS * ctx.block)
    itt, sn = c.itt(), c.cmd_sn
    b = c.bhs(OP_SCSI_CMD, 0xA1, c.lun, itt, len(new))  # F, W, SIMPLE; all data immediate
    struct.pack_into(">III", b, 20, len(new), sn, c.exp_stat_sn)
    b[32:42] = write_cdb(lba, BLOCKS)
    c.send_pdu(bytes(b), new, bad_dd=True)
    rej = expect_digest_reject(ctx, c, bytes(b), "a WRITE with damaged immediate data")
    ctx.check(rej.exp_cmd_sn == sn, f"the Reject's ExpCmdSN is still the command's CmdSN {sn} (not received)",
              rej.hex())
    c.cmd_sn = (sn + 1) & 0xFFFFFFFF
    tur = c.scsi_cmd(bytes(6))  # CmdSN sn + 1: held behind the gap
    expect_nothing(ctx, c, 1, "no status for the discarded command, nor for the TUR behind its CmdSN")
    struct.pack_into(">I", b, 28, c.exp_stat_sn)
    t0 = time.monotonic()
    c.send_pdu(bytes(b), new)  # the retry: same ITT and CmdSN (7.2.1)
    got = {}
    for _ in range(2):
        rsp = c.expect(OP_SCSI_RSP, "SCSI Response", ANSWER_S)
        got[rsp.itt] = rsp.bhs[3]
    ctx.check(got == {itt: 0, tur: 0}, f"the retry (same ITT, CmdSN {sn}) and the TUR behind it are GOOD "
              f"after {time.monotonic() - t0:.2f} s", f"statuses by ITT {got}")
    back, status, _ = c.read10(lba, BLOCKS, ctx.block)
    ctx.check(status[1] == 0 and back == new, "the retry's data is what reads back",
              f"status {status[1]:#x}, equal={back == new}")
    c.logout()


def sc_abort_after_digest(ctx):
    c = digest_session(ctx, "ddgst-abort", 44)
    lba = 448
    old, new, itt, cmd_sn, r2t = start_write(ctx, c, lba)
    bad = data_out(c, itt, r2t.ttt, r2t.bhs[8:16], 0, 0, new[:len(new) // 2], False, bad_dd=True)
    expect_digest_reject(ctx, c, bad, "Data-Out 1 of 2")
    t0 = time.monotonic()
    rsp = tmf(c, TMF_ABORT_TASK, ctx.lun, ref_itt=itt, ref_cmd_sn=cmd_sn)
    ctx.check(rsp.bhs[2] == 0, f"ABORT TASK of the waiting write: function complete after "
              f"{time.monotonic() - t0:.2f} s", rsp.hex())
    expect_nothing(ctx, c, 1, "no SCSI status for the aborted write (TAS=0)")
    unchanged(ctx, c, lba, old, "after the aborted write")
    rewrite_works(ctx, c, lba)
    c.logout()


SCENARIOS = {"dataout_digest": sc_dataout_digest, "unsolicited_digest": sc_unsolicited_digest,
             "immediate_digest": sc_immediate_digest, "abort_after_digest": sc_abort_after_digest}


def main():
    p = scenario_parser(__doc__)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    args = p.parse_args()
    return run_scenario(Ctx(args), args.scenario, SCENARIOS[args.scenario], 16)


if __name__ == "__main__":
    sys.exit(main())
