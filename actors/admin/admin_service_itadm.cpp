// itadm's requests (wire/admin.capnp createTarget .. listDefaults): each
// change is rendered into the config text (targets, portalGroups,
// initiators, iscsiDefaults), validated by the loader, written atomically,
// and only then handed to STMF, which applies it live
// (actors/stmf/stmf_targets.cpp). A refused request changes nothing.
#include <sys/random.h>

#include <algorithm>
#include <cstdio>

#include "actors/admin/admin_service.hpp"
#include "actors/admin/capnp_text.hpp"
#include "actors/admin/portal_probe.hpp"
#include "wire/config/names.hpp"

namespace stmfd::admin {
namespace {

status fail(error_code c, std::string m) { return {c, std::move(m)}; }

// RFC 7143 9.2.1 wants at least 96 random bits without IPsec; Windows and
// illumos initiators take at most 16 bytes.
constexpr size_t min_secret = 12, max_secret = 16;

std::string check_secret(const std::string& s, const std::string& what) {
  if (s.size() < min_secret || s.size() > max_secret)
    return what + " must be 12 to 16 bytes long (RFC 7143 9.2.1), not " + std::to_string(s.size());
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20) return what + " must not contain control characters";
  return {};
}

bool same_name(const std::string& a, const std::string& b) {
  return wire::cfg::fold_case(a) == wire::cfg::fold_case(b);
}

std::string tpgs_json(const std::vector<portal_group_entry>& groups) {
  std::string out = "[";
  for (size_t i = 0; i < groups.size(); ++i) {
    auto& g = groups[i];
    out += (i ? ", " : "") + std::string("{\"name\": ") + json_string(g.name) + ", \"tag\": " + std::to_string(g.tag) +
           ", \"portals\": [";
    for (size_t j = 0; j < g.portals.size(); ++j) out += (j ? ", " : "") + json_string(g.portals[j]);
    out += "]}";
  }
  return out + "]";
}

std::string initiators_json(const std::vector<initiator_entry>& recs) {
  std::string out = "[";
  for (size_t i = 0; i < recs.size(); ++i) {
    auto& r = recs[i];
    out += (i ? ", " : "") + std::string("{\"name\": ") + json_string(r.name);
    if (!r.chap_user.empty()) out += ", \"chapUser\": " + json_string(r.chap_user);
    if (!r.chap_secret.empty()) out += ", \"chapSecret\": " + json_string(r.chap_secret);
    out += "}";
  }
  return out + "]";
}

// "<authority>:02:<uuid>" (RFC 4122 version 4 layout, from getrandom).
std::string generated_iqn(const std::string& authority) {
  uint8_t b[16] = {};
  if (getrandom(b, sizeof b, 0) != ssize_t(sizeof b)) return {};
  b[6] = uint8_t((b[6] & 0x0F) | 0x40);
  b[8] = uint8_t((b[8] & 0x3F) | 0x80);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return authority + ":02:" + buf;
}

// The auth fields of a request: its method and secrets checked.
std::string check_auth(const target_entry& t) {
  if (t.method != "none" && t.method != "chap" && t.method != "default")
    return "auth must be none, chap or default, not '" + t.method + "'";
  if (t.method == "chap" && (!t.chap_user.empty() || !t.chap_secret.empty())) {
    if (t.chap_user.empty()) return "a CHAP secret needs a CHAP user";
    if (auto e = check_secret(t.chap_secret, "the CHAP secret"); !e.empty()) return e;
  }
  if (!t.mutual_secret.empty())
    if (auto e = check_secret(t.mutual_secret, "the target's CHAP secret"); !e.empty()) return e;
  return {};
}

}  // namespace

