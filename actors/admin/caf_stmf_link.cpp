#include "actors/admin/caf_stmf_link.hpp"

#include <chrono>
#include <thread>

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/messages.hpp"

namespace stmfd::admin {
namespace {

constexpr auto timeout = std::chrono::seconds(10);

// The admin_call fault point: a delayed call waits before it asks; a
// crashed one fails as if STMF had not answered. Returns the failure text.
std::string admin_fault() {
  auto f = faults::fire(faults::point::admin_call);
  if (f.act == faults::action::delay) std::this_thread::sleep_for(std::chrono::milliseconds(f.ms));
  return f.act == faults::action::crash ? "the framework did not answer: fault injected: admin.call" : "";
}

// Sends the request and returns STMF's answer, or `on_error` built from
// the error (timeout, STMF gone).
template <class T, class... Ts>
T ask(caf::actor_system& sys, const caf::actor& stmf, std::function<T(const std::string&)> on_error, Ts&&... xs) {
  if (auto e = admin_fault(); !e.empty()) return on_error(e);
  caf::scoped_actor self{sys};
  T out{};
  self->request(stmf, timeout, std::forward<Ts>(xs)...)
      .receive([&](T& r) { out = std::move(r); },
               [&](caf::error& e) { out = on_error("the framework did not answer: " + to_string(e)); });
  return out;
}

std::string as_error(const std::string& s) { return s; }

// ask() for the queries that report STMF's silence through `error` (one
// sentence) and answer an empty T then.
template <class T, class... Ts>
T ask_reporting(caf::actor_system& sys, const caf::actor& stmf, std::string& error, Ts&&... xs) {
  return ask<T>(
      sys, stmf,
      [&](const std::string& e) {
        error = e;
        return T{};
      },
      std::forward<Ts>(xs)...);
}

}  // namespace

std::string caf_stmf_link::apply_views(const mapping& m) {
  if (auto e = admin_fault(); !e.empty()) return e;
  caf::scoped_actor self{sys_};
  std::string out;
  self->request(stmf_, timeout, views_atom::value, m)
      .receive([](bool) {}, [&](caf::error& e) { out = "the framework did not answer: " + to_string(e); });
  return out;
}

lu_statuses caf_stmf_link::lu_states(std::string& error) {
  auto msg = ask_reporting<lu_state_list>(sys_, stmf_, error, get_atom::value, lu_state_atom::value);
  lu_statuses out;
  if (!msg) return out;
  for (auto e : msg.get().getLus())
    out.push_back({e.getLuName(), from_wire(e.getState()).value_or(lu_state::failed), e.getReason()});
  return out;
}

std::string caf_stmf_link::set_lu_online(const std::string& name, bool online) {
  return ask<std::string>(sys_, stmf_, as_error, lu_online_atom::value, name, online);
}

std::string caf_stmf_link::create_lu(const lu_definition& def) {
  return ask<std::string>(sys_, stmf_, as_error, create_lu_atom::value, def);
}

std::string caf_stmf_link::delete_lu(const std::string& name) {
  return ask<std::string>(sys_, stmf_, as_error, delete_lu_atom::value, name);
}

std::string caf_stmf_link::modify_lu(const lu_definition& def) {
  return ask<std::string>(sys_, stmf_, as_error, modify_lu_atom::value, def);
}

port_summary_list caf_stmf_link::ports(std::string& error) {
  return ask_reporting<port_summary_list>(sys_, stmf_, error, get_atom::value, ports_atom::value);
}

tpg_listing caf_stmf_link::alua_groups(std::string& error) {
  return ask_reporting<tpg_listing>(sys_, stmf_, error, get_atom::value, alua_atom::value);
}

std::string caf_stmf_link::set_alua_state(const tpg_change& c) {
  return ask<std::string>(sys_, stmf_, as_error, alua_atom::value, c);
}

std::string caf_stmf_link::reconfigure_ports(const config_snapshot& cfg) {
  return ask<std::string>(sys_, stmf_, as_error, ports_atom::value, cfg);
}

std::string caf_stmf_link::set_target_online(const std::string& name, bool online) {
  return ask<std::string>(sys_, stmf_, as_error, target_online_atom::value, name, online);
}

stats_list caf_stmf_link::statistics(std::string& error) {
  return ask_reporting<stats_list>(sys_, stmf_, error, get_atom::value, stats_atom::value);
}

library_change_result caf_stmf_link::change_library(const std::string& changer, const library_change& c) {
  return ask<library_change_result>(
      sys_, stmf_,
      [](const std::string& e) {
        return library_change_result{library_change_result::code::conflict, e, std::nullopt};
      },
      library_atom::value, changer, c);
}

std::vector<library_element> caf_stmf_link::library_elements(const std::string& changer, std::string& error) {
  return ask_reporting<std::vector<library_element>>(sys_, stmf_, error, get_atom::value, library_atom::value, changer);
}

medium_state caf_stmf_link::medium(const std::string& drive, std::string& error) {
  return ask_reporting<medium_state>(sys_, stmf_, error, get_atom::value, medium_atom::value, drive);
}

port_detail_list caf_stmf_link::port_details(std::string& error) {
  return ask_reporting<port_detail_list>(sys_, stmf_, error, get_atom::value, port_detail_atom::value);
}

session_listing caf_stmf_link::sessions(const std::string& target, std::string& error) {
  return ask_reporting<session_listing>(sys_, stmf_, error, get_atom::value, session_detail_atom::value, target);
}

bool caf_stmf_link::logout_session(uint64_t nexus, std::string& error) {
  return ask<bool>(
      sys_, stmf_,
      [&](const std::string& e) {
        error = e;
        return false;
      },
      session_logout_atom::value, nexus);
}

}  // namespace stmfd::admin
