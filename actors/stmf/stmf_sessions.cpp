// STMF's session listing and forced logout (stmf_admin.hpp: session_detail_atom,
// session_logout_atom). STMF knows each nexus's identity, port and
// inventory; what the transport negotiated is asked of the nexus's own
// actor (actors/contracts/session_detail.hpp), so no thread but the
// provider's touches the provider's state.
#include <algorithm>

#include <caf/all.hpp>

#include "actors/common/ask_all.hpp"
#include "actors/common/log.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

namespace {
// A nexus actor that does not answer in this time (busy, or a provider
// that does not report details) is listed with STMF's facts only.
constexpr auto detail_timeout = std::chrono::seconds(2);
}  // namespace

caf::result<session_listing> stmf_actor::list_sessions(const std::string& target) {
  session_listing out;
  std::vector<caf::actor> ask;
  for (auto& [nexus, s] : sessions_) {
    session_listing_entry e;
    e.nexus = nexus;
    e.initiator = s.initiator;
    e.relative_port_id = s.relative_port_id;
    if (local_ports_)
      for (auto& p : *local_ports_)
        if (p.relative_port_id == s.relative_port_id) e.target = p.target_name;
    if (!target.empty() && e.target != target) continue;
    for (auto& m : s.mapped) e.luns.push_back(m.lun);
    std::sort(e.luns.begin(), e.luns.end());
    out.push_back(std::move(e));
    ask.push_back(s.actor);
  }
  auto rp = make_response_promise();
  ask_each<session_detail>(
      this, ask, detail_timeout,
      [rp, out = std::move(out)](std::vector<std::optional<session_detail>>&& got) mutable {
        for (size_t i = 0; i < got.size() && i < out.size(); ++i)
          if (got[i]) {
            out[i].detailed = true;
            out[i].detail = std::move(*got[i]);
          }
        rp.deliver(std::move(out));
      },
      get_atom::value, session_detail_atom::value);
  return caf::delegated<session_listing>{};
}

bool stmf_actor::logout_session(uint64_t nexus) {
  auto it = sessions_.find(nexus);
  if (it == sessions_.end() || !it->second.actor) return false;
  log::info("stmf: administrator logs out nexus {} ({})", nexus, it->second.initiator.port_name);
  send(it->second.actor, session_logout_atom::value);
  return true;
}

}  // namespace stmfd
