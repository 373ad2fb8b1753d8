#include "wire/config/validate_alua.hpp"

#include <set>

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {

namespace {

using detail::quoted;
using detail::view;

std::string check_group(TargetPortGroup::Reader g, const std::string& at, const std::set<std::string>& lus) {
  if (g.getName().size() > 0)
    if (auto err = check_group_name(view(g.getName())); !err.empty()) return at + ".name: " + err;
  std::set<std::string> seen;
  auto states = g.getLuStates();
  for (unsigned i = 0; i < states.size(); ++i) {
    std::string lu(view(states[i].getLogicalUnit()));
    std::string here = at + ".luStates[" + std::to_string(i) + "].logicalUnit";
    if (!lus.count(lu)) return here + ": there is no logical unit " + quoted(lu);
    if (!seen.insert(lu).second) return here + ": " + quoted(lu) + " is listed twice in this group";
  }
  return {};
}

}  // namespace

std::string check_target_port_groups(Config::Builder config) {
  for (auto t : config.getTargets())
    if (t.getTargetPortGroup() == 0) t.setTargetPortGroup(t.getTpgt() == 0 ? 1 : t.getTpgt());

  std::set<std::string> lus;
  for (auto lu : config.getLogicalUnits()) lus.insert(std::string(view(lu.getName())));
  auto groups = config.getTargetPortGroups().asReader();
  std::set<uint16_t> ids;
  std::set<std::string> names;
  for (unsigned i = 0; i < groups.size(); ++i) {
    std::string at = "targetPortGroups[" + std::to_string(i) + "]";
    auto g = groups[i];
    if (!ids.insert(g.getId()).second)
      return at + ".id: target port group " + std::to_string(g.getId()) + " is listed twice";
    std::string name(view(g.getName()));
    if (!name.empty() && !names.insert(name).second)
      return at + ".name: " + quoted(name) + " is the name of another target port group";
    if (auto err = check_group(g, at, lus); !err.empty()) return err;
  }
  if (groups.size() == 0) return {};
  auto targets = config.getTargets().asReader();
  for (unsigned i = 0; i < targets.size(); ++i)
    if (!ids.count(targets[i].getTargetPortGroup()))
      return "targets[" + std::to_string(i) + "].targetPortGroup: there is no target port group " +
             std::to_string(targets[i].getTargetPortGroup()) + " in targetPortGroups";
  auto fc = config.getFcPorts().asReader();
  for (unsigned i = 0; i < fc.size(); ++i)
    if (!ids.count(fc[i].getTargetPortGroup()))
      return "fcPorts[" + std::to_string(i) + "].targetPortGroup: there is no target port group " +
             std::to_string(fc[i].getTargetPortGroup()) + " in targetPortGroups";
  return {};
}

}  // namespace stmfd::wire::cfg
