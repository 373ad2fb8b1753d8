#pragma once
// What the admin service needs from the running framework, as an interface
// so the service's request handling is tested without actors. The daemon's
// implementation (caf_stmf_link) sends STMF the messages of
// actors/stmf/stmf_admin.hpp and waits for the answers on the admin
// thread, never on a CAF worker: the data path never waits for the admin
// plane. Errors are one sentence; empty means done.
#include <string>
#include <vector>

#include "actors/common/fwd.hpp"
#include "actors/contracts/port_provider.hpp"
#include "actors/stmf/stmf_admin.hpp"
#include "actors/stmf/stmf_stats.hpp"

namespace stmfd::admin {

// One LU's state as STMF reports it (its LuStateList message, read out).
struct lu_status {
  std::string name;
  lu_state state = lu_state::offline;
  std::string reason;  // why it is not online; empty when online
};
using lu_statuses = std::vector<lu_status>;

class stmf_link {
 public:
  virtual ~stmf_link() = default;
  virtual std::string apply_views(const mapping& m) = 0;
  // The listings below set `error` (one sentence) when STMF did not answer
  // and return nothing then: "no LUs/ports/groups" and "the daemon cannot
  // tell" are different answers to an admin (stmfadm exits non-zero).
  virtual lu_statuses lu_states(std::string& error) = 0;
  virtual std::string set_lu_online(const std::string& name, bool online) = 0;
  virtual std::string create_lu(const lu_definition& def) = 0;
  virtual std::string delete_lu(const std::string& name) = 0;
  virtual port_summary_list ports(std::string& error) = 0;
  // ALUA (stmf_admin.hpp: alua_atom): the groups with their states and
  // ports; an implicit transition.
  virtual tpg_listing alua_groups(std::string& error) = 0;
  virtual std::string set_alua_state(const tpg_change& c) = 0;
  // modify_lu_atom (stmf_admin.hpp). Links that cannot do it say so.
  virtual std::string modify_lu(const lu_definition&) { return "modify-lu is not served here"; }
  // itadm's live changes (stmf_admin.hpp: ports_atom, target_online_atom).
  virtual std::string reconfigure_ports(const config_snapshot&) { return "live target changes are not served here"; }
  virtual std::string set_target_online(const std::string&, bool) { return "online-target is not served here"; }
  // Statistics (actors/stmf/stmf_stats.hpp); `error` set when STMF did not answer.
  virtual stats_list statistics(std::string& error) {
    error = "statistics are not available";
    return {};
  }
  // Issue 8 (stmf_admin.hpp library_atom, medium_atom): a library change
  // through its changer LU; the changer's element map (empty when it is
  // not online); a drive LU's medium (all false when it is not online).
  // The two queries set `error` when STMF did not answer (an offline
  // changer or drive is an answer: no error then).
  virtual library_change_result change_library(const std::string& changer, const library_change&) {
    return {library_change_result::code::conflict, "library changes are not served here (" + changer + ")",
            std::nullopt};
  }
  virtual std::vector<library_element> library_elements(const std::string&, std::string& error) {
    error = "library maps are not available";
    return {};
  }
  virtual medium_state medium(const std::string&, std::string& error) {
    error = "drive states are not available";
    return {};
  }
  // The port providers' details (stmf_admin.hpp: port_detail_atom);
  // `error` set when STMF did not answer.
  virtual port_detail_list port_details(std::string& error) {
    error = "port details are not available";
    return {};
  }
  // Sessions (stmf_admin.hpp: session_detail_atom, session_logout_atom):
  // the registered nexuses (of `target`; empty: all) with their details;
  // a forced logout, false when there is no such nexus. `error` set when
  // STMF did not answer.
  virtual session_listing sessions(const std::string&, std::string& error) {
    error = "sessions are not available";
    return {};
  }
  virtual bool logout_session(uint64_t, std::string& error) {
    error = "logout-session is not served here";
    return false;
  }
};

}  // namespace stmfd::admin
