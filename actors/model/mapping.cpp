#include "actors/model/mapping.hpp"

#include <algorithm>

#include "actors/model/mapping_check.hpp"
#include "wire/config/names.hpp"

namespace stmfd {
namespace {

using detail::quote;
using wire::cfg::fold_case;
using maybe_error = std::optional<std::string>;

// Where the operations on one kind of group find their data, and the words
// their messages use.
template <class Group>
struct group_kind {
  std::vector<Group> mapping_state::*groups;
  std::string view_entry::*view_field;  // the view field that names such a group
  const char* noun;                     // "host group"
  const char* member;                   // "initiator"
};
constexpr group_kind<host_group> host_kind{&mapping_state::host_groups, &view_entry::host_group, "host group",
                                           "initiator"};
constexpr group_kind<target_group> target_kind{&mapping_state::target_groups, &view_entry::target_group, "target group",
                                               "target"};

template <class Group>
auto find_group(std::vector<Group>& groups, std::string_view name) {
  return std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.name == name; });
}

auto find_port(std::vector<std::string>& ports, std::string_view name) {
  std::string folded = fold_case(name);
  return std::find_if(ports.begin(), ports.end(), [&](const std::string& p) { return fold_case(p) == folded; });
}

template <class Group>
std::string no_group(const group_kind<Group>& kind, std::string_view name) {
  return "there is no " + std::string(kind.noun) + " " + quote(name);
}

template <class Group>
maybe_error create_group(mapping_state& s, const group_kind<Group>& kind, std::string_view name) {
  auto& groups = s.*kind.groups;
  if (find_group(groups, name) != groups.end()) return std::string(kind.noun) + " " + quote(name) + " already exists";
  groups.push_back(Group{std::string(name), {}});
  return std::nullopt;
}

template <class Group>
maybe_error delete_group(mapping_state& s, const group_kind<Group>& kind, std::string_view name) {
  auto& groups = s.*kind.groups;
  auto g = find_group(groups, name);
  if (g == groups.end()) return no_group(kind, name);
  for (const auto& v : s.views)
    if (v.*kind.view_field == name)
      return std::string(kind.noun) + " " + quote(name) + " is used by the " + detail::describe_view(v) +
             "; remove that view first";
  groups.erase(g);
  return std::nullopt;
}

template <class Group>
maybe_error add_member(mapping_state& s, const group_kind<Group>& kind, std::string_view group, std::string_view port) {
  auto& groups = s.*kind.groups;
  auto g = find_group(groups, group);
  if (g == groups.end()) return no_group(kind, group);
  for (auto& other : groups) {
    if (find_port(other.members, port) == other.members.end()) continue;
    std::string err =
        std::string(kind.member) + " " + quote(port) + " is already a member of " + kind.noun + " " + quote(other.name);
    if (other.name != g->name)
      err += std::string("; each ") + kind.member + " may be a member of at most one " + kind.noun;
    return err;
  }
  g->members.emplace_back(port);
  return std::nullopt;
}

template <class Group>
maybe_error remove_member(mapping_state& s, const group_kind<Group>& kind, std::string_view group,
                          std::string_view port) {
  auto& groups = s.*kind.groups;
  auto g = find_group(groups, group);
  if (g == groups.end()) return no_group(kind, group);
  auto m = find_port(g->members, port);
  if (m == g->members.end())
    return std::string(kind.member) + " " + quote(port) + " is not a member of " + kind.noun + " " + quote(group);
  g->members.erase(m);
  return std::nullopt;
}

// The group of `groups` that lists `port` (folded); empty when none does.
template <class Group>
std::string_view group_of(const std::vector<Group>& groups, const std::string& folded_port) {
  for (const auto& g : groups)
    for (const auto& m : g.members)
      if (fold_case(m) == folded_port) return g.name;
  return {};
}

}  // namespace

maybe_error mapping::commit(mapping_state next) {
  if (auto p = detail::check_mapping(next)) return std::move(p->message);
  state_ = std::move(next);
  return std::nullopt;
}

maybe_error mapping::replace(std::vector<host_group> host_groups, std::vector<target_group> target_groups,
                             std::vector<view_entry> views, std::vector<std::string> lu_names) {
  return commit(mapping_state{std::move(host_groups), std::move(target_groups), std::move(views), std::move(lu_names)});
}

