// itadm's verbs (COMSTAR itadm(8) names and options): targets, target
// portal groups, initiator records, defaults; and stmfadm online-target /
// offline-target. CHAP secrets are never taken from argv: -s reads one
// from the terminal (twice, not echoed) or from standard input.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {
namespace {

using namespace wire::admin;

// One line from the terminal without echo, or from stdin when it is not one.
bool read_line(const char* prompt, std::string& out) {
  if (!isatty(STDIN_FILENO)) return bool(std::getline(std::cin, out));
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~tcflag_t(ECHO);
  std::fprintf(stderr, "%s", prompt);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  bool ok = bool(std::getline(std::cin, out));
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::fprintf(stderr, "\n");
  return ok;
}

// The secret for -s; false (message printed) when none could be read.
bool read_secret(const std::string& program, std::string& secret) {
  if (!read_line("Enter CHAP secret: ", secret) || secret.empty()) {
    std::fprintf(stderr, "%s: no CHAP secret was given on standard input\n", program.c_str());
    return false;
  }
  if (isatty(STDIN_FILENO)) {
    std::string again;
    if (!read_line("Re-enter CHAP secret: ", again) || again != secret) {
      std::fprintf(stderr, "%s: the secrets do not match\n", program.c_str());
      return false;
    }
  }
  return true;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

struct target_args {
  std::string name, alias, tpgs, auth, user;
  bool secret = false, force = false;
};

// create-target / modify-target: the shared options.
void target_options(CLI::App& app, target_args& a) {
  app.add_option("-l,--alias", a.alias, "the TargetAlias sent at login");
  app.add_option("-t,--tpg", a.tpgs, "portal groups, comma separated (create default: the group 'default')");
  app.add_option("-a,--auth-method", a.auth, "none, chap (initiators answer with their initiator records) or default")
      ->check(CLI::IsMember({"none", "chap", "default"}));
  app.add_option("-u,--chap-user", a.user, "the target's CHAP name for bidirectional CHAP (default: its IQN)");
  app.add_flag("-s,--chap-secret", a.secret, "read the target's CHAP secret (12..16 bytes) from standard input");
}

// The request's target from the options; false when -s could not be read.
bool fill_target(const std::string& program, const target_args& a, TargetInfo::Builder t) {
  t.setName(a.name);
  t.setKind(PortKind::ISCSI);
  auto i = t.initIscsi();
  i.setAlias(a.alias);
  auto groups = split_commas(a.tpgs);
  auto tpgs = i.initTpgs(unsigned(groups.size()));
  for (unsigned k = 0; k < groups.size(); ++k) tpgs[k].setName(groups[k]);
  auto auth = i.initAuth();
  if (a.auth == "chap")
    auth.initChap();
  else if (a.auth == "none")
    auth.setNone();
  else
    auth.setUseDefault();
  if (a.secret) {
    std::string secret;
    if (!read_secret(program, secret)) return false;
    auto m = auth.initMutual();
    m.setUser(a.user);
    m.setSecret(secret);
  }
  return true;
}

runner create_target(CLI::App& app, std::shared_ptr<context> c) {
  auto a = std::make_shared<target_args>();
  app.add_option("-n,--node-name", a->name, "the target's iSCSI name (default: one generated; printed)");
  target_options(app, *a);
  return [c, a](connection& conn) {
    auto req = conn.admin().createTargetRequest();
    if (!fill_target(c->program, *a, req.initTarget())) return int(exit_usage);
    auto resp = req.send().wait(conn.wait_scope());
    int rc = report(c->program, resp.getStatus());
    if (rc == exit_ok) std::printf("Target %s successfully created\n", resp.getName().cStr());
    return rc;
  };
}

runner modify_target(CLI::App& app, std::shared_ptr<context> c) {
  auto a = std::make_shared<target_args>();
  target_options(app, *a);
  app.add_option("target", a->name, "the target's iSCSI name")->required();
  auto* alias = app.get_option("--alias");
  auto* auth = app.get_option("--auth-method");
  return [c, a, alias, auth](connection& conn) {
    auto req = conn.admin().modifyTargetRequest();
    if (!fill_target(c->program, *a, req.initTarget())) return int(exit_usage);
    req.setChangeAlias(alias->count() > 0);
    req.setChangeAuth(auth->count() > 0 || a->secret);
    if (a->secret && auth->count() == 0) {
      std::fprintf(stderr, "%s: -s needs -a (the auth the target has with it)\n", c->program.c_str());
      return int(exit_usage);
    }
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner delete_target(CLI::App& app, std::shared_ptr<context> c) {
  auto a = std::make_shared<target_args>();
  app.add_flag("-f,--force", a->force, "log its sessions out (else a target with sessions is refused)");
  app.add_option("target", a->name, "the target's iSCSI name")->required();
  return [c, a](connection& conn) {
    auto req = conn.admin().deleteTargetRequest();
    req.setName(a->name);
    req.setForce(a->force);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

template <bool Online>
runner target_online(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_option("target", *name, "the target's name")->required();
  return [c, name](connection& conn) {
    auto req = conn.admin().setTargetOnlineRequest();
    req.setName(*name);
    req.setOnline(Online);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner create_tpg(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  auto portals = std::make_shared<std::vector<std::string>>();
  auto tag = std::make_shared<uint16_t>(0);
  app.add_option("tpg", *name, "the portal group's name")->required();
  app.add_option("portal", *portals, "ADDR[:PORT] (port default 3260; IPv6 as [ADDR]:PORT)")->required();
  app.add_option("-T,--tag", *tag, "its tag (default: the lowest free from 2)");
  return [c, name, portals, tag](connection& conn) {
    auto req = conn.admin().createTpgRequest();
    auto t = req.initTpg();
    t.setName(*name);
    t.setTag(*tag);
    auto ps = t.initPortals(unsigned(portals->size()));
    for (unsigned i = 0; i < portals->size(); ++i) ps[i].setAddress((*portals)[i]);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner delete_tpg(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_option("tpg", *name, "the portal group (no target may be bound to it)")->required();
  return [c, name](connection& conn) {
    auto req = conn.admin().deleteTpgRequest();
    req.setName(*name);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner list_tpg(CLI::App& app, std::shared_ptr<context> c) {
  app.add_flag("-v,--verbose", c->verbose, "also the portals");
  return [c](connection& conn) {
    auto resp = conn.admin().listTpgsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto g : resp.getTpgs()) {
      rows.push_back({str(g.getName()), std::to_string(g.getTag()), std::to_string(g.getPortals().size())});
      if (c->verbose)
        for (auto p : g.getPortals()) rows.push_back({"", "", "    " + str(p.getAddress())});
    }
    if (!rows.empty()) print_table({"TARGET PORTAL GROUP", "TAG", "PORTAL COUNT"}, rows);
    return report(c->program, resp.getStatus());
  };
}

template <bool Create>
runner initiator_record(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string name, user;
    bool secret = false;
  };
  auto a = std::make_shared<args>();
  app.add_option("initiator", a->name, "the initiator's iSCSI name")->required();
  app.add_option("-u,--chap-user", a->user, "its CHAP name (default: its iSCSI name)");
  app.add_flag("-s,--chap-secret", a->secret, "read its CHAP secret (12..16 bytes) from standard input");
  return [c, a](connection& conn) {
    std::string secret;
    if (a->secret && !read_secret(c->program, secret)) return int(exit_usage);
    auto send = [&](auto req) {
      auto r = req.initRecord();
      r.setName(a->name);
      auto chap = r.initChap();
      chap.setUser(a->user);
      chap.setSecret(secret);
      return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
    };
    if constexpr (Create)
      return send(conn.admin().createInitiatorRequest());
    else
      return send(conn.admin().modifyInitiatorRequest());
  };
}

runner delete_initiator(CLI::App& app, std::shared_ptr<context> c) {
  auto name = std::make_shared<std::string>();
  app.add_option("initiator", *name, "the initiator's iSCSI name")->required();
  return [c, name](connection& conn) {
    auto req = conn.admin().deleteInitiatorRequest();
    req.setName(*name);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner list_initiator(CLI::App& app, std::shared_ptr<context> c) {
  return [c](connection& conn) {
    auto resp = conn.admin().listInitiatorsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto r : resp.getInitiators())
      rows.push_back({str(r.getName()), r.getChap().getUser().size() ? str(r.getChap().getUser()) : "<iqn>", "set"});
    if (!rows.empty()) print_table({"INITIATOR NAME", "CHAPUSER", "SECRET"}, rows);
    return report(c->program, resp.getStatus());
  };
}

runner modify_defaults(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    std::string auth, discovery;
  };
  auto a = std::make_shared<args>();
  app.add_option("-a,--auth-method", a->auth, "auth of targets created with -a default: none or chap")
      ->check(CLI::IsMember({"none", "chap"}));
  app.add_option("-D,--discovery-auth", a->discovery, "SendTargets discovery authentication: none or chap")
      ->check(CLI::IsMember({"none", "chap"}));
  return [c, a](connection& conn) {
    if (a->auth.empty() && a->discovery.empty()) {
      std::fprintf(stderr, "%s: modify-defaults needs -a or -D\n", c->program.c_str());
      return int(exit_usage);
    }
    auto req = conn.admin().modifyDefaultsRequest();
    auto d = req.initDefaults();
    d.setAuth(a->auth);
    d.setDiscoveryAuth(a->discovery);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

runner list_defaults(CLI::App&, std::shared_ptr<context> c) {
  return [c](connection& conn) {
    auto resp = conn.admin().listDefaultsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    auto d = resp.getDefaults();
    print_table({"DEFAULT AUTH", "DISCOVERY AUTH"}, {{str(d.getAuth()), str(d.getDiscoveryAuth())}});
    return report(c->program, resp.getStatus());
  };
}

}  // namespace

const std::vector<verb_entry>& itadm_verbs() {
  static const std::vector<verb_entry> verbs = {
      {"create-target", "itadm", "create an iSCSI target (prints its name)", create_target},
      {"modify-target", "itadm", "change a target's alias, portal groups or auth", modify_target},
      {"delete-target", "itadm", "delete a target (-f: log its sessions out)", delete_target},
      {"online-target", "stmfadm itadm", "let a target accept logins again", target_online<true>},
      {"offline-target", "stmfadm itadm", "log a target's sessions out and refuse logins to it", target_online<false>},
      {"create-tpg", "itadm", "create a target portal group: NAME ADDR[:PORT]...", create_tpg},
      {"delete-tpg", "itadm", "delete a target portal group", delete_tpg},
      {"list-tpg", "itadm", "list target portal groups", list_tpg},
      {"create-initiator", "itadm", "create an initiator's CHAP record", initiator_record<true>},
      {"modify-initiator", "itadm", "change an initiator's CHAP user or secret", initiator_record<false>},
      {"delete-initiator", "itadm", "delete an initiator record", delete_initiator},
      {"list-initiator", "itadm", "list initiator records", list_initiator},
      {"modify-defaults", "itadm", "default target auth (-a) and discovery auth (-D)", modify_defaults},
      {"list-defaults", "itadm", "show the defaults", list_defaults},
  };
  return verbs;
}

}  // namespace stmfd::stmfadm