std::vector<portal_group_entry> admin_service::portal_groups() const {
  std::vector<portal_group_entry> out;
  for (auto g : loaded_.root().getPortalGroups()) {
    portal_group_entry e{str(g.getName()), g.getTag(), {}};
    for (auto p : g.getPortals()) e.portals.push_back(str(p));
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<initiator_entry> admin_service::initiators() const {
  std::vector<initiator_entry> out;
  for (auto r : loaded_.root().getInitiators())
    out.push_back({str(r.getName()), str(r.getChapUser()), str(r.getChapSecret())});
  return out;
}

status admin_service::commit_ports(const document_change& change) {
  if (auto st = commit(change); !st.ok()) return st;
  auto snapshot = std::make_shared<wire::cfg::load_result>(wire::cfg::load_text(text_, path_, base_dir_));
  std::string err = stmf_.reconfigure_ports(snapshot);
  if (err.empty()) err = stmf_.apply_views(views_);  // targets' luns and target groups may have changed
  if (!err.empty())
    return fail(error_code::FAILED, "saved in the config file but not applied to the running daemon: " + err);
  return {};
}

bool admin_service::target_settings(const std::string& name, target_entry& out) const {
  for (auto t : loaded_.root().getTargets()) {
    if (!same_name(str(t.getName()), name)) continue;
    out.name = str(t.getName());
    out.alias = str(t.getAlias());
    out.portal_groups.clear();
    for (auto g : t.getPortalGroups()) out.portal_groups.push_back(str(g));
    auto a = t.getAuth();
    out.method = str(a.getMethod());
    out.chap_user = str(a.getChapUser());
    out.chap_secret = str(a.getChapSecret());
    out.mutual_user = str(a.getMutualUser());
    out.mutual_secret = str(a.getMutualSecret());
    return true;
  }
  return false;
}

status admin_service::create_target(target_entry req, std::string& name) {
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  if (req.name.empty()) {
    req.name = generated_iqn(str(loaded_.root().getIscsiDefaults().getNamingAuthority()));
    if (req.name.empty()) return fail(error_code::FAILED, "no random bytes for a target name");
  }
  if (auto e = wire::cfg::check_iscsi_name(req.name); !e.empty())
    return fail(error_code::INVALID_ARGUMENT, "target name '" + req.name + "': " + e);
  target_entry existing;
  if (target_settings(req.name, existing))
    return fail(error_code::ALREADY_EXISTS, "target '" + existing.name + "' already exists");
  if (req.method.empty()) req.method = "default";
  if (auto e = check_auth(req); !e.empty()) return fail(error_code::INVALID_ARGUMENT, e);
  if (req.portal_groups.empty()) req.portal_groups.push_back("default");
  auto groups = portal_groups();
  for (auto& g : req.portal_groups)
    if (std::none_of(groups.begin(), groups.end(), [&](auto& x) { return x.name == g; }))
      return fail(error_code::NOT_FOUND, "there is no portal group '" + g + "'" +
                                             (g == "default" ? " (give -t, or create-tpg default ...)" : ""));
  req.alias_set = req.groups_set = req.auth_set = true;
  document_change change;
  change.added_targets.push_back(req);
  if (auto st = commit_ports(change); !st.ok()) return st;
  name = req.name;
  return {};
}

status admin_service::modify_target(const target_entry& req) {
  target_entry now;
  if (!target_settings(req.name, now)) return fail(error_code::NOT_FOUND, "there is no target '" + req.name + "'");
  target_entry mod = req;
  mod.name = now.name;
  if (mod.auth_set)
    if (auto e = check_auth(mod); !e.empty()) return fail(error_code::INVALID_ARGUMENT, e);
  if (mod.groups_set) {
    auto groups = portal_groups();
    for (auto& g : mod.portal_groups)
      if (std::none_of(groups.begin(), groups.end(), [&](auto& x) { return x.name == g; }))
        return fail(error_code::NOT_FOUND, "there is no portal group '" + g + "'");
  }
  document_change change;
  change.modified_targets.push_back(mod);
  return commit_ports(change);
}

status admin_service::delete_target(const std::string& name, bool force) {
  target_entry now;
  if (!target_settings(name, now)) return fail(error_code::NOT_FOUND, "there is no target '" + name + "'");
  // Without STMF's answer the session count is unknown: refuse rather
  // than delete a target that may have sessions.
  std::string error;
  auto ports = stmf_.ports(error);
  if (!error.empty()) return fail(error_code::FAILED, "cannot count the sessions of '" + now.name + "': " + error);
  uint32_t sessions = 0;
  for (auto& p : ports)
    if (same_name(p.port.target_name, now.name)) sessions += p.sessions;
  if (sessions > 0 && !force)
    return fail(error_code::CONFLICT,
                "target '" + now.name + "' has " + std::to_string(sessions) + " session(s) (-f logs them out)");
  mapping next = views_;  // its luns views and its target group memberships go with it
  for (auto& v : views_.views())
    if (!v.target.empty() && same_name(v.target, now.name))
      next.remove_view(v.lu, v.host_group, v.target_group, v.target, v.lun);
  for (auto& g : views_.target_groups())
    for (auto& m : g.members)
      if (same_name(m, now.name)) next.remove_target_group_member(g.name, m);
  mapping_state s{next.host_groups(), next.target_groups(), next.views(), next.lus()};
  document_change change;
  change.mapping = &s;
  change.removed_targets.push_back(now.name);
  return commit_ports(change);
}

status admin_service::set_target_online(const std::string& name, bool online) {
  target_entry now;
  if (!target_settings(name, now)) return fail(error_code::NOT_FOUND, "there is no target '" + name + "'");
  if (auto err = stmf_.set_target_online(now.name, online); !err.empty()) return fail(error_code::FAILED, err);
  return {};
}

status admin_service::check_new_portals(portal_group_entry& tpg) const {
  std::vector<std::string> ours;  // portals this daemon listens on now
  for (auto t : loaded_.root().getTargets())
    for (auto p : t.getPortals()) ours.push_back(str(p));
  for (auto& g : portal_groups())
    for (auto& p : g.portals) ours.push_back(p);
  for (auto& text : tpg.portals) {
    wire::cfg::portal p;
    if (auto e = wire::cfg::parse_portal(text, p); !e.empty())
      return fail(error_code::INVALID_ARGUMENT, "portal '" + text + "': " + e);
    text = p.to_string();
    if (auto e = check_local_address(p.host, p.ipv6); !e.empty())
      return fail(error_code::INVALID_ARGUMENT, "portal " + text + ": " + e);
    for (auto& g : portal_groups())
      if (std::find(g.portals.begin(), g.portals.end(), text) != g.portals.end())
        return fail(error_code::CONFLICT, "portal " + text + " is already in portal group '" + g.name + "'");
    if (std::find(ours.begin(), ours.end(), text) != ours.end()) continue;  // a target listens there already
    if (auto e = probe_bind(p.host, p.port, p.ipv6); !e.empty())
      return fail(error_code::CONFLICT, "portal " + text + " " + e);
  }
  return {};
}

status admin_service::create_tpg(portal_group_entry tpg) {
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  if (auto e = wire::cfg::check_group_name(tpg.name); !e.empty())
    return fail(error_code::INVALID_ARGUMENT, "portal group name '" + tpg.name + "': " + e);
  if (tpg.portals.empty()) return fail(error_code::INVALID_ARGUMENT, "a portal group needs at least one portal");
  auto groups = portal_groups();
  for (auto& g : groups) {
    if (g.name == tpg.name) return fail(error_code::ALREADY_EXISTS, "portal group '" + tpg.name + "' already exists");
    if (tpg.tag != 0 && g.tag == tpg.tag)
      return fail(error_code::ALREADY_EXISTS, "tag " + std::to_string(tpg.tag) + " is portal group '" + g.name + "''s");
  }
  if (tpg.tag == 0)
    for (uint32_t t = 2; t <= 0xFFFF && tpg.tag == 0; ++t)
      if (std::none_of(groups.begin(), groups.end(), [&](auto& g) { return g.tag == t; })) tpg.tag = uint16_t(t);
  if (auto st = check_new_portals(tpg); !st.ok()) return st;
  groups.push_back(tpg);
  document_change change;
  change.replaced_keys.emplace_back("portalGroups", tpgs_json(groups));
  return commit_ports(change);
}

status admin_service::delete_tpg(const std::string& name) {
  auto groups = portal_groups();
  auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.name == name; });
  if (it == groups.end()) return fail(error_code::NOT_FOUND, "there is no portal group '" + name + "'");
  for (auto t : loaded_.root().getTargets())
    for (auto g : t.getPortalGroups())
      if (str(g) == name)
        return fail(error_code::CONFLICT, "target '" + str(t.getName()) + "' is bound to portal group '" + name + "'");
  groups.erase(it);
  document_change change;
  change.replaced_keys.emplace_back("portalGroups", tpgs_json(groups));
  return commit_ports(change);
}

