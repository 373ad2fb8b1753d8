// The tape library verbs (issue 8; wire/admin.capnp "tape libraries"):
// libraries, tape drives and cartridges, in the spirit of a VTL's admin
// (mhvtl's vtlcmd, a library's operator panel): create, import/export,
// list, write-protect.
#include <cstdio>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

namespace {

std::string hex4(uint16_t a) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04Xh", a);
  return buf;
}

const char* type_name(ElementType t) {
  switch (t) {
    case ElementType::TRANSPORT: return "transport";
    case ElementType::SLOT: return "slot";
    case ElementType::IMPORT_EXPORT: return "import/export";
    case ElementType::DRIVE: return "drive";
  }
  return "?";
}

// --slot N / --ie N (1-based) into a request's ElementPlace; both given is
// a usage error.
struct place_args {
  int slot = 0, ie = 0;
  void define(CLI::App& app, const char* default_text) {
    app.add_option("--slot", slot, std::string("into storage slot N (1-based; default: ") + default_text + ")");
    app.add_option("--ie", ie, "into import/export element N (1-based)");
  }
  bool fill(ElementPlace::Builder p, const std::string& program) const {
    if (slot && ie) {
      std::fprintf(stderr, "%s: give --slot or --ie, not both\n", program.c_str());
      return false;
    }
    if (slot < 0 || ie < 0) {
      std::fprintf(stderr, "%s: element numbers start at 1\n", program.c_str());
      return false;
    }
    if (slot)
      p.setSlot(uint32_t(slot));
    else if (ie)
      p.setImportExport(uint32_t(ie));
    else
      p.setAny();
    return true;
  }
};

}  // namespace

runner list_library(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_flag("-v,--verbose", c->verbose, "each library's element map: slots, drives, import/export, barcodes");
  app.add_option("library", *name, "only this library");
  return [c, name](connection& conn) {
    auto req = conn.admin().listLibrariesRequest();
    req.setName(*name);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto l : resp.getLibraries()) {
      if (!c->verbose) {
        rows.push_back({str(l.getName()), str(l.getChanger()), std::to_string(l.getDrives().size()),
                        std::to_string(l.getSlots()), std::to_string(l.getImportExport()),
                        l.getOnline() ? "Online" : "Offline"});
        continue;
      }
      std::printf("Library: %s\n", l.getName().cStr());
      std::printf("    Changer LU        : %s (%s)\n", l.getChanger().cStr(), l.getOnline() ? "Online" : "Offline");
      std::printf("    Drives            : %u\n", l.getDrives().size());
      std::printf("    Slots             : %u\n", l.getSlots());
      std::printf("    Import/Export     : %u\n", l.getImportExport());
      std::vector<std::vector<std::string>> el;
      for (auto e : l.getElements()) {
        if (e.getType() == ElementType::TRANSPORT) continue;
        el.push_back({"    " + std::string(type_name(e.getType())) + " " + std::to_string(e.getNumber()),
                      hex4(e.getAddress()), e.getBarcode().size() ? str(e.getBarcode()) : "-",
                      e.getHasSource() ? hex4(e.getSourceAddress()) : "-",
                      e.getDrive().size() ? str(e.getDrive()) : "-"});
      }
      if (!el.empty()) print_table({"    ELEMENT", "ADDRESS", "BARCODE", "FROM", "DRIVE LU"}, el);
    }
    if (!c->verbose) print_table({"LIBRARY", "CHANGER", "DRIVES", "SLOTS", "I/E", "STATE"}, rows);
    return report(c->program, resp.getStatus());
  };
}

runner create_library(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string name, changer;
    uint32_t slots = 0, ie = 0;
  };
  auto a = std::make_shared<args>();
  app.add_option("-s,--slots", a->slots, "storage slots (1..4096)")->required();
  app.add_option("--ie", a->ie, "import/export elements (0..240; default 0)");
  app.add_option("--changer", a->changer, "the changer LU's name (default: NAME-changer)");
  app.add_option("library", a->name, "the library's name")->required();
  return [c, a](connection& conn) {
    auto req = conn.admin().createLibraryRequest();
    req.setName(a->name);
    req.setChanger(a->changer);
    req.setSlots(a->slots);
    req.setImportExport(a->ie);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

// delete-library, delete-tape-drive: a name and --force.
template <bool Library>
runner delete_with_force(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  app.add_flag("-f,--force", *force, "also when a drive holds a cartridge (it goes back to its slot)");
  app.add_option(Library ? "library" : "drive", *name, Library ? "the library" : "the tape drive LU")->required();
  return [c, name, force](connection& conn) {
    auto send = [&](auto req) {
      req.setName(*name);
      req.setForce(*force);
      return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
    };
    if constexpr (Library)
      return send(conn.admin().deleteLibraryRequest());
    else
      return send(conn.admin().deleteTapeDriveRequest());
  };
}

runner delete_library(CLI::App& app, std::shared_ptr<context> c) { return delete_with_force<true>(app, c); }
runner delete_tape_drive(CLI::App& app, std::shared_ptr<context> c) { return delete_with_force<false>(app, c); }

runner create_tape_drive(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string name, library, path, size, barcode;
  };
  auto a = std::make_shared<args>();
  app.add_option("-l,--library", a->library, "a drive of this library (next data transfer element)");
  app.add_option("-s,--size", a->size, "standalone: the cartridge's capacity (k, m, g, t)");
  app.add_option("--barcode", a->barcode, "standalone: the new cartridge's volume tag");
  app.add_option("-N,--name", a->name, "the drive LU's name")->required();
  app.add_option("path", a->path, "standalone: its cartridge file (relative: in the data directory)");
  return [c, a](connection& conn) {
    uint64_t size = 0;
    if (!a->size.empty() && !parse_size(a->size, size)) {
      std::fprintf(stderr, "%s: '%s' is not a size\n", c->program.c_str(), a->size.c_str());
      return int(exit_invalid);
    }
    auto req = conn.admin().createTapeDriveRequest();
    req.setName(a->name);
    req.setLibrary(a->library);
    req.setPath(a->path);
    req.setSizeBytes(size);
    req.setBarcode(a->barcode);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok && !c->json) std::printf("%s\n", resp.getGuid().cStr());
    return rc;
  };
}

