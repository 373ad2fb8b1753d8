// STMF's side of the library admin verbs (stmf_admin.hpp): requests the
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
