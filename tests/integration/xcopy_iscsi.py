#!/usr/bin/env python3
"""EXTENDED COPY over raw iSCSI (the initiator of raw_iscsi.py), for
test_xcopy.sh: one session that reaches LUN 0 and LUN 1 of the target.

usage: xcopy_iscsi.py --port PORT --target IQN [--block B] COMMAND
  copy SRC_LUN DST_LUN BLOCKS SRC_LBA DST_LBA
        reads both LUs' NAA designators (VPD 83h), sends an EXTENDED COPY
        (LID1) with one block to block segment sent to SRC_LUN, which must
        end GOOD, then RECEIVE COPY RESULTS (COPY STATUS) must report it
        completed with every byte moved
  copy4 SRC_LUN DST_LUN BLOCKS SRC_LBA DST_LBA
        the same with EXTENDED COPY(LID4) (a four-byte list identifier)
        and RECEIVE COPY STATUS(LID4)
  unreachable LUN
        an EXTENDED COPY whose destination names no LU must end in COPY
        ABORTED, COPY TARGET DEVICE NOT REACHABLE (0Ah/0Dh/02h)

Exits 0 only when every check held. Standard library only; every socket
read has a deadline (raw_iscsi.Conn) and the whole run an alarm.
"""

import argparse
import signal
import struct
import sys

from raw_iscsi import Conn, Failure, be32, parse_sense, read_command


def data_in(c, cdb, edtl, lun):
    return read_command(c, cdb, edtl, lun=lun, timeout=30)


def naa_designator(c, lun):
    """The LU's designation descriptor of type NAA, association LU (VPD 83h)."""
    st, sense, d = data_in(c, struct.pack(">BBBHB", 0x12, 1, 0x83, 255, 0), 255, lun)
    if st != 0:
        raise Failure(f"INQUIRY VPD 83h of LUN {lun}: status {st:#x} sense {sense}")
    at = 4
    while at + 4 <= len(d):
        dlen = d[at + 3]
        if d[at + 1] & 0x0F == 3 and (d[at + 1] >> 4) & 3 == 0:
            return d[at:at + 4 + dlen]
        at += 4 + dlen
    raise Failure(f"LUN {lun} reports no NAA designator: {d.hex()}")


def cscd(designator, block):
    d = bytearray(32)
    d[0] = 0xE4
    d[4:4 + len(designator)] = designator
    d[29:32] = block.to_bytes(3, "big")
    return bytes(d)


def extended_copy(c, lun, list_id, cscds, blocks, src_lba, dst_lba, lid4=False):
    seg = struct.pack(">BBHHHxxHQQ", 0x02, 0, 0x18, 0, 1, blocks, src_lba, dst_lba)
    body = b"".join(cscds) + seg
    if lid4:  # SPC-4 6.4.2: format 01h, header CSCD length 20h, type FFh, list id at 20, lengths at 42
        params = struct.pack(">BBH12xB3xI18xHHH", 0x01, 0, 0x20, 0xFF, list_id, 32 * len(cscds), len(seg), 0) + body
    else:
        params = struct.pack(">BBHxxxxII", list_id, 0, 32 * len(cscds), len(seg), 0) + body
    cdb = struct.pack(">BB8xIxB", 0x83, 0x01 if lid4 else 0x00, len(params), 0)
    itt = c.scsi_cmd(cdb, len(params), write=True, lun=lun, imm=params)
    rsp = c.scsi_response(itt, "EXTENDED COPY response", timeout=120)
    return rsp.bhs[3], parse_sense(rsp.data)


def copy(args, c, src, dst, blocks, src_lba, dst_lba):
    names = [naa_designator(c, src), naa_designator(c, dst)]
    st, sense = extended_copy(c, src, 7, [cscd(n, args.block) for n in names], blocks, src_lba, dst_lba)
    if st != 0:
        raise Failure(f"EXTENDED COPY: status {st:#x} sense {sense}")
    cdb = struct.pack(">BBB7xIxB", 0x84, 0x00, 7, 64, 0)
    st, sense, d = data_in(c, cdb, 64, src)
    if st != 0 or len(d) < 12:
        raise Failure(f"RECEIVE COPY RESULTS: status {st:#x} sense {sense} data {d.hex()}")
    moved = be32(d, 8) << (10 * d[7])
    if d[4] != 0x01 or moved != blocks * args.block:
        raise Failure(f"COPY STATUS {d[:12].hex()}: expected completed, {blocks * args.block} bytes")
    print(f"PASS copied {blocks} blocks LUN {src} LBA {src_lba} -> LUN {dst} LBA {dst_lba}; COPY STATUS {d[:12].hex()}")


def copy4(args, c, src, dst, blocks, src_lba, dst_lba):
    names = [naa_designator(c, src), naa_designator(c, dst)]
    list_id = 0x5EED0004
    st, sense = extended_copy(c, src, list_id, [cscd(n, args.block) for n in names], blocks, src_lba, dst_lba, True)
    if st != 0:
        raise Failure(f"EXTENDED COPY(LID4): status {st:#x} sense {sense}")
    cdb = struct.pack(">BBI4xIxB", 0x84, 0x05, list_id, 64, 0)  # RECEIVE COPY STATUS(LID4)
    st, sense, d = data_in(c, cdb, 64, src)
    if st != 0 or len(d) < 32:
        raise Failure(f"RECEIVE COPY STATUS(LID4): status {st:#x} sense {sense} data {d.hex()}")
    moved = int.from_bytes(d[16:24], "big")
    if d[4] != 0x05 or d[5] != 0x01 or d[12] != 0 or moved != blocks * args.block:
        raise Failure(f"COPY STATUS(LID4) {d[:32].hex()}: expected completed, GOOD, {blocks * args.block} bytes")
    print(f"PASS LID4 copied {blocks} blocks LUN {src} LBA {src_lba} -> LUN {dst} LBA {dst_lba}; "
          f"COPY STATUS(LID4) {d[:32].hex()}")


def unreachable(args, c, lun):
    names = [naa_designator(c, lun), b"\x01\x03\x00\x10\x60" + b"\xEE" * 15]
    st, sense = extended_copy(c, lun, 8, [cscd(n, args.block) for n in names], 8, 0, 0)
    if st != 2 or sense != (0x0A, 0x0D, 0x02):
        raise Failure(f"EXTENDED COPY to an unknown LU: status {st:#x} sense {sense}, expected 0A/0D/02")
    print("PASS an unknown destination is COPY TARGET DEVICE NOT REACHABLE")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--block", type=int, default=512)
    p.add_argument("command")
    p.add_argument("args", nargs="*", type=int)
    args = p.parse_args()
    signal.alarm(300)
    c = Conn("127.0.0.1", args.port, "xcopy", 0)
    c.login("iqn.2026-11.org.stmfd:xcopy", bytes([0x80, 0x58, 0x43, 0x50, 0, 1]), args.target)
    for lun in (0, 1):
        c.tur_until_good(lun)
    try:
        if args.command == "copy":
            copy(args, c, *args.args)
        elif args.command == "copy4":
            copy4(args, c, *args.args)
        elif args.command == "unreachable":
            unreachable(args, c, *args.args)
        else:
            raise Failure(f"unknown command {args.command}")
    except Failure as e:
        print(f"FAIL {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
