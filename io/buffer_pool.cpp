#include "io/buffer_pool.hpp"

#include <cstdlib>

namespace stmfd::io {

buffer_pool::buffer_pool(size_t cache_bytes_per_class) {
  for (uint16_t c = 0; c < class_count; ++c) {
    size_t n = cache_bytes_per_class / class_bytes(c);
    if (n == 0 && cache_bytes_per_class > 0)
      n = 1;
    classes_[c].limit = n;
    classes_[c].free.reserve(n);
  }
}

buffer_pool::~buffer_pool() {
  for (auto& c : classes_)
    for (auto* p : c.free)
      std::free(p);
}

uint16_t buffer_pool::class_of(uint32_t size) {
  for (uint16_t c = 0; c < class_count; ++c)
    if (size <= class_bytes(c))
      return c;
  return oversize_class;
}

buffer buffer_pool::acquire(uint32_t size) {
  buffer b;
  const uint16_t cls = class_of(size);
  if (cls == oversize_class) {
    const uint64_t cap = (uint64_t{size} + alignment - 1) / alignment
                         * alignment;
    if (cap > UINT32_MAX)
      return b;
    b.data = static_cast<uint8_t*>(std::aligned_alloc(alignment, cap));
    if (!b.data)
      return b;
    b.capacity = static_cast<uint32_t>(cap);
  } else {
    auto& c = classes_[cls];
    {
      std::lock_guard<std::mutex> lk(c.mu);
      if (!c.free.empty()) {
        b.data = c.free.back();
        c.free.pop_back();
      }
    }
    if (!b.data)
      b.data = static_cast<uint8_t*>(
        std::aligned_alloc(alignment, class_bytes(cls)));
    if (!b.data)
      return b;
    b.capacity = class_bytes(cls);
  }
  b.size = size;
  b.cls = cls;
  return b;
}

void buffer_pool::release(buffer& b) {
  if (!b.data)
    return;
  uint8_t* p = b.data;
  const uint16_t cls = b.cls;
  b = buffer{};
  if (cls < class_count) {
    auto& c = classes_[cls];
    std::lock_guard<std::mutex> lk(c.mu);
    if (c.free.size() < c.limit) {
      c.free.push_back(p);
      return;
    }
  }
  std::free(p);
}

size_t buffer_pool::cached(uint16_t cls) const {
  if (cls >= class_count)
    return 0;
  std::lock_guard<std::mutex> lk(classes_[cls].mu);
  return classes_[cls].free.size();
}

size_t buffer_pool::cache_limit(uint16_t cls) const {
  return cls < class_count ? classes_[cls].limit : 0;
}

buffer_pool& buffer_pool::global() {
  static auto* pool = new buffer_pool();
  return *pool;
}

} // namespace stmfd::io
