#include "actors/common/io_counters.hpp"

namespace stmfd {

io_snapshot& io_snapshot::operator+=(const io_snapshot& o) {
  commands += o.commands;
  read_bytes += o.read_bytes;
  written_bytes += o.written_bytes;
  errors += o.errors;
  latency_sum_ns += o.latency_sum_ns;
  for (unsigned i = 0; i < latency_buckets; ++i) latency[i] += o.latency[i];
  return *this;
}

io_snapshot io_counters::snapshot() const {
  io_snapshot s;
  s.commands = commands_.load(std::memory_order_relaxed);
  s.read_bytes = read_bytes_.load(std::memory_order_relaxed);
  s.written_bytes = written_bytes_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.latency_sum_ns = latency_sum_ns_.load(std::memory_order_relaxed);
  for (unsigned i = 0; i < latency_buckets; ++i) s.latency[i] = latency_[i].load(std::memory_order_relaxed);
  return s;
}

}  // namespace stmfd
