#include "actors/stmf/definitions.hpp"

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
  d.provider = lu.getProvider();
  d.barcode = lu.getBarcode();
  d.removable = lu.getRemovable();
  d.thin = lu.getThinProvisioning();
  d.physical_block_size = lu.getPhysicalBlockSize();
  d.id.vendor = lu.getVendor();
  d.id.product = lu.getProduct();
  d.id.serial = lu.getSerial();
  std::string guid = lu.getGuid();  // the loader guarantees 32 hex digits
  for (size_t i = 0; i < 16 && 2 * i + 1 < guid.size(); ++i)
    d.id.naa[i] = uint8_t(hex_value(guid[2 * i]) << 4 | hex_value(guid[2 * i + 1]));
  return d;
}

}  // namespace

definitions_result definitions_from(wire::cfg::Config::Reader cfg) {
  stmf_definitions out;
  out.workers = cfg.getThreads().getWorkers();
  out.rings = cfg.getThreads().getRings();
  out.ring_spin_us = cfg.getThreads().getRingSpinUs();
  for (auto lu : cfg.getLogicalUnits()) {
    out.lus.push_back(lu_from(lu));
    out.lus.back().state_dir = cfg.getDataDir();
  }
  if (auto err = mapping_from_config(cfg, out.views)) return {std::nullopt, *err};
  return {std::move(out), {}};
}

}  // namespace stmfd
