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
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {
namespace {

using namespace wire::admin;

using verb = verb_entry;

// --- groups --------------------------------------------------------------------

// create-hg, delete-hg, create-tg, delete-tg: one group name.
template <auto Request>
runner group_by_name(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_option("group-name", *name, "the group (delete: no view may use it)")->required();
  return [c, name](connection& conn) {
    auto req = (conn.admin().*Request)(nullptr);
    req.setName(*name);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
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
      if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
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
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
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

const std::vector<verb>& base_verbs() {
  static const std::vector<verb> verbs = {
      {"create-hg", "stmfadm", "create a host group", group_by_name<&Admin::Client::createHostGroupRequest>},
      {"delete-hg", "stmfadm", "delete a host group", group_by_name<&Admin::Client::deleteHostGroupRequest>},
      {"add-hg-member", "stmfadm", "add initiators to a host group", group_member<true, true>},
      {"remove-hg-member", "stmfadm", "remove initiators from a host group", group_member<true, false>},
      {"list-hg", "stmfadm", "list host groups", list_groups<true>},
      {"create-tg", "stmfadm", "create a target group", group_by_name<&Admin::Client::createTargetGroupRequest>},
      {"delete-tg", "stmfadm", "delete a target group", group_by_name<&Admin::Client::deleteTargetGroupRequest>},
      {"add-tg-member", "stmfadm", "add targets to a target group", group_member<false, true>},
      {"remove-tg-member", "stmfadm", "remove targets from a target group", group_member<false, false>},
      {"list-tg", "stmfadm", "list target groups", list_groups<false>},
      {"add-view", "stmfadm", "show an LU to a host group through a target group at a LUN", add_view},
      {"remove-view", "stmfadm", "remove view entries of an LU", remove_view},
      {"list-view", "stmfadm", "list the view entries of an LU", list_view},
      {"list-lu", "stmfadm sbdadm", "list LUs", list_lu},
      {"online-lu", "stmfadm", "bring an LU online", online_lu},
      {"offline-lu", "stmfadm", "take an LU offline (commands get NOT READY)", offline_lu},
      {"create-lu", "stmfadm sbdadm", "create a disk LU and print its GUID", create_lu},
      {"delete-lu", "stmfadm sbdadm", "delete an LU and its views", delete_lu},
      {"modify-lu", "stmfadm sbdadm", "grow an LU online, change its write cache, read-only, vendor, product",
       modify_lu},
      {"import-lu", "stmfadm sbdadm", "define an LU over an existing file in the data directory", import_lu},
      {"list-target", "stmfadm itadm", "list targets; -v: state, portal groups, auth and sessions", list_target},
      {"list-session", "stmfadm itadm",
       "list I_T nexuses (sessions); -v: connections and negotiated parameters; TARGET: only its", list_session},
      {"logout-session", "stmfadm itadm",
       "end a session: NEXUS, or every session of --initiator NAME (iSCSI: asks it to log out; FC: LOGO)",
       logout_session},
      {"list-fc-port", "stmfadm fcinfo",
       "list FC ports: WWNs, interface, link state, port ID; -v the remote ports logged in", list_fc_port},
      {"list-tpg-alua", "stmfadm", "list ALUA target port groups and their access states", list_tpg_alua},
      {"set-alua-state", "stmfadm",
       "set an ALUA target port group's access state: GROUP STATE [-l LU] (saved in the config)", set_alua_state},
      {"list-stats", "stmfadm", "statistics per LU, target and session (commands, bytes, errors, latency)", list_stats},
      {"watch", "stmfadm", "print events as they happen: logins, logouts, LU state changes, recoveries", watch_events},
      {"apply", "stmfadm", "make the daemon's configuration the one in FILE (all or nothing, live)", apply_config},
      {"list-library", "stmfadm", "list tape libraries; -v: each one's slots, drives, import/export and barcodes",
       list_library},
      {"create-library", "stmfadm", "create a tape library (changer LU, slots, import/export elements)",
       create_library},
      {"delete-library", "stmfadm", "delete a tape library with its changer and drive LUs (files stay)",
       delete_library},
      {"create-tape-drive", "stmfadm", "create a tape drive LU: a library's (-l) or standalone (PATH)",
       create_tape_drive},
      {"delete-tape-drive", "stmfadm", "delete a tape drive LU", delete_tape_drive},
      {"create-cartridge", "stmfadm", "create a blank cartridge in a library's slot or import/export element",
       create_cartridge},
      {"import-cartridge", "stmfadm", "put an existing cartridge file into a library", import_cartridge},
      {"export-cartridge", "stmfadm", "take a cartridge out of its library (its file stays)", export_cartridge},
      {"list-cartridge", "stmfadm", "list cartridges: barcode, where, capacity, used, write protect, file",
       list_cartridge},
      {"set-write-protect", "stmfadm", "set a cartridge's write protect: BARCODE on|off", set_write_protect},
      {"inject-fault", "stmfadm", "arm a fault injection point (tests; Unix socket only)", inject_fault},
      {"list-faults", "stmfadm", "fault injection points: armed specs, passes and firings", list_faults},
      {"clear-faults", "stmfadm", "disarm one fault injection point, or all", clear_faults},
  };
  return verbs;
}

// The table above and itadm's (verbs_itadm.cpp).
const std::vector<verb>& all_verbs() {
  static const std::vector<verb> verbs = [] {
    auto v = base_verbs();
    v.insert(v.end(), itadm_verbs().begin(), itadm_verbs().end());
    return v;
  }();
  return verbs;
}

const char* exit_codes_text =
    "Exit codes: 0 done, 1 the daemon failed, 2 usage, 3 not found, 4 already exists,\n"
    "5 conflict, 6 invalid argument, 7 not implemented yet, 8 daemon unreachable,\n"
    "9 permission denied.\n"
    "Run without a verb for the interactive mode. Before the verb:\n"
    "  --socket PATH       the admin socket (default: STMFD_ADMIN_SOCKET, /run/stmfd/admin.sock as root)\n"
    "  --connect HOST:PORT a remote daemon (Config.admin.listen), over TLS with a token\n"
    "  --token-file FILE   the token's file (default: the STMFD_ADMIN_TOKEN variable)\n"
    "  --ca FILE           PEM certificate to trust for --connect (default: the system's CAs)\n"
    "  --tls-name NAME     the name the server certificate must carry (default: HOST)";

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
  if (!args.empty() && args[0].rfind("-", 0) != 0) {
    auto known = verbs_of(program);
    if (std::find(known.begin(), known.end(), args[0]) == known.end()) {
      std::fprintf(stderr, "%s: unknown verb '%s' (%s --help lists them)\n", program.c_str(), args[0].c_str(),
                   program.c_str());
      return exit_usage;
    }
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
      if (conn.denied()) {
        std::fprintf(stderr, "%s: stmfd at %s refused the admin token: %s\n", program.c_str(), conn.path().c_str(),
                     conn.denied_message().c_str());
        return exit_denied;
      }
      std::fprintf(stderr, "%s: cannot reach stmfd at %s: %s\n", program.c_str(), conn.path().c_str(),
                   e->getDescription().cStr());
      return exit_unreachable;
    }
    return run(conn);
  }
  return exit_usage;
}

}  // namespace stmfd::stmfadm