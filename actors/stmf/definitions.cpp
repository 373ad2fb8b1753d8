#include "actors/stmf/definitions.hpp"

#include <set>

namespace stmfd {

namespace {

uint8_t hex_value(char c) {
  if (c >= '0' && c <= '9') return uint8_t(c - '0');
  if (c >= 'a' && c <= 'f') return uint8_t(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return uint8_t(c - 'A' + 10);
  return 0;
}

lu_definition lu_from(wire::cfg::LogicalUnit::Reader lu) {
  lu_definition d;
  d.name = lu.getName();
  std::string kind = lu.getBacking();
  d.backing = kind == "ram"     ? lu_definition::backing_kind::ram
              : kind == "block" ? lu_definition::backing_kind::block
                                : lu_definition::backing_kind::file;
  d.path = lu.getPath();
  d.size_bytes = lu.getSizeBytes();
  d.create = lu.getCreate();
  d.block_size = lu.getBlockSize();
  d.write_cache = lu.getWriteCache();
  d.read_only = lu.getReadOnly();
  d.id.vendor = lu.getVendor();
  d.id.product = lu.getProduct();
  d.id.serial = lu.getSerial();
  std::string guid = lu.getGuid();  // the loader guarantees 32 hex digits
  for (size_t i = 0; i < 16 && 2 * i + 1 < guid.size(); ++i)
    d.id.naa[i] = uint8_t(hex_value(guid[2 * i]) << 4 | hex_value(guid[2 * i + 1]));
  return d;
}

}  // namespace

stmf_definitions definitions_from(wire::cfg::Config::Reader cfg) {
  stmf_definitions out;
  out.workers = cfg.getThreads().getWorkers();
  out.rings = cfg.getThreads().getRings();
  out.ring_spin_us = cfg.getThreads().getRingSpinUs();
  for (auto lu : cfg.getLogicalUnits()) out.lus.push_back(lu_from(lu));

  auto is = cfg.getIscsi();
  iscsi::port_settings settings;
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

  std::vector<iscsi::target_port> targets;
  std::vector<std::string> portals;
  std::set<std::string> seen;
  uint16_t rel_port = 1;
  for (auto t : cfg.getTargets()) {
    iscsi::target_port tp;
    tp.info.name = t.getName();
    tp.info.alias = t.getAlias();
    tp.info.tpgt = t.getTpgt();
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
    tp.relative_port_id = rel_port++;
    target_view view;
    view.target_name = tp.info.name;
    for (auto m : t.getLuns()) {
      view.luns.emplace_back(m.getLun(), std::string(m.getLogicalUnit()));
      for (auto& d : out.lus)
        if (d.name == std::string(m.getLogicalUnit()))
          d.ports.push_back(sbd::port_identity{tp.info.name, tp.relative_port_id, tp.info.tpgt});
    }
    out.views.push_back(std::move(view));
    targets.push_back(std::move(tp));
  }
  out.iscsi = std::make_shared<iscsi::port_context>(
      iscsi::port_context{iscsi::target_directory(std::move(targets)), settings, std::move(portals)});
  return out;
}

}  // namespace stmfd
