#pragma once

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
  uint32_t capacity = 0;  // bytes usable at data
  uint16_t cls = 0;       // size class (pool bookkeeping; do not change)

  explicit operator bool() const { return data != nullptr; }
};

// Thread-safe pool of 4096-aligned buffers (usable with O_DIRECT). Power of
// two size classes from 4 KiB to 16 MiB; each class keeps released buffers
// for reuse up to cache_bytes_per_class bytes (at least one buffer when that
// is non-zero). Larger requests get a fresh aligned allocation, freed on
// release. Steady state (a working set that fits the caches) allocates
// nothing. acquire() returns an empty buffer when memory is exhausted.
class buffer_pool {
 public:
  static constexpr uint32_t alignment = 4096;
  static constexpr unsigned min_shift = 12;  // 4 KiB
  static constexpr unsigned max_shift = 24;  // 16 MiB
  static constexpr uint16_t class_count = max_shift - min_shift + 1;
  static constexpr uint16_t oversize_class = class_count;

  explicit buffer_pool(size_t cache_bytes_per_class = 8u << 20);
  ~buffer_pool();

  buffer_pool(const buffer_pool&) = delete;
  buffer_pool& operator=(const buffer_pool&) = delete;

  buffer acquire(uint32_t size);
  void release(buffer& b);  // b becomes empty; releasing an empty one is a no-op

  // Size class for `size` bytes, or oversize_class.
  static uint16_t class_of(uint32_t size);
  static uint32_t class_bytes(uint16_t cls) { return 1u << (min_shift + cls); }

  // Buffers now cached in a class; a class's cache limit (tests, stats).
  size_t cached(uint16_t cls) const;
  size_t cache_limit(uint16_t cls) const;

  // Process-wide pool; never destroyed, so buffers may be released late.
  static buffer_pool& global();

 private:
  struct size_class {
    mutable std::mutex mu;
    std::vector<uint8_t*> free;  // reserved to `limit`: pushes never allocate
    size_t limit = 0;
  };

  size_class classes_[class_count];
};

} // namespace stmfd::io
