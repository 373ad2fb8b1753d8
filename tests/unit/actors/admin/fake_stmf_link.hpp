#pragma once
// A fake framework behind the admin service's stmf_link: it records what the
// service asked of it. No Catch2 here: the fuzz harness
// tests/fuzz/fuzz_admin.cpp uses it too.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actors/admin/stmf_link.hpp"

namespace stmfd::admin::test {

// Records every call; answers with the configured errors.
struct fake_stmf : stmf_link {
  std::vector<mapping> pushed;  // every apply_views
  std::vector<std::string> created, deleted;
  std::vector<std::pair<std::string, bool>> online_calls;
  std::string create_error;  // returned by create_lu when set
  lu_statuses states;

  std::string apply_views(const mapping& m) override {
    pushed.push_back(m);
    return {};
  }
  std::string listing_error;  // when set: what lu_states, ports and alua_groups report (STMF silent)
  lu_statuses lu_states(std::string& error) override {
    error = listing_error;
    return listing_error.empty() ? states : lu_statuses{};
  }
  std::string set_lu_online(const std::string& name, bool online) override {
    online_calls.emplace_back(name, online);
    return {};
  }
  std::string create_lu(const lu_definition& def) override {
    if (!create_error.empty()) return create_error;
    created.push_back(def.name);
    return {};
  }
  std::string delete_lu(const std::string& name) override {
    deleted.push_back(name);
    return {};
  }
  // Sessions: what sessions() answers (those of the asked target) or this
  // error; logout_session records the nexuses it was asked to end.
  session_listing session_list;
  std::string sessions_error = "sessions are not available";
  std::vector<std::string> sessions_asked;
  std::vector<uint64_t> logged_out;
  session_listing sessions(const std::string& target, std::string& error) override {
    sessions_asked.push_back(target);
    error = sessions_error;
    session_listing out;
    for (auto& e : session_list)
      if (target.empty() || e.target == target) out.push_back(e);
    return out;
  }
  bool logout_session(uint64_t nexus, std::string& error) override {
    error = sessions_error;
    for (auto& e : session_list)
      if (e.nexus == nexus) {
        logged_out.push_back(nexus);
        return true;
      }
    return false;
  }
  port_summary_list port_list;  // what ports() answers
  port_summary_list ports(std::string& error) override {
    error = listing_error;
    return listing_error.empty() ? port_list : port_summary_list{};
  }
  port_detail_list details;   // what port_details() answers ...
  std::string details_error;  // ... or this error
  port_detail_list port_details(std::string& error) override {
    error = details_error;
    return details;
  }
  std::vector<std::shared_ptr<const wire::cfg::load_result>> reconfigured;  // every reconfigure_ports
  std::string reconfigure_ports(const config_snapshot& cfg) override {
    reconfigured.push_back(cfg);
    return {};
  }
  std::vector<std::pair<std::string, bool>> target_online_calls;
  std::string set_target_online(const std::string& name, bool online) override {
    target_online_calls.emplace_back(name, online);
    return {};
  }
  // Libraries: what library_elements() answers (every changer alike) and
  // medium() answers, or this error (STMF silent).
  std::vector<library_element> elements;
  medium_state drive_medium;
  std::string library_error;
  std::vector<library_element> library_elements(const std::string&, std::string& error) override {
    error = library_error;
    return library_error.empty() ? elements : std::vector<library_element>{};
  }
  medium_state medium(const std::string&, std::string& error) override {
    error = library_error;
    return library_error.empty() ? drive_medium : medium_state{};
  }
  std::vector<tpg_change> alua_changes;  // every set_alua_state
  tpg_listing alua_groups(std::string& error) override {
    error = listing_error;
    return {};
  }
  std::string set_alua_state(const tpg_change& c) override {
    alua_changes.push_back(c);
    return {};
  }
};

}  // namespace stmfd::admin::test
