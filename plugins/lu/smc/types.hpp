#pragma once
// Internal to the media changer core (SMC-3 medium changer device): the
// state handlers see, the handler signature, and the move a command has
// in flight. Handlers run after the dispatcher validated the CDB against
// the row's usage mask; they never re-check reserved bits.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "plugins/lu/common/outcome.hpp"
#include "plugins/lu/smc/element_map.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::smc {

using outcome = lu_outcome;
using command = lu_command;

// A MOVE MEDIUM or EXCHANGE MEDIUM waiting for its drive operations
// (lu_outcome::drive_ops).
struct pending_move {
  bool active = false;
  uint16_t source = 0;
  uint16_t destination = 0;
  bool exchange = false;            // EXCHANGE MEDIUM: ...
  uint16_t second_destination = 0;  // ... where the first destination's medium goes
};

// The element map the changer kept for an earlier library definition
// (changer_persist.cpp): encoded, with that definition's digest.
struct earlier_map {
  uint64_t digest = 0;
  std::vector<uint8_t> text;  // element_map::encode()
};

struct changer_state {
  lu_identity id;
  std::shared_ptr<const library_definition> library;
  element_map map;
  // definition_digest(*library), and the map of the definition before the
  // last administrator's change (kept until the next restart: a crash
  // before the config file took the change restarts with that map).
  uint64_t digest = 0;
  std::optional<earlier_map> previous;
  // SPC-4 6.17 / SMC-3 6.13: the I_T nexuses holding PREVENT (the
  // import/export elements stay closed while any does).
  std::set<uint64_t> preventing;
  bool d_sense = false;
  pending_move pending;
};

struct exec_ctx {
  changer_state& st;
  const command& cmd;
  uint8_t* data_in;  // scratch for Data-In replies
  size_t data_in_cap;
};

using handler_fn = outcome (*)(exec_ctx&);

using lu_reply::check;
using lu_reply::good;

// Handlers by family, one file each (handlers_*.cpp).
namespace handlers {
// misc: SPC-4 6.47, 6.39, 6.17, 6.35; SPC-4 6.6 INQUIRY with SMC-3 VPD pages
outcome test_unit_ready(exec_ctx&);
outcome request_sense(exec_ctx&);
outcome prevent_allow(exec_ctx&);
outcome report_supported_opcodes(exec_ctx&);
outcome session_layer_only(exec_ctx&);
outcome inquiry(exec_ctx&);
// mode pages: SPC-4 6.11/6.12, SMC-3 7.3
outcome mode_sense(exec_ctx&);
// elements: SMC-3 6.10 READ ELEMENT STATUS
outcome read_element_status(exec_ctx&);
// moves: SMC-3 6.9 MOVE MEDIUM, 6.2 EXCHANGE MEDIUM, 6.5/6.6 INITIALIZE ELEMENT STATUS (WITH
// RANGE), 6.8 POSITION TO ELEMENT
outcome move_medium(exec_ctx&);
outcome exchange_medium(exec_ctx&);  // SMC-3 6.2
outcome finish_move(exec_ctx&, int io_result);
outcome initialize_element_status(exec_ctx&);
outcome initialize_element_status_range(exec_ctx&);
outcome position_to_element(exec_ctx&);
}  // namespace handlers

}  // namespace stmfd::smc
