#!/usr/bin/env python3
"""Checks shared by the protocol abuse scenarios (abuse_iscsi.py) and the
ones about data and numbering: Data-Out nobody asked for, malformed SCSI
commands, CmdSN outside the window (RFC 7143 4.2.2.1, 7.1.2, 11.7, 11.17).
Imported by abuse_iscsi.py, which runs them. Standard library only.
"""

import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from raw_iscsi import (IMMEDIATE, OP_DATA_OUT, OP_LOGIN_REQ, OP_R2T, OP_REJECT, OP_SCSI_RSP,  # noqa: E402
                       RSVD_TAG, Failure, TimedOut, be32, hexdump, parse_sense, tmf)

# RFC 7143 11.17.1 Reject reasons.
R_PROTOCOL, R_NOT_SUPPORTED, R_TASK_IN_PROGRESS, R_INVALID_FIELD = 0x04, 0x05, 0x07, 0x09
BLOCKS = 8


def eof_within(sock, seconds):
    """Reads and discards whatever comes until EOF/reset; returns the time
    it took, or raises Failure when the socket is still open after
    `seconds` (for connections whose framing is broken on purpose, where
    answering NOP-In pings is impossible)."""
    t0 = time.monotonic()
    while True:
        left = t0 + seconds - time.monotonic()
        if left <= 0:
            raise Failure(f"connection still open {seconds} s later")
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return time.monotonic() - t0
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - t0


def send_quietly(sock, data):
    try:
        sock.sendall(data)
    except OSError as e:  # the target may already have reset us
        print(f"(sending stopped: {e})")


def login_bhs(c, dlen, transit=True, cont=False, itt=1):
    b = bytearray(48)
    b[0] = IMMEDIATE | OP_LOGIN_REQ
    b[1] = (0x80 if transit else 0) | (0x40 if cont else 0) | (1 << 2) | (3 if transit else 0)
    b[5:8] = dlen.to_bytes(3, "big")
    b[8:14] = bytes([0x80, 1, 2, 3, 4, 5])
    struct.pack_into(">IHxxII", b, 16, itt, 0, 1, 0)
    return bytes(b)


def fresh_login_works(ctx, tag):
    c = ctx.login(f"after-{tag}", 60)
    c.ping()
    c.logout()
    ctx.ok(f"a new session logs in and answers NOP-Out after {tag}")


def expect_reject(ctx, c, sent, reason, what):
    rej = c.expect(OP_REJECT, f"Reject for {what}")
    ctx.check(rej.bhs[2] == reason, f"{what}: Reject reason {reason:#04x} (RFC 7143 11.17.1)",
              f"got reason {rej.bhs[2]:#04x}: {rej.hex()}")
    ctx.check(rej.data[:48] == sent[:48], f"{what}: the Reject carries the rejected header",
              hexdump(rej.data, 64))
    return rej


def still_usable(ctx, c, what):
    if c.exp_cmd_sn != c.cmd_sn:
        c.cmd_sn = c.exp_cmd_sn
    c.ping(b"alive")
    ctx.ok(f"connection still serves NOP-Out after {what}")


# --- Data-Out nobody asked for ----------------------------------------------

def write_until_r2t(ctx, c, lba, itt=None):
    cdb = struct.pack(">BBIBHB", 0x2A, 0, lba, 0, BLOCKS, 0)
    itt = c.scsi_cmd(cdb, BLOCKS * ctx.block, write=True, itt=itt)
    r2t = c.expect(OP_R2T, "R2T")
    ctx.check(r2t.itt == itt and be32(r2t.bhs, 40) == 0 and be32(r2t.bhs, 44) == BLOCKS * ctx.block,
              "R2T for the whole write", r2t.hex())
    return itt, r2t


def data_out(c, itt, ttt, offset, data, data_sn=0, final=True):
    b = c.bhs(OP_DATA_OUT, 0x80 if final else 0, c.lun, itt, len(data))
    struct.pack_into(">IxxxxIxxxxII", b, 20, ttt, c.exp_stat_sn, data_sn, offset)
    c.send_pdu(bytes(b), data)
    return bytes(b)


def medium_holds(ctx, c, lba, want, what):
    got, status, _ = c.read10(lba, BLOCKS, ctx.block)
    ctx.check(status[1] == 0 and got == want, f"{what}", f"status {status[1]:#x}, first bytes {got[:8].hex()}")


def abort_leftover(ctx, c, itt):
    """ERL 0 initiators clean up a command the target stopped with ABORT
    TASK (RFC 7143 11.5.1): it must be answered (complete or no such task)."""
    ref = (c.cmd_sn - 1) & 0xFFFFFFFF
    rsp = tmf(c, 1, ctx.lun, ref_itt=itt, ref_cmd_sn=ref)
    ctx.check(rsp.bhs[2] in (0, 1), f"ABORT TASK for the rejected write answered ({rsp.bhs[2]})", rsp.hex())


