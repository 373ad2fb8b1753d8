#!/usr/bin/env python3
"""Thin provisioning and COMPARE AND WRITE checks over raw iSCSI (the
initiator of raw_iscsi.py), for test_thin.sh.

usage: thin_iscsi.py --port PORT --target IQN [--lun N] [--block B] COMMAND
  lba-status LBA        GET LBA STATUS from LBA: one line per descriptor,
                        "LBA BLOCKS mapped|deallocated"
  unmap LBA BLOCKS      UNMAP one range (must be GOOD)
  write LBA BLOCKS BYTE WRITE(10) of BLOCKS blocks of BYTE (must be GOOD)
  caw-race              COMPARE AND WRITE racing plain writes (see caw_race)

Exits 0 only when every check held. Standard library only; every socket
read has a deadline (raw_iscsi.Conn) and the whole run an alarm.
"""

import argparse
import signal
import struct
import sys
import threading

from raw_iscsi import Conn, Failure, be32, parse_sense, read_command

SENSE_MISCOMPARE = (0x0E, 0x1D, 0x00)


def session(args, tag, n):
    c = Conn("127.0.0.1", args.port, tag, args.lun)
    c.login(f"iqn.2026-11.org.stmfd:thin-{tag}", bytes([0x80, 0x54, 0x48, 0x4E, 0, n]), args.target)
    c.tur_until_good()
    return c


def data_in(c, cdb, edtl):
    """A command with Data-In; returns (status, sense triple, data)."""
    return read_command(c, cdb, edtl)


def data_out(c, cdb, data):
    """A command whose Data-Out goes as immediate data (at most 64 KiB)."""
    assert len(data) <= 65536
    itt = c.scsi_cmd(cdb, len(data), write=True, imm=data)
    rsp = c.scsi_response(itt, f"response to opcode {cdb[0]:#x}", timeout=10)
    return rsp.bhs[3], parse_sense(rsp.data)


