#include "actors/model/task_set.hpp"

#include <array>

namespace stmfd {

namespace {

// What a newer SIMPLE task of one class does about an older live task of
// another (the rows of FreeBSD CTL's serialization table, by class).
enum class ser : uint8_t {
  pass,     // never waits
  block,    // waits until the older task has ended
  overlap,  // waits if the extents overlap, under the restricted algorithm only
};

constexpr size_t class_count = 7;

constexpr size_t at(ser_class c) { return static_cast<size_t>(c); }

// ser_table[newer][older], both indexed by ser_class:
//   none read write flush mode_read mode_write exclusive
constexpr ser P = ser::pass;
constexpr ser B = ser::block;
constexpr ser O = ser::overlap;
constexpr std::array<std::array<ser, class_count>, class_count> ser_table{{
    /* none       */ {P, P, P, P, P, P, P},
    /* read       */ {P, P, O, P, P, B, B},
    /* write      */ {P, O, O, O, P, B, B},
    /* flush      */ {P, P, O, P, P, B, B},
    /* mode_read  */ {P, P, P, P, P, B, B},
    /* mode_write */ {B, B, B, B, B, B, B},
    /* exclusive  */ {B, B, B, B, B, B, B},
}};
static_assert(at(ser_class::exclusive) + 1 == class_count, "ser_table covers every ser_class");

// Empty extents touch nothing, not even against a whole-medium one; the
// difference of the two starts is compared so lba + blocks never overflows.
bool overlaps(const extent& a, const extent& b) {
  const bool a_empty = a.blocks == 0 && !a.whole;
  const bool b_empty = b.blocks == 0 && !b.whole;
  if (a_empty || b_empty) return false;
  if (a.whole || b.whole) return true;
  return a.lba <= b.lba ? b.lba - a.lba < a.blocks : a.lba - b.lba < b.blocks;
}

}  // namespace

task_set::task_set(size_t capacity) : slots_(capacity) {
  for (index i = 0; i < capacity; ++i) slots_[i].newer = i + 1 < capacity ? i + 1 : npos;
  free_ = capacity > 0 ? 0 : npos;
}

bool task_set::waits(const slot& older, const slot& newer) {
  if (newer.attr == task_attr::head_of_queue) return false;
  if (newer.attr == task_attr::ordered || older.attr == task_attr::ordered) return true;
  switch (ser_table[at(newer.cls)][at(older.cls)]) {
    case ser::pass: return false;
    case ser::block: return true;
    case ser::overlap: return newer.alg == algorithm::restricted && overlaps(older.e, newer.e);
  }
  return true;  // unreachable: every ser value is handled above
}

task_set::admit task_set::add(handle h, uint64_t nexus, uint64_t tag, task_attr a, ser_class c, extent e) {
  if (free_ == npos) return admit::full;
  slot candidate{.h = h, .nexus = nexus, .tag = tag, .e = e, .attr = a, .cls = c, .alg = algorithm_};
  for (index i = oldest_; i != npos; i = slots_[i].newer) {
    const slot& s = slots_[i];
    if (s.nexus == nexus && s.tag == tag) return admit::overlapped;
    if (waits(s, candidate)) ++candidate.blockers;
  }
  candidate.running = candidate.blockers == 0;

  const index i = free_;
  free_ = slots_[i].newer;
  candidate.older = newest_;
  slots_[i] = candidate;
  (newest_ == npos ? oldest_ : slots_[newest_].newer) = i;
  newest_ = i;
  ++size_;
  if (!candidate.running) ++waiting_;
  return candidate.running ? admit::run : admit::wait;
}

bool task_set::finish(handle h, std::vector<handle>& ready) {
  const index i = locate(h);
  if (i == npos) return false;
  drop(i, ready);
  return true;
}

bool task_set::remove_waiting(handle h, std::vector<handle>& ready) {
  const index i = locate(h);
  if (i == npos || slots_[i].running) return false;
  drop(i, ready);
  return true;
}

bool task_set::running(handle h) const {
  const index i = locate(h);
  return i != npos && slots_[i].running;
}

bool task_set::contains(handle h) const { return locate(h) != npos; }

std::optional<task_set::handle> task_set::find(uint64_t nexus, uint64_t tag) const {
  for (index i = oldest_; i != npos; i = slots_[i].newer) {
    if (slots_[i].nexus == nexus && slots_[i].tag == tag) return slots_[i].h;
  }
  return std::nullopt;
}

task_set::index task_set::locate(handle h) const {
  for (index i = oldest_; i != npos; i = slots_[i].newer) {
    if (slots_[i].h == h) return i;
  }
  return npos;
}

void task_set::retire(index i) {
  slot& s = slots_[i];
  for (index n = s.newer; n != npos; n = slots_[n].newer) {
    slot& t = slots_[n];
    if (!t.running && waits(s, t)) --t.blockers;
  }
  (s.older == npos ? oldest_ : slots_[s.older].newer) = s.newer;
  (s.newer == npos ? newest_ : slots_[s.newer].older) = s.older;
  if (!s.running) --waiting_;
  --size_;
  s.newer = free_;
  s.older = npos;
  free_ = i;
}

void task_set::drop(index i, std::vector<handle>& ready) {
  // Only tasks newer than i can have waited for it.
  const index next = slots_[i].newer;
  retire(i);
  release_from(next, ready);
}

void task_set::release_from(index i, std::vector<handle>& ready) {
  for (; i != npos; i = slots_[i].newer) {
    slot& s = slots_[i];
    if (s.running || s.blockers != 0) continue;
    s.running = true;
    --waiting_;
    ready.push_back(s.h);
  }
}

}  // namespace stmfd