def sc_dataout_abuse(ctx):
    c = ctx.login("dataout", 44)
    c.tur_until_good()
    size = BLOCKS * ctx.block
    base = bytes([0x11]) * size
    lba = 20000 + (os.getpid() % 64) * BLOCKS
    rsp, _ = c.write10(lba, base, ctx.block, 0)
    ctx.check(rsp.bhs[3] == 0, "baseline WRITE GOOD", rsp.hex())

    # 1. A TTT no R2T carries (RFC 7143 11.7.4): the PDU is refused, the task
    #    lives on and completes with the right TTT.
    itt, r2t = write_until_r2t(ctx, c, lba)
    sent = data_out(c, itt, r2t.ttt ^ 0x5A5A5A5A, 0, bytes([0x22]) * size)
    expect_reject(ctx, c, sent, R_INVALID_FIELD, "Data-Out with a TTT no R2T carries")
    new = bytes([0x33]) * size
    data_out(c, itt, r2t.ttt, 0, new)
    rsp = c.scsi_response(itt, "WRITE response after the good Data-Out")
    ctx.check(rsp.bhs[3] == 0, "the same WRITE then completes GOOD with the right TTT", rsp.hex())
    medium_holds(ctx, c, lba, new, "the medium holds the good data, not the rejected PDU's")

    # 2. Wrong buffer offset, 3. beyond the burst and EDTL, 4. wrong DataSN
    #    (RFC 7143 7.1.2, 11.7.5): Reject, nothing reaches the medium.
    for what, off, data, sn in (("a Data-Out at the wrong buffer offset", ctx.block, bytes([0x44]) * size, 0),
                                ("a Data-Out beyond the R2T and EDTL", 0, bytes([0x55]) * (2 * size), 0),
                                ("a Data-Out with the wrong DataSN", 0, bytes([0x66]) * size, 7)):
        itt, r2t = write_until_r2t(ctx, c, lba)
        sent = data_out(c, itt, r2t.ttt, off, data, data_sn=sn)
        expect_reject(ctx, c, sent, R_PROTOCOL, what)
        try:
            late = c.recv(1, "anything")
            ctx.check(late.opcode == OP_SCSI_RSP and late.itt == itt and late.bhs[3] != 0,
                      f"after {what}: the write ends in an error status", late.hex())
        except TimedOut:
            abort_leftover(ctx, c, itt)
        medium_holds(ctx, c, lba, new, f"after {what}: the medium is untouched")

    # 5. Data-Out for a task that never existed: discarded (11.5.1 / 7.1.2).
    data_out(c, 0xBADBAD, 0x1234, 0, bytes(512))
    still_usable(ctx, c, "a Data-Out for an unknown ITT")

    # 6. Unsolicited Data-Out with InitialR2T=Yes (13.10): refused.
    itt, r2t = write_until_r2t(ctx, c, lba)
    sent = data_out(c, itt, RSVD_TAG, 0, bytes([0x77]) * size)
    expect_reject(ctx, c, sent, R_INVALID_FIELD, "unsolicited Data-Out under InitialR2T=Yes")
    data_out(c, itt, r2t.ttt, 0, new)
    rsp = c.scsi_response(itt, "WRITE response")
    ctx.check(rsp.bhs[3] == 0, "the write then completes GOOD on its R2T", rsp.hex())
    still_usable(ctx, c, "the Data-Out abuse")
    c.logout()


