#pragma once
// Messages private to the FC port provider: between a local port actor and
// its remote port actors, and their state for tests.
#include <cstdint>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "wire/fc/frame.hpp"

namespace stmfd::fc {

// HBA -> local port actor (anon): its receive or completion queue has
// entries, or its link changed state.
using hba_wake_atom = caf::atom_constant<caf::atom("fc_wake")>;
// local port actor -> itself: look for the HBA again.
using open_atom = caf::atom_constant<caf::atom("fc_open")>;
// local port actor -> remote port actor: (frame_atom, frame) one frame the
// remote port sent (PRLI/PRLO, FCP IUs, ABTS).
using frame_atom = caf::atom_constant<caf::atom("fc_frame")>;
// remote port actor -> itself: the HBA was busy, send what waits again.
using flush_atom = caf::atom_constant<caf::atom("fc_flush")>;
// FCoE HBA -> its driver actor (anon): the transmit queue has frames.
using fcoe_tx_atom = caf::atom_constant<caf::atom("fcoe_tx")>;
// FCoE driver actor -> itself: (fcoe_tick_atom, seq) run the VN2VN timers
// (only the latest seq counts); fcoe_check_atom: read the interface's state.
using fcoe_tick_atom = caf::atom_constant<caf::atom("fcoe_tick")>;
using fcoe_check_atom = caf::atom_constant<caf::atom("fcoe_chk")>;
// remote port actor -> its local port actor: (rport_nexus_atom, nexus) the
// I_T nexus it registered with STMF at PRLI, or 0 when that nexus ended
// (the local port lists it: get_atom, port_detail_atom).
using rport_nexus_atom = caf::atom_constant<caf::atom("fc_nexus")>;
// (get_atom, rports_atom) -> port_stats from a local port actor (tests).
using rports_atom = caf::atom_constant<caf::atom("fc_rports")>;

struct port_stats {
  bool link_up = false;
  uint32_t port_id = 0;
  uint32_t rports = 0;   // remote ports logged in (PLOGI)
  uint64_t dropped = 0;  // frames dropped as malformed or unexpected
};

}  // namespace stmfd::fc

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::fc::frame)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::fc::port_stats)
