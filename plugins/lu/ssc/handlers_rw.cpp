// READ(6), WRITE(6), WRITE FILEMARKS(6), ERASE(6) and their completions
// (SSC-3 4.2 and 6.2-6.6). The cartridge (media::cartridge) says where the
// records are and what stopped a transfer; these handlers say what SSC
// reports for it: FILEMARK / EOM / ILI bits, residues in INFORMATION,
// BLANK CHECK at end of data, early warning, VOLUME OVERFLOW.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "plugins/lu/ssc/types.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::ssc::handlers {

using namespace scsi;
using media::stop;

namespace {

constexpr uint32_t max_filemarks_per_command = 1u << 16;

// The plan's file writes as the outcome's steps, in order (the shell stops
// at the first that fails). sync: the last one is FUA: the shell follows
// it with an fdatasync of the whole cartridge file, which covers the others.
void medium_writes(const media::write_plan& p, bool sync, outcome& o) {
  static_assert(std::tuple_size_v<decltype(media::write_order::writes)> <= std::tuple_size_v<decltype(o.steps)>);
  const media::write_order w = p.file_writes();
  for (uint8_t k = 0; k < w.count; ++k) {
    io_step& s = o.steps[k];
    s.kind = io_step::op::write;
    s.store = io_step::store_kind::medium;
    s.offset = w.writes[k].offset;
    s.length = w.writes[k].length;
    s.mem = const_cast<uint8_t*>(w.writes[k].data);
    s.fua = sync && k + 1 == w.count;
  }
  o.nsteps = w.count;
}

io_step medium_flush() {
  io_step s;
  s.kind = io_step::op::flush;
  s.store = io_step::store_kind::medium;
  return s;
}

outcome with_transfer(outcome o, uint32_t transfer_length) {
  o.transfer_length = transfer_length;
  return o;
}

// Plans the write of st.pending.items (filled by the caller); sync: the
// records are on stable storage before status (IMMED=0, or unbuffered mode).
outcome plan_write(exec_ctx& x, pending_op::kind what, bool sync, uint32_t transfer_length) {
  auto& p = x.st.pending;
  p.what = what;
  p.transfer = transfer_length;
  p.plan = x.st.tape->plan_write(p.items.data(), p.items.size());
  if (!p.items.empty() && p.plan.objects == 0) {
    // SSC-3 4.2.5: at the end of the medium nothing more is written.
    p.what = pending_op::kind::none;
    return with_transfer(check_stream(sense::volume_overflow(), stream::eom, p.count), transfer_length);
  }
  outcome o;
  o.what = outcome::kind::io;
  medium_writes(p.plan, sync, o);
  o.transfer_length = transfer_length;
  return o;
}

}  // namespace

// SSC-3 6.4. FIXED: TRANSFER LENGTH blocks of the mode's block length;
// otherwise one block of up to TRANSFER LENGTH bytes. SILI with FIXED is
// INVALID FIELD IN CDB; FIXED in variable-block mode too.
outcome read(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool fixed = c[1] & 0x01, sili = c[1] & 0x02;
  const uint32_t count = get_be24(c + 2);
  const uint32_t bl = x.st.mode.block_length;
  if (fixed && sili) return check(invalid_cdb_field(1, 1));
  if (fixed && bl == 0) return check(invalid_cdb_field(1, 0));
  if (count == 0) return good();
  const uint64_t bytes = fixed ? uint64_t(count) * bl : count;
  if (bytes > max_transfer_bytes) return check(invalid_cdb_field(2));
  auto& tape = *x.st.tape;
  const media::read_span span = tape.plan_read(fixed ? count : 1, bytes + max_block_length);
  if (span.records == 0) {
    if (span.cond == stop::filemark) {  // SSC-3 4.2.3: now after the filemark
      tape.advance(1);
      return with_transfer(check_stream(sense::filemark_detected(), stream::filemark, count), uint32_t(bytes));
    }
    return with_transfer(check_stream(sense::end_of_data_detected(), 0, count), uint32_t(bytes));
  }
  if (tape.record(span.first).length > max_block_length) return check(sense::read_error());
  auto& p = x.st.pending;
  p.what = pending_op::kind::read;
  p.span = span;
  p.fixed = fixed;
  p.sili = sili;
  p.count = count;
  x.st.staging.resize(span.length);
  outcome o;
  o.what = outcome::kind::io;
  o.steps[0].kind = io_step::op::read;
  o.steps[0].store = io_step::store_kind::medium;
  o.steps[0].offset = span.offset;
  o.steps[0].length = uint32_t(span.length);
  o.steps[0].mem = x.st.staging.data();
  o.nsteps = 1;
  o.transfer_length = uint32_t(bytes);
  return o;
}

