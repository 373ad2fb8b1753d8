// The library methods of wire/admin.capnp (issue 8), filled from the admin
// service (admin_service_library.cpp).
#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {

using namespace wire::admin;

namespace {

element_place place_from(ElementPlace::Reader p) {
  if (p.isSlot()) return {element_place::kind::slot, p.getSlot()};
  if (p.isImportExport()) return {element_place::kind::import_export, p.getImportExport()};
  return {};
}

ElementType type_of(uint8_t t) {
  switch (t) {
    case 2: return ElementType::SLOT;
    case 3: return ElementType::IMPORT_EXPORT;
    case 4: return ElementType::DRIVE;
  }
  return ElementType::TRANSPORT;
}

}  // namespace

void serve_list_libraries(admin_service& service, const std::string& name, Admin::ListLibrariesResults::Builder r) {
  std::vector<library_listing> libs;
  set_status(r.initStatus(), service.list_libraries(name, libs));
  auto out = r.initLibraries(unsigned(libs.size()));
  for (unsigned i = 0; i < libs.size(); ++i) {
    const auto& l = libs[i];
    out[i].setName(l.entry.name);
    out[i].setChanger(l.entry.changer);
    auto drives = out[i].initDrives(unsigned(l.entry.drives.size()));
    for (unsigned j = 0; j < l.entry.drives.size(); ++j) drives.set(j, l.entry.drives[j]);
    out[i].setSlots(l.entry.slots);
    out[i].setImportExport(l.entry.import_export);
    out[i].setOnline(l.online);
    auto el = out[i].initElements(unsigned(l.elements.size()));
    for (unsigned j = 0; j < l.elements.size(); ++j) {
      const auto& e = l.elements[j];
      el[j].setType(type_of(e.type));
      el[j].setNumber(e.number);
      el[j].setAddress(e.address);
      el[j].setBarcode(e.barcode);
      el[j].setHasSource(e.source.has_value());
      el[j].setSourceAddress(e.source.value_or(0));
      el[j].setDrive(e.drive);
    }
  }
}

void serve_list_cartridges(admin_service& service, const std::string& library,
                           Admin::ListCartridgesResults::Builder r) {
  std::vector<cartridge_listing> carts;
  set_status(r.initStatus(), service.list_cartridges(library, carts));
  auto out = r.initCartridges(unsigned(carts.size()));
  for (unsigned i = 0; i < carts.size(); ++i) {
    const auto& c = carts[i];
    out[i].setBarcode(c.barcode);
    out[i].setLibrary(c.library);
    out[i].setPath(c.path);
    out[i].setCapacityBytes(c.capacity);
    out[i].setUsedBytes(c.used);
    out[i].setWriteProtect(c.write_protect);
    out[i].setLocation(c.location);
    out[i].setAddress(c.address);
    out[i].setError(c.error);
  }
}

void serve_create_tape_drive(admin_service& service, Admin::CreateTapeDriveParams::Reader p,
                             Admin::CreateTapeDriveResults::Builder r) {
  lu_request req;
  req.name = str(p.getName());
  req.path = str(p.getPath());
  req.size_bytes = p.getSizeBytes();
  req.barcode = str(p.getBarcode());
  std::string guid;
  set_status(r.initStatus(), service.create_tape_drive(req, str(p.getLibrary()), guid));
  r.setGuid(guid);
}

void serve_create_cartridge(admin_service& service, Admin::CreateCartridgeParams::Reader p,
                            Admin::CreateCartridgeResults::Builder r) {
  set_status(r.initStatus(), service.create_cartridge(str(p.getLibrary()), str(p.getBarcode()), p.getSizeBytes(),
                                                      place_from(p.getPlace())));
}

void serve_import_cartridge(admin_service& service, Admin::ImportCartridgeParams::Reader p,
                            Admin::ImportCartridgeResults::Builder r) {
  std::string barcode;
  set_status(r.initStatus(),
             service.import_cartridge(str(p.getLibrary()), str(p.getPath()), place_from(p.getPlace()), barcode));
  r.setBarcode(barcode);
}

}  // namespace stmfd::admin
