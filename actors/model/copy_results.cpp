#include "actors/model/copy_results.hpp"

#include <algorithm>

namespace stmfd {

using scsi::xcopy::copy_status;
using scsi::xcopy::list_id_usage;

copy_results::op* copy_results::find(uint64_t nexus, uint32_t list_id) {
  auto it = by_nexus_.find(nexus);
  if (it == by_nexus_.end()) return nullptr;
  for (auto& o : it->second)
    if (o.usage != list_id_usage::none && o.list_id == list_id) return &o;
  return nullptr;
}

copy_results::admit copy_results::begin(uint64_t nexus, uint32_t list_id, list_id_usage usage, uint64_t token) {
  if (running_ >= scsi::xcopy::total_concurrent_copies) return admit::too_many;
  auto& ops = by_nexus_[nexus];
  if (usage != list_id_usage::none) {
    size_t identified = 0;
    for (auto& o : ops) identified += (!o.done && o.usage != list_id_usage::none) ? 1 : 0;
    if (identified >= scsi::xcopy::max_concurrent_copies) return admit::too_many;
    auto same = std::find_if(ops.begin(), ops.end(),
                             [&](const op& o) { return o.usage != list_id_usage::none && o.list_id == list_id; });
    if (same != ops.end()) {
      if (!same->done) return admit::in_use;
      ops.erase(same);  // a finished one's results give way to the new operation
    }
  }
  op o;
  o.token = token;
  o.list_id = list_id;
  o.usage = usage;
  ops.push_back(std::move(o));
  nexus_of_[token] = nexus;
  ++running_;
  return admit::ok;
}

void copy_results::progress(uint64_t token, uint16_t segments, uint64_t bytes) {
  auto n = nexus_of_.find(token);
  if (n == nexus_of_.end()) return;
  for (auto& o : by_nexus_[n->second])
    if (o.token == token) {
      o.segments = segments;
      o.bytes = bytes;
    }
}

void copy_results::finish(uint64_t token, uint16_t segments, uint64_t bytes, std::vector<uint8_t> sense) {
  auto n = nexus_of_.find(token);
  if (n == nexus_of_.end()) return;
  const uint64_t nexus = n->second;
  nexus_of_.erase(n);
  --running_;
  auto it = by_nexus_.find(nexus);
  if (it == by_nexus_.end()) return;  // the nexus ended meanwhile
  auto& ops = it->second;
  auto o = std::find_if(ops.begin(), ops.end(), [&](const op& x) { return x.token == token; });
  if (o == ops.end()) return;
  if (o->usage == list_id_usage::none || o->usage == list_id_usage::no_hold) {
    ops.erase(o);  // nothing held for RECEIVE COPY RESULTS
  } else {
    o->done = true;
    o->segments = segments;
    o->bytes = bytes;
    o->sense = std::move(sense);
    drop_finished_beyond_limit(ops);
  }
  if (ops.empty()) by_nexus_.erase(it);
}

void copy_results::drop_finished_beyond_limit(std::vector<op>& ops) {
  size_t finished = 0;
  for (auto& o : ops) finished += o.done ? 1 : 0;
  for (auto it = ops.begin(); finished > max_held && it != ops.end();) {
    if (it->done) {
      it = ops.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
}

void copy_results::erase(uint64_t nexus, const op* o) {
  auto& ops = by_nexus_[nexus];
  ops.erase(std::find_if(ops.begin(), ops.end(), [&](const op& x) { return &x == o; }));
  if (ops.empty()) by_nexus_.erase(nexus);
}

std::optional<copy_status> copy_results::status(uint64_t nexus, uint32_t list_id) {
  op* o = find(nexus, list_id);
  if (!o) return std::nullopt;
  copy_status s;
  s.segments_processed = o->segments;
  s.bytes = o->bytes;
  if (!o->done) return s;
  s.status = o->sense.empty() ? copy_status::state::completed : copy_status::state::failed;
  // A successful operation's results are all reported now; a failed one
  // stays for FAILED SEGMENT DETAILS.
  if (o->sense.empty()) erase(nexus, o);
  return s;
}

std::optional<copy_results::lid4_status> copy_results::status_lid4(uint64_t nexus, uint32_t list_id) {
  op* o = find(nexus, list_id);
  if (!o) return std::nullopt;
  lid4_status r;
  r.s.segments_processed = o->segments;
  r.s.bytes = o->bytes;
  if (!o->done) return r;
  r.s.status = o->sense.empty() ? copy_status::state::completed : copy_status::state::failed;
  // finish() got real sense (CHECK CONDITION), or one byte: the status an
  // operation that ended without sense ended with (TASK ABORTED, BUSY).
  if (o->sense.size() >= 8) {
    r.completion_status = scsi::status::check_condition;
    r.sense = std::move(o->sense);
  } else if (!o->sense.empty()) {
    r.completion_status = o->sense[0];
  }
  erase(nexus, o);
  return r;
}

std::optional<copy_results::details> copy_results::failed_segment(uint64_t nexus, uint32_t list_id) {
  op* o = find(nexus, list_id);
  if (!o || !o->done) return std::nullopt;
  details d{!o->sense.empty(), std::move(o->sense)};
  erase(nexus, o);
  return d;
}

void copy_results::forget(uint64_t nexus) {
  // Running operations finish on their own (finish() then finds no nexus);
  // until then they still count against the limits.
  by_nexus_.erase(nexus);
}

}  // namespace stmfd
