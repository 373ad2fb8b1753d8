#pragma once
// Internal to the disk core: the state handlers see and the handler
// signature. Handlers run after the dispatcher validated the CDB against the
// row's usage mask and the write-protect rule; they never re-check reserved
// bits (conventions: commands are data).

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "plugins/lu/common/outcome.hpp"
#include "plugins/lu/sbd/types.hpp"

namespace stmfd::sbd {

// Changeable mode parameters (SPC-4 7.5, SBC-3 6.4) as one I_T nexus sees
// them. The Caching page is shared by every nexus; the Control page is kept
// per I_T nexus (VPD 87h reports the policy): D_SENSE is how that
// initiator parses sense, and one initiator's choice must not change
// another's sense format. SWP so protects the medium from that nexus only.
// Not saved (SP=1 is refused); the framework keeps them across an LU restart.
struct mode_state {
  bool wce = true;       // caching page WCE (shared)
  bool d_sense = false;  // control page D_SENSE: descriptor-format sense (per I_T nexus)
  bool swp = false;      // control page SWP: software write protect (per I_T nexus)
};
// The per-I_T-nexus part of mode_state.
struct control_params {
  bool d_sense = false;
  bool swp = false;
  bool operator==(const control_params&) const = default;
};

// A long operation on the whole medium (SANITIZE SBC-4 4.11, FORMAT UNIT
// SBC-4 5.3; LU provider contract lu_outcome::long_op) and the sanitize
// failure mode (SBC-4 4.11.4), which the LU's durable record keeps.
struct long_op_state {
  enum class kind : uint8_t { none, sanitize, format };
  kind running = kind::none;
  uint16_t progress = 0;         // of the running operation, in 1/65536ths
  bool ause = false;             // the running SANITIZE's AUSE bit
  bool sanitize_failed = false;  // failure mode: medium access gets MEDIUM ERROR 31h/03h
  bool failed_ause = false;      // the failed SANITIZE had AUSE: EXIT FAILURE MODE may end it
  // OVERWRITE: the block each distinct pass repeats (io_step::mem of its
  // write_same steps; stable until the operation's finish()).
  std::vector<uint8_t> pass_block[2];

  // NOT READY, FORMAT / SANITIZE IN PROGRESS with the progress indication.
  scsi::sense_info in_progress() const {
    scsi::sense_info s = scsi::plain(running == kind::format ? scsi::sense::not_ready_format_in_progress()
                                                             : scsi::sense::not_ready_sanitize_in_progress());
    s.progress = progress;
    return s;
  }
  // The durable record (lu_outcome::durable) of a running or failed
  // sanitize: [1, 1 running / 2 failed, AUSE]; empty: nothing to keep.
  std::vector<uint8_t> record() const {
    if (running == kind::sanitize) return {1, 1, uint8_t(ause ? 1 : 0)};
    if (sanitize_failed) return {1, 2, uint8_t(failed_ause ? 1 : 0)};
    return {};
  }
};

struct lu_state {
  identity id;
  geometry geo;
  // Removable medium (geo.removable): loaded or ejected by START STOP UNIT
  // LOEJ; while ejected, medium access answers NOT READY 3Ah/00h.
  bool medium_present = true;
  // I_T nexuses holding PREVENT MEDIUM REMOVAL (SBC-3 5.13): while any
  // does, the medium is neither ejected nor loaded. A nexus's prevention
  // ends with the nexus, every one with a reset.
  std::unordered_set<uint64_t> prevent;
  mode_state mode;      // current values as the nexus of the running command sees them
  mode_state defaults;  // PC=10b values
  long_op_state op;     // SANITIZE / FORMAT UNIT running, sanitize failure mode

