// The LU and target verbs (sbdadm create-lu/delete-lu/list-lu, stmfadm
// list-lu/online-lu/offline-lu, list-target).
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

namespace {

const char* state_name(LuState s) {
  switch (s) {
    case LuState::ONLINE: return "Online";
    case LuState::OFFLINE: return "Offline";
    case LuState::FAILED: return "Failed";
    case LuState::RESTARTING: return "Restarting";
  }
  return "Unknown";
}

std::string backing_of(DiskBacking::Reader b) {
  if (b.isFile()) return str(b.getFile());
  if (b.isBlockDevice()) return str(b.getBlockDevice());
  return "(ram)";
}

template <bool Online>
runner lu_online(CLI::App& app, std::shared_ptr<context> c) {
  auto lu = std::make_shared<std::string>();
  app.add_option("lu", *lu, "the LU: its name or GUID")->required();
  return [c, lu](connection& conn) {
    auto req = conn.admin().setLuOnlineRequest();
    req.setName(*lu);
    req.setOnline(Online);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

}  // namespace

runner online_lu(CLI::App& app, std::shared_ptr<context> c) { return lu_online<true>(app, c); }
runner offline_lu(CLI::App& app, std::shared_ptr<context> c) { return lu_online<false>(app, c); }

// --- LUs -----------------------------------------------------------------------

runner list_lu(CLI::App& app, std::shared_ptr<context> c) {
  auto lu = std::make_shared<std::string>();
  app.add_flag("-v,--verbose", c->verbose, "every property of each LU");
  app.add_option("lu", *lu, "only this LU (name or GUID)");
  return [c, lu](connection& conn) {
    auto req = conn.admin().listLusRequest();
    req.setName(*lu);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto l : resp.getLus()) {
      auto spec = l.getSpec();
      auto disk = spec.getDisk();
      if (c->verbose) {
        std::printf("LU Name: %s\n", spec.getIdentity().getGuid().cStr());
        std::printf("    Alias             : %s\n", spec.getName().cStr());
        std::printf("    Operational Status: %s%s%s\n", state_name(l.getState()), l.getReason().size() ? " - " : "",
                    l.getReason().cStr());
        std::printf("    Provider Name     : sbd\n");
        std::printf("    View Entry Count  : %u\n", l.getViewCount());
        std::printf("    Data File         : %s\n", backing_of(disk.getBacking()).c_str());
        std::printf("    Size              : %llu\n", static_cast<unsigned long long>(disk.getSizeBytes()));
        std::printf("    Block Size        : %u\n", disk.getBlockSize());
        std::printf("    Vendor ID         : %s\n", spec.getIdentity().getVendor().cStr());
        std::printf("    Product ID        : %s\n", spec.getIdentity().getProduct().cStr());
        std::printf("    Serial Num        : %s\n", spec.getIdentity().getSerial().cStr());
        std::printf("    Write Cache       : %s\n", disk.getWriteCache() ? "Enabled" : "Disabled");
        std::printf("    Access State      : %s\n", disk.getReadOnly() ? "Read Only" : "Read/Write");
        std::printf("    Provisioning      : %s\n", disk.getThin() ? "Thin" : "Thick");
      } else {
        rows.push_back({str(spec.getName()), str(spec.getIdentity().getGuid()), state_name(l.getState()),
                        disk.getSizeBytes() ? human_size(disk.getSizeBytes()) : "-", std::to_string(l.getViewCount()),
                        backing_of(disk.getBacking())});
      }
    }
    if (!c->verbose) print_table({"NAME", "GUID", "STATE", "SIZE", "VIEWS", "BACKING"}, rows);
    return report(c->program, resp.getStatus());
  };
}

runner create_lu(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string size, name, guid, path;
    uint32_t block = 512;
    bool ram = false, block_device = false, no_cache = false, read_only = false, thick = false;
  };
  auto a = std::make_shared<args>();
  app.add_option("-s,--size", a->size, "size: bytes or with k, m, g, t (binary); required for files and RAM");
  app.add_option("-b,--block-size", a->block, "logical block size: 512 or 4096")->check(CLI::IsMember({512, 4096}));
  app.add_option("-N,--name", a->name, "the LU's name (default: the file name without its extension)");
  app.add_option("-g,--guid", a->guid, "the GUID, 32 hex digits starting with 6 (default: derived from the name)");
  app.add_flag("--ram", a->ram, "a RAM disk (lost when the daemon stops)");
  app.add_flag("--block-device", a->block_device, "PATH is a block device");
  app.add_flag("--no-write-cache", a->no_cache, "every write is stable before GOOD");
  app.add_flag("-r,--read-only", a->read_only, "writes answer DATA PROTECT");
  app.add_flag("--thick", a->thick, "fully provisioned: a file is allocated in full now (no UNMAP)");
  app.add_option("path", a->path, "the backing file (relative: in the daemon's data directory) or device");
  return [c, a](connection& conn) {
    uint64_t size = 0;
    if (!a->size.empty() && !parse_size(a->size, size)) {
      std::fprintf(stderr, "%s: '%s' is not a size\n", c->program.c_str(), a->size.c_str());
      return int(exit_invalid);
    }
    if (a->ram == !a->path.empty()) {
      std::fprintf(stderr, "%s: create-lu needs either a PATH or --ram\n", c->program.c_str());
      return int(exit_usage);
    }
    std::string name = a->name;
    if (name.empty() && !a->path.empty()) name = std::filesystem::path(a->path).stem().string();
    if (name.empty()) {
      std::fprintf(stderr, "%s: a RAM LU needs --name\n", c->program.c_str());
      return int(exit_usage);
    }
    auto req = conn.admin().createLuRequest();
    auto spec = req.initSpec();
    spec.setName(name);
    spec.initIdentity().setGuid(a->guid);
    auto disk = spec.initDisk();
    if (a->ram)
      disk.initBacking().setRam();
    else if (a->block_device)
      disk.initBacking().setBlockDevice(a->path);
    else
      disk.initBacking().setFile(a->path);
    disk.setSizeBytes(size);
    disk.setBlockSize(a->block);
    disk.setWriteCache(!a->no_cache);
    disk.setReadOnly(a->read_only);
    disk.setThin(!a->thick);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok && !c->json) {
      // sbdadm's own report: the GUID, then the size and source.
      std::printf("Created the following LU:\n\n");
      print_table({"GUID", "DATA SIZE", "SOURCE"},
                  {{str(resp.getGuid()), std::to_string(size), a->ram ? "(ram)" : a->path}});
    }
    return rc;
  };
}

