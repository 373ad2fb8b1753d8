#pragma once
// The daemon's stmf_link: each call is a request to the STMF actor from a
// scoped actor on the calling (admin) thread, waiting at most 10 s. STMF
// handles it between two other messages; CAF workers never wait for it.
#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/admin/stmf_link.hpp"

namespace stmfd::admin {

class caf_stmf_link : public stmf_link {
 public:
  caf_stmf_link(caf::actor_system& sys, caf::actor stmf) : sys_(sys), stmf_(std::move(stmf)) {}
  std::string apply_views(const mapping& m) override;
  lu_statuses lu_states(std::string& error) override;
  std::string set_lu_online(const std::string& name, bool online) override;
  std::string create_lu(const lu_definition& def) override;
  std::string delete_lu(const std::string& name) override;
  port_summary_list ports(std::string& error) override;
  tpg_listing alua_groups(std::string& error) override;
  std::string set_alua_state(const tpg_change& c) override;
  std::string modify_lu(const lu_definition& def) override;
  stats_list statistics(std::string& error) override;
  library_change_result change_library(const std::string& changer, const library_change& c) override;
  std::vector<library_element> library_elements(const std::string& changer, std::string& error) override;
  medium_state medium(const std::string& drive, std::string& error) override;
  port_detail_list port_details(std::string& error) override;
  session_listing sessions(const std::string& target, std::string& error) override;
  bool logout_session(uint64_t nexus, std::string& error) override;
  std::string reconfigure_ports(const config_snapshot& cfg) override;
  std::string set_target_online(const std::string& name, bool online) override;

 private:
  caf::actor_system& sys_;
  caf::actor stmf_;
};

}  // namespace stmfd::admin
