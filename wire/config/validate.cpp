#include "wire/config/validate.hpp"

#include <filesystem>
#include <map>
#include <string_view>

#include "wire/config/identity.hpp"
#include "wire/config/names.hpp"
#include "wire/config/resolve_path.hpp"
#include "wire/config/text_util.hpp"
#include "wire/config/validate_alua.hpp"
#include "wire/config/validate_admin.hpp"
#include "wire/config/validate_fc.hpp"
#include "wire/config/validate_library.hpp"
#include "wire/config/validate_metrics.hpp"
#include "wire/config/validate_portal_groups.hpp"
#include "wire/config/validate_target.hpp"
#include "wire/config/validate_views.hpp"

namespace stmfd::wire::cfg {
namespace {

using detail::quoted;
using detail::resolve;
using detail::text;
using detail::view;

namespace fs = std::filesystem;

std::string check_guid(std::string_view guid) {
  bool hex = guid.size() == 32;
  for (char c : guid) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  if (!hex) return "must be 32 hex digits";
  if (guid[0] != '6') return "must start with 6 (NAA IEEE Registered Extended, SPC-4 7.8.6.6.5)";
  return {};
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// provider "ssc" (a tape drive): standalone, a cartridge file of at least
// 1 MiB; a library's drive, no cartridge of its own. Barcode only for a
// standalone drive. provider "smc" (a media changer): backing "ram", no
// size.
std::string check_tape_provider(LogicalUnit::Builder lu, const std::string& at, bool library_drive) {
  const std::string_view provider = view(lu.getProvider());
  if (provider == "smc") {
    if (view(lu.getBacking()) != "ram")
      return at + ".backing: must be \"ram\" with provider \"smc\" (a media changer stores nothing)";
    if (lu.getSizeBytes() != 0) return at + ".sizeBytes: not used with provider \"smc\"";
    if (lu.getBarcode().size() > 0) return at + ".barcode: only for provider \"ssc\" (a tape drive)";
    if (view(lu.getProduct()) == "VDISK") lu.setProduct("VLIBRARY");
    return {};
  }
  if (provider != "ssc") {
    if (lu.getBarcode().size() > 0) return at + ".barcode: only for provider \"ssc\" (a tape drive)";
    return {};
  }
  if (view(lu.getBacking()) != "file")
    return at + ".backing: must be \"file\" (a cartridge file) with provider \"ssc\"";
  if (library_drive) {
    if (lu.getBarcode().size() > 0)
      return at + ".barcode: not used by a library's drive (the library's cartridges have theirs)";
  } else if (lu.getSizeBytes() < (uint64_t(1) << 20)) {
    return at + ".sizeBytes: a cartridge's capacity must be at least 1048576 bytes (1 MiB)";
  }
  if (auto err = check_printable_ascii(view(lu.getBarcode())); !err.empty()) return at + ".barcode: " + err;
  if (view(lu.getProduct()) == "VDISK") lu.setProduct("VTAPE");
  return {};
}

std::string check_logical_unit(LogicalUnit::Builder lu, const std::string& at, const fs::path& data_dir,
                               bool library_drive) {
  if (auto err = check_lu_name(view(lu.getName())); !err.empty()) return at + ".name: " + err;

  std::string_view backing = view(lu.getBacking());
  const bool no_size = library_drive || view(lu.getProvider()) == "smc";  // issue 8: nothing of their own
  bool needs_path = (backing == "file" || backing == "block") && !library_drive;
  bool has_path = lu.hasPath() && lu.getPath().size() > 0;
  if (library_drive && has_path)
    return at + ".path: not used by a library's drive (the library lends it its cartridges)";
  if (needs_path && !has_path) return at + ".path: required with backing " + quoted(backing);
  if (!needs_path && lu.hasPath()) return at + ".path: not used with backing " + quoted(backing);
  if (has_path) lu.setPath(text(resolve(view(lu.getPath()), data_dir)));

  uint32_t block = lu.getBlockSize();
  if (block != 512 && block != 4096) return at + ".blockSize: must be 512 or 4096";
  uint64_t size = lu.getSizeBytes();
  if (size == 0 && backing != "block" && !no_size)
    return at + ".sizeBytes: must be above 0 with backing " + quoted(backing);
  if (size % block != 0) return at + ".sizeBytes: must be a multiple of blockSize (" + std::to_string(block) + ")";
  const uint64_t physical = lu.getPhysicalBlockSize();
  if (physical != 0 && (physical < block || physical > uint64_t(block) << 15 || (physical & (physical - 1)) != 0))
    return at + ".physicalBlockSize: must be 0 or a power of two from blockSize to 32768 x blockSize";

  if (auto err = check_tape_provider(lu, at, library_drive); !err.empty()) return err;

  if (auto err = check_printable_ascii(view(lu.getVendor())); !err.empty()) return at + ".vendor: " + err;
  if (auto err = check_printable_ascii(view(lu.getProduct())); !err.empty()) return at + ".product: " + err;
  if (lu.getSerial().size() == 0) {
    lu.setSerial(text(derived_serial(view(lu.getName()))));
  } else if (auto err = check_printable_ascii(view(lu.getSerial())); !err.empty()) {
    return at + ".serial: " + err;
  }
  if (lu.getGuid().size() == 0) {
    lu.setGuid(text(derived_guid(view(lu.getName()))));
  } else if (auto err = check_guid(view(lu.getGuid())); !err.empty()) {
    return at + ".guid: " + err;
  } else {
    lu.setGuid(text(upper(view(lu.getGuid()))));
  }
  return {};
}

// Names, guids and backing paths are unique among the LUs.
std::string check_unique_lus(capnp::List<LogicalUnit>::Builder lus) {
  std::map<std::string, size_t> names, guids, paths;
  for (size_t i = 0; i < lus.size(); ++i) {
    auto lu = lus[i];
    std::string at = "logicalUnits[" + std::to_string(i) + "]";
    auto first = [&](std::map<std::string, size_t>& seen, std::string key) -> std::string {
      auto [it, fresh] = seen.emplace(key, i);
      return fresh ? std::string() : "logicalUnits[" + std::to_string(it->second) + "]";
    };
    if (auto prev = first(names, std::string(view(lu.getName()))); !prev.empty())
      return at + ".name: " + quoted(view(lu.getName())) + " is already the name of " + prev;
    if (auto prev = first(guids, std::string(view(lu.getGuid()))); !prev.empty())
      return at + ".guid: " + quoted(view(lu.getGuid())) + " is already the guid of " + prev;
    if (lu.hasPath()) {
      if (auto prev = first(paths, std::string(view(lu.getPath()))); !prev.empty())
        return at + ".path: " + quoted(view(lu.getPath())) + " is already the backing of " + prev;
    }
  }
  return {};
}

}  // namespace

std::string validate_and_complete(Config::Builder config, const std::string& base_dir) {
  std::error_code ec;
  fs::path base = fs::absolute(base_dir.empty() ? fs::path(".") : fs::path(base_dir), ec);
  if (ec) return "cannot resolve the config directory: " + ec.message();

  if (config.getDataDir().size() == 0) return "dataDir: must not be empty";
  config.setDataDir(text(resolve(view(config.getDataDir()), base)));
  fs::path data_dir(view(config.getDataDir()));

  auto iscsi = config.getIscsi();
  if (iscsi.getFirstBurstLength() > iscsi.getMaxBurstLength())
    return "iscsi.firstBurstLength: must not be above iscsi.maxBurstLength (" +
           std::to_string(iscsi.getMaxBurstLength()) + ") (RFC 7143 13.14)";

  auto limits = config.getLimits();
  if (limits.getSessionBufferMemory() == 0) limits.setSessionBufferMemory(limits.getBufferMemory() / 4);
  if (limits.getSessionBufferMemory() < (1u << 20))
    return "limits.sessionBufferMemory: must be at least 1048576 (or 0 for a quarter of bufferMemory), got " +
           std::to_string(limits.getSessionBufferMemory());
  if (limits.getSessionBufferMemory() > limits.getBufferMemory())
    return "limits.sessionBufferMemory: must not be above limits.bufferMemory (" +
           std::to_string(limits.getBufferMemory()) + ")";
  if (limits.getMaxLoggingIn() > limits.getMaxConnections()) limits.setMaxLoggingIn(limits.getMaxConnections());

  auto lus = config.getLogicalUnits();
  const auto library_drives = library_drive_names(config.asReader());
  for (size_t i = 0; i < lus.size(); ++i) {
    const bool library_drive = library_drives.count(std::string(view(lus[i].getName()))) > 0;
    auto err = check_logical_unit(lus[i], "logicalUnits[" + std::to_string(i) + "]", data_dir, library_drive);
    if (!err.empty()) return err;
  }
  if (auto err = check_unique_lus(lus); !err.empty()) return err;
  if (auto err = check_libraries(config.asReader()); !err.empty()) return err;

  if (auto err = check_portal_groups(config); !err.empty()) return err;
  if (auto err = check_targets(config.getTargets(), lus.asReader()); !err.empty()) return err;
  if (auto err = check_fc_ports(config.getFcPorts()); !err.empty()) return err;
  if (auto err = check_target_port_groups(config); !err.empty()) return err;
  if (auto err = check_admin(config.getAdmin(), base); !err.empty()) return err;
  if (auto err = check_metrics(config.getMetrics()); !err.empty()) return err;
  return check_groups_and_views(config.asReader());
}

}  // namespace stmfd::wire::cfg