runner delete_lu(CLI::App& app, std::shared_ptr<context> c) {
  auto lu = std::make_shared<std::string>();
  app.add_option("lu", *lu, "the LU: its name or GUID (its views go with it; the backing file stays)")->required();
  return [c, lu](connection& conn) {
    auto req = conn.admin().deleteLuRequest();
    req.setName(*lu);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

// --- targets -------------------------------------------------------------------

runner list_target(CLI::App& app, std::shared_ptr<context> c) {
  auto only = std::make_shared<std::string>();
  app.add_flag("-v,--verbose", c->verbose, "state, sessions, portal groups, auth and target group of each target");
  app.add_option("target", *only, "only this target");
  return [c, only](connection& conn) {
    auto resp = conn.admin().listTargetsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    bool found = only->empty();
    int sessions_rc = exit_ok;  // a session listing that failed (its error already on stderr)
    for (auto t : resp.getTargets()) {
      if (!only->empty() && str(t.getName()) != *only) continue;
      found = true;
      std::printf("Target: %s\n", t.getName().cStr());
      if (!c->verbose) continue;
      std::printf("    Operational Status : %s\n", t.getOnline() ? "Online" : "Offline");
      std::printf("    Provider Name      : %s\n", t.getKind() == PortKind::ISCSI ? "iscsit" : "fct");
      std::printf("    Relative Port ID   : %u\n", t.getRelativePortId());
      std::printf("    Target Group       : %s\n", t.getTargetGroup().size() ? t.getTargetGroup().cStr() : "-");
      std::printf("    Sessions           : %u\n", t.getSessionCount());
      if (t.getKind() != PortKind::ISCSI) {
        if (t.getSessionCount())
          sessions_rc = std::max(sessions_rc, print_target_sessions(c->program, conn, str(t.getName())));
        continue;
      }
      auto i = t.getIscsi();
      std::printf("    Alias              : %s\n", i.getAlias().size() ? i.getAlias().cStr() : "-");
      std::string tpgs;
      for (auto g : i.getTpgs())
        tpgs += (tpgs.empty() ? "" : ",") + str(g.getName()) + "(" + std::to_string(g.getTag()) + ")";
      std::printf("    Portal Groups      : %s\n", tpgs.empty() ? "- (portals in the config)" : tpgs.c_str());
      auto a = i.getAuth();
      std::printf(
          "    Auth               : %s\n",
          a.isChap() ? (a.getChap().getUser().size() ? "chap (own user)" : "chap (initiator records)") : "none");
      std::printf("    Target CHAP User   : %s\n",
                  a.hasMutual() && a.getMutual().getUser().size() ? a.getMutual().getUser().cStr() : "-");
      if (t.getSessionCount())
        sessions_rc = std::max(sessions_rc, print_target_sessions(c->program, conn, str(t.getName())));
    }
    if (!found) {
      std::fprintf(stderr, "%s: there is no target '%s'\n", c->program.c_str(), only->c_str());
      return int(exit_not_found);
    }
    return sessions_rc;
  };
}

}  // namespace stmfd::stmfadm
