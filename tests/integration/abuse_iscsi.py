#!/usr/bin/env python3
"""Protocol abuse against a running stmfd (issue 10 section 4), one scenario
per process, driven by test_abuse.sh while a good client runs alongside.

usage: abuse_iscsi.py --port PORT --target IQN [--lun N] [--login-timeout S]
                      [--ping-deadline S] SCENARIO

Each scenario sends what a broken or hostile initiator sends and checks
that the target answers the way RFC 7143 asks: a Reject with the reason of
11.17.1, a CHECK CONDITION with the right sense, a Login Response with an
initiator-error status, a silent discard where the RFC says so (CmdSN
outside the window, 4.2.2.1; Data-Out for a task that is gone, 11.5.1), or
a closed connection (framing that cannot be trusted, anything but Login
before the full feature phase, 6.2). After every recoverable case the same
connection must still work; after every fatal one a new login must work.
Builds on raw_iscsi.py (its Conn, Ctx and checks); the Data-Out,
command and CmdSN scenarios are in abuse_data.py. Bounded in time
(an alarm per scenario); traffic to 127.0.0.1 only. Standard library only.
"""

import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from abuse_data import (R_INVALID_FIELD, R_PROTOCOL, eof_within, expect_reject,  # noqa: E402
                        fresh_login_works, login_bhs, sc_cmdsn, sc_command_abuse, sc_dataout_abuse,
                        send_quietly, still_usable)
from raw_iscsi import (IMMEDIATE, OP_DATA_OUT, OP_LOGIN_RSP, OP_LOGOUT_REQ, OP_NOP_OUT,  # noqa: E402
                       OP_SCSI_CMD, OP_TEXT_REQ, OP_TEXT_RSP, RSVD_TAG, Closed, Ctx, Failure,
                       decode_keys, encode_keys, hexdump, run_scenario, scenario_parser)

# --- wrong phase (RFC 7143 6.2: only Login Requests before full feature) ---

def sc_before_login(ctx):
    for op, name in ((OP_SCSI_CMD, "SCSI Command"), (OP_TEXT_REQ, "Text Request"),
                     (OP_DATA_OUT, "Data-Out"), (IMMEDIATE | OP_LOGOUT_REQ, "Logout Request"),
                     (IMMEDIATE | OP_NOP_OUT, "NOP-Out")):
        c = ctx.conn(f"pre-{name}")
        b = c.bhs(op, 0x80, 0, 0x10)
        send_quietly(c.sock, bytes(b))
        t = eof_within(c.sock, 3)
        ctx.ok(f"{name} as the first PDU: connection closed after {t:.2f} s")
        c.close()
    fresh_login_works(ctx, "non-login PDUs before login")


def sc_text_during_login(ctx):
    c = ctx.conn("mid-login")
    data = encode_keys([("InitiatorName", ctx.iname("mid")), ("SessionType", "Normal"),
                        ("TargetName", ctx.target)])
    c.send_pdu(login_bhs(c, len(data), transit=False), data)
    rsp = c.expect(OP_LOGIN_RSP, "Login Response (not transit)")
    ctx.check(rsp.bhs[36] == 0, "first login step answered with status 0", rsp.hex())
    b = c.bhs(IMMEDIATE | OP_TEXT_REQ, 0x80, 0, 0x22, 0)
    send_quietly(c.sock, bytes(b))
    t = eof_within(c.sock, 3)
    ctx.ok(f"Text Request in the middle of a login: connection closed after {t:.2f} s")
    fresh_login_works(ctx, "a Text Request during login")


def sc_login_in_ffp(ctx):
    c = ctx.login("ffp-login", 40)
    data = encode_keys([("InitiatorName", ctx.iname("ffp-login"))])
    b = bytearray(login_bhs(c, len(data), itt=0x99))
    struct.pack_into(">II", b, 24, c.cmd_sn, c.exp_stat_sn)
    c.send_pdu(bytes(b), data)
    expect_reject(ctx, c, bytes(b), R_PROTOCOL, "Login Request in the full feature phase")
    still_usable(ctx, c, "a Login Request in the full feature phase")
    c.logout()


