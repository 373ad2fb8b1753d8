#!/usr/bin/env python3
"""Writes the iSCSI seed inputs of corpus/login and corpus/connection:
real PDU streams (RFC 7143 11) as an initiator sends them. Run from
tests/fuzz: python3 seeds_iscsi.py (the files are committed; rerun only to
change them)."""
import os
import struct


def text(pairs):
    return b"".join(f"{k}={v}".encode() + b"\0" for k, v in pairs)


def pdu(op, flags, data=b"", itt=1, word20=0, cmdsn=0, expstatsn=0, lun=0, rest=b"", immediate=False, b2=0, b3=0):
    bhs = bytearray(48)
    bhs[0] = op | (0x40 if immediate else 0)
    bhs[1] = flags
    bhs[2], bhs[3] = b2, b3
    bhs[5:8] = len(data).to_bytes(3, "big")
    bhs[8:16] = lun.to_bytes(8, "big")
    bhs[16:20] = itt.to_bytes(4, "big")
    bhs[20:24] = word20.to_bytes(4, "big")
    bhs[24:28] = cmdsn.to_bytes(4, "big")
    bhs[28:32] = expstatsn.to_bytes(4, "big")
    bhs[32:32 + len(rest)] = rest
    return bytes(bhs) + data + b"\0" * ((4 - len(data) % 4) % 4)


ISID = bytes([0x80, 0x12, 0x34, 0x56, 0x78, 0x9A])


def login(csg, nsg, transit, pairs, itt=1, cont=False):
    flags = (0x80 if transit else 0) | (0x40 if cont else 0) | (csg << 2) | nsg
    bhs = pdu(0x03, flags, text(pairs), itt=itt, immediate=True)
    bhs = bytearray(bhs)
    bhs[8:14] = ISID
    return bytes(bhs)


OPEN = "iqn.2026-11.org.stmfd:open"
UNIT = "iqn.2026-11.org.stmfd:unit"  # the target of fuzz_connection (fakes.hpp)
CHAP = "iqn.2026-11.org.stmfd:chap"
INI = "iqn.2026-11.org.stmfd:initiator"
OPERATIONAL = [("HeaderDigest", "None"), ("DataDigest", "None"), ("MaxRecvDataSegmentLength", "262144"),
               ("InitialR2T", "No"), ("ImmediateData", "Yes"), ("MaxBurstLength", "262144"),
               ("FirstBurstLength", "65536"), ("MaxConnections", "1"), ("DataPDUInOrder", "Yes"),
               ("DataSequenceInOrder", "Yes"), ("ErrorRecoveryLevel", "0"), ("DefaultTime2Wait", "2"),
               ("DefaultTime2Retain", "0"), ("MaxOutstandingR2T", "1")]


def normal_login(target=OPEN):
    return (login(0, 1, True, [("InitiatorName", INI), ("SessionType", "Normal"), ("TargetName", target),
                               ("AuthMethod", "None")]) +
            login(1, 3, True, OPERATIONAL))


def scsi(cdb, itt, cmdsn, edtl=0, read=False, write=False, data=b"", lun=0, attr=1):
    flags = 0x80 | (0x40 if read else 0) | (0x20 if write else 0) | attr
    return pdu(0x01, flags, data, itt=itt, word20=edtl, cmdsn=cmdsn, lun=lun, rest=cdb.ljust(16, b"\0"))


def write_files(folder, seeds):
    os.makedirs(folder, exist_ok=True)
    for name, blob in seeds.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(blob)


login_seeds = {
    "normal": normal_login(),
    "discovery": login(0, 1, True, [("InitiatorName", INI), ("SessionType", "Discovery"), ("AuthMethod", "None")]) +
                 login(1, 3, True, [("HeaderDigest", "None"), ("MaxRecvDataSegmentLength", "8192")]) +
                 pdu(0x04, 0x80, text([("SendTargets", "All")]), itt=2, word20=0xFFFFFFFF, immediate=True),
    "chap": login(0, 0, False, [("InitiatorName", INI), ("SessionType", "Normal"), ("TargetName", CHAP),
                                ("AuthMethod", "CHAP,None")]) +
            login(0, 0, False, [("CHAP_A", "5")]) +
            login(0, 1, True, [("CHAP_N", "user"), ("CHAP_R", "0x" + "00" * 16), ("CHAP_I", "7"),
                               ("CHAP_C", "0x" + "ab" * 16)]),
    "continued": login(0, 1, True, [("InitiatorName", INI)], cont=True)[:-4] +
                 login(0, 1, True, [("SessionType", "Normal"), ("TargetName", OPEN)]) +
                 login(1, 3, True, OPERATIONAL[:3]),
    "text_normal": normal_login() + pdu(0x04, 0x80, text([("SendTargets", ""), ("MaxBurstLength", "1024")]), itt=2,
                                        word20=0xFFFFFFFF, cmdsn=0),
}

READ10 = bytes([0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0])
WRITE10 = bytes([0x2A, 0, 0, 0, 0, 0, 0, 0, 2, 0])
conn_seeds = {
    "login_only": normal_login(UNIT),
    "commands": normal_login(UNIT) +
                scsi(bytes([0x00] * 6), 2, 0) +
                scsi(bytes([0x12, 0, 0, 0, 96, 0]), 3, 1, edtl=96, read=True) +
                scsi(READ10, 4, 2, edtl=4096, read=True) +
                pdu(0x00, 0x80, b"ping", itt=5, word20=0xFFFFFFFF, cmdsn=3, immediate=True) +
                pdu(0x06, 0x80, itt=6, cmdsn=3, immediate=True),  # logout
    "write_r2t": normal_login(UNIT) +
                 scsi(WRITE10, 2, 0, edtl=1024, write=True, data=b"\x11" * 512) +
                 pdu(0x05, 0x80, b"\x22" * 512, itt=2, word20=0xFFFFFFFF, rest=bytes(4) + (512).to_bytes(4, "big")),
    "tmf": normal_login(UNIT) + scsi(READ10, 2, 0, edtl=4096, read=True) +
           pdu(0x02, 0x81, itt=3, word20=2, cmdsn=1, immediate=True) +  # ABORT TASK
           pdu(0x02, 0x85, itt=4, word20=0xFFFFFFFF, cmdsn=1, immediate=True),  # LOGICAL UNIT RESET
    "cmdsn_gap": normal_login(UNIT) + scsi(READ10, 3, 2, edtl=4096, read=True) + scsi(READ10, 2, 0, edtl=4096, read=True) +
                 scsi(READ10, 4, 1, edtl=4096, read=True),
    "discovery": login_seeds["discovery"],
}

if __name__ == "__main__":
    write_files("corpus/login", login_seeds)
    write_files("corpus/connection", conn_seeds)
