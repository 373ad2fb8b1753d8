// SPACE(6/16), REWIND, LOCATE(10/16), READ POSITION, LOAD UNLOAD (SSC-3
// 6.3, 6.7, 7.4-7.7). Residues in INFORMATION are absolute: the count asked
// minus the count done (SSC-3 4.2; what Linux st expects).

#include <algorithm>
#include <cerrno>

#include "plugins/lu/ssc/types.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::ssc::handlers {

using namespace scsi;
using media::stop;

namespace {

// SPACE CODE (SSC-3 7.7 Table 37).
namespace code {
constexpr uint8_t blocks = 0, filemarks = 1, end_of_data = 3;
}

// What stopped a SPACE short, as SSC-3 7.7 reports it.
outcome space_stopped(const media::motion& m, uint64_t asked, bool blocks) {
  const uint64_t residue = asked - m.done;
  switch (m.cond) {
    case stop::filemark:
      if (!blocks) break;  // spacing over filemarks never stops at one
      return check_stream(sense::filemark_detected(), stream::filemark, residue);
    case stop::eod: return check_stream(sense::end_of_data_detected(), 0, residue);
    case stop::bot: return check_stream(sense::beginning_of_partition_detected(), stream::eom, residue);
    default: break;
  }
  return good();
}

}  // namespace

// SPACE(6): 24-bit signed COUNT; SPACE(16): 64-bit signed COUNT and a
// PARAMETER LENGTH that must be 0 (no parameter data is supported).
// Setmarks (code 4) and sequential filemarks (code 2) are not supported.
outcome space(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool sixteen = c[0] == 0x91;
  const uint8_t what = c[1] & 0x0F;
  int64_t count = 0;
  if (sixteen) {
    count = int64_t(get_be64(c + 4));
  } else {
    count = int64_t(get_be24(c + 2));
    if (count & 0x800000) count -= 0x1000000;  // sign-extend 24 bits
  }
  auto& tape = *x.st.tape;
  switch (what) {
    case code::blocks:
    case code::filemarks: {
      if (count == 0) return good();
      const auto m = what == code::blocks ? tape.space_blocks(count) : tape.space_filemarks(count);
      const uint64_t asked = count < 0 ? uint64_t(-(count + 1)) + 1 : uint64_t(count);
      return space_stopped(m, asked, what == code::blocks);
    }
    case code::end_of_data: tape.space_to_eod(); return good();
    default: return check(invalid_cdb_field(1, 3));
  }
}

// SSC-3 7.6. IMMED changes nothing: the rewind is done when status is sent.
outcome rewind(exec_ctx& x) {
  x.st.tape->rewind();
  return good();
}

// LOCATE(10) (SSC-3 7.4): BT is accepted either way (block addresses are
// logical object identifiers here); CP with a partition other than 0 is
// INVALID FIELD IN CDB (one partition). LOCATE(16) DEST_TYPE: 000b a
// logical object, 001b a logical file (after that many filemarks), 011b
// end of data. Beyond end of data: BLANK CHECK, END-OF-DATA DETECTED, and
// the tape is at end of data.
outcome locate(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  auto& tape = *x.st.tape;
  const bool cp = c[1] & 0x02;
  uint64_t target = 0;
  if (c[0] == 0x2B) {
    if (cp && c[8] != 0) return check(invalid_cdb_field(8));
    target = get_be32(c + 3);
  } else {
    if (cp && c[3] != 0) return check(invalid_cdb_field(3));
    target = get_be64(c + 4);
    switch ((c[1] >> 3) & 0x07) {
      case 0: break;
      case 1: {  // logical file: the object after the target-th filemark
        tape.rewind();
        if (target == 0) return good();
        const auto m = tape.space_filemarks(int64_t(std::min<uint64_t>(target, INT64_MAX)));
        if (m.cond == stop::eod) return check(sense::end_of_data_detected());
        return good();
      }
      case 3: tape.space_to_eod(); return good();
      default: return check(invalid_cdb_field(1, 5));
    }
  }
  if (tape.locate(target).cond == stop::eod) return check(sense::end_of_data_detected());
  return good();
}

