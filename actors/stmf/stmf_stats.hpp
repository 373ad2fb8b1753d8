#pragma once
// STMF's statistics query (issue 6, wire/admin.capnp `statistics`):
//
//   (get_atom, stats_atom) -> stats_list
//       Every LU's, every target port's and every live session's counters
//       (actors/common/io_counters.hpp), read from the blocks their writers
//       (LU shell, session layer) update; no message goes to the data path.
//
// A target port's counters are the sum of its sessions': the live ones and
// every one that ended since the daemon started (their last values are
// added to the port's total when the nexus ends). An LU's counters survive
// its restarts (STMF keeps the block) and go when it is deleted.
#include <cstdint>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actors/common/io_counters.hpp"

namespace stmfd {

struct stats_entry {
  enum class kind : uint8_t { lu, target_port, session };
  kind what = kind::lu;
  std::string name;               // LU name; target name (ports, sessions)
  uint16_t relative_port_id = 0;  // ports and sessions
  uint64_t nexus = 0;             // sessions
  std::string initiator;          // sessions: the initiator port name (iSCSI "<name>,i,0x<ISID>")
  io_snapshot counters;
};
using stats_list = std::vector<stats_entry>;

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::stats_list)
