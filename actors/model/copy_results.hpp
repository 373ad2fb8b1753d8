#pragma once
// What an LU's copy manager remembers about EXTENDED COPY operations for
// RECEIVE COPY RESULTS (SPC-4 5.17.3, 6.18): per I_T nexus and list
// identifier, the operation's state, the segments it processed, the bytes
// it moved and, when it failed, the sense data it ended with. Pure
// bookkeeping kept by the LU shell (actors/lu/lu_copy.cpp).
//
// Rules:
//  - begin() refuses a list identifier that an operation of the same nexus
//    still uses (OPERATION IN PROGRESS, SPC-4 6.3.1), and any operation
//    beyond the concurrency limits; an operation with LIST ID USAGE 11b is
//    counted but never reported (it has no identifier);
//  - list identifiers are four bytes (EXTENDED COPY(LID4)); LID1's
//    one-byte identifiers are the first 256 of the same namespace;
//  - a finished operation stays until its results are retrieved (COPY
//    STATUS of a successful one, FAILED SEGMENT DETAILS of a failed one,
//    RECEIVE COPY STATUS(LID4) of either: it carries the sense data),
//    a new operation reuses its identifier, or the nexus ends; at most
//    max_held finished ones per nexus, the oldest dropped first;
//  - LIST ID USAGE 10b operations are reported while they run and dropped
//    when they end (no held data).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "wire/scsi/xcopy.hpp"

namespace stmfd {

class copy_results {
 public:
  static constexpr size_t max_held = 32;

  enum class admit : uint8_t { ok, in_use, too_many };
  // A new operation of `nexus`; `token` identifies it in later calls.
  admit begin(uint64_t nexus, uint32_t list_id, scsi::xcopy::list_id_usage usage, uint64_t token);
  // Progress while it runs (COPY STATUS reports it).
  void progress(uint64_t token, uint16_t segments, uint64_t bytes);
  // It ended: GOOD (sense empty), with the given sense bytes (CHECK
  // CONDITION), or with one byte: the status it ended with, without sense
  // (TASK ABORTED, BUSY).
  void finish(uint64_t token, uint16_t segments, uint64_t bytes, std::vector<uint8_t> sense);

  // COPY STATUS: nullopt when the nexus has no operation with that list id.
  std::optional<scsi::xcopy::copy_status> status(uint64_t nexus, uint32_t list_id);
  // RECEIVE COPY STATUS(LID4): the status, and once finished the SAM-5
  // status the EXTENDED COPY ended with and its sense data; reporting a
  // finished operation releases it.
  struct lid4_status {
    scsi::xcopy::copy_status s;
    uint8_t completion_status = 0;  // GOOD, CHECK CONDITION, TASK ABORTED
    std::vector<uint8_t> sense;
  };
  std::optional<lid4_status> status_lid4(uint64_t nexus, uint32_t list_id);
  // FAILED SEGMENT DETAILS of a finished operation (nullopt: none finished
  // with that list id). failed: it ended in error; sense: what it ended with.
  struct details {
    bool failed = false;
    std::vector<uint8_t> sense;
  };
  std::optional<details> failed_segment(uint64_t nexus, uint32_t list_id);

  void forget(uint64_t nexus);
  size_t running() const { return running_; }

 private:
  struct op {
    uint64_t token = 0;
    uint32_t list_id = 0;
    scsi::xcopy::list_id_usage usage = scsi::xcopy::list_id_usage::hold;
    bool done = false;
    uint16_t segments = 0;
    uint64_t bytes = 0;
    std::vector<uint8_t> sense;  // empty: no error
  };
  op* find(uint64_t nexus, uint32_t list_id);
  void erase(uint64_t nexus, const op* o);
  void drop_finished_beyond_limit(std::vector<op>& ops);

  std::unordered_map<uint64_t, std::vector<op>> by_nexus_;  // oldest first
  std::unordered_map<uint64_t, uint64_t> nexus_of_;         // token -> nexus, while it runs
  size_t running_ = 0;
};

}  // namespace stmfd
