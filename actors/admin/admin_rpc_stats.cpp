// wire/admin.capnp `statistics`: the framework's counters as StatsEntry.
#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {
namespace {

using namespace wire::admin;

void fill_counters(Counters::Builder out, const io_snapshot& c) {
  out.setCommands(c.commands);
  out.setReadBytes(c.read_bytes);
  out.setWrittenBytes(c.written_bytes);
  out.setErrors(c.errors);
  out.setLatencySumNs(c.latency_sum_ns);
  auto bounds = out.initLatencyBucketsUs(latency_bounds);
  for (unsigned i = 0; i < latency_bounds; ++i) bounds.set(i, latency_bound_us(i));
  auto counts = out.initLatencyCounts(latency_buckets);
  for (unsigned i = 0; i < latency_buckets; ++i) counts.set(i, c.latency[i]);
}

}  // namespace

void serve_statistics(admin_service& service, Admin::StatisticsResults::Builder results) {
  stats_list entries;
  auto st = service.statistics(entries);
  auto status = results.initStatus();
  status.setCode(st.code);
  status.setMessage(st.message);
  auto out = results.initEntries(unsigned(entries.size()));
  for (unsigned i = 0; i < entries.size(); ++i) {
    auto& e = entries[i];
    auto o = out[i];
    switch (e.what) {
      case stats_entry::kind::lu: o.setLu(e.name); break;
      case stats_entry::kind::target_port: o.setTargetPort(e.name); break;
      case stats_entry::kind::session:
        o.setSession(e.nexus);
        o.setInitiator(e.initiator);
        o.setTarget(e.name);
        break;
    }
    if (e.what != stats_entry::kind::lu) o.setRelativePortId(e.relative_port_id);
    fill_counters(o.initCounters(), e.counters);
  }
}

}  // namespace stmfd::admin