def sc_scsi_in_discovery(ctx):
    c = ctx.conn("disc-scsi")
    c.login(ctx.iname("disc-scsi"), ctx.isid(41), None, session="Discovery")
    b = c.bhs(OP_SCSI_CMD, 0x80, 0, 0x23)
    struct.pack_into(">III", b, 20, 0, c.cmd_sn, c.exp_stat_sn)
    c.send_pdu(bytes(b))
    c.cmd_sn += 1
    expect_reject(ctx, c, bytes(b), R_PROTOCOL, "SCSI Command in a discovery session (RFC 7143 4.3)")
    still_usable(ctx, c, "a SCSI Command in a discovery session")
    c.logout()


# --- truncated, stalled and oversized PDUs ---------------------------------

def sc_truncated(ctx):
    c = ctx.conn("half-bhs")
    send_quietly(c.sock, login_bhs(c, 0)[:20])
    c.sock.shutdown(socket.SHUT_WR)
    t = eof_within(c.sock, 3)
    ctx.ok(f"20 bytes of a BHS then FIN: closed after {t:.2f} s")
    c = ctx.conn("half-data")
    send_quietly(c.sock, login_bhs(c, 400) + bytes(100))
    c.sock.shutdown(socket.SHUT_WR)
    t = eof_within(c.sock, 3)
    ctx.ok(f"Login Request with 100 of 400 data bytes then FIN: closed after {t:.2f} s")
    fresh_login_works(ctx, "truncated PDUs")


def sc_stall_login(ctx):
    limit = ctx.login_timeout + 3
    c = ctx.conn("stall-login")
    send_quietly(c.sock, login_bhs(c, 1000) + b"InitiatorName=iqn.2026-11.x")
    t = eof_within(c.sock, limit)
    ctx.ok(f"Login Request stalled after 27 of 1000 data bytes: closed after {t:.2f} s "
           f"(loginTimeout {ctx.login_timeout} s)")
    c = ctx.conn("stall-bhs")
    send_quietly(c.sock, login_bhs(c, 0)[:30])
    t = eof_within(c.sock, limit)
    ctx.ok(f"30 bytes of a BHS then silence: closed after {t:.2f} s")


def sc_stall_ffp(ctx):
    limit = ctx.ping_deadline + 3
    for what, tail in (("a NOP-Out stalled after 100 of 2000 data bytes", 100), ("half a BHS", None)):
        c = ctx.login("stall-ffp", 42)
        b = c.bhs(IMMEDIATE | OP_NOP_OUT, 0x80, 0, 0x31, 2000)
        struct.pack_into(">III", b, 20, RSVD_TAG, c.cmd_sn, c.exp_stat_sn)
        send_quietly(c.sock, bytes(b) + bytes(tail) if tail else bytes(b)[:24])
        t = eof_within(c.sock, limit)
        ctx.ok(f"logged in, then {what}: closed after {t:.2f} s (NOP-In ping unanswerable)")
        c.close()
    fresh_login_works(ctx, "stalled PDUs")


def sc_oversized(ctx):
    c = ctx.conn("big-login")
    send_quietly(c.sock, login_bhs(c, 8192 + 4) + bytes(8196))
    t = eof_within(c.sock, 3)
    ctx.ok(f"Login Request with 8196 data bytes (login limit 8192, RFC 7143 13.12): closed after {t:.2f} s")
    c = ctx.conn("huge-login")
    send_quietly(c.sock, login_bhs(c, 0xFFFFFF))
    t = eof_within(c.sock, 3)
    ctx.ok(f"Login Request declaring 16 MiB of data: closed after {t:.2f} s")
    c = ctx.login("huge-cmd", 43)
    b = c.bhs(OP_SCSI_CMD, 0xA1, 0, 0x32, 0xFFFFFF)
    struct.pack_into(">III", b, 20, 0xFFFFFF, c.cmd_sn, c.exp_stat_sn)
    b[32] = 0x2A
    send_quietly(c.sock, bytes(b) + bytes(4096))
    t = eof_within(c.sock, 3)
    ctx.ok(f"WRITE declaring a 16 MiB data segment (MaxRecvDataSegmentLength {c.target_mrdsl}): "
           f"closed after {t:.2f} s")
    fresh_login_works(ctx, "oversized PDUs")


