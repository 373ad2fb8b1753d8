// STMF's side of a tape library (issue 8): a changer's start from what its
// drives hold, and the library admin verbs (stmf_admin.hpp): requests the
// admin plane makes of a changer or drive LU, forwarded to its shell. A
// changer that is not online cannot answer: its map lives in its core.
#include <caf/all.hpp>

#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

namespace {
// The shells answer at once (a change is pure work on the core's map).
constexpr auto lu_answer_timeout = std::chrono::seconds(10);

library_change_result not_online(const std::string& lu) {
  return {library_change_result::code::conflict, "LU '" + lu + "' is not online", std::nullopt};
}
}  // namespace

// A changer starts from what its drives hold (lu_make_args::drive_media),
// never from its state file alone: a changer that restarts while its
// drives keep running (a crash, offline/online) would otherwise forget a
// loaded drive and could lend that cartridge to a second one. Every
// change of a library drive's cartridge is a drive operation STMF forwards
// (forward_drive_op), which keeps the drive's definition equal to what its
// shell holds once the answer is back; so a drive with no operation
// unsettled counts with def.path at once (a drive LU that is not running
// loads that when it starts). A running drive with one unsettled (the
// changer crashed waiting for it, or its answer was lost) is asked: its
// mailbox orders the question after the operation, so the answer includes
// it; no answer: def.path. The start then goes on only if the LU was not
// stopped or respawned meanwhile (spawn_gen).
void stmf_actor::spawn_changer(size_t i, bool power_on, std::vector<scsi::sense_code> start_uas) {
  struct gathering {
    std::vector<std::string> media;
    size_t waiting = 0;
  };
  const auto library = lus_[i].def.library;
  auto g = std::make_shared<gathering>();
  g->media.resize(library->drives.size());
  const uint64_t gen = lus_[i].spawn_gen;
  auto go_on = [this, i, gen, power_on, start_uas, g]() {
    auto& s = lus_[i];
    if (stopping_ || s.spawn_gen != gen || s.actor || s.def.name.empty()) return;
    start_lu(i, power_on, start_uas, &g->media);
  };
  std::vector<std::pair<size_t, size_t>> asks;  // (drive element, LU index)
  for (size_t d = 0; d < library->drives.size(); ++d) {
    const size_t j = lu_index(library->drives[d].lu_name);
    if (j == lus_.size()) continue;
    if (lus_[j].actor && lus_[j].drive_ops_unsettled > 0)
      asks.emplace_back(d, j);
    else
      g->media[d] = lus_[j].def.path;
  }
  g->waiting = asks.size();
  if (asks.empty()) {
    go_on();
    return;
  }
  for (const auto& ask : asks) {
    const size_t d = ask.first, j = ask.second;  // plain copies: clang 14 cannot capture structured bindings
    request(lus_[j].actor, lu_answer_timeout, get_atom::value, medium_atom::value)
        .then(
            [g, d, go_on](medium_state& m) {
              g->media[d] = m.path;
              if (--g->waiting == 0) go_on();
            },
            [this, g, d, j, go_on](caf::error&) {
              g->media[d] = lus_[j].def.path;
              if (--g->waiting == 0) go_on();
            });
  }
}

size_t stmf_actor::lu_index(const std::string& name) const {
  for (size_t i = 0; i < lus_.size(); ++i)
    if (!lus_[i].def.name.empty() && lus_[i].def.name == name) return i;
  return lus_.size();
}

caf::result<library_change_result> stmf_actor::change_library(const std::string& changer, const library_change& c) {
  const size_t i = lu_index(changer);
  if (i == lus_.size() || !lus_[i].def.library || !lus_[i].actor) return not_online(changer);
  auto rp = make_response_promise<library_change_result>();
  request(lus_[i].actor, lu_answer_timeout, library_atom::value, c)
      .then(
          [this, rp, changer, c](library_change_result& r) mutable {
            const size_t j = lu_index(changer);
            if (r.what == library_change_result::code::ok && j < lus_.size()) lus_[j].def.library = c.next;
            rp.deliver(std::move(r));
          },
          [rp, changer](caf::error&) mutable { rp.deliver(not_online(changer)); });
  return rp;
}

caf::result<std::vector<library_element>> stmf_actor::library_elements(const std::string& changer) {
  const size_t i = lu_index(changer);
  if (i == lus_.size() || !lus_[i].actor) return std::vector<library_element>{};
  auto rp = make_response_promise<std::vector<library_element>>();
  request(lus_[i].actor, lu_answer_timeout, get_atom::value, library_atom::value)
      .then([rp](std::vector<library_element>& e) mutable { rp.deliver(std::move(e)); },
            [rp](caf::error&) mutable { rp.deliver(std::vector<library_element>{}); });
  return rp;
}

caf::result<medium_state> stmf_actor::medium_of(const std::string& drive) {
  const size_t i = lu_index(drive);
  if (i == lus_.size() || !lus_[i].actor) return medium_state{};
  auto rp = make_response_promise<medium_state>();
  request(lus_[i].actor, lu_answer_timeout, get_atom::value, medium_atom::value)
      .then([rp](medium_state& m) mutable { rp.deliver(m); },
            [rp](caf::error&) mutable { rp.deliver(medium_state{}); });
  return rp;
}

}  // namespace stmfd
