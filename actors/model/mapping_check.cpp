#include "actors/model/mapping_check.hpp"

#include <set>
#include <string_view>

#include "wire/config/names.hpp"

namespace stmfd::detail {
namespace {

using wire::cfg::fold_case;

std::optional<mapping_problem> problem(std::string message, size_t view = mapping_problem::npos) {
  return mapping_problem{std::move(message), view};
}

std::optional<mapping_problem> check_lus(const std::vector<std::string>& lus) {
  std::set<std::string_view> seen;
  for (const auto& lu : lus) {
    if (auto err = wire::cfg::check_lu_name(lu); !err.empty())
      return problem("LU name " + quote(lu) + " is not valid: " + err);
    if (!seen.insert(lu).second) return problem("LU " + quote(lu) + " is listed twice");
  }
  return std::nullopt;
}

// Group names valid and unique; members valid port names, each in at most
// one group. `noun`: "host group"; `member`: "initiator".
template <class Group>
std::optional<mapping_problem> check_groups(const std::vector<Group>& groups, std::string_view noun,
                                            std::string_view member) {
  const std::string kind(noun), who(member);
  std::set<std::string_view> names;
  std::map<std::string, std::string_view> group_of;  // folded member -> its group
  for (const auto& g : groups) {
    if (auto err = wire::cfg::check_group_name(g.name); !err.empty())
      return problem(kind + " name " + quote(g.name) + " is not valid: " + err);
    if (!names.insert(g.name).second) return problem(kind + " " + quote(g.name) + " is defined twice");
    for (const auto& m : g.members) {
      if (auto err = wire::cfg::check_port_name(m); !err.empty())
        return problem(kind + " " + quote(g.name) + ": " + quote(m) + " is not a valid " + who + " name: " + err);
      auto [it, fresh] = group_of.emplace(fold_case(m), g.name);
      if (fresh) continue;
      if (it->second == g.name)
        return problem(kind + " " + quote(g.name) + " lists " + who + " " + quote(m) + " twice");
      return problem(who + " " + quote(m) + " is a member of " + kind + " " + quote(it->second) + " and of " + kind +
                     " " + quote(g.name) + "; each " + who + " may be a member of at most one " + kind);
    }
  }
  return std::nullopt;
}

template <class Group>
bool has_group(const std::vector<Group>& groups, std::string_view name) {
  for (const auto& g : groups)
    if (g.name == name) return true;
  return false;
}

// The rules about one view alone.
std::string check_view_fields(const view_entry& v, const mapping_state& s) {
  if (v.lun > max_lun) return "LUN must be 0..16383 (SAM-5 4.7 flat space addressing)";
  bool lu_known = false;
  for (const auto& lu : s.lus) lu_known = lu_known || lu == v.lu;
  if (!lu_known) return "there is no LU " + quote(v.lu);
  if (!v.host_group.empty() && !has_group(s.host_groups, v.host_group))
    return "there is no host group " + quote(v.host_group);
  if (!v.target.empty() && !v.target_group.empty()) return "a view goes through a target group or one target, not both";
  if (!v.target_group.empty() && !has_group(s.target_groups, v.target_group))
    return "there is no target group " + quote(v.target_group);
  if (!v.target.empty())
    if (auto err = wire::cfg::check_port_name(v.target); !err.empty())
      return quote(v.target) + " is not a valid target name: " + err;
  return {};
}

std::string conflict(const view_entry& later, const view_entry& earlier) {
  std::string reason = later.lu == earlier.lu ? "would see LU " + quote(later.lu) + " twice"
                                              : "would see two LUs at LUN " + std::to_string(later.lun);
  return describe_view(later) + " conflicts with the " + describe_view(earlier) + ": an initiator both views cover " +
         reason + " through the same target";
}

}  // namespace

std::string quote(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('\'');
  out.append(name);
  out.push_back('\'');
  return out;
}

std::string describe_scope(const view_entry& v) {
  std::string hosts = v.host_group.empty() ? "all hosts" : "host group " + quote(v.host_group);
  std::string targets = "all targets";
  if (!v.target_group.empty()) targets = "target group " + quote(v.target_group);
  if (!v.target.empty()) targets = (v.target_group.empty() ? "" : targets + " and ") + "target " + quote(v.target);
  return hosts + ", " + targets;
}

std::string describe_view(const view_entry& v) {
  return "view of LU " + quote(v.lu) + " at LUN " + std::to_string(v.lun) + " (" + describe_scope(v) + ")";
}

target_membership target_groups_by_member(const std::vector<target_group>& groups) {
  target_membership out;
  for (const auto& g : groups)
    for (const auto& m : g.members) out.emplace(fold_case(m), g.name);
  return out;
}

bool views_overlap(const view_entry& a, const view_entry& b, const target_membership& tgs) {
  if (!a.host_group.empty() && !b.host_group.empty() && a.host_group != b.host_group) return false;
  auto all_targets = [](const view_entry& v) { return v.target.empty() && v.target_group.empty(); };
  if (all_targets(a) || all_targets(b)) return true;
  if (!a.target.empty() && !b.target.empty()) return fold_case(a.target) == fold_case(b.target);
  if (a.target.empty() && b.target.empty()) return a.target_group == b.target_group;
  const view_entry& single = a.target.empty() ? b : a;
  const view_entry& group = a.target.empty() ? a : b;
  auto it = tgs.find(fold_case(single.target));
  return it != tgs.end() && it->second == group.target_group;
}

std::optional<mapping_problem> check_mapping(const mapping_state& s) {
  if (auto p = check_lus(s.lus)) return p;
  if (auto p = check_groups(s.host_groups, "host group", "initiator")) return p;
  if (auto p = check_groups(s.target_groups, "target group", "target")) return p;

  // Only views that share a LUN or an LU can conflict: compare within those.
  target_membership tgs = target_groups_by_member(s.target_groups);
  std::map<uint16_t, std::vector<size_t>> by_lun;
  std::map<std::string_view, std::vector<size_t>> by_lu;
  for (size_t i = 0; i < s.views.size(); ++i) {
    const view_entry& v = s.views[i];
    if (auto err = check_view_fields(v, s); !err.empty()) return problem(describe_view(v) + ": " + err, i);
    for (auto* earlier : {&by_lun[v.lun], &by_lu[v.lu]})
      for (size_t j : *earlier)
        if (views_overlap(v, s.views[j], tgs)) return problem(conflict(v, s.views[j]), i);
    by_lun[v.lun].push_back(i);
    by_lu[v.lu].push_back(i);
  }
  return std::nullopt;
}

}  // namespace stmfd::detail
