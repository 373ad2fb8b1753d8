// stmfadm list-session and logout-session (wire/admin.capnp listSessions,
// logoutSession), and the sessions list-target -v prints under a target
// (as COMSTAR's stmfadm list-target -v does).
#include <cstdio>
#include <ctime>
#include <memory>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"
#include "wire/config/names.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

namespace {

std::string login_time(uint64_t ns) {
  if (ns == 0) return "-";
  std::time_t t = std::time_t(ns / 1000000000u);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[64];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return out;
}

std::string luns_of(SessionInfo::Reader s) {
  std::string out;
  for (auto l : s.getLuns()) out += (out.empty() ? "" : ",") + std::to_string(l);
  return out.empty() ? "-" : out;
}

// One session as a block, indented by `indent` spaces; parameters too when
// verbose.
void print_session(SessionInfo::Reader s, int indent, bool verbose) {
  const char* pad = "                ";
  int n = indent > 16 ? 16 : indent;
  std::printf("%.*sSession: %llu\n", n, pad, static_cast<unsigned long long>(s.getNexus()));
  auto line = [&](const char* key, const std::string& value) {
    std::printf("%.*s    %-16s: %s\n", n, pad, key, value.c_str());
  };
  line("Initiator", str(s.getInitiatorName()));
  line("Initiator Port", str(s.getInitiatorPort()));
  line("Target", str(s.getTarget()));
  line("LUNs", luns_of(s));
  if (!s.getDetailed()) {
    line("Details", "- (its port provider did not answer)");
    return;
  }
  line("Session ID", str(s.getSessionId()));
  if (s.getKind() == PortKind::ISCSI) line("TPGT", std::to_string(s.getTpgt()));
  line("Logged in since", login_time(s.getLoginTimeNs()));
  for (auto c : s.getConnections())
    line("Connection", "cid " + std::to_string(c.getCid()) + ": " + str(c.getLocal()) + " <- " + str(c.getRemote()));
  if (!verbose) return;
  std::printf("%.*s    Parameters:\n", n, pad);
  for (auto kv : s.getParameters())
    std::printf("%.*s        %s=%s\n", n, pad, kv.getKey().cStr(), kv.getValue().cStr());
}

}  // namespace

int print_target_sessions(const std::string& program, connection& conn, const std::string& target) {
  auto req = conn.admin().listSessionsRequest();
  req.setTarget(target);
  auto resp = req.send().wait(conn.wait_scope());
  if (resp.getStatus().getCode() != ErrorCode::OK) return report(program, resp.getStatus());
  for (auto s : resp.getSessions()) print_session(s, 8, false);
  return exit_ok;
}

runner list_session(CLI::App& app, std::shared_ptr<context> c) {
  auto target = std::make_shared<std::string>();
  app.add_flag("-v,--verbose", c->verbose, "each session with its connections and negotiated parameters");
  app.add_option("target", *target, "only the sessions of this target");
  return [c, target](connection& conn) {
    auto req = conn.admin().listSessionsRequest();
    req.setTarget(*target);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (resp.getStatus().getCode() != ErrorCode::OK) return report(c->program, resp.getStatus());
    if (c->verbose) {
      for (auto s : resp.getSessions()) print_session(s, 0, true);
      return report(c->program, resp.getStatus());
    }
    std::vector<std::vector<std::string>> rows;
    for (auto s : resp.getSessions())
      rows.push_back({std::to_string(s.getNexus()), str(s.getInitiatorPort()), str(s.getTarget()),
                      s.getDetailed() && s.getConnections().size() ? str(s.getConnections()[0].getRemote()) : "-",
                      luns_of(s)});
    print_table({"NEXUS", "INITIATOR PORT", "TARGET", "REMOTE", "LUNS"}, rows);
    return report(c->program, resp.getStatus());
  };
}

runner logout_session(CLI::App& app, std::shared_ptr<context> c) {
  auto nexus = std::make_shared<uint64_t>(0);
  auto initiator = std::make_shared<std::string>();
  auto* n = app.add_option("nexus", *nexus, "the session's nexus id (list-session's NEXUS)");
  auto* i = app.add_option("-i,--initiator", *initiator, "every session of this initiator name instead");
  n->excludes(i);
  i->excludes(n);
  return [c, nexus, initiator, n](connection& conn) {
    std::vector<uint64_t> targets;
    if (n->count()) {
      targets.push_back(*nexus);
    } else if (!initiator->empty()) {
      auto resp = conn.admin().listSessionsRequest().send().wait(conn.wait_scope());
      if (resp.getStatus().getCode() != ErrorCode::OK) return report(c->program, resp.getStatus());
      for (auto s : resp.getSessions())
        if (wire::cfg::fold_case(str(s.getInitiatorName())) == wire::cfg::fold_case(*initiator))
          targets.push_back(s.getNexus());
      if (targets.empty()) {
        std::fprintf(stderr, "%s: initiator '%s' has no session\n", c->program.c_str(), initiator->c_str());
        return int(exit_not_found);
      }
    } else {
      std::fprintf(stderr, "%s: logout-session needs a NEXUS or --initiator NAME\n", c->program.c_str());
      return int(exit_usage);
    }
    int rc = exit_ok;
    for (auto x : targets) {
      auto req = conn.admin().logoutSessionRequest();
      req.setNexus(x);
      int r = report(c->program, req.send().wait(conn.wait_scope()).getStatus());
      if (r != exit_ok) rc = r;
    }
    return rc;
  };
}

}  // namespace stmfd::stmfadm