status admin_service::list_tpgs(std::vector<portal_group_entry>& out) const {
  out = portal_groups();
  return {};
}

status admin_service::create_initiator(const initiator_entry& rec) {
  if (auto e = wire::cfg::check_iscsi_name(rec.name); !e.empty())
    return fail(error_code::INVALID_ARGUMENT, "initiator name '" + rec.name + "': " + e);
  if (!rec.chap_secret.empty())
    if (auto e = check_secret(rec.chap_secret, "the CHAP secret"); !e.empty())
      return fail(error_code::INVALID_ARGUMENT, e);
  auto recs = initiators();
  for (auto& r : recs)
    if (same_name(r.name, rec.name))
      return fail(error_code::ALREADY_EXISTS, "initiator '" + r.name + "' already has a record");
  recs.push_back(rec);
  document_change change;
  change.replaced_keys.emplace_back("initiators", initiators_json(recs));
  return commit_ports(change);
}

status admin_service::modify_initiator(const initiator_entry& rec) {
  auto recs = initiators();
  auto it = std::find_if(recs.begin(), recs.end(), [&](auto& r) { return same_name(r.name, rec.name); });
  if (it == recs.end()) return fail(error_code::NOT_FOUND, "there is no initiator record '" + rec.name + "'");
  if (!rec.chap_secret.empty()) {
    if (auto e = check_secret(rec.chap_secret, "the CHAP secret"); !e.empty())
      return fail(error_code::INVALID_ARGUMENT, e);
    it->chap_secret = rec.chap_secret;
  }
  if (!rec.chap_user.empty()) it->chap_user = rec.chap_user;
  document_change change;
  change.replaced_keys.emplace_back("initiators", initiators_json(recs));
  return commit_ports(change);
}

