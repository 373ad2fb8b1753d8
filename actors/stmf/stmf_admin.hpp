#pragma once
// The messages the admin plane (actors/admin) sends STMF to change the
// running framework, and their answers. Every request is answered; an error
// is one sentence, empty on success. STMF applies each at once, between
// two other messages: sessions are never dropped by a change.
//
//   (views_atom, mapping) -> bool
//       Replace the LUN mapping. Every registered nexus whose inventory
//       changes gets the new one (luns_atom to its session host), is
//       attached to LUs it can reach now and detached from LUs it cannot,
//       and every LU of its new inventory establishes REPORTED LUNS DATA
//       HAS CHANGED (3Fh/0Eh, SPC-4 5.14) for it. Always true.
//   (lu_online_atom, name, bool online) -> std::string
//       Offline: the LU's actor stops, its sessions get a null actor (its
//       commands answer NOT READY), nothing is retried. Online: started
//       again (POWER ON to every nexus). Idempotent.
//   (create_lu_atom, lu_definition) -> std::string
//       Opens (creates) the backing store and starts the LU; an LU whose
//       store cannot be opened is not kept (the error says why).
//   (delete_lu_atom, name) -> std::string
//       Stops the LU and forgets it (its views must be gone already).
//   (modify_lu_atom, lu_definition) -> std::string
//       sbdadm modify-lu: the LU of that name takes the new definition
//       (size, write cache, read-only, vendor, product). A larger size grows
//       the backing store first (a file: extended, thick ones allocated);
//       a smaller one, another backing, block size or identity is refused.
//       The LU's actor restarts on the new definition without dropping a
//       session (its commands wait or answer NOT READY meanwhile) and every
//       nexus gets CAPACITY DATA HAS CHANGED (2Ah/09h) after a grow, MODE
//       PARAMETERS CHANGED (2Ah/01h) after a write-cache change, INQUIRY
//       DATA HAS CHANGED (3Fh/03h) after a vendor/product/read-only change.
//   (get_atom, ports_atom) -> port_summary_list: the local ports.
//   (get_atom, port_detail_atom) -> port_detail_list: what the providers
//       that answer port details (port_provider.hpp) report of their local
//       and remote ports now, in provider order; a provider that does not
//       answer within 5 s is left out.
//   (ports_atom, config_snapshot) -> std::string
//       itadm's live changes (targets, portal groups, initiator records,
//       defaults), stmf_targets.cpp: every port provider that takes live
//       changes rebuilds its definitions from the committed config
//       (port_provider::reconfigure); its running actor is told
//       (port_provider::update): new portals listen, removed ones close,
//       sessions of deleted targets are logged out, the others stay.
//   (target_online_atom, name, bool online) -> std::string
//       stmfadm online-target / offline-target: the port's
//       local_port::online; an offline port's sessions are logged out and
//       its logins refused until it is online again. Runtime only.
//   (alua_atom, tpg_change) -> std::string
//       An implicit ALUA transition (SPC-4 5.15.2.2): the group's state for
//       every LU (its per-LU states dropped) or for one LU. Every LU whose
//       state in the group changed establishes ASYMMETRIC ACCESS STATE
//       CHANGED (2Ah/06h) for every nexus. Errors: no such group (neither
//       a port's nor listed in the config), no such LU.
//   (get_atom, alua_atom) -> tpg_listing: every target port group (those
//       the config lists and those ports name), ascending, with its ports.
//   Issue 8 (stmf_library.cpp; lu_provider.hpp library_change):
//   (library_atom, changer LU name, library_change) -> library_change_result
//       The changer LU checks the change against its element map and
//       applies it (persisted, its unit attention posted to every nexus);
//       on ok STMF's copy of its definition follows. Not online: conflict.
//   (get_atom, library_atom, changer LU name) -> std::vector<library_element>
//       The changer's element map (empty when it is not online).
//   (get_atom, medium_atom, drive LU name) -> medium_state (all false when
//       it is not online).
//   Sessions (stmf_sessions.cpp; the provider side is
//   actors/contracts/session_detail.hpp):
//   (get_atom, session_detail_atom, target name) -> session_listing
//       Every registered I_T nexus (of that target; empty name: of every
//       target), ascending by nexus id, with what its nexus actor reports
//       (asked at once, 2 s to answer; `detailed` false for one that did
//       not answer).
//   (session_logout_atom, nexus) -> bool
//       Asks that nexus's actor to end it (session_logout_atom); false: no
//       such nexus. The nexus ends later, when its actor deregisters it.
//
// STMF -> session host (the port's nexus actor): (luns_atom, lun_map) the
// nexus's new inventory; the host passes it to nexus_session::set_luns.
// STMF -> LU: (luns_atom, nexus) establish 3Fh/0Eh for that nexus.
#include <cstdint>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/common/fwd.hpp"
#include "actors/contracts/lu_provider.hpp"
#include "actors/contracts/port_identity.hpp"
#include "actors/contracts/session_detail.hpp"
#include "actors/model/alua.hpp"
#include "actors/model/mapping.hpp"
#include "wire/config/loader.hpp"

namespace stmfd {

using views_atom = caf::atom_constant<caf::atom("views")>;
using lu_online_atom = caf::atom_constant<caf::atom("lu_online")>;
using create_lu_atom = caf::atom_constant<caf::atom("create_lu")>;
using delete_lu_atom = caf::atom_constant<caf::atom("delete_lu")>;
using ports_atom = caf::atom_constant<caf::atom("ports")>;
using modify_lu_atom = caf::atom_constant<caf::atom("modify_lu")>;
using target_online_atom = caf::atom_constant<caf::atom("tgt_online")>;

// A committed configuration as the admin plane hands it to STMF (shared,
// read-only: STMF reads it while handling the one message).
using config_snapshot = std::shared_ptr<const wire::cfg::load_result>;

// One local port as the admin plane lists it (stmfadm list-target -v).
struct port_summary {
  local_port port;
  uint32_t sessions = 0;                // nexuses registered through it
  std::vector<std::string> initiators;  // their initiator port names
};
using port_summary_list = std::vector<port_summary>;

// An admin change of an ALUA state (stmfadm set-alua-state).
struct tpg_change {
  uint16_t group = 0;
  access_state state = access_state::active_optimized;
  std::string lu;  // empty: every LU
};
// One target port group as the admin plane lists it (stmfadm list-tpg-alua):
// its definition (states now, STPG's included) and its ports.
struct tpg_info {
  tpg_definition def;
  std::vector<local_port> ports;
};
using tpg_listing = std::vector<tpg_info>;

// One registered I_T nexus as the admin plane lists it (stmfadm
// list-session). STMF sets every field but `detail`, which is the nexus
// actor's answer (`detailed` true) or empty.
struct session_listing_entry {
  uint64_t nexus = 0;
  remote_port initiator;
  std::string target;  // its local port's target name
  uint16_t relative_port_id = 0;
  std::vector<uint16_t> luns;  // its inventory, ascending
  bool detailed = false;
  session_detail detail;
};
using session_listing = std::vector<session_listing_entry>;

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::tpg_change)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::tpg_listing)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::session_listing)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::mapping)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lu_definition)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::port_summary_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::library_change)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::library_change_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<stmfd::library_element>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::config_snapshot)