runner create_cartridge(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string library, barcode, size = "1g";
    place_args place;
  };
  auto a = std::make_shared<args>();
  app.add_option("-l,--library", a->library, "the library")->required();
  app.add_option("-s,--size", a->size, "capacity (k, m, g, t; default 1g)");
  a->place.define(app, "the first empty slot");
  app.add_option("barcode", a->barcode, "the volume tag: letters, digits, '-', '_', '.'")->required();
  return [c, a](connection& conn) {
    uint64_t size = 0;
    if (!parse_size(a->size, size)) {
      std::fprintf(stderr, "%s: '%s' is not a size\n", c->program.c_str(), a->size.c_str());
      return int(exit_invalid);
    }
    auto req = conn.admin().createCartridgeRequest();
    req.setLibrary(a->library);
    req.setBarcode(a->barcode);
    req.setSizeBytes(size);
    if (!a->place.fill(req.initPlace(), c->program)) return int(exit_usage);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner import_cartridge(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string library, path;
    place_args place;
  };
  auto a = std::make_shared<args>();
  app.add_option("-l,--library", a->library, "the library")->required();
  a->place.define(app, "the first empty import/export element, else slot");
  app.add_option("path", a->path, "the cartridge file (relative: in the data directory)")->required();
  return [c, a](connection& conn) {
    auto req = conn.admin().importCartridgeRequest();
    req.setLibrary(a->library);
    req.setPath(a->path);
    if (!a->place.fill(req.initPlace(), c->program)) return int(exit_usage);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok && !c->json) std::printf("%s\n", resp.getBarcode().cStr());
    return rc;
  };
}

runner export_cartridge(CLI::App& app, std::shared_ptr<context> c) {
  auto barcode = std::make_shared<std::string>();
  app.add_option("barcode", *barcode, "the cartridge (not in a drive)")->required();
  return [c, barcode](connection& conn) {
    auto req = conn.admin().exportCartridgeRequest();
    req.setBarcode(*barcode);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok && !c->json) std::printf("%s\n", resp.getPath().cStr());
    return rc;
  };
}

runner list_cartridge(CLI::App& app, std::shared_ptr<context> c) {
  auto library = std::make_shared<std::string>();
  app.add_option("-l,--library", *library, "only this library's");
  return [c, library](connection& conn) {
    auto req = conn.admin().listCartridgesRequest();
    req.setLibrary(*library);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto x : resp.getCartridges()) {
      const bool ok = x.getError().size() == 0;
      rows.push_back({str(x.getBarcode()), str(x.getLibrary()), str(x.getLocation()), human_size(x.getCapacityBytes()),
                      ok ? human_size(x.getUsedBytes()) : "?", ok ? (x.getWriteProtect() ? "yes" : "no") : "?",
                      ok ? str(x.getPath()) : str(x.getPath()) + " (" + str(x.getError()) + ")"});
    }
    print_table({"BARCODE", "LIBRARY", "LOCATION", "CAPACITY", "USED", "WP", "FILE"}, rows);
    return report(c->program, resp.getStatus());
  };
}

runner set_write_protect(CLI::App& app, std::shared_ptr<context> c) {
  auto barcode = std::make_shared<std::string>();
  auto state = std::make_shared<std::string>();
  app.add_option("barcode", *barcode, "the cartridge (not in a drive)")->required();
  app.add_option("state", *state, "on or off")->required()->check(CLI::IsMember({"on", "off"}));
  return [c, barcode, state](connection& conn) {
    auto req = conn.admin().setCartridgeWriteProtectRequest();
    req.setBarcode(*barcode);
    req.setWriteProtect(*state == "on");
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

}  // namespace stmfd::stmfadm
