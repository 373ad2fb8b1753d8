#pragma once
// Data buffers for the whole daemon, under one byte cap (architecture.md
// "Resources"). Every buffer that carries data (write data being received,
// read data being sent, a connection's receive buffer for large PDUs, echoed
// ping data) comes from here, so the cap bounds what peers can make the
// daemon hold.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace stmfd::io {

// A data buffer moved between actors by handle (the struct, by value); the
// bytes are never copied into messages. Whoever holds it last releases it to
// the pool it came from.
struct buffer {
  uint8_t* data = nullptr;
  uint32_t size = 0;      // bytes wanted at acquire(); callers may lower it
  uint32_t capacity = 0;  // bytes usable at data (pool bookkeeping: do not change)
  uint16_t cls = 0;       // size class (pool bookkeeping: do not change)

  explicit operator bool() const { return data != nullptr; }
};

// Thread-safe pool of 4096-aligned buffers (usable with O_DIRECT) in power of
// two size classes from 4 KiB to 16 MiB; larger requests get a block of
// their own, freed on release.
//
// The cap: a buffer is charged its capacity from acquire() to release().
// Released buffers are kept for reuse (up to cache_bytes_per_class bytes per
// class, at least one buffer when that is non-zero) and stay charged while
// cached, so charged = in_use() + cached_bytes() never exceeds cap(). When a
// fresh buffer would exceed the cap, cached buffers of other classes are
// freed first; if that is not enough, acquire() refuses (an empty buffer).
// It never blocks and never waits: callers pace their peers instead.
//
// Giving memory back: classes of 64 KiB and more are mapped straight from
// the kernel and unmapped when freed, so their pages leave the process at
// once; smaller ones come from the C heap. trim() frees the whole cache and
// asks the C library to return free heap pages (malloc_trim); callers run
// trim_if_idle() periodically so that, once sessions end, resident memory
// falls back near where it started: the cache is sized by the cap and by
// what is in use now, never by past peaks.
class buffer_pool {
 public:
  static constexpr uint32_t alignment = 4096;
  static constexpr unsigned min_shift = 12;  // 4 KiB
  static constexpr unsigned max_shift = 24;  // 16 MiB
  static constexpr uint16_t class_count = max_shift - min_shift + 1;
  static constexpr uint16_t oversize_class = class_count;
  static constexpr uint16_t first_mapped_class = 4;  // 64 KiB and up: mmap/munmap
  static constexpr uint64_t unlimited = UINT64_MAX;

  explicit buffer_pool(size_t cache_bytes_per_class = 8u << 20, uint64_t cap_bytes = unlimited);
  ~buffer_pool();

  buffer_pool(const buffer_pool&) = delete;
  buffer_pool& operator=(const buffer_pool&) = delete;

  // An empty buffer when the cap would be exceeded or memory is exhausted.
  buffer acquire(uint32_t size);
  void release(buffer& b);  // b becomes empty; releasing an empty one is a no-op

  // The cap on charged bytes. Set it at start; lowering it later only makes
  // acquire() refuse until enough is released.
  void set_cap(uint64_t bytes);
  uint64_t cap() const { return cap_.load(std::memory_order_relaxed); }
  uint64_t in_use() const { return in_use_.load(std::memory_order_relaxed); }  // handed out
  uint64_t cached_bytes() const { return cached_.load(std::memory_order_relaxed); }
  // What acquire() can still hand out (cached buffers count as free).
  uint64_t available() const {
    uint64_t c = cap(), u = in_use();
    return u >= c ? 0 : c - u;
  }
  uint64_t refusals() const { return refusals_.load(std::memory_order_relaxed); }

  // Frees every cached buffer and returns free C heap pages to the kernel.
  // Returns the cached bytes freed.
  uint64_t trim();
  // trim() if nothing was acquired or released since the previous call and
  // there is something to give back (a cached buffer, or request_trim()
  // since the last trim). Returns whether it trimmed.
  bool trim_if_idle();
  // Memory was freed outside the pool (a session ended): the next idle trim
  // also returns C heap pages even when the cache is empty.
  void request_trim() { trim_requested_.store(true, std::memory_order_relaxed); }

  // Size class for `size` bytes, or oversize_class; the bytes such a request is charged.
  static uint16_t class_of(uint32_t size);
  static uint32_t class_bytes(uint16_t cls) { return 1u << (min_shift + cls); }
  static uint64_t charge_of(uint32_t size);

  // Buffers now cached in a class; a class's cache limit (tests, stats).
  size_t cached(uint16_t cls) const;
  size_t cache_limit(uint16_t cls) const;

  // Process-wide pool (no cap until set_cap); never destroyed, so buffers may
  // be released late.
  static buffer_pool& global();

 private:
  struct size_class {
    std::vector<uint8_t*> free;  // reserved to `limit`: pushes never allocate
    size_t limit = 0;
  };
  static uint8_t* allocate_block(uint64_t bytes, uint16_t cls);
  static void free_block(uint8_t* p, uint64_t bytes, uint16_t cls);
  // Takes one cached buffer out (the largest class first); null when none.
  uint8_t* pop_victim(uint16_t& cls);

  mutable std::mutex mu_;  // the free lists and the counters' updates
  size_class classes_[class_count];
  std::atomic<uint64_t> cap_;
  std::atomic<uint64_t> in_use_{0};
  std::atomic<uint64_t> cached_{0};
  std::atomic<uint64_t> refusals_{0};
  std::atomic<bool> trim_requested_{false};
  bool active_ = false;  // an acquire or release since the last trim_if_idle (under mu_)
};

}  // namespace stmfd::io