  bool write_protected() const { return geo.read_only || mode.swp; }
  uint32_t max_transfer_blocks() const {
    const uint32_t n = geo.max_transfer_bytes / geo.block_size;
    return n ? n : 1;
  }
  // Block Limits VPD values in blocks (0 when not thin where SBC-3 asks).
  uint32_t max_unmap_blocks() const { return geo.thin ? limits::max_unmap_blocks : 0; }
  // WRITE ATOMIC(16) (Block Limits VPD): alignment and granularity one
  // physical block; at most MAXIMUM TRANSFER LENGTH, in whole physical blocks.
  uint32_t atomic_unit() const { return 1u << geo.lbppbe; }
  uint32_t max_atomic_blocks() const {
    const uint32_t n = max_transfer_blocks() / atomic_unit() * atomic_unit();
    return n ? n : atomic_unit();
  }
  uint32_t max_write_same_blocks() const {
    const uint64_t n = limits::max_write_same_bytes / geo.block_size;
    return n ? uint32_t(n) : 1;
  }
};

struct exec_ctx {
  lu_state& lu;
  const command& cmd;
  uint8_t* data_in;  // scratch for small Data-In replies
  size_t data_in_cap;
};

using handler_fn = outcome (*)(exec_ctx&);

using lu_reply::check;
using lu_reply::good;

// Handlers by family, one file each (handlers_*.cpp).
namespace handlers {
// misc: SPC-4 6.47, 6.39, SBC-3 5.25, 5.13, SPC-4 6.35
outcome test_unit_ready(exec_ctx&);
outcome request_sense(exec_ctx&);
outcome start_stop_unit(exec_ctx&);
outcome prevent_allow(exec_ctx&);
outcome report_supported_opcodes(exec_ctx&);
// Rows answered above the LU (REPORT LUNS): reaching the LU is a routing
// bug, reported as HARDWARE ERROR / INTERNAL TARGET FAILURE.
outcome session_layer_only(exec_ctx&);
// inquiry + VPD: SPC-4 6.6, 7.8, SBC-3 6.5
outcome inquiry(exec_ctx&);
// mode pages: SPC-4 6.11-6.14
outcome mode_sense(exec_ctx&);
outcome mode_select(exec_ctx&);
// capacity: SBC-3 5.16, 5.17
outcome read_capacity10(exec_ctx&);
outcome read_capacity16(exec_ctx&);
// rw: SBC-3 5.11-5.14, 5.29-5.32
outcome read(exec_ctx&);
outcome write(exec_ctx&);
// sync + verify: SBC-3 5.22, 5.23, 5.26-5.28, 5.33-5.35
outcome sync_cache(exec_ctx&);
outcome verify(exec_ctx&);
outcome write_verify(exec_ctx&);
// provisioning: SBC-3 5.28 UNMAP, 5.41-5.42 WRITE SAME, 5.5 GET LBA STATUS
outcome unmap(exec_ctx&);
outcome write_same(exec_ctx&);
outcome get_lba_status(exec_ctx&);
// special writes: SBC-3 5.2 COMPARE AND WRITE, 5.8 ORWRITE, 5.9-5.10 PRE-FETCH
outcome compare_and_write(exec_ctx&);
outcome orwrite(exec_ctx&);
outcome prefetch(exec_ctx&);
// third-party copy: SPC-4 6.3 EXTENDED COPY, 6.18 RECEIVE COPY RESULTS,
// answered by the framework's copy manager once the CDB passed the table
outcome third_party_copy(exec_ctx&);
outcome write_atomic(exec_ctx&);
// long operations: SBC-4 5.30 SANITIZE, 5.3 FORMAT UNIT; 5.20-5.21 READ DEFECT DATA
outcome sanitize(exec_ctx&);
outcome format_unit(exec_ctx&);
outcome read_defect_data(exec_ctx&);
}  // namespace handlers

// GET LBA STATUS after its map_extents step: the extent records at the
// plan buffer's step offset become the parameter data at its start
// (handlers_provisioning.cpp).
outcome finish_lba_status(const lu_state& lu, const command& cmd, const outcome& planned, uint8_t* buffer);

}  // namespace stmfd::sbd
