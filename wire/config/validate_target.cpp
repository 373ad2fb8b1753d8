#include "wire/config/validate_target.hpp"

#include <map>
#include <string_view>

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {
namespace {

using detail::quoted;
using detail::text;
using detail::view;

// RFC 7143 9.2.1: a secret of fewer than 96 random bits is allowed only
// under IPsec, which stmfd does not implement.
constexpr size_t min_chap_secret = 12;

std::string check_auth(Auth::Reader auth, const std::string& at) {
  bool chap = view(auth.getMethod()) == "chap";
  struct field {
    const char* name;
    capnp::Text::Reader value;
  };
  const field fields[] = {{"chapUser", auth.getChapUser()},
                          {"chapSecret", auth.getChapSecret()},
                          {"mutualUser", auth.getMutualUser()},
                          {"mutualSecret", auth.getMutualSecret()}};
  if (!chap) {
    for (auto& f : fields)
      if (f.value.size() > 0) return at + "." + f.name + ": only used with method \"chap\"";
    return {};
  }
  for (auto& f : fields)
    for (char c : view(f.value))
      if (static_cast<unsigned char>(c) < 0x20) return at + "." + f.name + ": must not contain control characters";
  // Neither: the initiator's own record (Config.initiators) holds them.
  bool per_initiator = auth.getChapUser().size() == 0 && auth.getChapSecret().size() == 0;
  if (!per_initiator && auth.getChapUser().size() == 0) return at + ".chapUser: required with chapSecret";
  if (auth.getChapSecret().size() == 0 && !per_initiator) return at + ".chapSecret: required with method \"chap\"";
  if (!per_initiator && auth.getChapSecret().size() < min_chap_secret)
    return at +
           ".chapSecret: must be at least 12 bytes (RFC 7143 9.2.1: shorter secrets "
           "need IPsec)";
  bool mutual_user = auth.getMutualUser().size() > 0;
  bool mutual_secret = auth.getMutualSecret().size() > 0;
  if (mutual_user && !mutual_secret) return at + ".mutualSecret: required with mutualUser";
  if (mutual_secret && !mutual_user) return at + ".mutualUser: required with mutualSecret";
  if (mutual_secret) {
    if (auth.getMutualSecret().size() < min_chap_secret)
      return at +
             ".mutualSecret: must be at least 12 bytes (RFC 7143 9.2.1: shorter secrets "
             "need IPsec)";
    if (view(auth.getMutualSecret()) == view(auth.getChapSecret()))
      return at + ".mutualSecret: must differ from chapSecret (RFC 7143 9.2.1)";
  }
  return {};
}

std::string check_portals(capnp::List<capnp::Text>::Builder portals, const std::string& at) {
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < portals.size(); ++i) {
    std::string where = at + ".portals[" + std::to_string(i) + "]";
    portal p;
    if (auto err = parse_portal(view(portals[i]), p); !err.empty()) return where + ": " + err;
    std::string canonical = p.to_string();
    auto [it, fresh] = seen.emplace(canonical, i);
    if (!fresh)
      return where + ": " + quoted(canonical) + " is already listed as " + at + ".portals[" +
             std::to_string(it->second) + "]";
    portals.set(i, capnp::Text::Reader(canonical.c_str(), canonical.size()));
  }
  return {};
}

std::string check_luns(capnp::List<LunMapping>::Reader luns, capnp::List<LogicalUnit>::Reader lus,
                       const std::string& at) {
  std::map<std::string_view, bool> known;
  for (auto lu : lus) known[view(lu.getName())] = true;
  std::map<uint16_t, size_t> by_lun;
  std::map<std::string_view, size_t> by_lu;
  for (size_t i = 0; i < luns.size(); ++i) {
    auto m = luns[i];
    std::string where = at + ".luns[" + std::to_string(i) + "]";
    std::string_view lu = view(m.getLogicalUnit());
    if (!known.count(lu)) return where + ".logicalUnit: no logical unit is named " + quoted(lu);
    auto [lun_it, lun_fresh] = by_lun.emplace(m.getLun(), i);
    if (!lun_fresh)
      return where + ".lun: LUN " + std::to_string(m.getLun()) + " is already mapped by " + at + ".luns[" +
             std::to_string(lun_it->second) + "]";
    auto [lu_it, lu_fresh] = by_lu.emplace(lu, i);
    if (!lu_fresh)
      return where + ".logicalUnit: " + quoted(lu) + " is already mapped by " + at + ".luns[" +
             std::to_string(lu_it->second) + "]";
  }
  return {};
}

}  // namespace

std::string check_targets(capnp::List<Target>::Builder targets, capnp::List<LogicalUnit>::Reader lus) {
  std::map<std::string, size_t> names;  // RFC 3722 compares names case-folded
  for (size_t i = 0; i < targets.size(); ++i) {
    auto t = targets[i];
    std::string at = "targets[" + std::to_string(i) + "]";
    std::string_view name = view(t.getName());
    if (auto err = check_iscsi_name(name); !err.empty()) return at + ".name: " + err;
    auto [it, fresh] = names.emplace(fold_case(name), i);
    if (!fresh)
      return at + ".name: " + quoted(name) + " is already the name of targets[" + std::to_string(it->second) + "]";
    for (char c : view(t.getAlias()))
      if (static_cast<unsigned char>(c) < 0x20) return at + ".alias: must not contain control characters";
    if (auto err = check_portals(t.getPortals(), at); !err.empty()) return err;
    if (auto err = check_auth(t.getAuth().asReader(), at + ".auth"); !err.empty()) return err;
    if (auto err = check_luns(t.getLuns().asReader(), lus, at); !err.empty()) return err;
  }
  return {};
}

}  // namespace stmfd::wire::cfg
