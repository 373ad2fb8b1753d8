// STMF's statistics (stmf_stats.hpp): read out of the counter blocks it
// handed to the LU shells and session layers.
#include "actors/stmf/stmf_stats.hpp"

#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

stats_list stmf_actor::statistics() const {
  stats_list out;
  for (auto& s : lus_) {
    if (s.def.name.empty()) continue;  // deleted through the admin plane
    stats_entry e;
    e.what = stats_entry::kind::lu;
    e.name = s.def.name;
    e.counters = s.stats->snapshot();
    out.push_back(std::move(e));
  }
  std::vector<stats_entry> sessions;
  for (auto& [nexus, sess] : sessions_) {
    stats_entry e;
    e.what = stats_entry::kind::session;
    e.nexus = nexus;
    e.relative_port_id = sess.relative_port_id;
    e.initiator = sess.initiator.port_name;
    if (sess.stats) e.counters = sess.stats->snapshot();
    sessions.push_back(std::move(e));
  }
  if (local_ports_)
    for (auto& p : *local_ports_) {
      stats_entry e;
      e.what = stats_entry::kind::target_port;
      e.name = p.target_name;
      e.relative_port_id = p.relative_port_id;
      if (auto it = retired_port_stats_.find(p.relative_port_id); it != retired_port_stats_.end())
        e.counters = it->second;
      for (auto& s : sessions)
        if (s.relative_port_id == p.relative_port_id) {
          e.counters += s.counters;
          s.name = p.target_name;
        }
      out.push_back(std::move(e));
    }
  for (auto& s : sessions) out.push_back(std::move(s));
  return out;
}

// The nexus ends: its last counts stay in its port's total.
void stmf_actor::retire_session_stats(const session_slot& s) {
  if (s.stats) retired_port_stats_[s.relative_port_id] += s.stats->snapshot();
}

}  // namespace stmfd
