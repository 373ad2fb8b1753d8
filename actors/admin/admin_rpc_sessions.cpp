// wire/admin.capnp `listSessions` and `logoutSession`: the framework's
// registered nexuses as SessionInfo (admin_sessions.cpp gathers them).
#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {
namespace {

using namespace wire::admin;

void fill_session(SessionInfo::Builder out, const session_listing_entry& e) {
  out.setNexus(e.nexus);
  out.setInitiatorName(e.initiator.initiator_name);
  out.setInitiatorPort(e.initiator.port_name);
  out.setTarget(e.target);
  out.setRelativePortId(e.relative_port_id);
  out.setKind(e.initiator.kind == transport::iscsi ? PortKind::ISCSI : PortKind::FIBRE_CHANNEL);
  auto luns = out.initLuns(unsigned(e.luns.size()));
  for (unsigned i = 0; i < e.luns.size(); ++i) luns.set(i, e.luns[i]);
  out.setDetailed(e.detailed);
  if (!e.detailed) return;
  auto& d = e.detail;
  out.setSessionId(d.session_id);
  out.setTpgt(d.tpgt);
  out.setLoginTimeNs(d.login_time_ns);
  if (!d.connections.empty()) out.setPeer(d.connections.front().remote);
  auto conns = out.initConnections(unsigned(d.connections.size()));
  for (unsigned i = 0; i < d.connections.size(); ++i) {
    conns[i].setCid(d.connections[i].cid);
    conns[i].setLocal(d.connections[i].local);
    conns[i].setRemote(d.connections[i].remote);
  }
  auto params = out.initParameters(unsigned(d.parameters.size()));
  for (unsigned i = 0; i < d.parameters.size(); ++i) {
    params[i].setKey(d.parameters[i].first);
    params[i].setValue(d.parameters[i].second);
  }
}

}  // namespace

void serve_list_sessions(admin_service& service, Admin::ListSessionsParams::Reader params,
                         Admin::ListSessionsResults::Builder results) {
  session_listing sessions;
  set_status(results.initStatus(), service.list_sessions(str(params.getTarget()), sessions));
  auto out = results.initSessions(unsigned(sessions.size()));
  for (unsigned i = 0; i < sessions.size(); ++i) fill_session(out[i], sessions[i]);
}

void serve_logout_session(admin_service& service, Admin::LogoutSessionParams::Reader params,
                          Admin::LogoutSessionResults::Builder results) {
  set_status(results.initStatus(), service.logout_session(params.getNexus()));
}

}  // namespace stmfd::admin
