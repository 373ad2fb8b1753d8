#include "wire/config/validate_portal_groups.hpp"

#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {
namespace {

using detail::quoted;
using detail::text;
using detail::view;

// RFC 7143 9.2.1 (as Auth.chapSecret).
constexpr size_t min_chap_secret = 12;

std::string check_groups(capnp::List<PortalGroup>::Builder groups) {
  std::map<std::string, size_t> names, portals;
  std::map<uint16_t, size_t> tags;
  for (size_t i = 0; i < groups.size(); ++i) {
    auto g = groups[i];
    std::string at = "portalGroups[" + std::to_string(i) + "]";
    std::string name(view(g.getName()));
    if (auto err = check_group_name(name); !err.empty()) return at + ".name: " + err;
    if (auto [it, fresh] = names.emplace(name, i); !fresh)
      return at + ".name: " + quoted(name) + " is already the name of portalGroups[" + std::to_string(it->second) + "]";
    if (auto [it, fresh] = tags.emplace(g.getTag(), i); !fresh)
      return at + ".tag: " + std::to_string(g.getTag()) + " is already the tag of portalGroups[" +
             std::to_string(it->second) + "]";
    auto list = g.getPortals();
    for (size_t j = 0; j < list.size(); ++j) {
      std::string where = at + ".portals[" + std::to_string(j) + "]";
      portal p;
      if (auto err = parse_portal(view(list[j]), p); !err.empty()) return where + ": " + err;
      std::string canonical = p.to_string();
      if (auto [it, fresh] = portals.emplace(canonical, i); !fresh)
        return where + ": " + quoted(canonical) + " is already a portal of portalGroups[" + std::to_string(it->second) +
               "]";
      list.set(j, text(canonical));
    }
  }
  return {};
}

std::string check_initiators(capnp::List<Initiator>::Reader initiators) {
  std::map<std::string, size_t> names;
  for (size_t i = 0; i < initiators.size(); ++i) {
    auto r = initiators[i];
    std::string at = "initiators[" + std::to_string(i) + "]";
    std::string_view name = view(r.getName());
    if (auto err = check_iscsi_name(name); !err.empty()) return at + ".name: " + err;
    if (auto [it, fresh] = names.emplace(fold_case(name), i); !fresh)
      return at + ".name: " + quoted(name) + " is already the name of initiators[" + std::to_string(it->second) + "]";
    for (auto v : {view(r.getChapUser()), view(r.getChapSecret())})
      for (char c : v)
        if (static_cast<unsigned char>(c) < 0x20) return at + ": CHAP values must not contain control characters";
    if (r.getChapSecret().size() > 0 && r.getChapSecret().size() < min_chap_secret)
      return at + ".chapSecret: must be at least 12 bytes (RFC 7143 9.2.1: shorter secrets need IPsec)";
  }
  return {};
}

// A target bound to portal groups takes their portals and the first one's
// tag; one without either has nowhere to listen.
std::string complete_target(Target::Builder t, capnp::List<PortalGroup>::Reader groups, const std::string& at) {
  auto bound = t.getPortalGroups();
  if (bound.size() == 0) {
    if (t.getPortals().size() == 0) return at + ": needs portals or portalGroups";
    return {};
  }
  if (t.hasPortals() && t.getPortals().size() > 0)
    return at + ".portalGroups: a target has portals or portalGroups, not both";
  std::vector<std::string> portals;
  std::set<std::string_view> seen;
  for (size_t i = 0; i < bound.size(); ++i) {
    std::string_view name = view(bound[i]);
    std::string where = at + ".portalGroups[" + std::to_string(i) + "]";
    if (!seen.insert(name).second) return where + ": " + quoted(name) + " is listed twice";
    bool found = false;
    for (auto g : groups) {
      if (view(g.getName()) != name) continue;
      found = true;
      if (i == 0) t.setTpgt(g.getTag());
      for (auto p : g.getPortals()) portals.emplace_back(view(p));
    }
    if (!found) return where + ": there is no portal group " + quoted(name);
  }
  auto out = t.initPortals(unsigned(portals.size()));
  for (unsigned i = 0; i < portals.size(); ++i) out.set(i, text(portals[i]));
  return {};
}

}  // namespace

std::string check_portal_groups(Config::Builder config) {
  if (auto err = check_groups(config.getPortalGroups()); !err.empty()) return err;
  if (auto err = check_initiators(config.getInitiators().asReader()); !err.empty()) return err;
  std::string default_auth(view(config.getIscsiDefaults().getAuth()));
  std::string_view authority = view(config.getIscsiDefaults().getNamingAuthority());
  if (authority.rfind("iqn.", 0) != 0) return "iscsiDefaults.namingAuthority: must be an iqn. name";
  if (auto err = check_iscsi_name(authority); !err.empty()) return "iscsiDefaults.namingAuthority: " + err;
  auto targets = config.getTargets();
  for (size_t i = 0; i < targets.size(); ++i) {
    std::string at = "targets[" + std::to_string(i) + "]";
    if (auto err = complete_target(targets[i], config.getPortalGroups().asReader(), at); !err.empty()) return err;
    auto auth = targets[i].getAuth();
    if (view(auth.getMethod()) == "default") auth.setMethod(text(default_auth));
  }
  return {};
}

}  // namespace stmfd::wire::cfg
