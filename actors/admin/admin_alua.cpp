// The admin service's ALUA requests (wire/admin.capnp listAluaGroups,
// setAluaState): an implicit transition is written to the config file's
// targetPortGroups first, then applied to the running framework.
#include <algorithm>

#include "actors/admin/admin_service.hpp"

namespace stmfd::admin {

status admin_service::list_alua(tpg_listing& out) {
  std::string error;
  out = stmf_.alua_groups(error);
  if (!error.empty()) return {error_code::FAILED, "cannot list the target port groups: " + error};
  return {};
}

status admin_service::set_alua_state(uint16_t group, const std::string& state, const std::string& lu_name_or_guid) {
  auto s = scsi::alua::parse_state(state);
  if (!s)
    return {error_code::INVALID_ARGUMENT, "'" + state +
                                              "' is not an access state (active-optimized, active-nonoptimized, "
                                              "standby, unavailable, offline, transitioning)"};
  if (group == 0) return {error_code::INVALID_ARGUMENT, "target port group 0 is reserved (groups are 1..65535)"};
  std::string lu;
  if (!lu_name_or_guid.empty()) {
    lu = resolve_lu(lu_name_or_guid);
    if (lu.empty()) return {error_code::NOT_FOUND, "there is no LU '" + lu_name_or_guid + "'"};
  }
  if (!load_error_.empty()) return {error_code::FAILED, "the daemon's config did not load: " + load_error_};
  // Every group a port names is listed from now on (the config's rule for
  // a non-empty targetPortGroups), keeping today's state of each.
  auto used = port_groups_of(loaded_.root());
  if (alua_.find(group) == nullptr && !std::binary_search(used.begin(), used.end(), group))
    return {error_code::NOT_FOUND, "there is no target port group " + std::to_string(group)};
  target_port_groups next = alua_;
  for (uint16_t g : used)
    if (next.find(g) == nullptr) next.set_state(g, access_state::active_optimized, "");
  if (auto err = next.set_state(group, *s, lu); !err.empty()) return {error_code::INVALID_ARGUMENT, err};
  document_change change;
  change.tpgs = &next.groups();
  if (auto st = commit(change); !st.ok()) return st;
  if (auto err = stmf_.set_alua_state(tpg_change{group, *s, lu}); !err.empty())
    return {error_code::FAILED, "saved in the config file but not applied to the running daemon: " + err};
  return {};
}

}  // namespace stmfd::admin
