// stmfadm list-stats: the daemon's statistics (wire/admin.capnp
// `statistics`) as a table, the latency histograms with -v, or JSON.
#include <cstdio>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

namespace {

std::string kind_of(StatsEntry::Reader e) {
  switch (e.which()) {
    case StatsEntry::LU: return "lu";
    case StatsEntry::TARGET_PORT: return "target";
    case StatsEntry::SESSION: return "session";
  }
  return "?";
}

std::string name_of(StatsEntry::Reader e) {
  switch (e.which()) {
    case StatsEntry::LU: return str(e.getLu());
    case StatsEntry::TARGET_PORT: return str(e.getTargetPort());
    case StatsEntry::SESSION: return std::to_string(e.getSession()) + " " + str(e.getInitiator());
  }
  return {};
}

std::string average_us(Counters::Reader c) {
  if (c.getCommands() == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", double(c.getLatencySumNs()) / 1000.0 / double(c.getCommands()));
  return buf;
}

void print_histogram(Counters::Reader c) {
  auto bounds = c.getLatencyBucketsUs();
  auto counts = c.getLatencyCounts();
  for (unsigned i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    std::string le = i < bounds.size() ? "<= " + std::to_string(bounds[i]) + " us" : "slower";
    std::printf("      %-14s %llu\n", le.c_str(), static_cast<unsigned long long>(counts[i]));
  }
}

}  // namespace

runner list_stats(CLI::App& app, std::shared_ptr<context> c) {
  auto kind = std::make_shared<std::string>();
  app.add_flag("-v,--verbose", c->verbose, "also print each latency histogram (non-empty buckets)");
  app.add_option("kind", *kind, "only lu, target or session entries")
      ->check(CLI::IsMember({"lu", "target", "session"}));
  return [c, kind](connection& conn) {
    auto resp = conn.admin().statisticsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    std::vector<std::vector<std::string>> rows;
    for (auto e : resp.getEntries()) {
      if (!kind->empty() && kind_of(e) != *kind) continue;
      auto k = e.getCounters();
      rows.push_back({kind_of(e), name_of(e), std::to_string(k.getCommands()), human_size(k.getReadBytes()),
                      human_size(k.getWrittenBytes()), std::to_string(k.getErrors()), average_us(k)});
    }
    if (!c->verbose) {
      print_table({"KIND", "NAME", "COMMANDS", "READ", "WRITTEN", "ERRORS", "AVG US"}, rows);
    } else {
      for (auto e : resp.getEntries()) {
        if (!kind->empty() && kind_of(e) != *kind) continue;
        auto k = e.getCounters();
        std::printf("%s %s\n", kind_of(e).c_str(), name_of(e).c_str());
        std::printf("    Commands: %llu  Read: %s  Written: %s  Errors: %llu  Average: %s us\n",
                    static_cast<unsigned long long>(k.getCommands()), human_size(k.getReadBytes()).c_str(),
                    human_size(k.getWrittenBytes()).c_str(), static_cast<unsigned long long>(k.getErrors()),
                    average_us(k).c_str());
        if (e.isSession()) std::printf("    Target: %s\n", e.getTarget().cStr());
        print_histogram(k);
      }
    }
    return report(c->program, resp.getStatus());
  };
}

}  // namespace stmfd::stmfadm
