// sbdadm/stmfadm modify-lu: reads the LU's definition, changes what the
// options ask for, and sends the whole definition back (Admin.modifyLu);
// sbdadm import-lu (Admin.importLu).
#include <cstdio>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

runner modify_lu(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string lu, size, write_cache, read_only, vendor, product;
  };
  auto a = std::make_shared<args>();
  auto on_off = CLI::IsMember({"on", "off"});
  app.add_option("-s,--size", a->size, "new size (grow only): bytes or with k, m, g, t (binary)");
  app.add_option("--write-cache", a->write_cache, "on or off (MODE PARAMETERS CHANGED to every nexus)")->check(on_off);
  app.add_option("--read-only", a->read_only, "on or off")->check(on_off);
  app.add_option("--vendor", a->vendor, "INQUIRY vendor identification (at most 8 characters)");
  app.add_option("--product", a->product, "INQUIRY product identification (at most 16 characters)");
  app.add_option("lu", a->lu, "the LU: its name or GUID")->required();
  return [c, a](connection& conn) {
    uint64_t size = 0;
    if (!a->size.empty() && !parse_size(a->size, size)) {
      std::fprintf(stderr, "%s: '%s' is not a size\n", c->program.c_str(), a->size.c_str());
      return int(exit_invalid);
    }
    auto list = conn.admin().listLusRequest();
    list.setName(a->lu);
    auto listed = list.send().wait(conn.wait_scope());
    if (int rc = report(c->program, listed.getStatus()); rc != exit_ok) return rc;
    auto req = conn.admin().modifyLuRequest();
    req.setName(a->lu);
    req.setSpec(listed.getLus()[0].getSpec());
    auto spec = req.getSpec();
    auto disk = spec.getDisk();
    if (size != 0) disk.setSizeBytes(size);
    if (!a->write_cache.empty()) disk.setWriteCache(a->write_cache == "on");
    if (!a->read_only.empty()) disk.setReadOnly(a->read_only == "on");
    if (!a->vendor.empty()) spec.getIdentity().setVendor(a->vendor);
    if (!a->product.empty()) spec.getIdentity().setProduct(a->product);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    return report(c->program, resp.getStatus());
  };
}

runner import_lu(CLI::App& app, std::shared_ptr<context> c) {
  auto path = std::make_shared<std::string>(), name = std::make_shared<std::string>();
  app.add_option("-N,--name", *name, "the LU's name (default: the file name without its extension)");
  app.add_option("path", *path, "an existing file in the daemon's data directory (relative: inside it)")->required();
  return [c, path, name](connection& conn) {
    auto req = conn.admin().importLuRequest();
    req.setPath(*path);
    req.setName(*name);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok && !c->json) {
      std::printf("Imported the following LU:\n\n");
      print_table({"GUID", "SOURCE"}, {{str(resp.getGuid()), *path}});
    }
    return rc;
  };
}

}  // namespace stmfd::stmfadm
