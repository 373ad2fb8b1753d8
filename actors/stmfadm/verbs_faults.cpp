// stmfadm inject-fault, list-faults, clear-faults: fault injection for
// system tests (wire/admin.capnp injectFault / listFaults / clearFaults;
// the points are io/faults.hpp's). The daemon serves them on its Unix
// socket only.
#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

namespace {

struct inject_args {
  std::string point, action, match;
  uint32_t after = 1, times = 1, percent = 100, delay_ms = 0;
  uint64_t seed = 1;
};

}  // namespace

runner inject_fault(CLI::App& app, std::shared_ptr<context> c) {
  auto a = std::make_shared<inject_args>();
  app.add_option("point", a->point, "the point (list-faults names them)")->required();
  app.add_option("-a,--action", a->action,
                 "crash, delay, eio, enospc, short, reset or stall (default: the point's first)");
  app.add_option("--after", a->after, "fire from this pass on (1 = the next)")->check(CLI::PositiveNumber);
  app.add_option("--times", a->times, "firings before it disarms itself (0 = until cleared)");
  app.add_option("--percent", a->percent, "chance per eligible pass (1..100)")->check(CLI::Range(1, 100));
  app.add_option("--seed", a->seed, "seeds the chance draws");
  app.add_option("--delay-ms", a->delay_ms, "delay / stall length (default 500)");
  app.add_option("--match", a->match, "only passes by this subject (an LU name) count");
  return [c, a](connection& conn) {
    auto req = conn.admin().injectFaultRequest();
    auto f = req.initFault();
    f.setPoint(a->point);
    f.setAction(a->action);
    f.setAfter(a->after);
    f.setTimes(a->times);
    f.setPercent(a->percent);
    f.setSeed(a->seed);
    f.setDelayMs(a->delay_ms);
    f.setMatch(a->match);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    return report(c->program, resp.getStatus());
  };
}

runner list_faults(CLI::App& app, std::shared_ptr<context> c) {
  return [c](connection& conn) {
    auto resp = conn.admin().listFaultsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto p : resp.getPoints()) {
      std::string actions;
      for (auto x : p.getActions()) actions += (actions.empty() ? "" : ",") + str(x);
      std::string armed = "-";
      if (p.getArmed()) {
        auto s = p.getSpec();
        armed = str(s.getAction()) + " after " + std::to_string(s.getAfter()) + " times " +
                std::to_string(s.getTimes()) +
                (s.getPercent() < 100 ? " " + std::to_string(s.getPercent()) + "%" : "") +
                (s.getMatch().size() ? " match " + str(s.getMatch()) : "");
      }
      rows.push_back({str(p.getName()), actions, armed, std::to_string(p.getPasses()), std::to_string(p.getFirings())});
    }
    print_table({"POINT", "ACTIONS", "ARMED", "PASSES", "FIRINGS"}, rows);
    return report(c->program, resp.getStatus());
  };
}

runner clear_faults(CLI::App& app, std::shared_ptr<context> c) {
  auto point = std::make_shared<std::string>();
  app.add_option("point", *point, "one point (default: every point)");
  return [c, point](connection& conn) {
    auto req = conn.admin().clearFaultsRequest();
    req.setPoint(*point);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) print_json(resp);
    return report(c->program, resp.getStatus());
  };
}

}  // namespace stmfd::stmfadm
