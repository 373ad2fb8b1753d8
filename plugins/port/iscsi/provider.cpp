#include "plugins/port/iscsi/provider.hpp"

#include <set>

#include <caf/all.hpp>

#include "plugins/port/iscsi/port_actor.hpp"
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
    auto auth = t.getAuth();
    if (std::string(auth.getMethod()) == "chap") {
      tp.info.chap.user = auth.getChapUser();
      tp.info.chap.secret = auth.getChapSecret();
      tp.info.chap.mutual_user = auth.getMutualUser();
      tp.info.chap.mutual_secret = auth.getMutualSecret();
    }
    targets.push_back(std::move(tp));
  }
  auto ctx = std::make_shared<port_context>(target_directory(std::move(targets)), settings, std::move(portals));
  return ctx;
}

port_provider provider(std::shared_ptr<const port_context> ctx) {
  port_provider p;
  p.name = "iscsi";
  for (auto& t : ctx->directory.targets()) {
    local_port lp;
    lp.kind = transport::iscsi;
    lp.target_name = t.info.name;
    lp.target_port_group = t.info.target_port_group;
    p.ports.push_back(std::move(lp));
  }
  // SPC-4 7.8.6 with the iSCSI protocol identifier: the target port's SCSI
  // name string ("<name>,t,0x<TPGT>"), relative port, target port group,
  // and the target device's name.
  p.describe = [ctx](local_port& lp) {
    uint16_t tpgt = 1;
    for (auto& t : ctx->directory.targets())
      if (t.info.name == lp.target_name) tpgt = t.info.tpgt;
    uint8_t buf[4 * 260];
    scsi::byte_writer w(buf, sizeof buf);
    scsi::vpd::put_iscsi_port_name(w, lp.target_name, tpgt);
    scsi::vpd::put_relative_port(w, lp.relative_port_id);
    scsi::vpd::put_target_port_group(w, lp.target_port_group);
    scsi::vpd::put_iscsi_device_name(w, lp.target_name);
    lp.designators.assign(buf, buf + w.written());
  };
  p.spawn = [ctx](caf::local_actor& stmf, const port_start& s) {
    auto ports = std::make_shared<const std::vector<local_port>>(s.ports);
    return stmf.spawn<port_actor>(s.ring, s.stmf, ctx, std::move(ports));
  };
  return p;
}

}  // namespace stmfd::iscsi