def sc_command_abuse(ctx):
    c = ctx.login("cmd-abuse", 45)
    c.tur_until_good()
    size = BLOCKS * ctx.block
    lba = 24000 + (os.getpid() % 64) * BLOCKS
    cdb = struct.pack(">BBIBHB", 0x2A, 0, lba, 0, 1, 0)
    for what, kw in (("immediate data beyond the EDTL", dict(edtl=512, write=True, imm=bytes(1024))),
                     ("immediate data on a READ", dict(edtl=512, read=True, imm=bytes(512)))):
        b_itt = c.itt()
        c.scsi_cmd(cdb if kw.get("write") else bytes([0x28]) + cdb[1:], itt=b_itt, **kw)
        rej = c.expect(OP_REJECT, f"Reject for {what}")
        ctx.check(rej.bhs[2] == R_PROTOCOL and be32(rej.data, 16) == b_itt,
                  f"{what}: Reject reason 0x04 naming the command", rej.hex())
        still_usable(ctx, c, what)

    # The ITT of a task still in progress (RFC 7143 11.17.1 reason 0x07).
    itt, r2t = write_until_r2t(ctx, c, lba)
    c.scsi_cmd(bytes(6), itt=itt)
    rej = c.expect(OP_REJECT, "Reject for a reused ITT")
    ctx.check(rej.bhs[2] == R_TASK_IN_PROGRESS, "a command reusing a live ITT: Reject 0x07 (task in progress)",
              rej.hex())
    data_out(c, itt, r2t.ttt, 0, bytes(size))
    rsp = c.scsi_response(itt, "WRITE response")
    ctx.check(rsp.bhs[3] == 0, "the first command with that ITT completes GOOD", rsp.hex())

    # An EDTL no LU can take (4 GiB - 1) for an 8-block WRITE: CHECK
    # CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB (SPC-4 4.5.6).
    cdb8 = struct.pack(">BBIBHB", 0x2A, 0, lba, 0, BLOCKS, 0)
    itt = c.scsi_cmd(cdb8, 0xFFFFFFFF, write=True)
    pdu = c.recv(5, "answer to a 4 GiB EDTL")
    if pdu.opcode == OP_R2T:
        ctx.check(be32(pdu.bhs, 44) <= size, "R2T asks only for the CDB's 8 blocks", pdu.hex())
        data_out(c, itt, pdu.ttt, 0, bytes(be32(pdu.bhs, 44)))
        pdu = c.scsi_response(itt, "WRITE response")
        ctx.check(pdu.bhs[1] & 0x02 != 0, "WRITE with EDTL beyond its CDB reports underflow", pdu.hex())
    else:
        ctx.check(pdu.opcode == OP_SCSI_RSP and (pdu.bhs[3],) + parse_sense(pdu.data) == (2, 5, 0x24, 0),
                  "WRITE with a 4 GiB EDTL: CHECK CONDITION 05/24/00", pdu.hex())
    # Opcodes no initiator may send (11.1.1) and a SCSI opcode nobody
    # implements (SPC-4: 05/20/00).
    for op in (0x1E, 0x3F, 0x20):
        b = c.bhs(IMMEDIATE | op, 0x80, 0, 0x4400 + op)
        struct.pack_into(">III", b, 20, RSVD_TAG, c.cmd_sn, c.exp_stat_sn)
        c.send_pdu(bytes(b))
        expect_reject(ctx, c, bytes(b), R_NOT_SUPPORTED, f"opcode {op:#04x}")
    itt = c.scsi_cmd(bytes([0xFE]) + bytes(15))
    rsp = c.scsi_response(itt, "response to opcode 0xfe")
    r = (rsp.bhs[3],) + parse_sense(rsp.data)
    ctx.check(r == (2, 5, 0x20, 0), "SCSI opcode 0xfe: CHECK CONDITION 05/20/00", f"got {r}")
    still_usable(ctx, c, "the command abuse")
    c.logout()


# --- CmdSN outside the window (RFC 7143 4.2.2.1: silently ignored) ----------

def sc_cmdsn(ctx):
    c = ctx.login("cmdsn-abuse", 46)
    c.tur_until_good()
    for what, sn in (("CmdSN = ExpCmdSN - 1 (already used)", (c.exp_cmd_sn - 1) & 0xFFFFFFFF),
                     ("CmdSN = ExpCmdSN - 1000", (c.exp_cmd_sn - 1000) & 0xFFFFFFFF),
                     ("CmdSN = MaxCmdSN + 1", (c.max_cmd_sn + 1) & 0xFFFFFFFF)):
        c.scsi_cmd(bytes(6), cmd_sn=sn, itt=0x5500 + (sn & 0xFF))
        try:
            pdu = c.recv(1.5, "anything")
            ctx.check(False, f"TUR with {what} ignored", f"target answered: {pdu.hex()}")
        except TimedOut:
            ctx.ok(f"TUR with {what}: ignored, no answer in 1.5 s")
        r = c.tur()
        ctx.check(r[0] == 0, f"after {what}: TUR with the right CmdSN GOOD", f"{r}")
    # A gap that is never filled, with commands piling up behind it: bounded
    # (limits.maxSendBacklog), then the connection is dropped.
    c.answer_pings = False
    first = (c.exp_cmd_sn + 1) & 0xFFFFFFFF
    cdb = struct.pack(">BBIBHB", 0x2A, 0, 30000, 0, 128, 0)
    sent = 0
    try:
        for i in range(min(120, (c.max_cmd_sn - first) & 0xFFFFFFFF)):
            c.scsi_cmd(cdb, 65536, write=True, imm=bytes(65536), cmd_sn=(first + i) & 0xFFFFFFFF,
                       itt=0x6000 + i)
            sent += 1
    except OSError as e:
        print(f"(sending stopped after {sent} commands: {e})")
    t = eof_within(c.sock, 5)
    ctx.ok(f"{sent} WRITEs of 64 KiB held behind a CmdSN gap: connection closed after {t:.2f} s")
    fresh_login_works(ctx, "a CmdSN gap flood")


