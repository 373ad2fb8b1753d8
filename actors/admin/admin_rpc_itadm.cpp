// itadm's admin RPC methods (wire/admin.capnp createTarget .. listDefaults):
// each reads its parameters into the service's request and fills its
// results; the service does the checking.
#include "actors/admin/admin_rpc_ops.hpp"
#include "wire/config/names.hpp"

namespace stmfd::admin {
namespace {

using namespace wire::admin;

// TargetInfo.iscsi -> the service's request (alias, portal groups by name, auth).
target_entry entry_from(TargetInfo::Reader t) {
  target_entry e;
  e.name = str(t.getName());
  auto i = t.getIscsi();
  e.alias = str(i.getAlias());
  for (auto g : i.getTpgs()) e.portal_groups.push_back(str(g.getName()));
  auto a = i.getAuth();
  switch (a.which()) {
    case TargetAuth::NONE: e.method = "none"; break;
    case TargetAuth::CHAP:
      e.method = "chap";
      e.chap_user = str(a.getChap().getUser());
      e.chap_secret = str(a.getChap().getSecret());
      break;
    case TargetAuth::USE_DEFAULT: e.method = "default"; break;
  }
  if (a.hasMutual()) {
    e.mutual_user = str(a.getMutual().getUser());
    e.mutual_secret = str(a.getMutual().getSecret());
    if (e.mutual_user.empty() && !e.mutual_secret.empty()) e.mutual_user = e.name;
  }
  return e;
}

}  // namespace

void serve_create_target(admin_service& s, Admin::CreateTargetParams::Reader p, Admin::CreateTargetResults::Builder r) {
  std::string name;
  set_status(r.initStatus(), s.create_target(entry_from(p.getTarget()), name));
  r.setName(name);
}

void serve_modify_target(admin_service& s, Admin::ModifyTargetParams::Reader p, Admin::ModifyTargetResults::Builder r) {
  auto e = entry_from(p.getTarget());
  e.alias_set = p.getChangeAlias();
  e.auth_set = p.getChangeAuth();
  e.groups_set = !e.portal_groups.empty();
  set_status(r.initStatus(), s.modify_target(e));
}

// The iscsi group of a listed target: alias, its portal groups and auth
// (secrets blanked).
void fill_target_iscsi(admin_service& s, TargetInfo::Builder out) {
  target_entry e;
  auto i = out.initIscsi();
  if (!s.target_settings(std::string(out.getName().cStr()), e)) return;
  i.setAlias(e.alias);
  std::vector<portal_group_entry> all;
  s.list_tpgs(all);
  std::vector<portal_group_entry> bound;
  for (auto& n : e.portal_groups)
    for (auto& g : all)
      if (g.name == n) bound.push_back(g);
  auto tpgs = i.initTpgs(unsigned(bound.size()));
  for (unsigned k = 0; k < bound.size(); ++k) {
    tpgs[k].setName(bound[k].name);
    tpgs[k].setTag(bound[k].tag);
    auto ps = tpgs[k].initPortals(unsigned(bound[k].portals.size()));
    for (unsigned j = 0; j < bound[k].portals.size(); ++j) ps[j].setAddress(bound[k].portals[j]);
  }
  auto a = i.initAuth();
  if (e.method == "chap")
    a.initChap().setUser(e.chap_user);
  else
    a.setNone();
  if (!e.mutual_user.empty()) a.initMutual().setUser(e.mutual_user);
}

void serve_list_tpgs(admin_service& s, Admin::ListTpgsResults::Builder r) {
  std::vector<portal_group_entry> groups;
  set_status(r.initStatus(), s.list_tpgs(groups));
  auto out = r.initTpgs(unsigned(groups.size()));
  for (unsigned i = 0; i < groups.size(); ++i) {
    out[i].setName(groups[i].name);
    out[i].setTag(groups[i].tag);
    auto ps = out[i].initPortals(unsigned(groups[i].portals.size()));
    for (unsigned j = 0; j < groups[i].portals.size(); ++j) ps[j].setAddress(groups[i].portals[j]);
  }
}

status create_tpg_from(admin_service& s, TargetPortalGroup::Reader t) {
  portal_group_entry e{str(t.getName()), t.getTag(), {}};
  for (auto p : t.getPortals()) e.portals.push_back(str(p.getAddress()));
  return s.create_tpg(std::move(e));
}

initiator_entry initiator_from(InitiatorRecord::Reader r) {
  return {str(r.getName()), str(r.getChap().getUser()), str(r.getChap().getSecret())};
}

void serve_list_initiators(admin_service& s, Admin::ListInitiatorsResults::Builder r) {
  std::vector<initiator_entry> recs;
  set_status(r.initStatus(), s.list_initiators(recs));
  auto out = r.initInitiators(unsigned(recs.size()));
  for (unsigned i = 0; i < recs.size(); ++i) {
    out[i].setName(recs[i].name);
    out[i].initChap().setUser(recs[i].chap_user);  // the secret never leaves the daemon
  }
}

status discovery_auth_from(admin_service& s, TargetAuth::Reader a) {
  if (a.isUseDefault()) return {ErrorCode::INVALID_ARGUMENT, "discovery auth is none or chap"};
  return s.modify_defaults("", a.isChap() ? "chap" : "none");
}

// listTargets: every local port with its iSCSI settings, session count and
// target group.
void serve_list_targets(admin_service& service, Admin::ListTargetsResults::Builder r) {
  port_summary_list ports;
  set_status(r.initStatus(), service.list_targets(ports));
  std::vector<group_listing> tgs;
  service.list_groups(false, tgs);
  auto out = r.initTargets(unsigned(ports.size()));
  for (unsigned i = 0; i < ports.size(); ++i) {
    auto& p = ports[i];
    out[i].setName(p.port.target_name);
    out[i].setKind(p.port.kind == transport::iscsi ? PortKind::ISCSI : PortKind::FIBRE_CHANNEL);
    if (p.port.kind == transport::iscsi) fill_target_iscsi(service, out[i]);
    out[i].setOnline(p.port.online);
    out[i].setRelativePortId(p.port.relative_port_id);
    out[i].setSessionCount(p.sessions);
    for (auto& g : tgs)
      for (auto& m : g.members)
        if (wire::cfg::fold_case(m) == wire::cfg::fold_case(p.port.target_name)) out[i].setTargetGroup(g.name);
  }
}

}  // namespace stmfd::admin