outcome finish_read(exec_ctx& x, int io_result) {
  auto& p = x.st.pending;
  auto& tape = *x.st.tape;
  const uint32_t bl = x.st.mode.block_length;
  const uint32_t transfer = p.fixed ? p.count * bl : p.count;
  std::vector<const uint8_t*> payloads(p.span.records);
  if (io_result < 0 || !tape.check_read(p.span, x.st.staging.data(), payloads.data()))
    return with_transfer(check(sense::read_error()), transfer);
  auto data = [&](outcome o, uint32_t n) {
    o.data_in_len = n;
    o.data_in_mem = x.st.out.data();
    return with_transfer(o, transfer);
  };
  if (!p.fixed) {
    // One block: its bytes up to the transfer length. SSC-3 6.4: SILI
    // suppresses the incorrect-length report for a short block, and for a
    // long one in variable-block mode; INFORMATION is requested - actual.
    const uint32_t len = tape.record(p.span.first).length;
    const uint32_t n = std::min(len, p.count);
    x.st.out.assign(payloads[0], payloads[0] + n);
    tape.advance(1);
    if (len == p.count || (p.sili && (len < p.count || bl == 0))) return data(good(), n);
    const uint32_t residue = uint32_t(int64_t(p.count) - int64_t(len));  // negative: two's complement
    return data(check_stream(sense::no_sense(), stream::ili, residue), n);
  }
  x.st.out.resize(size_t(p.count) * bl);
  uint32_t k = 0;
  for (; k < p.span.records; ++k) {
    if (tape.record(p.span.first + k).length != bl) {
      // SSC-3 6.4: the wrong-length block is passed; INFORMATION counts the
      // blocks not read, the wrong one included.
      tape.advance(k + 1);
      return data(check_stream(sense::no_sense(), stream::ili, p.count - k), k * bl);
    }
    std::memcpy(x.st.out.data() + size_t(k) * bl, payloads[k], bl);
  }
  tape.advance(k);
  if (k == p.count || p.span.cond == stop::none) return data(good(), k * bl);
  if (p.span.cond == stop::filemark) {
    tape.advance(1);
    return data(check_stream(sense::filemark_detected(), stream::filemark, p.count - k), k * bl);
  }
  return data(check_stream(sense::end_of_data_detected(), 0, p.count - k), k * bl);
}

// SSC-3 6.5. Whole blocks of the Data-Out that arrived are written.
outcome write(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool fixed = c[1] & 0x01;
  const uint32_t count = get_be24(c + 2);
  const uint32_t bl = x.st.mode.block_length;
  if (fixed && bl == 0) return check(invalid_cdb_field(1, 0));
  if (count == 0) return good();
  if (!fixed && count > max_block_length) return check(invalid_cdb_field(2));
  const uint64_t bytes = fixed ? uint64_t(count) * bl : count;
  if (bytes > max_transfer_bytes) return check(invalid_cdb_field(2));
  const uint32_t have = x.cmd.data_out ? std::min<uint32_t>(x.cmd.data_out_len, uint32_t(bytes)) : 0;
  auto& p = x.st.pending;
  p.fixed = fixed;
  p.count = count;
  if (fixed) {
    for (uint32_t k = 0; k + 1 <= have / bl; ++k)
      p.items.push_back({media::record_type::data, x.cmd.data_out + size_t(k) * bl, bl});
  } else if (have > 0) {
    p.items.push_back({media::record_type::data, x.cmd.data_out, have});
  }
  if (p.items.empty()) return with_transfer(good(), uint32_t(bytes));
  return plan_write(x, pending_op::kind::write, !x.st.mode.buffered, uint32_t(bytes));
}

// SSC-3 6.6. Setmarks are not supported (WSMK: INVALID FIELD IN CDB). A
// count of 0 writes nothing and, with IMMED=0, makes what was written
// durable: the synchronizing form.
outcome write_filemarks(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool immed = c[1] & 0x01;
  if (c[1] & 0x02) return check(invalid_cdb_field(1, 1));
  const uint32_t count = get_be24(c + 2);
  if (count > max_filemarks_per_command) return check(invalid_cdb_field(2));
  auto& p = x.st.pending;
  p.count = count;
  if (count == 0) {
    if (immed) return good();
    p.what = pending_op::kind::sync;
    outcome o;
    o.what = outcome::kind::io;
    o.steps[0] = medium_flush();
    o.nsteps = 1;
    return o;
  }
  p.fixed = true;  // the residue counts filemarks
  p.items.assign(count, media::write_item{media::record_type::filemark, nullptr, 0});
  return plan_write(x, pending_op::kind::write, !immed, 0);
}

// SSC-3 6.2: end of data at the position (LONG or not: the rest of the
// partition holds nothing either way).
outcome erase(exec_ctx& x) {
  const bool immed = x.cmd.cdb[1] & 0x02;
  x.st.pending.count = 0;
  return plan_write(x, pending_op::kind::write, !immed, 0);
}

// failed_step: the step that failed (io_result < 0): the file writes
// before it completed. A failed write puts none of its objects on the tape
// (media::cartridge::abandon_write) and leaves the position where it began
// (the logical object it would have written); INFORMATION is the residue,
// all of the CDB's count (blocks or bytes, filemarks).
outcome finish_write(exec_ctx& x, int io_result, uint8_t failed_step) {
  auto& p = x.st.pending;
  auto& tape = *x.st.tape;
  const uint32_t transfer = p.transfer;
  if (p.what == pending_op::kind::sync) return io_result < 0 ? check(sense::write_error()) : good();
  if (io_result < 0) {
    tape.abandon_write(p.plan, failed_step);
    if (io_result == -ENOSPC || io_result == -EDQUOT)
      return with_transfer(check_stream(sense::volume_overflow(), stream::eom, p.count), transfer);
    if (p.count == 0) return with_transfer(check(sense::write_error()), transfer);  // ERASE: no count
    return with_transfer(check_stream(sense::write_error(), 0, p.count), transfer);
  }
  tape.commit_write(p.plan, p.items.data());
  const uint32_t residue = p.fixed ? p.count - p.plan.objects : (p.plan.objects ? 0 : p.count);
  if (p.plan.cond == stop::end_of_medium)
    return with_transfer(check_stream(sense::volume_overflow(), stream::eom, residue), transfer);
  if (p.plan.early_warning && !p.items.empty())  // SSC-3 4.2.5: written, and warned
    return with_transfer(check_stream(sense::end_of_partition_detected(), stream::eom, residue), transfer);
  return with_transfer(good(), transfer);
}

}  // namespace stmfd::ssc::handlers
