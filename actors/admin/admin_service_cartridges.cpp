// The cartridge verbs (issue 8; wire/admin.capnp "tape libraries") on the
// admin thread: create a blank cartridge, import an existing file, export
// one (its file stays), set write protect. Each changes the library's
// definition through library_commit (admin_service_library.cpp): the
// changer first, then the config file.
#include <filesystem>

#include "actors/admin/admin_library_verbs.hpp"
#include "actors/admin/admin_service.hpp"

namespace stmfd::admin {

namespace fs = std::filesystem;
using namespace library_verbs;

// --- cartridges --------------------------------------------------------------

status admin_service::create_cartridge(const std::string& library, const std::string& barcode, uint64_t size,
                                       element_place at) {
  auto libs = library_model();
  library_entry* l = find_library(libs, library);
  if (!l) return fail(error_code::NOT_FOUND, "there is no library '" + library + "'");
  if (auto [other, i] = find_cartridge(libs, barcode); other)
    return fail(error_code::ALREADY_EXISTS, "barcode '" + barcode + "' is already in library '" + other->name + "'");
  if (l->cartridges.size() >= l->slots)
    return fail(error_code::CONFLICT, "library '" + library + "' is full (" + std::to_string(l->slots) +
                                          " cartridges for " + std::to_string(l->slots) + " slots)");
  library_change c;
  if (auto st = address_of(at, *l, c); !st.ok()) return st;
  const std::string file = std::string(loaded_.root().getDataDir()) + "/" + library + "/" + barcode + ".cart";
  std::error_code ec;
  if (fs::exists(file, ec))
    return fail(error_code::ALREADY_EXISTS, file + " exists already (import-cartridge takes an existing one)");
  l->cartridges.push_back({barcode, size, {}});
  document_change change;
  change.libraries = &libs;
  staged s;
  if (auto st = stage(change, s); !st.ok()) return st;
  const lu_provider* changer = providers_ ? providers_->lu("smc") : nullptr;
  auto next = library_def(s.defs, library);
  if (!changer || !changer->create_media || !next) return fail(error_code::FAILED, "no media changer provider");
  if (auto err = changer->create_media(*next); !err.empty()) return fail(error_code::FAILED, err);
  if (auto st = library_commit(change, library, c); !st.ok()) {
    fs::remove(file, ec);
    return st;
  }
  return {};
}

status admin_service::import_cartridge(const std::string& library, const std::string& path, element_place at,
                                       std::string& barcode) {
  auto libs = library_model();
  library_entry* l = find_library(libs, library);
  if (!l) return fail(error_code::NOT_FOUND, "there is no library '" + library + "'");
  if (path.empty()) return fail(error_code::INVALID_ARGUMENT, "import-cartridge needs the path of a cartridge file");
  fs::path real;
  if (auto st = existing_in_data_dir(path, real); !st.ok()) return st;
  const lu_provider* tape = providers_ ? providers_->lu("ssc") : nullptr;
  if (!tape || !tape->inspect_medium) return fail(error_code::FAILED, "no tape drive provider to read the file");
  auto info = tape->inspect_medium(real.string());
  if (!info.error.empty()) return fail(error_code::INVALID_ARGUMENT, "not a cartridge: " + info.error);
  barcode = info.barcode;
  if (auto [other, i] = find_cartridge(libs, barcode); other)
    return fail(error_code::ALREADY_EXISTS, "barcode '" + barcode + "' is already in library '" + other->name + "'");
  for (auto& d : lus_)
    if (!d.path.empty() && fs::path(d.path) == real)
      return fail(error_code::ALREADY_EXISTS, real.string() + " is the cartridge of drive '" + d.name + "'");
  if (l->cartridges.size() >= l->slots)
    return fail(error_code::CONFLICT, "library '" + library + "' is full (" + std::to_string(l->slots) + " slots)");
  library_change c;
  if (auto st = address_of(at, *l, c); !st.ok()) return st;
  if (at.where == element_place::kind::any) c.to_import_export = l->import_export > 0;
  fs::path data_dir = fs::weakly_canonical(std::string(loaded_.root().getDataDir()));
  std::string written = real.lexically_relative(data_dir).string();
  if (real == data_dir / library / (barcode + ".cart")) written.clear();  // the default file
  l->cartridges.push_back({barcode, info.capacity, written});
  document_change change;
  change.libraries = &libs;
  return library_commit(change, library, c);
}

status admin_service::export_cartridge(const std::string& barcode, std::string& path) {
  auto libs = library_model();
  auto [l, i] = find_cartridge(libs, barcode);
  if (!l) return fail(error_code::NOT_FOUND, "no library holds a cartridge '" + barcode + "'");
  if (auto def = library_def(current_defs(), l->name); def && i < def->cartridges.size())
    path = def->cartridges[i].path;
  const std::string name = l->name;
  l->cartridges.erase(l->cartridges.begin() + long(i));
  document_change change;
  change.libraries = &libs;
  return library_commit(change, name, library_change{});
}

status admin_service::set_write_protect(const std::string& barcode, bool write_protect) {
  std::vector<cartridge_listing> carts;
  if (auto st = list_cartridges("", carts); !st.ok()) return st;
  for (auto& c : carts) {
    if (c.barcode != barcode) continue;
    if (c.location.rfind("drive ", 0) == 0)
      return fail(error_code::CONFLICT,
                  "cartridge '" + barcode + "' is loaded in " + c.location + "; move it to a slot first");
    const lu_provider* tape = providers_ ? providers_->lu("ssc") : nullptr;
    if (!tape || !tape->set_medium_write_protect) return fail(error_code::FAILED, "no tape drive provider");
    if (auto err = tape->set_medium_write_protect(c.path, write_protect); !err.empty())
      return fail(error_code::FAILED, err);
    return {};
  }
  return fail(error_code::NOT_FOUND, "no library holds a cartridge '" + barcode + "'");
}

}  // namespace stmfd::admin