maybe_error mapping::create_host_group(std::string_view name) {
  return apply([&](mapping_state& s) { return create_group(s, host_kind, name); });
}
maybe_error mapping::delete_host_group(std::string_view name) {
  return apply([&](mapping_state& s) { return delete_group(s, host_kind, name); });
}
maybe_error mapping::add_host_group_member(std::string_view group, std::string_view initiator) {
  return apply([&](mapping_state& s) { return add_member(s, host_kind, group, initiator); });
}
maybe_error mapping::remove_host_group_member(std::string_view group, std::string_view initiator) {
  return apply([&](mapping_state& s) { return remove_member(s, host_kind, group, initiator); });
}

maybe_error mapping::create_target_group(std::string_view name) {
  return apply([&](mapping_state& s) { return create_group(s, target_kind, name); });
}
maybe_error mapping::delete_target_group(std::string_view name) {
  return apply([&](mapping_state& s) { return delete_group(s, target_kind, name); });
}
maybe_error mapping::add_target_group_member(std::string_view group, std::string_view target) {
  return apply([&](mapping_state& s) { return add_member(s, target_kind, group, target); });
}
maybe_error mapping::remove_target_group_member(std::string_view group, std::string_view target) {
  return apply([&](mapping_state& s) { return remove_member(s, target_kind, group, target); });
}

maybe_error mapping::add_view(view_entry view) {
  return apply([&](mapping_state& s) {
    s.views.push_back(std::move(view));
    return maybe_error();
  });
}

lun_or_error mapping::add_view(view_entry view, auto_lun_t) {
  auto tgs = detail::target_groups_by_member(state_.target_groups);
  std::vector<bool> used(max_lun + 1u);
  for (const auto& v : state_.views)
    if (detail::views_overlap(view, v, tgs)) used[v.lun] = true;
  auto free = std::find(used.begin(), used.end(), false);
  if (free == used.end())
    return {"no LUN is free for LU " + quote(view.lu) + " (" + detail::describe_scope(view) + "): all 16384 are in use",
            0};
  view.lun = static_cast<uint16_t>(free - used.begin());
  uint16_t lun = view.lun;
  if (auto err = add_view(std::move(view))) return {std::move(err), 0};
  return {std::nullopt, lun};
}

maybe_error mapping::remove_view(std::string_view lu, std::string_view host_group, std::string_view target_group,
                                 std::string_view target, uint16_t lun) {
  view_entry wanted{std::string(lu), std::string(host_group), std::string(target_group), std::string(target), lun};
  return apply([&](mapping_state& s) {
    auto it = std::find_if(s.views.begin(), s.views.end(), [&](const view_entry& v) {
      return v.lu == lu && v.host_group == host_group && v.target_group == target_group &&
             fold_case(v.target) == fold_case(target) && v.lun == lun;
    });
    if (it == s.views.end()) return maybe_error("there is no " + detail::describe_view(wanted));
    s.views.erase(it);
    return maybe_error();
  });
}

maybe_error mapping::add_lu(std::string_view name) {
  return apply([&](mapping_state& s) {
    if (std::find(s.lus.begin(), s.lus.end(), name) != s.lus.end())
      return maybe_error("LU " + quote(name) + " already exists");
    s.lus.emplace_back(name);
    return maybe_error();
  });
}

maybe_error mapping::remove_lu(std::string_view name) {
  return apply([&](mapping_state& s) {
    auto it = std::find(s.lus.begin(), s.lus.end(), name);
    if (it == s.lus.end()) return maybe_error("there is no LU " + quote(name));
    s.lus.erase(it);
    std::erase_if(s.views, [&](const view_entry& v) { return v.lu == name; });
    return maybe_error();
  });
}

std::vector<lun_assignment> mapping::luns_for(std::string_view initiator, std::string_view target) const {
  std::string folded_target = fold_case(target);
  std::string_view hg = group_of(state_.host_groups, fold_case(initiator));
  std::string_view tg = group_of(state_.target_groups, folded_target);
  std::vector<lun_assignment> out;
  for (const auto& v : state_.views) {
    bool hosts = v.host_group.empty() || v.host_group == hg;
    bool targets =
        v.target.empty() ? v.target_group.empty() || v.target_group == tg : fold_case(v.target) == folded_target;
    if (hosts && targets) out.push_back({v.lun, v.lu});
  }
  std::sort(out.begin(), out.end(), [](const lun_assignment& a, const lun_assignment& b) { return a.lun < b.lun; });
  return out;
}

}  // namespace stmfd