# --- negotiation and text abuse -----------------------------------------------

def login_status(c, keys_bytes, pdus=1):
    """Sends keys_bytes over `pdus` Login PDUs (C bit on all but the last)
    and returns the first Login Response's status, or 'closed'."""
    chunk = -(-len(keys_bytes) // pdus)
    try:
        for i in range(pdus):
            part = keys_bytes[i * chunk:(i + 1) * chunk]
            last = i == pdus - 1
            c.send_pdu(login_bhs(c, len(part), transit=last, cont=not last), part)
            if not last:
                rsp = c.expect(OP_LOGIN_RSP, "Login Response to a continued PDU")
                if rsp.bhs[36] != 0:
                    return rsp.bhs[36], rsp.bhs[37]
        rsp = c.expect(OP_LOGIN_RSP, "Login Response")
        return rsp.bhs[36], rsp.bhs[37]
    except (Failure, OSError):
        return "closed"


def sc_negotiation(ctx):
    base = [("InitiatorName", ctx.iname("nego")), ("SessionType", "Normal"), ("TargetName", ctx.target)]
    for what, keys, pdus in (
            ("InitiatorName of 1000 characters", encode_keys([("InitiatorName", "iqn.2026-11." + "x" * 988),
                                                              ("TargetName", ctx.target)]), 1),
            ("binary junk without NUL terminators", os.urandom(3000).replace(b"\0", b"\1"), 1),
            ("70 KiB of keys over continued Login PDUs", encode_keys(base) + encode_keys(
                [(f"X-abuse-{i}", "y" * 60) for i in range(1000)]), 10),
            ("a key without '='", encode_keys(base) + b"NoValueHere\0", 1)):
        c = ctx.conn("nego")
        st = login_status(c, keys, pdus)
        ctx.check(st == "closed" or st[0] == 2, f"{what}: refused (Login status class 2 or closed)", f"got {st}")
        if st != "closed":
            ctx.ok(f"{what}: status {st[0]:#04x}/{st[1]:#04x}; then closed after {eof_within(c.sock, 3):.2f} s")
        c.close()
    # Out-of-range numbers (RFC 7143 6.2.2 / 13.12: 512..2^24-1) are never used.
    c = ctx.conn("mrdsl0")
    try:
        keys = c.login(ctx.iname("mrdsl0"), ctx.isid(47), ctx.target, mrdsl=0)
        ctx.check(False, "MaxRecvDataSegmentLength=0 refused", f"login succeeded: {keys}")
    except Failure as e:
        ctx.ok(f"MaxRecvDataSegmentLength=0 refused: {str(e)[:100]}")
    fresh_login_works(ctx, "negotiation abuse")


def sc_text_abuse(ctx):
    c = ctx.login("text-abuse", 48, mrdsl=512)
    for what, data in (("binary junk", os.urandom(2000).replace(b"\0", b"\1")),
                       ("a key without '='", b"NoValueHere\0")):
        b = c.bhs(IMMEDIATE | OP_TEXT_REQ, 0x80, 0, 0x7100 + len(data), len(data))
        struct.pack_into(">III", b, 20, RSVD_TAG, c.cmd_sn, c.exp_stat_sn)
        c.send_pdu(bytes(b), data)
        expect_reject(ctx, c, bytes(b), R_PROTOCOL, f"Text Request with {what}")
        still_usable(ctx, c, f"a Text Request with {what}")
    # More answers than our MaxRecvDataSegmentLength (512) holds: every
    # response PDU must respect it and hold whole key=value pairs (RFC 7143
    # 6.1, 11.11: longer answers continue in further Text Responses).
    data = encode_keys([(f"X-abuse-key-{i:03}", "v") for i in range(100)])
    itt, ttt, answer = c.itt(), RSVD_TAG, b""
    for _ in range(32):
        b = c.bhs(IMMEDIATE | OP_TEXT_REQ, 0x80, 0, itt, len(data))
        struct.pack_into(">III", b, 20, ttt, c.cmd_sn, c.exp_stat_sn)
        c.send_pdu(bytes(b), data)
        rsp = c.expect(OP_TEXT_RSP, "Text Response")
        ctx.check(len(rsp.data) <= 512, f"Text Response of {len(rsp.data)} bytes respects our 512")
        answer += rsp.data
        if not rsp.flags & 0x40:
            break
        ttt, data = rsp.ttt, b""
    ctx.check(answer.endswith(b"\0"), "the answer ends with a NUL (whole pairs only)", hexdump(answer[-32:]))
    _, pairs = decode_keys(answer)
    ctx.check(len(pairs) == 100 and all(v == "Reject" for _, v in pairs),
              f"all 100 unknown keys answered Reject ({len(pairs)} pairs)", repr(answer[-80:]))
    still_usable(ctx, c, "a long Text exchange")
    # A TTT the target never handed out (RFC 7143 11.10.4).
    b = c.bhs(IMMEDIATE | OP_TEXT_REQ, 0x80, 0, c.itt(), 0)
    struct.pack_into(">III", b, 20, 0x0BADF00D, c.cmd_sn, c.exp_stat_sn)
    c.send_pdu(bytes(b))
    expect_reject(ctx, c, bytes(b), R_INVALID_FIELD, "Text Request continuing an exchange that does not exist")
    still_usable(ctx, c, "a Text Request with an unknown TTT")
    c.logout()


# --- floods of logins ---------------------------------------------------------

def sc_login_flood(ctx):
    """Half-open logins beyond limits.maxLoggingIn plus a burst of complete
    ones: each ends logged in, refused, or closed; none hangs."""
    idle = []
    opened = refused = 0
    for i in range(ctx.flood):
        try:
            s = socket.create_connection((ctx.host, ctx.port), timeout=2)
            data = encode_keys([("InitiatorName", ctx.iname(f"flood{i}")), ("SessionType", "Normal")])
            s.sendall(login_bhs(None, len(data), transit=False) + data + bytes((-len(data)) % 4))
            idle.append(s)
            opened += 1
        except OSError:
            refused += 1
    closed = 0
    deadline = time.monotonic() + ctx.login_timeout + 4
    for s in idle:
        try:
            eof_within(s, max(0.1, deadline - time.monotonic()))
            closed += 1
        except Failure:
            pass
        s.close()
    ctx.check(closed == opened, f"{ctx.flood} half-finished logins: {opened} opened, {refused} refused at "
              f"connect, {closed} closed by the target within loginTimeout + 4 s", f"{opened - closed} still open")
    ok = failed = 0
    for i in range(ctx.flood):
        c = ctx.conn(f"burst{i}")
        try:
            c.login(ctx.iname(f"burst{i}"), ctx.isid(i & 0xFF), ctx.target)
            c.logout()
            ok += 1
        except (Failure, Closed, OSError):
            failed += 1
        c.close()
    ctx.check(ok > 0, f"{ctx.flood} login/logout in a row: {ok} logged in, {failed} refused or closed")
    fresh_login_works(ctx, "the login flood")


SCENARIOS = {"before_login": sc_before_login, "text_during_login": sc_text_during_login,
             "login_in_ffp": sc_login_in_ffp, "scsi_in_discovery": sc_scsi_in_discovery,
             "truncated": sc_truncated, "stall_login": sc_stall_login, "stall_ffp": sc_stall_ffp,
             "oversized": sc_oversized, "dataout": sc_dataout_abuse, "commands": sc_command_abuse,
             "cmdsn": sc_cmdsn, "negotiation": sc_negotiation, "text": sc_text_abuse,
             "login_flood": sc_login_flood}


def main():
    p = scenario_parser(__doc__)
    p.add_argument("--login-timeout", type=int, default=15)
    p.add_argument("--ping-deadline", type=int, default=60, help="nopInInterval + nopInTimeout")
    p.add_argument("--flood", type=int, default=100)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    args = p.parse_args()
    ctx = Ctx(args)
    ctx.login_timeout, ctx.ping_deadline, ctx.flood = args.login_timeout, args.ping_deadline, args.flood
    return run_scenario(ctx, args.scenario, SCENARIOS[args.scenario],
                        60 + 2 * args.login_timeout + 2 * args.ping_deadline)


if __name__ == "__main__":
    sys.exit(main())
