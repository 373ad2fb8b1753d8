#include "actors/model/unit_attentions.hpp"

#include <algorithm>

namespace stmfd {

using scsi::sense_code;

unit_attentions::nexus_state& unit_attentions::state(uint64_t nexus) { return nexus_[nexus]; }

void unit_attentions::enqueue(nexus_state& s, sense_code c) {
  if (c.is_reset()) {
    s.queue.clear();
    s.queue.push_back(c);
    return;
  }
  if (std::find(s.queue.begin(), s.queue.end(), c) != s.queue.end()) return;
  if (s.queue.size() < max_queued) s.queue.push_back(c);
}

void unit_attentions::attach(uint64_t nexus) { state(nexus); }

void unit_attentions::detach(uint64_t nexus) { nexus_.erase(nexus); }

void unit_attentions::post_all(sense_code c) {
  for (auto& [id, s] : nexus_) enqueue(s, c);
}

void unit_attentions::post_all_except(uint64_t nexus, sense_code c) {
  for (auto& [id, s] : nexus_)
    if (id != nexus) enqueue(s, c);
}

void unit_attentions::post(uint64_t nexus, sense_code c) { enqueue(state(nexus), c); }

void unit_attentions::power_on() {
  ++power_on_gen_;
  for (auto& [id, s] : nexus_) s.queue.clear();
}

std::optional<sense_code> unit_attentions::peek(uint64_t nexus) const {
  const auto it = nexus_.find(nexus);
  const uint64_t seen = it == nexus_.end() ? 0 : it->second.power_on_seen;
  if (power_on_gen_ > seen) return scsi::sense::power_on_reset();
  if (it == nexus_.end() || it->second.queue.empty()) return std::nullopt;
  return it->second.queue.front();
}

std::optional<sense_code> unit_attentions::take(uint64_t nexus) {
  nexus_state& s = state(nexus);
  if (power_on_gen_ > s.power_on_seen) {
    s.power_on_seen = power_on_gen_;
    return scsi::sense::power_on_reset();
  }
  if (s.queue.empty()) return std::nullopt;
  const sense_code c = s.queue.front();
  s.queue.erase(s.queue.begin());
  return c;
}

void unit_attentions::clear(uint64_t nexus, sense_code c) {
  const auto it = nexus_.find(nexus);
  if (it == nexus_.end()) return;
  auto& q = it->second.queue;
  q.erase(std::remove(q.begin(), q.end(), c), q.end());
}

}  // namespace stmfd
