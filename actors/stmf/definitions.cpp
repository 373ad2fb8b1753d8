#include "actors/stmf/definitions.hpp"

namespace stmfd {

namespace {

uint8_t hex_value(char c) {
  if (c >= '0' && c <= '9') return uint8_t(c - '0');
  if (c >= 'a' && c <= 'f') return uint8_t(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return uint8_t(c - 'A' + 10);
  return 0;
}

}  // namespace

std::string cartridge_path(const std::string& data_dir, const std::string& library, const std::string& barcode,
                           const std::string& path) {
  if (path.empty()) return data_dir + "/" + library + "/" + barcode + ".cart";
  if (path[0] == '/') return path;
  return data_dir + "/" + path;
}

namespace {

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

// Issue 8: each library's definition, given to its changer LU; its drives'
// identities from their LU definitions, its cartridge files under
// <dataDir>/<library>/.
void add_libraries(wire::cfg::Config::Reader cfg, std::vector<lu_definition>& lus) {
  const std::string data_dir = cfg.getDataDir();
  for (auto lib : cfg.getLibraries()) {
    auto def = std::make_shared<library_definition>();
    def->name = lib.getName();
    def->slots = lib.getSlots();
    def->import_export = lib.getImportExport();
    for (auto d : lib.getDrives()) {
      library_definition::drive drive;
      drive.lu_name = d;
      for (const auto& lu : lus)
        if (lu.name == drive.lu_name) drive.id = lu.id;
      def->drives.push_back(std::move(drive));
    }
    for (auto c : lib.getCartridges()) {
      const std::string code = c.getBarcode();
      def->cartridges.push_back({code, cartridge_path(data_dir, def->name, code, c.getPath()), c.getSizeBytes()});
    }
    for (auto& lu : lus)
      if (lu.name == std::string(lib.getChanger())) lu.library = def;
  }
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
  add_libraries(cfg, out.lus);
  if (auto err = mapping_from_config(cfg, out.views)) return {std::nullopt, *err};
  out.alua = alua_from_config(cfg);
  return {std::move(out), {}};
}

}  // namespace stmfd
