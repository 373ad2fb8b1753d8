// STMF's events (actors/common/event_hub.hpp): what it publishes for the
// admin plane's subscribers. Publishing never waits for them.
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

void stmf_actor::publish_lu(size_t i) {
  auto& s = lus_[i];
  if (!defs_.events || s.def.name.empty()) return;
  std::pair<lu_state, std::string> now{s.status.state(), s.status.reason()};
  if (s.published == now) return;  // a retry that failed the same way again
  s.published = now;
  defs_.events->publish(lu_state_event(s.def.name, now.first, now.second));
}

void stmf_actor::publish_session(bool login, uint64_t nexus, const session_slot& s) {
  if (!defs_.events) return;
  event_record e;
  e.what = login ? event_record::kind::login : event_record::kind::logout;
  e.nexus = nexus;
  e.initiator_name = s.initiator.initiator_name;
  e.initiator_port = s.initiator.port_name;
  if (local_ports_)
    for (auto& p : *local_ports_)
      if (p.relative_port_id == s.relative_port_id) e.target = p.target_name;
  defs_.events->publish(std::move(e));
}

void stmf_actor::publish_recovery(const std::string& what) {
  if (defs_.events) defs_.events->publish(recovery_event(what));
}

}  // namespace stmfd
