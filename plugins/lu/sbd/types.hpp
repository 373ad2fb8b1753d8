#pragma once
// Interface types of the disk LU provider core (SBC-3 + SPC-4). The core is
// pure: it decodes a command, answers small Data-In replies itself, and for
// medium access returns an I/O plan that the LU actor runs (io_uring) before
// calling disk::finish(). Field comments say who sets what.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "wire/scsi/sense.hpp"

namespace stmfd::sbd {

// Set by the framework from the LU definition.
struct identity {
  std::string vendor = "STMFD";     // INQUIRY T10 VENDOR IDENTIFICATION (8 ASCII)
  std::string product = "VDISK";    // PRODUCT IDENTIFICATION (16 ASCII)
  std::string revision = "0001";    // PRODUCT REVISION LEVEL (4 ASCII)
  std::string serial;               // VPD 80h; empty -> hex of naa
  uint8_t naa[16] = {};             // NAA 6 IEEE registered extended (VPD 83h), derived from the LU name
};

// Set by the framework from the backing store; validate with disk::valid().
struct geometry {
  uint32_t block_size = 512;        // logical block length, power of two, 512..65536
  uint64_t block_count = 0;         // capacity in logical blocks
  bool read_only = false;           // writes fail with DATA PROTECT 27h/00h
  uint8_t lbppbe = 0;               // logical blocks per physical block exponent (RC16, VPD B0h)
  uint32_t max_transfer_bytes = 8u << 20;  // largest READ/WRITE/VERIFY buffer; VPD B0h reports it in blocks
  bool non_rotational = false;      // VPD B1h MEDIUM ROTATION RATE 0001h
};

// The I_T nexus's target side, for VPD 83h designators (SPC-4 7.8.6).
struct port_identity {
  std::string target_name;          // iSCSI target name (iqn./eui./naa.)
  uint16_t relative_port_id = 1;    // RELATIVE TARGET PORT IDENTIFIER
  uint16_t tpgt = 1;                // iSCSI target portal group tag; also reported as target port group
};

// One SCSI command as the LU actor hands it to the core (set by the framework).
struct command {
  const uint8_t* cdb = nullptr;
  size_t cdb_len = 0;
  uint32_t expected_length = 0;     // Expected Data Transfer Length from the transport
  // Write data already received (all of it). It may be shorter than the CDB
  // asks when the Expected Data Transfer Length was: the core then writes
  // (and compares) only the whole blocks received, as initiators expect
  // (libiscsi iSCSIResiduals), and the transport reports the overflow.
  const uint8_t* data_out = nullptr;
  uint32_t data_out_len = 0;
  const port_identity* port = nullptr;
  // REQUEST SENSE only: the unit attention (or deferred error) the LU shell
  // took from this nexus's queue, reported as the parameter data; null ->
  // NO SENSE (SPC-4 6.39).
  const scsi::sense_info* pending_sense = nullptr;
};

// One step of an I/O plan. Offsets are bytes in the backing store.
struct io_step {
  enum class op : uint8_t { read, write, flush } kind = op::read;
  uint64_t offset = 0;
  uint32_t length = 0;      // flush: 0 means "to the end" (the whole store may be synced)
  uint32_t buf_offset = 0;  // read: into the plan buffer; write: from command::data_out
  // write: must be on stable storage before the step completes (FUA, or write
  // cache disabled): RWF_DSYNC or a following fdatasync. read: FUA asked to
  // bypass a volatile cache; the page cache is coherent, so it may be ignored.
  bool fua = false;
};

// The core's answer (set by the core).
struct outcome {
  enum class kind : uint8_t { done, io } what = kind::done;
  // kind::done: status, sense (if CHECK CONDITION), and data_in_len bytes
  // already written into the data_in buffer given to execute(). After
  // finish() of a plan with data_in, the Data-In bytes are the plan buffer's
  // first data_in_len bytes instead.
  uint8_t status = scsi::status::good;
  std::optional<scsi::sense_info> sense;
  uint32_t data_in_len = 0;
  // kind::io: the caller performs steps[0..nsteps) in order with a data
  // buffer of buffer_len bytes (reads fill it; writes take from data_out at
  // buf_offset), stops at the first failure, then calls disk::finish().
  std::array<io_step, 3> steps{};
  uint8_t nsteps = 0;
  uint32_t buffer_len = 0;
  bool data_in = false;  // the buffer is the Data-In payload (READ)
  // Bytes the CDB itself asks to move (transfer length x block size) for
  // READ/WRITE/VERIFY/WRITE AND VERIFY, also when fewer move: the transport
  // derives the residual from it (RFC 7143 11.4.5.1: EDTL vs this). 0 for
  // every other command: there the residual is EDTL vs data_in_len.
  uint32_t transfer_length = 0;
  // MODE SELECT changed a parameter: the shell establishes MODE PARAMETERS
  // CHANGED (2Ah/01h) for every other I_T nexus (SPC-4 5.14, 6.13).
  bool mode_changed = false;
};

}  // namespace stmfd::sbd