status admin_service::delete_initiator(const std::string& name) {
  auto recs = initiators();
  auto it = std::find_if(recs.begin(), recs.end(), [&](auto& r) { return same_name(r.name, name); });
  if (it == recs.end()) return fail(error_code::NOT_FOUND, "there is no initiator record '" + name + "'");
  recs.erase(it);
  document_change change;
  change.replaced_keys.emplace_back("initiators", initiators_json(recs));
  return commit_ports(change);
}

status admin_service::list_initiators(std::vector<initiator_entry>& out) const {
  out = initiators();
  return {};
}

status admin_service::modify_defaults(const std::string& auth, const std::string& discovery_auth) {
  for (auto* v : {&auth, &discovery_auth})
    if (!v->empty() && *v != "none" && *v != "chap")
      return fail(error_code::INVALID_ARGUMENT, "an auth method is none or chap, not '" + *v + "'");
  auto d = loaded_.root().getIscsiDefaults();
  std::string json = "{\"auth\": " + json_string(auth.empty() ? str(d.getAuth()) : auth) + ", \"discoveryAuth\": " +
                     json_string(discovery_auth.empty() ? str(d.getDiscoveryAuth()) : discovery_auth) +
                     ", \"namingAuthority\": " + json_string(str(d.getNamingAuthority())) + "}";
  document_change change;
  change.replaced_keys.emplace_back("iscsiDefaults", json);
  return commit_ports(change);
}

status admin_service::list_defaults(std::string& auth, std::string& discovery_auth) const {
  auto d = loaded_.root().getIscsiDefaults();
  auth = str(d.getAuth());
  discovery_auth = str(d.getDiscoveryAuth());
  return {};
}

}  // namespace stmfd::admin
