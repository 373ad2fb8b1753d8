#pragma once
// The disk LU provider's pure core (COMSTAR stmf_sbd's role): SBC-3 direct
// access block device plus the SPC-4 commands every LU answers. It holds
// the LU's identity, geometry and mode parameters; it performs no I/O.
//
// Life of a command (driven by the LU actor):
//   1. the shell runs its generic precheck from classify() (unit
//      attention, reservations, ALUA state);
//   2. execute() validates the CDB against the command table and either
//      answers (outcome::kind::done) or returns an I/O plan (kind::io);
//   3. for a plan, the actor runs the steps and calls finish(), which maps
//      errno to sense and performs VERIFY / WRITE AND VERIFY compares.
// Sense data bytes are built by the shell with scsi::build_sense(...,
// descriptor_sense(), ...), except REQUEST SENSE which returns them as data.

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "plugins/lu/sbd/command_table.hpp"
#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/types.hpp"

namespace stmfd::sbd {

class disk {
 public:
  // geo should satisfy valid(); an invalid block size is replaced by 512 so
  // the core never divides by zero.
  disk(identity id, geometry geo, bool write_cache_enabled);

  // Block size a power of two in 512..65536, capacity addressable in bytes.
  static bool valid(const geometry& geo);

  // Minimum size of the data_in scratch passed to execute().
  static constexpr size_t min_data_in_cap = 64 * 1024;

  // Dispatch through the command table: unknown opcode -> 05/20/00, unknown
  // service action or reserved bit set -> 05/24/00 with the exact byte and
  // bit, write to a write-protected LU -> 07/27/00 (or 27/02 under SWP),
  // then the handler.
  outcome execute(const command& cmd, uint8_t* data_in, size_t data_in_cap);

  // After the plan's steps ran. io_result: 0 or -errno of the first failed
  // step; failed_step: its index; buffer: the plan buffer. EIO -> MEDIUM
  // ERROR (read 03/11/00, write or flush 03/0C/00) with the step's first
  // LBA as INFORMATION; ENOSPC/EDQUOT -> 07/27/07; EROFS -> 07/27/00;
  // ECANCELED (io actor gone) -> ABORTED COMMAND 0B/00/00 so the initiator
  // retries; anything else -> 04/44/00. On success: the VERIFY BYTCHK or
  // WRITE AND VERIFY compare (MISCOMPARE 0E/1D/00, INFORMATION = offset of
  // the first differing byte; likewise a failed COMPARE AND WRITE compare
  // step, -io_miscompare), else GOOD with data_in_len = buffer_len
  // for a Data-In plan. transfer_length is carried over from the plan.
  outcome finish(const command& cmd, const outcome& planned, int io_result, uint8_t failed_step,
                 const uint8_t* buffer) const;

  // After a plan with a map_extents step (GET LBA STATUS): the records in
  // `buffer` become the parameter data at its start (LU provider contract,
  // lu_core::finish_mapped). Errors as finish().
  outcome finish_mapped(const command& cmd, const outcome& planned, int io_result, uint8_t failed_step,
                        uint8_t* buffer) const;

  // Row metadata for the framework's precheck and task set (the LU
  // provider contract's command_info), with the extent a medium access
  // command touches.
  static command_info classify(const uint8_t* cdb, size_t len);

  // Current mode parameters, kept by the framework across an LU restart
  // (a recovery is not a reason for the write cache to come back on): the
  // shared ones (mode().wce) and the Control page of each I_T nexus that
  // changed it from the default.
  const mode_state& mode() const { return st_.mode; }
  const std::unordered_map<uint64_t, control_params>& control_by_nexus() const { return control_; }
  void restore_mode(const mode_state& m) { st_.mode.wce = m.wce; }
  void restore_control(uint64_t nexus, control_params c);
  // The nexus ended: its Control page goes back to the default and its
  // PREVENT MEDIUM REMOVAL ends (SBC-3 5.13: I_T nexus loss).
  void forget(uint64_t nexus);
  // LOGICAL UNIT RESET or a hard reset: every prevention ends (SBC-3 5.13).
  void reset();

  // Long operations (SANITIZE, FORMAT UNIT; lu_outcome::long_op): the end
  // of the plan execute() returned, its outcome (the status of a task that
  // waited for it; MEDIUM ERROR 31h/03h or 31h/01h when a step failed) and
  // the durable record; the progress the shell reports after each piece;
  // the durable record of an earlier incarnation (a sanitize that was
  // running or had failed: the failure mode).
  outcome finish_long_op(int io_result);
  void long_op_progress(uint64_t done, uint64_t total);
  void restore_durable(const std::vector<uint8_t>& record);
  bool long_op_running() const { return st_.op.running != long_op_state::kind::none; }
  bool sanitize_failed() const { return st_.op.sanitize_failed; }
  // Removable medium (geometry::removable) loaded; always true otherwise.
  bool medium_present() const { return st_.medium_present; }
  void restore_medium(bool present) { st_.medium_present = present || !st_.geo.removable; }

  bool write_cache() const { return st_.mode.wce; }  // caching page WCE
  // Control page D_SENSE of one I_T nexus.
  bool descriptor_sense(uint64_t nexus) const { return control_of(nexus).d_sense; }
  bool descriptor_sense() const { return st_.defaults.d_sense; }
  bool write_protected(uint64_t nexus = 0) const { return st_.geo.read_only || control_of(nexus).swp; }
  const geometry& geo() const { return st_.geo; }
  const identity& id() const { return st_.id; }

 private:
  control_params control_of(uint64_t nexus) const;
  bool any_swp() const {
    if (st_.defaults.swp) return true;
    for (const auto& [nexus, c] : control_)
      if (c.swp) return true;
    return false;
  }

  lu_state st_;
  // The Control page of each I_T nexus whose values differ from the default
  // (bounded by the nexuses that reach the LU: the framework reports each
  // one's end).
  std::unordered_map<uint64_t, control_params> control_;
};

}  // namespace stmfd::sbd