// SSC-3 7.5: short form (20 bytes), long form (32 bytes), extended form
// (32 bytes, cut to ALLOCATION LENGTH). Nothing is ever buffered in the
// drive: the object counts and byte counts in the buffer are 0 and the
// first and last locations are the same.
outcome read_position(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const uint8_t sa = c[1] & 0x1F;
  const auto& tape = *x.st.tape;
  const uint64_t pos = tape.position();
  const bool bop = tape.at_bot();
  const bool eop = tape.at_eod() && tape.in_early_warning();
  const uint8_t flags = uint8_t((bop ? 0x80 : 0) | (eop ? 0x40 : 0));
  byte_writer w(x.data_in, x.data_in_cap);
  switch (sa) {
    case 0x00:    // short form, block identifiers
    case 0x01: {  // short form, vendor specific: the same; beyond 32 bits the position is unknown (BPU)
      const bool fits = pos <= 0xFFFFFFFFu;
      w.u8(uint8_t(flags | (fits ? 0 : 0x04)));
      w.u8(0);  // partition
      w.zeros(2);
      w.be32(fits ? uint32_t(pos) : 0);  // first logical object location
      w.be32(fits ? uint32_t(pos) : 0);  // last logical object location
      w.u8(0);
      w.be24(0);  // logical objects in the buffer
      w.be32(0);  // bytes in the buffer
      return good(uint32_t(w.written()));
    }
    case 0x06:  // long form
      w.u8(flags);
      w.zeros(3);
      w.be32(0);                        // partition
      w.be64(pos);                      // logical object number
      w.be64(tape.filemarks_before());  // logical file identifier
      w.be64(0);                        // obsolete (set identifier)
      return good(uint32_t(w.written()));
    default: {  // 0x08 extended form
      const uint16_t alloc = get_be16(c + 7);
      byte_writer e(x.data_in, std::min<size_t>(alloc, x.data_in_cap));
      e.u8(flags);
      e.u8(0);       // partition
      e.be16(0x1C);  // additional length
      e.u8(0);
      e.be24(0);  // logical objects in the buffer
      e.be64(pos);
      e.be64(pos);
      e.be64(0);  // bytes in the buffer
      return good(uint32_t(e.written()));
    }
  }
}

// SSC-3 6.3 LOAD UNLOAD. LOAD=1: a loaded cartridge is rewound; otherwise
// the shell loads the drive's cartridge (medium_action::load). LOAD=0: the
// cartridge is unloaded (the shell closes it) unless PREVENT ALLOW MEDIUM
// REMOVAL prevents it. EOT=1 with LOAD=1 is INVALID FIELD IN CDB; RETEN
// and HOLD change nothing here.
outcome load_unload(exec_ctx& x) {
  const uint8_t b4 = x.cmd.cdb[4];
  const bool load = b4 & 0x01, eot = b4 & 0x04;
  if (load && eot) return check(invalid_cdb_field(4, 2));
  outcome o;
  if (load) {
    if (x.st.tape) {
      x.st.tape->rewind();
      return good();
    }
    x.st.pending.what = pending_op::kind::load;
    o.medium = outcome::medium_action::load;
    return o;
  }
  if (x.st.prevent_removal) return check(sense::medium_removal_prevented());
  if (!x.st.tape) return good();  // nothing to unload
  x.st.pending.what = pending_op::kind::unload;
  o.medium = outcome::medium_action::unload;
  return o;
}

outcome finish_load_unload(exec_ctx& x, int io_result) {
  if (x.st.pending.what == pending_op::kind::unload) return good();
  if (io_result == 0 && x.st.tape) return good();
  // The cartridge file is there but is no cartridge: MEDIUM FORMAT
  // CORRUPTED; it cannot be opened at all: MEDIUM NOT PRESENT.
  return check(io_result == -EINVAL ? sense::medium_format_corrupted() : sense::medium_not_present());
}

}  // namespace stmfd::ssc::handlers
