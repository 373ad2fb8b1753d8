#pragma once
// Statistics of the data path (issue 6: per LU, per target port, per
// session): commands, bytes moved, errors and a latency histogram.
//
// Ownership and threads: STMF allocates one io_counters block per LU (kept
// across LU restarts) and one per I_T nexus (handed to the session layer in
// the nexus grant). Exactly one actor writes a block: the LU shell for its
// LU, the session layer (in its host actor) for its nexus. Writers use
// relaxed load + store, which on x86-64 and arm64 compile to the same plain
// add a non-atomic counter costs: no lock, no locked instruction, no
// allocation per command. STMF reads blocks from its own thread when the
// admin plane asks (statistics, metrics): each counter reads whole, but a
// snapshot is not one instant across counters (a command may be counted in
// `commands` and not yet in its bucket).
//
// Latency: from the moment the session layer hands the command to its LU
// (task_context::start_ns) to the moment the LU completes it
// (task_context::done_ns): the framework's share of the command, not the
// transport's. One clock read at each end, shared by both layers (the
// session layer reuses the LU's done_ns).
#include <time.h>
#include <array>
#include <atomic>
#include <cstdint>

namespace stmfd {

// CLOCK_MONOTONIC in nanoseconds (vDSO: no system call).
inline uint64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

// Fixed log2 buckets: bucket i counts latencies <= 2^i microseconds for
// i < latency_bounds (1 us .. 2^22 us, about 4.2 s); the last bucket counts
// everything slower (+Inf).
inline constexpr unsigned latency_bounds = 23;
inline constexpr unsigned latency_buckets = latency_bounds + 1;
inline constexpr uint64_t latency_bound_us(unsigned i) { return uint64_t(1) << i; }

// The bucket of a latency in nanoseconds.
inline unsigned latency_bucket(uint64_t ns) {
  uint64_t us = (ns + 999) / 1000;  // rounded up: 1 ns counts as 1 us
  if (us <= 1) return 0;
  unsigned b = 64 - unsigned(__builtin_clzll(us - 1));  // smallest i with us <= 2^i
  return b < latency_bounds ? b : latency_bounds;
}

// A plain copy of a block (what STMF reports).
struct io_snapshot {
  uint64_t commands = 0;
  uint64_t read_bytes = 0;     // Data-In of commands that ended GOOD
  uint64_t written_bytes = 0;  // Data-Out of write commands that ended GOOD
  uint64_t errors = 0;         // commands that ended CHECK CONDITION
  uint64_t latency_sum_ns = 0;
  std::array<uint64_t, latency_buckets> latency{};
  io_snapshot& operator+=(const io_snapshot& o);
};

class io_counters {
 public:
  // One completed command. status: its SCSI status (SAM-5 5.3).
  void record(uint8_t status, uint64_t data_in, uint64_t data_out, uint64_t latency_ns) {
    bump(commands_, 1);
    if (status == 0x00) {  // GOOD
      if (data_in) bump(read_bytes_, data_in);
      if (data_out) bump(written_bytes_, data_out);
    } else if (status == 0x02) {  // CHECK CONDITION
      bump(errors_, 1);
    }
    bump(latency_sum_ns_, latency_ns);
    bump(latency_[latency_bucket(latency_ns)], 1);
  }
  io_snapshot snapshot() const;

 private:
  // Single writer: a relaxed read-modify-write without a locked instruction.
  static void bump(std::atomic<uint64_t>& c, uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::atomic<uint64_t> commands_{0}, read_bytes_{0}, written_bytes_{0}, errors_{0}, latency_sum_ns_{0};
  std::array<std::atomic<uint64_t>, latency_buckets> latency_{};
};

}  // namespace stmfd
