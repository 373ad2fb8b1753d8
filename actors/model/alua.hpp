#pragma once
// Asymmetric logical unit access (SPC-4 5.15), the framework's model. As in
// COMSTAR, ALUA belongs to STMF, not to the LU provider: every LU kind gets
// it. Each local port belongs to one target port group (1..65535; iSCSI:
// Target.targetPortGroup, FC: FcPort.targetPortGroup). Each group has an
// asymmetric access state for all LUs and may override it for single LUs.
//
// Who changes states:
//  - the config (targetPortGroups) at start;
//  - the admin plane (stmfadm set-alua-state: implicit transitions, SPC-4
//    5.15.2.2), persisted to the config file;
//  - initiators with SET TARGET PORT GROUPS (explicit transitions), for the
//    LU that received it; kept while the daemon runs, never written to the
//    config file.
// A config without targetPortGroups keeps the behaviour from before ALUA:
// every group any port names is active/optimized.
//
// Pure: STMF owns one target_port_groups; each LU shell gets an lu_access
// (its LU's state in every group) and checks commands with access_check.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "actors/contracts/port_identity.hpp"
#include "wire/config.capnp.h"
#include "wire/scsi/alua.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

using scsi::alua::access_state;

// One entry of the config's targetPortGroups (set by the framework from
// the config; changed by the admin plane and by STPG).
struct tpg_definition {
  uint16_t id = 1;
  std::string name;  // may be empty
  access_state state = access_state::active_optimized;
  // Per-LU overrides of `state`, by LU name.
  std::map<std::string, access_state> lu_states;
  // The overrides STPG made (runtime only: never persisted).
  std::map<std::string, access_state> stpg_states;
};

// One LU's view: its state in each group, what the LU shell checks and
// REPORT TARGET PORT GROUPS reports.
struct lu_access {
  struct entry {
    uint16_t group = 0;
    access_state state = access_state::active_optimized;
  };
  std::vector<entry> groups;  // ascending by group
  // The state of `group` for this LU; a group the model does not list is
  // active/optimized (configs without targetPortGroups).
  access_state state_of(uint16_t group) const;
  // Sets one group's state, adding the group when missing.
  void set(uint16_t group, access_state s);
};

class target_port_groups {
 public:
  target_port_groups() = default;
  explicit target_port_groups(std::vector<tpg_definition> groups);

  const std::vector<tpg_definition>& groups() const { return groups_; }
  const tpg_definition* find(uint16_t id) const;
  // Admin (implicit transition). lu empty: the group's state for every LU
  // (its per-LU overrides, also STPG's, are dropped); else only that LU's.
  // A group the model does not list is added (it is in use by a port when
  // the caller asks). Returns an error sentence, empty on success.
  std::string set_state(uint16_t group, access_state s, const std::string& lu);
  // STPG through LU `lu` (explicit transition): that LU's state in the group.
  void set_by_stpg(uint16_t group, const std::string& lu, access_state s);
  // A deleted LU's overrides go with it.
  void forget_lu(const std::string& lu);
  // LU `lu`'s state in each of `port_groups` (the groups the local ports
  // name) and in every listed group.
  lu_access view_for(const std::string& lu, const std::vector<uint16_t>& port_groups) const;

 private:
  tpg_definition& slot(uint16_t id);
  std::vector<tpg_definition> groups_;  // ascending by id
};

// Port state over the configured states (SPC-4 5.15.2.4.7, offline: the
// target ports of the group cannot serve, e.g. the port is down). A group
// every one of whose local ports in `ports` is down (local_port::online
// false: itadm offline-target; or local_port::link_up false: a provider
// that lost its link, e.g. an FC port whose FCoE interface is down) is
// offline in `v`, whatever the model says; a group with a port up keeps
// its state. When the port comes back the model's state returns. Applied
// by STMF to every view it gives an LU, so the LU posts 2Ah/06h to its
// nexuses (the other ports') on each change.
void apply_port_states(lu_access& v, const std::vector<local_port>& ports);

// The groups of a loaded config (wire/config.capnp targetPortGroups), and
// the groups its ports name (targets, FC ports), ascending, each once.
target_port_groups alua_from_config(wire::cfg::Config::Reader cfg);
std::vector<uint16_t> port_groups_of(wire::cfg::Config::Reader cfg);

// The generic precheck's ALUA part (SPC-4 5.15.2.4): the sense a command
// gets through a port whose group is in state `s` for the LU, or nullopt
// when it runs. Active states run everything; standby the rows flagged
// allowed_on_standby (NOT READY 04h/0Bh otherwise); unavailable those
// flagged allowed_on_unavailable (04h/0Ch); transitioning those flagged
// allowed_on_transitioning (04h/0Ah); offline the same as transitioning
// (04h/12h). Unknown commands pass (the provider answers INVALID OPERATION
// CODE).
std::optional<scsi::sense_code> access_check(access_state s, const command_info& info);

}  // namespace stmfd
