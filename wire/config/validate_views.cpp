#include "wire/config/validate_views.hpp"

#include <map>
#include <set>
#include <string_view>

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {
namespace {

using detail::quoted;
using detail::view;

// What tells host groups and target groups apart in messages and checks.
struct group_kind {
  const char* key;          // "hostGroups"
  const char* member_noun;  // "an initiator"
  const char* group_noun;   // "host group"
  // Folded names a member must be one of (besides "wwn." names); null: any
  // valid port name.
  const std::set<std::string>* allowed = nullptr;
};

// Checks the names of `groups` (valid, unique; added to `names` for the
// views' references) and their members (valid port names, each in at most
// one group of the kind, and one of kind.allowed when that is set).
template <class Groups>
std::string check_groups(Groups groups, const group_kind& kind, std::set<std::string_view>& names) {
  std::map<std::string_view, size_t> by_name;
  std::map<std::string, std::string> by_member;  // folded member -> where it is listed
  for (size_t i = 0; i < groups.size(); ++i) {
    auto g = groups[i];
    std::string at = std::string(kind.key) + "[" + std::to_string(i) + "]";
    std::string_view name = view(g.getName());
    if (auto err = check_group_name(name); !err.empty()) return at + ".name: " + err;
    auto [it, fresh] = by_name.emplace(name, i);
    if (!fresh)
      return at + ".name: " + quoted(name) + " is already the name of " + kind.key + "[" + std::to_string(it->second) +
             "]";
    names.insert(name);
    auto members = g.getMembers();
    for (size_t j = 0; j < members.size(); ++j) {
      std::string where = at + ".members[" + std::to_string(j) + "]";
      std::string_view member = view(members[j]);
      if (auto err = check_port_name(member); !err.empty()) return where + ": " + err;
      std::string folded = fold_case(member);
      if (kind.allowed && folded.rfind("wwn.", 0) != 0 && !kind.allowed->count(folded))
        return where + ": no target is named " + quoted(member) +
               " (members are names of targets in this file, or \"wwn.\" port names)";
      auto [prev, first] = by_member.emplace(folded, where);
      if (first) continue;
      std::string err = where + ": " + quoted(member) + " is already listed as " + prev->second;
      if (prev->second.rfind(at + ".", 0) != 0)
        err += std::string(" (") + kind.member_noun + " is a member of at most one " + kind.group_noun + ")";
      return err;
    }
  }
  return {};
}

std::string check_view(View::Reader v, const std::string& at, const std::set<std::string_view>& lus,
                       const std::set<std::string_view>& host_groups, const std::set<std::string_view>& target_groups) {
  std::string_view lu = view(v.getLogicalUnit());
  if (!lus.count(lu)) return at + ".logicalUnit: no logical unit is named " + quoted(lu);
  std::string_view hg = view(v.getHostGroup());
  if (!hg.empty() && !host_groups.count(hg)) return at + ".hostGroup: no host group is named " + quoted(hg);
  std::string_view tg = view(v.getTargetGroup());
  if (!tg.empty() && !target_groups.count(tg)) return at + ".targetGroup: no target group is named " + quoted(tg);
  return {};
}

}  // namespace

std::string check_groups_and_views(Config::Reader config) {
  std::set<std::string> targets;
  for (auto t : config.getTargets()) targets.insert(fold_case(view(t.getName())));
  std::set<std::string_view> host_groups, target_groups, lus;
  for (auto lu : config.getLogicalUnits()) lus.insert(view(lu.getName()));

  if (auto err =
          check_groups(config.getHostGroups(), group_kind{"hostGroups", "an initiator", "host group"}, host_groups);
      !err.empty())
    return err;
  if (auto err = check_groups(config.getTargetGroups(),
                              group_kind{"targetGroups", "a target", "target group", &targets}, target_groups);
      !err.empty())
    return err;
  auto views = config.getViews();
  for (size_t i = 0; i < views.size(); ++i) {
    auto err = check_view(views[i], "views[" + std::to_string(i) + "]", lus, host_groups, target_groups);
    if (!err.empty()) return err;
  }
  return {};
}

}  // namespace stmfd::wire::cfg
