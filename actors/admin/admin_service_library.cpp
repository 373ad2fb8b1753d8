// The library verbs (issue 8; wire/admin.capnp "tape libraries") on the
// admin thread. A library is its config entry (Library: changer, drives,
// slots, import/export elements, cartridges) plus the element map its
// changer LU keeps. A change goes to the running changer first (which
// checks it against the map: element full, cartridge in a drive, an
// initiator's PREVENT) and is then written to the config file; when the
// file cannot be written the changer gets the old definition back. After
// a crash between the two, the restart takes the old file, and the changer
// the map that matches it: its state file keeps the map of the definition
// before the change until the next restart (plugins/lu/smc/
// changer_persist.cpp). Cartridge verbs: admin_service_cartridges.cpp.
#include <chrono>
#include <filesystem>
#include <thread>

#include "actors/admin/admin_library_verbs.hpp"
#include "actors/admin/admin_service.hpp"
#include "io/faults.hpp"
#include "wire/config/names.hpp"

namespace stmfd::admin {

namespace fs = std::filesystem;

using namespace library_verbs;

namespace {

status from_change(const library_change_result& r) {
  switch (r.what) {
    case library_change_result::code::ok: return {};
    case library_change_result::code::invalid: return fail(error_code::INVALID_ARGUMENT, r.message);
    case library_change_result::code::not_found: return fail(error_code::NOT_FOUND, r.message);
    case library_change_result::code::conflict: break;
  }
  return fail(error_code::CONFLICT, r.message);
}

element_listing listing_of(const library_element& e, const library_entry& l) {
  element_listing out{e.type, 1, e.address, e.barcode, e.source, {}};
  if (e.type == type_ie) out.number = e.address - ie_base + 1u;
  if (e.type == type_slot) out.number = e.address - slot_base + 1u;
  if (e.type == type_drive) {
    out.number = e.address - drive_base + 1u;
    if (out.number - 1 < l.drives.size()) out.drive = l.drives[out.number - 1];
  }
  return out;
}

std::string location_of(const element_listing& e) {
  switch (e.type) {
    case type_slot: return "slot " + std::to_string(e.number);
    case type_ie: return "import/export " + std::to_string(e.number);
    case type_drive: return "drive " + e.drive;
    case type_transport: return "transport";
  }
  return "unknown";
}

const lu_definition* lu_def(const std::optional<stmf_definitions>& defs, const std::string& name) {
  if (defs)
    for (auto& d : defs->lus)
      if (d.name == name) return &d;
  return nullptr;
}

}  // namespace

std::vector<library_entry> admin_service::library_model() const {
  std::vector<library_entry> out;
  if (!load_error_.empty()) return out;
  for (auto lib : loaded_.root().getLibraries()) {
    library_entry e;
    e.name = lib.getName();
    e.changer = lib.getChanger();
    for (auto d : lib.getDrives()) e.drives.emplace_back(d);
    e.slots = lib.getSlots();
    e.import_export = lib.getImportExport();
    for (auto c : lib.getCartridges()) e.cartridges.push_back({c.getBarcode(), c.getSizeBytes(), c.getPath()});
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<stmf_definitions> admin_service::current_defs() const {
  if (!load_error_.empty()) return std::nullopt;
  return definitions_from(loaded_.root()).defs;
}

std::shared_ptr<const library_definition> admin_service::library_def(const std::optional<stmf_definitions>& defs,
                                                                     const std::string& lib) const {
  if (!defs) return nullptr;
  for (auto& lu : defs->lus)
    if (lu.library && lu.library->name == lib) return lu.library;
  return nullptr;
}

status admin_service::apply_library_change(const std::string& changer, const library_change& c) {
  return from_change(stmf_.change_library(changer, c));
}

// The common path of the verbs that change one library's definition: the
// changer takes the new definition (checked against its map), then the file.
status admin_service::library_commit(const document_change& change, const std::string& lib, library_change c) {
  staged s;
  if (auto st = stage(change, s); !st.ok()) return st;
  auto before = library_def(current_defs(), lib);
  c.next = library_def(s.defs, lib);
  if (!c.next || !before) return fail(error_code::FAILED, "internal: library '" + lib + "' is missing");
  std::string changer;
  for (auto& e : library_model())
    if (e.name == lib) changer = e.changer;
  if (auto st = apply_library_change(changer, c); !st.ok()) return st;
  // Issue 10 fault point: a kill -9 in this window must restart consistent
  // (changer_persist.cpp keeps the map that matches the old config file).
  if (auto f = faults::fire(faults::point::library_commit, changer); f.act == faults::action::stall)
    std::this_thread::sleep_for(std::chrono::milliseconds(f.ms));
  if (auto st = install(s); !st.ok()) {
    stmf_.change_library(changer, library_change{before, std::nullopt, false, true});
    return st;
  }
  return {};
}

// --- listing -----------------------------------------------------------------

status admin_service::list_libraries(const std::string& name, std::vector<library_listing>& out) {
  auto libs = library_model();
  if (!name.empty() && !find_library(libs, name))
    return fail(error_code::NOT_FOUND, "there is no library '" + name + "'");
  for (auto& l : libs) {
    if (!name.empty() && l.name != name) continue;
    library_listing ll{l, false, {}};
    // STMF silent: an error, not a library listed with no elements (offline).
    std::string error;
    auto elements = stmf_.library_elements(l.changer, error);
    if (!error.empty()) {
      out.clear();
      return fail(error_code::FAILED, "cannot list the libraries: " + error);
    }
    for (auto& e : elements) ll.elements.push_back(listing_of(e, l));
    ll.online = !ll.elements.empty();
    out.push_back(std::move(ll));
  }
  return {};
}

status admin_service::list_cartridges(const std::string& library, std::vector<cartridge_listing>& out) {
  std::vector<library_listing> libs;
  if (auto st = list_libraries(library, libs); !st.ok()) return st;
  const lu_provider* tape = providers_ ? providers_->lu("ssc") : nullptr;
  auto defs = current_defs();
  for (auto& ll : libs) {
    auto def = library_def(*defs, ll.entry.name);
    for (size_t i = 0; i < ll.entry.cartridges.size(); ++i) {
      cartridge_listing c;
      c.barcode = ll.entry.cartridges[i].barcode;
      c.library = ll.entry.name;
      c.capacity = ll.entry.cartridges[i].size_bytes;
      if (def && i < def->cartridges.size()) c.path = def->cartridges[i].path;
      c.location = ll.online ? "unknown" : "unknown (the changer is not online)";
      for (auto& e : ll.elements)
        if (e.barcode == c.barcode) {
          c.location = location_of(e);
          c.address = e.address;
        }
      if (!tape || !tape->inspect_medium) {
        c.error = "no tape provider to read it";
      } else {
        auto info = tape->inspect_medium(c.path);
        c.error = info.error;
        c.used = info.used;
        c.write_protect = info.write_protect;
        if (info.error.empty()) c.capacity = info.capacity;
      }
      out.push_back(std::move(c));
    }
  }
  return {};
}

// --- libraries and drives ----------------------------------------------------

status admin_service::create_library(const std::string& name, std::string changer, uint32_t slots,
                                     uint32_t import_export) {
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  if (auto err = wire::cfg::check_lu_name(name); !err.empty())
    return fail(error_code::INVALID_ARGUMENT, "library name '" + name + "': " + err);
  auto libs = library_model();
  if (find_library(libs, name)) return fail(error_code::ALREADY_EXISTS, "library '" + name + "' already exists");
  if (changer.empty()) changer = name + "-changer";
  if (!resolve_lu(changer).empty()) return fail(error_code::ALREADY_EXISTS, "LU '" + changer + "' already exists");
  if (slots < 1 || slots > 4096) return fail(error_code::INVALID_ARGUMENT, "slots must be 1..4096");
  if (import_export > 240) return fail(error_code::INVALID_ARGUMENT, "import/export elements must be 0..240");
  lu_request lu;
  lu.name = changer;
  lu.backing = "ram";
  lu.provider = "smc";
  libs.push_back({name, changer, {}, slots, import_export, {}});
  document_change change;
  change.added_lus.push_back(lu);
  change.libraries = &libs;
  staged s;
  if (auto st = stage(change, s); !st.ok()) return st;
  const lu_definition* def = lu_def(s.defs, changer);
  if (!def) return fail(error_code::FAILED, "internal: the changer is missing from the rendered config");
  std::error_code ec;
  fs::remove(std::string(loaded_.root().getDataDir()) + "/" + changer + ".state", ec);  // an older library's map
  if (auto err = stmf_.create_lu(*def); !err.empty()) return fail(error_code::FAILED, err);
  if (auto st = install(s); !st.ok()) {
    stmf_.delete_lu(changer);
    return st;
  }
  stmf_.apply_views(views_);
  return {};
}

status admin_service::delete_library(const std::string& name, bool force) {
  auto libs = library_model();
  library_entry* l = find_library(libs, name);
  if (!l) return fail(error_code::NOT_FOUND, "there is no library '" + name + "'");
  // Without the changer's map, a drive's cartridge is unknown: only force goes ahead.
  std::string error;
  auto elements = stmf_.library_elements(l->changer, error);
  if (!error.empty() && !force)
    return fail(error_code::FAILED, "cannot tell whether a drive of library '" + name +
                                        "' holds a cartridge: " + error + " (force deletes it anyway)");
  for (auto& e : elements)
    if (e.type == type_drive && !e.barcode.empty() && !force)
      return fail(error_code::CONFLICT, "drive '" + listing_of(e, *l).drive + "' of library '" + name +
                                            "' holds cartridge '" + e.barcode + "' (force deletes it anyway)");
  std::vector<std::string> gone{l->changer};
  gone.insert(gone.end(), l->drives.begin(), l->drives.end());
  mapping next = views_;
  target_port_groups tpgs = alua_;
  for (auto& lu : gone) {
    next.remove_lu(lu);
    tpgs.forget_lu(lu);
  }
  libs.erase(libs.begin() + (l - libs.data()));
  mapping_state m{next.host_groups(), next.target_groups(), next.views(), next.lus()};
  document_change change;
  change.mapping = &m;
  change.removed_lus = gone;
  change.libraries = &libs;
  if (!alua_.groups().empty()) change.tpgs = &tpgs.groups();
  if (auto st = commit(change); !st.ok()) return st;
  std::string err = stmf_.apply_views(views_);
  for (auto& lu : gone)
    if (auto e = stmf_.delete_lu(lu); err.empty()) err = e;
  std::error_code ec;
  fs::remove(std::string(loaded_.root().getDataDir()) + "/" + gone[0] + ".state", ec);
  if (!err.empty())
    return fail(error_code::FAILED, "deleted from the config file but not from the running daemon: " + err);
  return {};
}

status admin_service::create_tape_drive(const lu_request& req_in, const std::string& library, std::string& guid) {
  lu_request req = req_in;
  req.provider = "ssc";
  req.backing = "file";
  if (library.empty()) {
    if (req.path.empty())
      return fail(error_code::INVALID_ARGUMENT, "a standalone drive needs its cartridge file (or --library)");
    return create_lu(req, guid);  // its cartridge file is created blank when missing
  }
  if (!req.path.empty() || req.size_bytes || !req.barcode.empty())
    return fail(error_code::INVALID_ARGUMENT,
                "a library's drive has no cartridge of its own (no path, size or barcode)");
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  if (auto err = wire::cfg::check_lu_name(req.name); !err.empty())
    return fail(error_code::INVALID_ARGUMENT, "LU name '" + req.name + "': " + err);
  if (!resolve_lu(req.name).empty()) return fail(error_code::ALREADY_EXISTS, "LU '" + req.name + "' already exists");
  auto libs = library_model();
  library_entry* l = find_library(libs, library);
  if (!l) return fail(error_code::NOT_FOUND, "there is no library '" + library + "'");
  l->drives.push_back(req.name);
  document_change change;
  change.added_lus.push_back(req);
  change.libraries = &libs;
  staged s;
  if (auto st = stage(change, s); !st.ok()) return st;
  const lu_definition* def = lu_def(s.defs, req.name);
  auto before = library_def(current_defs(), library);
  auto after = library_def(s.defs, library);
  if (!def || !before || !after) return fail(error_code::FAILED, "internal: the drive is missing from the config");
  if (auto err = stmf_.create_lu(*def); !err.empty()) return fail(error_code::FAILED, err);
  if (auto st = apply_library_change(l->changer, library_change{after, std::nullopt, false, false}); !st.ok()) {
    stmf_.delete_lu(req.name);
    return st;
  }
  if (auto st = install(s); !st.ok()) {
    stmf_.change_library(l->changer, library_change{before, std::nullopt, false, true});
    stmf_.delete_lu(req.name);
    return st;
  }
  guid = hex_guid(def->id);
  stmf_.apply_views(views_);
  return {};
}

// A library's drive leaves the changer's map first (its cartridge, when
// forced, back to its slot); a standalone drive with its cartridge loaded
// is refused unless forced (an initiator unloads it: LOAD UNLOAD).
status admin_service::delete_tape_drive(const std::string& name, bool force) {
  std::string lu = resolve_lu(name);
  if (lu.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + name + "'");
  for (auto& d : lus_)
    if (d.name == lu && d.provider != "ssc")
      return fail(error_code::INVALID_ARGUMENT, "LU '" + lu + "' is not a tape drive (delete-lu removes it)");
  auto libs = library_model();
  library_entry* owner = nullptr;
  for (auto& l : libs)
    if (std::find(l.drives.begin(), l.drives.end(), lu) != l.drives.end()) owner = &l;
  if (!owner) {
    std::string error;
    auto m = stmf_.medium(lu, error);
    if (!error.empty() && !force)
      return fail(error_code::FAILED,
                  "cannot tell whether drive '" + lu + "' has its cartridge loaded: " + error + " (or force)");
    if ((m.loaded || m.busy) && !force)
      return fail(error_code::CONFLICT, "drive '" + lu + "' has its cartridge loaded" +
                                            (m.prevented ? " and an initiator prevents its removal" : "") +
                                            " (unload it first, or force)");
    return delete_lu(lu);
  }
  owner->drives.erase(std::find(owner->drives.begin(), owner->drives.end(), lu));
  mapping next = views_;
  next.remove_lu(lu);
  target_port_groups tpgs = alua_;
  tpgs.forget_lu(lu);
  mapping_state m{next.host_groups(), next.target_groups(), next.views(), next.lus()};
  document_change change;
  change.mapping = &m;
  change.removed_lus = {lu};
  change.libraries = &libs;
  if (!alua_.groups().empty()) change.tpgs = &tpgs.groups();
  if (auto st = library_commit(change, owner->name, library_change{nullptr, std::nullopt, false, force}); !st.ok())
    return st;
  std::string err = stmf_.apply_views(views_);
  if (auto e = stmf_.delete_lu(lu); err.empty()) err = e;
  if (!err.empty())
    return fail(error_code::FAILED, "deleted from the config file but not from the running daemon: " + err);
  return {};
}

}  // namespace stmfd::admin
