// mapping_from_config: the config's access control as a mapping.
#include <string>

#include "actors/model/mapping.hpp"
#include "actors/model/mapping_check.hpp"

namespace stmfd {
namespace {

std::string str(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

template <class Group, class Groups>
std::vector<Group> groups_of(Groups list) {
  std::vector<Group> out;
  for (auto g : list) {
    Group& group = out.emplace_back(Group{str(g.getName()), {}});
    for (auto m : g.getMembers()) group.members.push_back(str(m));
  }
  return out;
}

}  // namespace

std::optional<std::string> mapping_from_config(wire::cfg::Config::Reader config, mapping& out) {
  mapping_state s;
  for (auto lu : config.getLogicalUnits()) s.lus.push_back(str(lu.getName()));
  s.host_groups = groups_of<host_group>(config.getHostGroups());
  s.target_groups = groups_of<target_group>(config.getTargetGroups());

  // The key path each view came from, for messages.
  std::vector<std::string> paths;
  auto targets = config.getTargets();
  for (size_t i = 0; i < targets.size(); ++i) {
    auto luns = targets[i].getLuns();
    for (size_t j = 0; j < luns.size(); ++j) {
      s.views.push_back(view_entry{str(luns[j].getLogicalUnit()), {}, {}, str(targets[i].getName()), luns[j].getLun()});
      paths.push_back("targets[" + std::to_string(i) + "].luns[" + std::to_string(j) + "]");
    }
  }
  auto views = config.getViews();
  for (size_t k = 0; k < views.size(); ++k) {
    auto v = views[k];
    s.views.push_back(
        view_entry{str(v.getLogicalUnit()), str(v.getHostGroup()), str(v.getTargetGroup()), {}, v.getLun()});
    paths.push_back("views[" + std::to_string(k) + "]");
  }

  if (auto p = detail::check_mapping(s)) {
    if (p->view == detail::mapping_problem::npos) return std::move(p->message);
    return paths[p->view] + ": " + p->message;
  }
  out.state_ = std::move(s);
  return std::nullopt;
}

}  // namespace stmfd
