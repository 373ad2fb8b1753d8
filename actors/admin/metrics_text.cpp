#include "actors/admin/metrics_text.hpp"

#include <cstdio>

namespace stmfd::admin {
namespace {

std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string labels_of(const stats_entry& e) {
  switch (e.what) {
    case stats_entry::kind::lu: return "lu=\"" + escape(e.name) + "\"";
    case stats_entry::kind::target_port: return "target=\"" + escape(e.name) + "\"";
    case stats_entry::kind::session:
      return "target=\"" + escape(e.name) + "\",initiator=\"" + escape(e.initiator) + "\"";
  }
  return {};
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", s);
  return buf;
}

struct family {
  const char* suffix;
  const char* help;
  uint64_t io_snapshot::*field;
};

const family counters[] = {
    {"commands_total", "SCSI commands that got a status.", &io_snapshot::commands},
    {"read_bytes_total", "Data-In bytes of commands that ended GOOD.", &io_snapshot::read_bytes},
    {"written_bytes_total", "Data-Out bytes of write commands that ended GOOD.", &io_snapshot::written_bytes},
    {"errors_total", "Commands that ended with CHECK CONDITION.", &io_snapshot::errors},
};

void render_kind(std::string& out, const stats_list& entries, stats_entry::kind kind, const char* prefix,
                 const char* what) {
  bool any = false;
  for (auto& e : entries) any = any || e.what == kind;
  if (!any) return;
  for (auto& f : counters) {
    std::string name = std::string("stmfd_") + prefix + "_" + f.suffix;
    out += "# HELP " + name + " " + f.help + " Per " + what + ".\n";
    out += "# TYPE " + name + " counter\n";
    for (auto& e : entries)
      if (e.what == kind) out += name + "{" + labels_of(e) + "} " + std::to_string(e.counters.*f.field) + "\n";
  }
  std::string name = std::string("stmfd_") + prefix + "_latency_seconds";
  out += "# HELP " + name + " Time from the session layer handing a command to its LU to the LU completing it. Per " +
         what + ".\n";
  out += "# TYPE " + name + " histogram\n";
  for (auto& e : entries) {
    if (e.what != kind) continue;
    std::string labels = labels_of(e);
    uint64_t cumulative = 0;
    for (unsigned i = 0; i < latency_buckets; ++i) {
      cumulative += e.counters.latency[i];
      std::string le = i < latency_bounds ? seconds(double(latency_bound_us(i)) * 1e-6) : "+Inf";
      out += name + "_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += name + "_sum{" + labels + "} " + seconds(double(e.counters.latency_sum_ns) * 1e-9) + "\n";
    out += name + "_count{" + labels + "} " + std::to_string(cumulative) + "\n";
  }
}

}  // namespace

std::string render_metrics(const stats_list& entries) {
  std::string out;
  render_kind(out, entries, stats_entry::kind::lu, "lu", "logical unit");
  render_kind(out, entries, stats_entry::kind::target_port, "target", "target port");
  render_kind(out, entries, stats_entry::kind::session, "session", "session (I_T nexus)");
  return out;
}

}  // namespace stmfd::admin
