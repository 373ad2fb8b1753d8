#pragma once
// The copy manager of one EXTENDED COPY (SPC-4 5.17, 6.3): an actor STMF
// spawns per operation (actors/stmf/stmf_copy.cpp) once it resolved the
// parameter list's CSCD descriptors to LU actors. It never touches an LU's
// core or backing store: it moves the data with READ(16) and WRITE(16)
// tasks sent to the LUs' shells, on an I_T nexus of its own that carries
// the requesting initiator's port and target port (STMF attached it to
// each target LU), so each command passes the LU's normal precheck
// (reservations, ALUA state, medium, LBA range) as that initiator's would.
//
// Per segment descriptor, in order: the whole segment is checked first
// (targets reachable and of the right type, block lengths, segment length,
// exact segments), then copied in chunks of at most chunk_bytes: one
// READ(16) into a pool buffer, then one WRITE(16) of that same buffer (the
// handle moves from the read task to the write task: no copy, and never
// more than one chunk in memory). Internal commands are HEAD OF QUEUE: the
// EXTENDED COPY itself sits in its LU's task set, and an ORDERED task
// behind it must not hold the copy's own commands (a deadlock).
//
// Errors (the CopyResult the LU shell turns into sense):
//  - a CSCD descriptor ID with no descriptor, a designator no LU of the
//    nexus's views has, an LU not serving: COPY ABORTED 0Dh/02h COPY
//    TARGET DEVICE NOT REACHABLE;
//  - a target that is not a block device: COPY ABORTED 0Dh/03h;
//  - a segment that is not a whole number of both block lengths: COPY
//    ABORTED 26h/0Ah UNEXPECTED INEXACT SEGMENT;
//  - DISK BLOCK LENGTH unlike the LU's, a segment longer than
//    max_segment_length: ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
//    at the field;
//  - a copy target's command that fails (LBA out of range, reservation
//    conflict, medium error, the LU gone): COPY ABORTED 00h/00h. Unit
//    attentions and BUSY / TASK SET FULL are retried a bounded number of
//    times first.
// COPY ABORTED carries the failed segment's number (COMMAND-SPECIFIC
// INFORMATION). The EXTENDED COPY's task aborted: the copy stops before
// its next command.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "wire/scsi/xcopy.hpp"

namespace stmfd {

// One resolved CSCD descriptor (set by STMF).
struct copy_target {
  caf::actor lu;
  uint32_t block_size = 512;
  uint64_t blocks = 0;        // capacity
  bool block_device = false;  // its provider's lu_provider::block_copy_target
};

struct copy_manager_start {
  caf::actor shell;               // the LU shell that received the EXTENDED COPY (progress)
  uint64_t nexus = 0;             // the copy manager's own I_T nexus (attached to every target)
  uint16_t relative_port_id = 0;  // the requester's target port (its ALUA state applies)
  uint16_t target_port_group = 0;
  std::vector<std::optional<copy_target>> cscds;  // by CSCD index; nullopt: not reachable
  std::optional<copy_target> local;               // CSCD descriptor ID FFFFh
};

class copy_manager : public caf::event_based_actor {
 public:
  static constexpr uint32_t chunk_bytes = 1u << 20;
  copy_manager(caf::actor_config& cfg, copy_manager_start start);
  caf::behavior make_behavior() override;
  const char* name() const override { return "copy_manager"; }
  // A copy manager that fails (a bug, the copy_command fault point) still
  // answers its EXTENDED COPY: the LU shell gets an error and reports
  // CHECK CONDITION instead of waiting for ever.
  void on_exit() override;

 private:
  struct failure {
    uint8_t status, key, asc, ascq;
    int32_t segment = -1, field = -1;
  };
  void begin(const copy_request& req, task_ptr ec);
  std::optional<failure> check_segment(size_t i) const;
  uint64_t segment_bytes(size_t i) const;
  const copy_target* target(uint16_t id) const;
  uint32_t block_length(uint16_t id) const;
  void next();             // reads the next chunk, moving on to the next segment when this one is done
  void issue(bool write);  // the READ(16) of the chunk, or the WRITE(16) of chunk_buf_
  void on_done(task_ptr t);
  void retry_or_fail(const task_ptr& t);
  void finish(std::optional<failure> f);

  copy_manager_start st_;
  caf::response_promise rp_;
  uint64_t token_ = 0;
  task_ptr ec_;  // the EXTENDED COPY (its aborted flag)
  scsi::xcopy::parameter_list list_;
  std::shared_ptr<task_pool> pool_;
  size_t seg_ = 0;
  uint64_t seg_done_ = 0, total_ = 0;  // bytes of this segment written, of every segment
  io::buffer chunk_buf_;               // the chunk read, between its read and its write
  uint32_t chunk_ = 0;
  task_ptr inflight_;  // the command at a target LU
  bool writing_ = false;
  uint32_t retries_ = 0;
  uint32_t next_tag_ = 1;
  bool done_ = false;

 public:
  ~copy_manager() override;
};

}  // namespace stmfd