def write10(c, lba, data, block):
    return data_out(c, struct.pack(">BBIBHB", 0x2A, 0, lba, 0, len(data) // block, 0), data)


def read10(c, lba, blocks, block):
    st, sense, data = data_in(c, struct.pack(">BBIBHB", 0x28, 0, lba, 0, blocks, 0), blocks * block)
    if st != 0:
        raise Failure(f"READ(10) at {lba}: status {st:#x} sense {sense}")
    return data


def caw(c, lba, verify, write):
    blocks = len(verify) // BLOCK
    cdb = struct.pack(">BBQxxxBBB", 0x89, 0, lba, blocks, 0, 0)
    return data_out(c, cdb, verify + write)


def lba_status(args, lba):
    c = session(args, "lbas", 1)
    cdb = struct.pack(">BBQIBB", 0x9E, 0x12, lba, 8 + 16 * 32, 0, 0)
    st, sense, d = data_in(c, cdb, 8 + 16 * 32)
    if st != 0:
        raise Failure(f"GET LBA STATUS: status {st:#x} sense {sense}")
    n = (be32(d, 0) - 4) // 16
    for i in range(n):
        lba_i, blocks, prov = struct.unpack_from(">QIB", d, 8 + 16 * i)
        print(f"{lba_i} {blocks} {'mapped' if prov == 0 else 'deallocated'}")
    c.logout()
    return True


def unmap(args, lba, blocks):
    c = session(args, "unmap", 2)
    plist = struct.pack(">HHxxxx", 22, 16) + struct.pack(">QIxxxx", lba, blocks)
    st, sense = data_out(c, struct.pack(">BBxxxxBHB", 0x42, 0, 0, len(plist), 0), plist)
    c.logout()
    if st != 0:
        raise Failure(f"UNMAP: status {st:#x} sense {sense}")
    return True


def write_fill(args, lba, blocks, byte):
    c = session(args, "write", 3)
    per = 32768 // args.block  # well within FirstBurstLength: all immediate
    for i in range(0, blocks, per):
        n = min(per, blocks - i)
        st, sense = write10(c, lba + i, bytes([byte]) * (n * args.block), args.block)
        if st != 0:
            raise Failure(f"WRITE(10): status {st:#x} sense {sense}")
    c.logout()
    return True


def caw_race(args):
    """Two checks on an 8-block range at LBA 64:
    1. Counter: 3 sessions each add 1 to a counter in the range 40 times
       with read + COMPARE AND WRITE (retrying on MISCOMPARE). The final
       count is exactly 120 only if no COMPARE AND WRITE lost an update.
    2. Tearing: 2 COMPARE AND WRITE sessions and 2 plain WRITE sessions
       fill the range with one byte value per command while a reader
       checks that every read shows all 8 blocks holding one value.
    """
    lba, blocks = 64, 8
    ok = [True]
    lock = threading.Lock()

    def fail(msg):
        with lock:
            ok[0] = False
            print(f"FAIL: {msg}", flush=True)

    def fill(v):
        return bytes([v]) * (blocks * BLOCK)

    c0 = session(args, "init", 10)
    if write10(c0, lba, fill(0), BLOCK)[0] != 0:
        raise Failure("initial WRITE failed")

    def counter(n):
        try:
            c = session(args, f"ctr{n}", 20 + n)
            done = 0
            tries = 0
            while done < 40:
                tries += 1
                if tries > 4000:
                    fail(f"counter {n}: no progress")
                    return
                cur = read10(c, lba, blocks, BLOCK)
                value = struct.unpack_from(">I", cur)[0]
                new = bytearray(cur)
                struct.pack_into(">I", new, 0, value + 1)
                st, sense = caw(c, lba, cur, bytes(new))
                if st == 0:
                    done += 1
                elif st == 2 and sense == SENSE_MISCOMPARE:
                    continue  # another session got in first
                else:
                    fail(f"counter {n}: COMPARE AND WRITE status {st:#x} sense {sense}")
                    return
            c.logout()
        except Exception as e:  # noqa: BLE001 - reported as a failure
            fail(f"counter {n}: {e}")

    threads = [threading.Thread(target=counter, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = struct.unpack_from(">I", read10(c0, lba, blocks, BLOCK))[0]
    if final != 120:
        fail(f"counter is {final} after 3 x 40 COMPARE AND WRITE increments, expected 120")
    else:
        print("PASS: 3 sessions x 40 COMPARE AND WRITE increments: counter 120", flush=True)

    write10(c0, lba, fill(1), BLOCK)
    stop = threading.Event()
    stats = {"caw_good": 0, "caw_miscompare": 0, "writes": 0, "reads": 0}

    def cawer(n):
        try:
            c = session(args, f"caw{n}", 30 + n)
            v = 10 + n
            while not stop.is_set():
                cur = read10(c, lba, blocks, BLOCK)
                if len(set(cur)) != 1:
                    fail(f"caw {n}: read a torn range: values {sorted(set(cur))}")
                    return
                st, sense = caw(c, lba, cur, fill(v))
                with lock:
                    if st == 0:
                        stats["caw_good"] += 1
                    elif st == 2 and sense == SENSE_MISCOMPARE:
                        stats["caw_miscompare"] += 1
                    else:
                        fail(f"caw {n}: status {st:#x} sense {sense}")
                        return
                v = 10 + (v - 9) % 100
            c.logout()
        except Exception as e:  # noqa: BLE001
            fail(f"caw {n}: {e}")

    def writer(n):
        try:
            c = session(args, f"wr{n}", 40 + n)
            v = 120 + n * 60
            while not stop.is_set():
                st, sense = write10(c, lba, fill(v), BLOCK)
                if st != 0:
                    fail(f"writer {n}: status {st:#x} sense {sense}")
                    return
                with lock:
                    stats["writes"] += 1
                v = 120 + n * 60 + (v + 1) % 50
            c.logout()
        except Exception as e:  # noqa: BLE001
            fail(f"writer {n}: {e}")

    def reader():
        try:
            c = session(args, "rd", 50)
            while not stop.is_set():
                cur = read10(c, lba, blocks, BLOCK)
                with lock:
                    stats["reads"] += 1
                if len(set(cur)) != 1:
                    fail(f"reader: torn range: values {sorted(set(cur))}")
                    return
            c.logout()
        except Exception as e:  # noqa: BLE001
            fail(f"reader: {e}")

    threads = [threading.Thread(target=cawer, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    stop.wait(6)
    stop.set()
    for t in threads:
        t.join()
    print(f"race: {stats}", flush=True)
    if stats["caw_good"] == 0 or stats["caw_miscompare"] == 0 or stats["writes"] == 0 or stats["reads"] == 0:
        fail(f"the race did not exercise every outcome: {stats}")
    if ok[0]:
        print("PASS: COMPARE AND WRITE racing plain writes never showed a torn range", flush=True)
    c0.logout()
    return ok[0]


BLOCK = 512


def main():
    global BLOCK
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--lun", type=int, default=0)
    p.add_argument("--block", type=int, default=512)
    p.add_argument("command")
    p.add_argument("params", nargs="*", type=int)
    args = p.parse_args()
    BLOCK = args.block
    signal.alarm(120)
    try:
        if args.command == "lba-status":
            ok = lba_status(args, *args.params)
        elif args.command == "unmap":
            ok = unmap(args, *args.params)
        elif args.command == "write":
            ok = write_fill(args, *args.params)
        elif args.command == "caw-race":
            ok = caw_race(args)
        else:
            p.error(f"unknown command {args.command}")
    except Failure as e:
        print(f"FAIL: {e}", flush=True)
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
