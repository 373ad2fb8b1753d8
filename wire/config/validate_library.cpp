#include "wire/config/validate_library.hpp"

#include <map>
#include <optional>

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {

namespace {

using detail::quoted;
using detail::view;

constexpr uint32_t max_drives = 0x0F00;  // data transfer elements 0100h..0FFFh

// A barcode is also a file name: letters, digits, '-', '_', '.', not a
// leading '.'.
std::string check_barcode(std::string_view code) {
  if (code.empty()) return "must not be empty";
  if (code[0] == '.') return "must not start with '.'";
  for (char c : code) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return quoted(code) + " may hold only letters, digits, '-', '_' and '.'";
  }
  return {};
}

std::optional<LogicalUnit::Reader> find_lu(Config::Reader config, std::string_view name) {
  for (auto lu : config.getLogicalUnits())
    if (view(lu.getName()) == name) return lu;
  return std::nullopt;
}

std::string check_drives(Config::Reader config, Library::Reader lib, const std::string& at,
                         std::map<std::string, std::string>& drive_owner) {
  auto drives = lib.getDrives();
  if (drives.size() > max_drives) return at + ".drives: at most " + std::to_string(max_drives) + " drives";
  for (size_t d = 0; d < drives.size(); ++d) {
    const std::string dat = at + ".drives[" + std::to_string(d) + "]";
    const std::string name(view(drives[d]));
    auto lu = find_lu(config, name);
    if (!lu) return dat + ": no logical unit is named " + quoted(name);
    if (view(lu->getProvider()) != "ssc") return dat + ": " + quoted(name) + " is not a tape drive (provider \"ssc\")";
    auto [it, fresh] = drive_owner.emplace(name, dat);
    if (!fresh) return dat + ": " + quoted(name) + " is already a drive at " + it->second;
  }
  return {};
}

}  // namespace

std::set<std::string> library_drive_names(Config::Reader config) {
  std::set<std::string> out;
  for (auto lib : config.getLibraries())
    for (auto d : lib.getDrives()) out.emplace(view(d));
  return out;
}

std::string check_libraries(Config::Reader config) {
  std::map<std::string, std::string> names, changers, drive_owner, barcodes, files;
  auto libs = config.getLibraries();
  for (size_t i = 0; i < libs.size(); ++i) {
    auto lib = libs[i];
    const std::string at = "libraries[" + std::to_string(i) + "]";
    const std::string name(view(lib.getName()));
    if (auto err = check_lu_name(name); !err.empty()) return at + ".name: " + err;
    if (auto [it, fresh] = names.emplace(name, at); !fresh)
      return at + ".name: " + quoted(name) + " is already the name of " + it->second;
    const std::string changer(view(lib.getChanger()));
    auto lu = find_lu(config, changer);
    if (!lu) return at + ".changer: no logical unit is named " + quoted(changer);
    if (view(lu->getProvider()) != "smc")
      return at + ".changer: " + quoted(changer) + " is not a media changer (provider \"smc\")";
    if (auto [it, fresh] = changers.emplace(changer, at); !fresh)
      return at + ".changer: " + quoted(changer) + " is already the changer of " + it->second;
    if (auto err = check_drives(config, lib, at, drive_owner); !err.empty()) return err;
    auto carts = lib.getCartridges();
    if (carts.size() > lib.getSlots())
      return at + ".cartridges: " + std::to_string(carts.size()) + " cartridges do not fit in " +
             std::to_string(lib.getSlots()) + " slots";
    for (size_t c = 0; c < carts.size(); ++c) {
      const std::string cat = at + ".cartridges[" + std::to_string(c) + "]";
      const std::string code(view(carts[c].getBarcode()));
      if (auto err = check_barcode(code); !err.empty()) return cat + ".barcode: " + err;
      if (auto [it, fresh] = barcodes.emplace(code, cat); !fresh)
        return cat + ".barcode: " + quoted(code) + " is already the barcode of " + it->second;
      std::string file(view(carts[c].getPath()));
      if (file.empty()) file = name + "/" + code + ".cart";
      if (auto [it, fresh] = files.emplace(file, cat); !fresh)
        return cat + ".path: " + quoted(file) + " is already the file of " + it->second;
    }
  }
  auto lus = config.getLogicalUnits();
  for (size_t i = 0; i < lus.size(); ++i)
    if (view(lus[i].getProvider()) == "smc" && !changers.count(std::string(view(lus[i].getName()))))
      return "logicalUnits[" + std::to_string(i) +
             "].provider: a media changer (\"smc\") must be the changer of a "
             "library (libraries[].changer)";
  return {};
}

}  // namespace stmfd::wire::cfg
