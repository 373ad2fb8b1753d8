// The admin service's sessions (wire/admin.capnp listSessions,
// logoutSession; stmfadm list-session, logout-session, list-target -v):
// STMF's registered nexuses with their providers' details.
#include "actors/admin/admin_service.hpp"
#include "wire/config/names.hpp"

namespace stmfd::admin {

status admin_service::list_sessions(const std::string& target, session_listing& out) {
  out.clear();
  std::string name = target;
  std::string error;
  if (!name.empty()) {
    bool known = false;
    auto ports = stmf_.ports(error);
    if (!error.empty()) return {error_code::FAILED, error};
    for (auto& p : ports)
      if (wire::cfg::fold_case(p.port.target_name) == wire::cfg::fold_case(target)) {
        known = true;
        name = p.port.target_name;
      }
    if (!known) return {error_code::NOT_FOUND, "there is no target '" + target + "'"};
  }
  out = stmf_.sessions(name, error);
  if (!error.empty()) return {error_code::FAILED, error};
  return {};
}

status admin_service::logout_session(uint64_t nexus) {
  std::string error;
  bool found = stmf_.logout_session(nexus, error);
  if (!error.empty()) return {error_code::FAILED, error};
  if (!found) return {error_code::NOT_FOUND, "there is no session with nexus id " + std::to_string(nexus)};
  return {};
}

}  // namespace stmfd::admin
