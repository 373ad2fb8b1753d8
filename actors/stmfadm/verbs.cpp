// The verbs: CLI11 definitions and the admin call each one makes.
#include <kj/exception.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/shell.hpp"

namespace stmfd::stmfadm {
namespace {

using namespace wire::admin;
using runner = std::function<int(connection&)>;

struct context {
  std::string program;
  bool json = false;
  bool verbose = false;
};

struct verb {
  const char* name;
  const char* programs;  // which of stmfadm/sbdadm/itadm offer it (substring match)
  const char* help;
  std::function<runner(CLI::App&, std::shared_ptr<context>)> define;
};

std::string str(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

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

// --- groups --------------------------------------------------------------------

template <bool Hosts>
runner create_group(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_option("group-name", *name, Hosts ? "the new host group" : "the new target group")->required();
  return [c, name](connection& conn) {
    if constexpr (Hosts) {
      auto req = conn.admin().createHostGroupRequest();
      req.setName(*name);
      return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
    } else {
      auto req = conn.admin().createTargetGroupRequest();
      req.setName(*name);
      return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
    }
  };
}

template <bool Hosts>
runner delete_group(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_option("group-name", *name, "the group to delete (no view may use it)")->required();
  return [c, name](connection& conn) {
    if constexpr (Hosts) {
      auto req = conn.admin().deleteHostGroupRequest();
      req.setName(*name);
      return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
    } else {
      auto req = conn.admin().deleteTargetGroupRequest();
      req.setName(*name);
      return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
    }
  };
}

// add-hg-member / remove-hg-member / add-tg-member / remove-tg-member:
// each member is one call; the first refusal stops (earlier ones stay).
template <bool Hosts, bool Add>
runner group_member(CLI::App& app, std::shared_ptr<context> c) {
  auto group = std::make_shared<std::string>();
  auto members = std::make_shared<std::vector<std::string>>();
  app.add_option("-g,--group-name", *group, "the group")->required();
  app.add_option("member", *members, Hosts ? "initiator names (iqn., eui., naa., wwn.)" : "target names")->required();
  return [c, group, members](connection& conn) {
    for (auto& m : *members) {
      int rc;
      auto send = [&](auto req) {
        req.setGroup(*group);
        req.setMember(m);
        return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
      };
      if constexpr (Hosts && Add)
        rc = send(conn.admin().addHostGroupMemberRequest());
      else if constexpr (Hosts)
        rc = send(conn.admin().removeHostGroupMemberRequest());
      else if constexpr (Add)
        rc = send(conn.admin().addTargetGroupMemberRequest());
      else
        rc = send(conn.admin().removeTargetGroupMemberRequest());
      if (rc != exit_ok) return rc;
    }
    return int(exit_ok);
  };
}

template <bool Hosts>
runner list_groups(CLI::App& app, std::shared_ptr<context> c) {
  app.add_flag("-v,--verbose", c->verbose, "also list the members");
  return [c](connection& conn) {
    auto print = [&](auto resp, const char* noun) {
      if (c->json) return print_json(resp), report(c->program, resp.getStatus());
      for (auto g : resp.getGroups()) {
        std::printf("%s: %s\n", noun, g.getName().cStr());
        if (c->verbose)
          for (auto m : g.getMembers()) std::printf("        Member: %s\n", m.cStr());
      }
      return report(c->program, resp.getStatus());
    };
    if constexpr (Hosts)
      return print(conn.admin().listHostGroupsRequest().send().wait(conn.wait_scope()), "Host Group");
    else
      return print(conn.admin().listTargetGroupsRequest().send().wait(conn.wait_scope()), "Target Group");
  };
}

// --- views ---------------------------------------------------------------------

runner add_view(CLI::App& app, std::shared_ptr<context> c) {
  auto hg = std::make_shared<std::string>(), tg = std::make_shared<std::string>(), lu = std::make_shared<std::string>();
  auto lun = std::make_shared<int>(-1);
  app.add_option("-h,--host-group", *hg, "host group (default: all initiators)");
  app.add_option("-t,--target-group", *tg, "target group (default: all targets)");
  app.add_option("-n,--lun", *lun, "LUN 0..16383 (default: the lowest free one)");
  app.add_option("lu", *lu, "the LU: its name or GUID")->required();
  return [c, hg, tg, lu, lun](connection& conn) {
    auto req = conn.admin().addViewRequest();
    auto v = req.initView();
    v.setLogicalUnit(*lu);
    v.setHostGroup(*hg);
    v.setTargetGroup(*tg);
    if (*lun < 0 || *lun > 65535) {
      if (*lun != -1) {
        std::fprintf(stderr, "%s: LUN %d is out of range (0..16383)\n", c->program.c_str(), *lun);
        return int(exit_invalid);
      }
    } else {
      v.setLun(uint16_t(*lun));
      v.setLunAssigned(true);
    }
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok && !c->json && *lun < 0) std::printf("LUN: %u\n", resp.getLun());
    return rc;
  };
}

// COMSTAR numbers a LU's view entries 0, 1, ... in list-view; remove-view
// takes those numbers (or -a for all of them).
runner list_view(CLI::App& app, std::shared_ptr<context> c) {
  auto lu = std::make_shared<std::string>();
  auto entries = std::make_shared<std::vector<unsigned>>();
  app.add_option("-l,--lu-name", *lu, "the LU: its name or GUID")->required();
  app.add_option("entry", *entries, "view entry numbers (default: all)");
  return [c, lu, entries](connection& conn) {
    auto req = conn.admin().listViewsRequest();
    req.setLogicalUnit(*lu);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    auto views = resp.getViews();
    for (unsigned i = 0; i < views.size(); ++i) {
      if (!entries->empty() && std::find(entries->begin(), entries->end(), i) == entries->end()) continue;
      auto v = views[i];
      std::printf("View Entry: %u\n", i);
      std::printf("    Host group   : %s\n", v.getHostGroup().size() ? v.getHostGroup().cStr() : "All");
      if (v.getTarget().size())
        std::printf("    Target       : %s\n", v.getTarget().cStr());
      else
        std::printf("    Target Group : %s\n", v.getTargetGroup().size() ? v.getTargetGroup().cStr() : "All");
      std::printf("    LUN          : %u\n", v.getLun());
    }
    return report(c->program, resp.getStatus());
  };
}

runner remove_view(CLI::App& app, std::shared_ptr<context> c) {
  auto lu = std::make_shared<std::string>();
  auto entries = std::make_shared<std::vector<unsigned>>();
  auto all = std::make_shared<bool>(false);
  app.add_option("-l,--lu-name", *lu, "the LU: its name or GUID")->required();
  app.add_flag("-a,--all", *all, "remove every view of the LU");
  app.add_option("entry", *entries, "view entry numbers as list-view shows them");
  return [c, lu, entries, all](connection& conn) {
    if (*all == !entries->empty()) {
      std::fprintf(stderr, "%s: remove-view needs either -a or view entry numbers\n", c->program.c_str());
      return int(exit_usage);
    }
    auto lreq = conn.admin().listViewsRequest();
    lreq.setLogicalUnit(*lu);
    auto listed = lreq.send().wait(conn.wait_scope());
    if (int rc = report(c->program, listed.getStatus()); rc != exit_ok) return rc;
    auto views = listed.getViews();
    for (unsigned e : *entries)
      if (e >= views.size()) {
        std::fprintf(stderr, "%s: LU '%s' has no view entry %u\n", c->program.c_str(), lu->c_str(), e);
        return int(exit_not_found);
      }
    for (unsigned i = 0; i < views.size(); ++i) {
      if (!*all && std::find(entries->begin(), entries->end(), i) == entries->end()) continue;
      auto req = conn.admin().removeViewRequest();
      req.setView(views[i]);
      if (int rc = report(c->program, req.send().wait(conn.wait_scope()).getStatus()); rc != exit_ok) return rc;
    }
    return int(exit_ok);
  };
}

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

runner create_lu(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string size, name, guid, path;
    uint32_t block = 512;
    bool ram = false, block_device = false, no_cache = false, read_only = false;
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
  app.add_flag("-v,--verbose", c->verbose, "sessions and target group of each target");
  return [c](connection& conn) {
    auto resp = conn.admin().listTargetsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    for (auto t : resp.getTargets()) {
      std::printf("Target: %s\n", t.getName().cStr());
      if (!c->verbose) continue;
      std::printf("    Operational Status : %s\n", t.getOnline() ? "Online" : "Offline");
      std::printf("    Provider Name      : %s\n", t.getKind() == PortKind::ISCSI ? "iscsit" : "fct");
      std::printf("    Relative Port ID   : %u\n", t.getRelativePortId());
      std::printf("    Target Group       : %s\n", t.getTargetGroup().size() ? t.getTargetGroup().cStr() : "-");
      std::printf("    Sessions           : %u\n", t.getSessionCount());
    }
    return report(c->program, resp.getStatus());
  };
}

// Verbs the daemon does not serve yet still parse and reach it, so the
// answer (and exit code 7) comes from one place.
template <auto Request>
runner not_served(CLI::App& app, std::shared_ptr<context> c) {
  app.allow_extras();
  return [c](connection& conn) {
    auto req = (conn.admin().*Request)(nullptr);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

const std::vector<verb>& all_verbs() {
  static const std::vector<verb> verbs = {
      {"create-hg", "stmfadm", "create a host group", create_group<true>},
      {"delete-hg", "stmfadm", "delete a host group", delete_group<true>},
      {"add-hg-member", "stmfadm", "add initiators to a host group", group_member<true, true>},
      {"remove-hg-member", "stmfadm", "remove initiators from a host group", group_member<true, false>},
      {"list-hg", "stmfadm", "list host groups", list_groups<true>},
      {"create-tg", "stmfadm", "create a target group", create_group<false>},
      {"delete-tg", "stmfadm", "delete a target group", delete_group<false>},
      {"add-tg-member", "stmfadm", "add targets to a target group", group_member<false, true>},
      {"remove-tg-member", "stmfadm", "remove targets from a target group", group_member<false, false>},
      {"list-tg", "stmfadm", "list target groups", list_groups<false>},
      {"add-view", "stmfadm", "show an LU to a host group through a target group at a LUN", add_view},
      {"remove-view", "stmfadm", "remove view entries of an LU", remove_view},
      {"list-view", "stmfadm", "list the view entries of an LU", list_view},
      {"list-lu", "stmfadm sbdadm", "list LUs", list_lu},
      {"online-lu", "stmfadm", "bring an LU online", lu_online<true>},
      {"offline-lu", "stmfadm", "take an LU offline (commands get NOT READY)", lu_online<false>},
      {"create-lu", "stmfadm sbdadm", "create a disk LU and print its GUID", create_lu},
      {"delete-lu", "stmfadm sbdadm", "delete an LU and its views", delete_lu},
      {"modify-lu", "sbdadm", "change an LU (not implemented yet)", not_served<&Admin::Client::modifyLuRequest>},
      {"import-lu", "sbdadm", "define an LU over an existing file (not implemented yet)",
       not_served<&Admin::Client::importLuRequest>},
      {"list-target", "stmfadm itadm", "list targets", list_target},
      {"create-target", "itadm", "create an iSCSI target (not implemented yet)",
       not_served<&Admin::Client::createTargetRequest>},
      {"modify-target", "itadm", "modify an iSCSI target (not implemented yet)",
       not_served<&Admin::Client::modifyTargetRequest>},
      {"delete-target", "itadm", "delete an iSCSI target (not implemented yet)",
       not_served<&Admin::Client::deleteTargetRequest>},
      {"create-tpg", "itadm", "create a target portal group (not implemented yet)",
       not_served<&Admin::Client::createTpgRequest>},
      {"list-tpg", "itadm", "list target portal groups (not implemented yet)",
       not_served<&Admin::Client::listTpgsRequest>},
      {"create-initiator", "itadm", "create an initiator record (not implemented yet)",
       not_served<&Admin::Client::createInitiatorRequest>},
  };
  return verbs;
}

const char* exit_codes_text =
    "Exit codes: 0 done, 1 the daemon failed, 2 usage, 3 not found, 4 already exists,\n"
    "5 conflict, 6 invalid argument, 7 not implemented yet, 8 daemon unreachable,\n"
    "9 permission denied.\n"
    "Run without a verb for the interactive mode. --socket PATH (before the verb)\n"
    "names the admin socket (default: STMFD_ADMIN_SOCKET, /run/stmfd/admin.sock as root).";

}  // namespace

std::vector<std::string> verbs_of(const std::string& program) {
  std::vector<std::string> out;
  for (auto& v : all_verbs())
    if (std::string(v.programs).find(program) != std::string::npos) out.push_back(v.name);
  return out;
}

int run_verb(const std::string& program, const std::vector<std::string>& args, connection& conn) {
  auto ctx = std::make_shared<context>();
  ctx->program = program;
  CLI::App app(program + ": administer stmfd (COMSTAR's " + program + " verbs)", program);
  app.footer(exit_codes_text);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_flag("--json", ctx->json, "print listings as JSON");
  std::vector<std::pair<CLI::App*, runner>> subs;
  for (auto& v : all_verbs()) {
    if (std::string(v.programs).find(program) == std::string::npos) continue;
    auto* sub = app.add_subcommand(v.name, v.help);
    sub->set_help_flag("--help", "print this verb's options and exit");  // -h is add-view's host group
    subs.emplace_back(sub, v.define(*sub, ctx));
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? int(exit_ok) : int(exit_usage);
  }
  for (auto& [sub, run] : subs) {
    if (!sub->parsed()) continue;
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { run = [rc = run(conn)](connection&) { return rc; }; })) {
      std::fprintf(stderr, "%s: cannot reach stmfd at %s: %s\n", program.c_str(), conn.path().c_str(),
                   e->getDescription().cStr());
      return exit_unreachable;
    }
    return run(conn);
  }
  return exit_usage;
}

}  // namespace stmfd::stmfadm
