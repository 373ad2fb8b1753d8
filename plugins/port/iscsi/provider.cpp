#include "plugins/port/iscsi/provider.hpp"

#include <set>

#include <caf/all.hpp>

#include "plugins/port/iscsi/atoms.hpp"
#include "plugins/port/iscsi/port_actor.hpp"
#include "wire/config/names.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/vpd.hpp"

namespace stmfd::iscsi {

std::shared_ptr<const port_context> context_from(wire::cfg::Config::Reader cfg) {
  auto is = cfg.getIscsi();
  port_settings settings;
  settings.limits.max_recv_data_segment_length = is.getMaxRecvDataSegmentLength();
  settings.limits.max_burst_length = is.getMaxBurstLength();
  settings.limits.first_burst_length = is.getFirstBurstLength();
  settings.limits.immediate_data = is.getImmediateData();
  settings.limits.initial_r2t = is.getInitialR2T();
  settings.limits.max_outstanding_r2t = is.getMaxOutstandingR2T();
  settings.limits.default_time2wait = is.getDefaultTime2Wait();
  settings.limits.default_time2retain = is.getDefaultTime2Retain();
  settings.cmd_window = is.getCmdWindow();
  settings.nop_interval_s = is.getNopInInterval();
  settings.nop_timeout_s = is.getNopInTimeout();
  settings.login_timeout_s = is.getLoginTimeout();
  auto limits = cfg.getLimits();
  settings.max_connections = limits.getMaxConnections();
  settings.max_logging_in = limits.getMaxLoggingIn();
  settings.max_send_backlog = limits.getMaxSendBacklog();
  settings.session_buffer_bytes = limits.getSessionBufferMemory();
  settings.data_out_timeout_s = limits.getDataOutTimeout();

  std::vector<target_port> targets;
  std::vector<std::string> portals;
  std::set<std::string> seen;
  for (auto t : cfg.getTargets()) {
    target_port tp;
    tp.info.name = t.getName();
    tp.info.alias = t.getAlias();
    tp.info.tpgt = t.getTpgt();
    tp.info.target_port_group = t.getTargetPortGroup() ? t.getTargetPortGroup() : t.getTpgt();
    for (auto p : t.getPortals()) {
      tp.info.portals.push_back(p);
      if (seen.insert(p).second) portals.push_back(p);
    }
    // Bound to portal groups: each portal keeps its own group's tag (the
    // loader filled `portals` with their union and `tpgt` with the first's).
    for (auto name : t.getPortalGroups())
      for (auto g : cfg.getPortalGroups())
        if (g.getName() == name)
          for (size_t n = 0; n < g.getPortals().size(); ++n) tp.info.portal_tags.push_back(g.getTag());
    if (tp.info.portal_tags.size() != tp.info.portals.size()) tp.info.portal_tags.clear();  // not in step: one tag
    auto auth = t.getAuth();  // "default" was resolved by the loader
    if (std::string(auth.getMethod()) == "chap") {
      tp.info.chap.user = auth.getChapUser();
      tp.info.chap.secret = auth.getChapSecret();
      tp.info.chap.mutual_user = auth.getMutualUser();
      tp.info.chap.mutual_secret = auth.getMutualSecret();
      tp.info.chap_per_initiator = tp.info.chap.user.empty();
    }
    targets.push_back(std::move(tp));
  }
  // Portal groups no target is bound to listen too (itadm create-tpg
  // serves at once; a login there finds no target until one binds it).
  for (auto g : cfg.getPortalGroups())
    for (auto p : g.getPortals())
      if (seen.insert(p).second) portals.push_back(p);
  std::vector<initiator_record> initiators;
  for (auto r : cfg.getInitiators()) {
    initiator_record rec;
    rec.name = r.getName();
    rec.chap.user = r.getChapUser().size() ? std::string(r.getChapUser()) : rec.name;
    rec.chap.secret = r.getChapSecret();
    initiators.push_back(std::move(rec));
  }
  bool discovery_chap = std::string(cfg.getIscsiDefaults().getDiscoveryAuth()) == "chap";
  return std::make_shared<port_context>(target_directory(std::move(targets), std::move(initiators), discovery_chap),
                                        settings, std::move(portals));
}

const login::chap_config* target_directory::initiator_chap(std::string_view initiator) const {
  std::string want = wire::cfg::fold_case(initiator);
  for (auto& r : initiators_)
    if (wire::cfg::fold_case(r.name) == want) return &r.chap;
  return nullptr;
}

namespace {

// The provider's state, shared by its functions (all called on STMF's
// thread): the context the config defines, and the one its actor serves
// (the same with the ports' online flags).
struct provider_state {
  std::shared_ptr<const port_context> defined;
  std::shared_ptr<const port_context> live;
};

// `ctx` with each target's online flag taken from its local port; the
// TSIH counter stays shared.
std::shared_ptr<const port_context> with_states(const port_context& ctx, const std::vector<local_port>& ports) {
  std::vector<target_port> targets = ctx.directory.targets();
  for (auto& t : targets)
    for (auto& p : ports)
      if (p.target_name == t.info.name) t.info.online = p.online;
  auto out = std::make_shared<port_context>(
      target_directory(std::move(targets), ctx.directory.initiators(), ctx.directory.discovery_chap()), ctx.settings,
      ctx.portals);
  out->next_tsih_ = ctx.next_tsih_;
  return out;
}

std::vector<local_port> ports_of(const port_context& ctx) {
  std::vector<local_port> out;
  for (auto& t : ctx.directory.targets()) {
    local_port lp;
    lp.kind = transport::iscsi;
    lp.target_name = t.info.name;
    lp.target_port_group = t.info.target_port_group;
    out.push_back(std::move(lp));
  }
  return out;
}

}  // namespace

port_provider provider(std::shared_ptr<const port_context> ctx) {
  auto state = std::make_shared<provider_state>(provider_state{ctx, ctx});
  port_provider p;
  p.name = "iscsi";
  p.ports = ports_of(*ctx);
  // SPC-4 7.8.6 with the iSCSI protocol identifier: the target port's SCSI
  // name string ("<name>,t,0x<TPGT>"), relative port, target port group,
  // and the target device's name.
  p.describe = [state](local_port& lp) {
    uint16_t tpgt = 1;
    for (auto& t : state->defined->directory.targets())
      if (t.info.name == lp.target_name) tpgt = t.info.tpgt;
    uint8_t buf[4 * 260];
    scsi::byte_writer w(buf, sizeof buf);
    scsi::vpd::put_iscsi_port_name(w, lp.target_name, tpgt);
    scsi::vpd::put_relative_port(w, lp.relative_port_id);
    scsi::vpd::put_target_port_group(w, lp.target_port_group);
    scsi::vpd::put_iscsi_device_name(w, lp.target_name);
    lp.designators.assign(buf, buf + w.written());
  };
  p.restart_at_once = true;  // port_actor::stop_listening runs in on_exit
  p.spawn = [state](caf::local_actor& stmf, const port_start& s) {
    state->live = with_states(*state->defined, s.ports);
    auto ports = std::make_shared<const std::vector<local_port>>(s.ports);
    return stmf.spawn<port_actor>(s.ring, s.stmf, state->live, std::move(ports));
  };
  p.reconfigure = [state](wire::cfg::Config::Reader cfg) {
    auto next = context_from(cfg);
    std::const_pointer_cast<port_context>(next)->next_tsih_ = state->defined->next_tsih_;
    state->defined = next;
    return ports_of(*next);
  };
  p.update = [state](caf::local_actor&, const caf::actor& running, const std::vector<local_port>& ports) {
    state->live = with_states(*state->defined, ports);
    if (running)
      caf::anon_send(running, reconfigure_atom::value, state->live,
                     std::make_shared<const std::vector<local_port>>(ports));
  };
  return p;
}

}  // namespace stmfd::iscsi
