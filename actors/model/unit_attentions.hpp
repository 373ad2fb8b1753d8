#pragma once
// Per-I_T-nexus unit attention conditions of one LU (SAM-5 5.14, SPC-4
// 5.14). Pure bookkeeping: the LU shell posts conditions when events happen
// and takes the next one when a command arrives that reports it.
//
// Rules:
//  - power_on(): every nexus, including ones first seen later, gets
//    POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h) once; it
//    discards conditions established before it.
//  - A reset-class condition (ASC 29h) posted to a nexus discards the
//    conditions queued for it before (the state they reported was reset).
//  - Otherwise conditions are reported oldest first; posting one already
//    queued for the nexus does not queue it twice.
//  - post_all() reaches the nexuses known at that moment (seen by post,
//    take or attach), not later ones.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "wire/scsi/sense.hpp"

namespace stmfd {

class unit_attentions {
 public:
  // Conditions queued per nexus beyond this are dropped (newest lost); the
  // distinct conditions an LU can raise are far fewer.
  static constexpr size_t max_queued = 16;

  void attach(uint64_t nexus);  // the nexus exists (logged in / mapped)
  void detach(uint64_t nexus);  // I_T nexus gone: forget its conditions

  void post_all(scsi::sense_code c);
  void post_all_except(uint64_t nexus, scsi::sense_code c);  // e.g. MODE PARAMETERS CHANGED
  void post(uint64_t nexus, scsi::sense_code c);
  void power_on();

  std::optional<scsi::sense_code> peek(uint64_t nexus) const;
  std::optional<scsi::sense_code> take(uint64_t nexus);
  // Removes one condition without reporting it (REPORT LUNS clears
  // REPORTED LUNS DATA HAS CHANGED on its nexus, SPC-4 6.33).
  void clear(uint64_t nexus, scsi::sense_code c);

 private:
  struct nexus_state {
    uint64_t power_on_seen = 0;  // generation of the last power-on reported
    std::vector<scsi::sense_code> queue;
  };
  nexus_state& state(uint64_t nexus);
  static void enqueue(nexus_state& s, scsi::sense_code c);

  std::unordered_map<uint64_t, nexus_state> nexus_;
  uint64_t power_on_gen_ = 0;  // 0: no power-on condition established yet
};

}  // namespace stmfd
