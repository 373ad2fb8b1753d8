#include "io/buffer_pool.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdlib>

namespace stmfd::io {

buffer_pool::buffer_pool(size_t cache_bytes_per_class, uint64_t cap_bytes) : cap_(cap_bytes) {
  for (uint16_t c = 0; c < class_count; ++c) {
    size_t n = cache_bytes_per_class / class_bytes(c);
    if (n == 0 && cache_bytes_per_class > 0) n = 1;
    classes_[c].limit = n;
    classes_[c].free.reserve(n);
  }
}

buffer_pool::~buffer_pool() {
  for (uint16_t c = 0; c < class_count; ++c)
    for (auto* p : classes_[c].free) free_block(p, class_bytes(c), c);
}

uint16_t buffer_pool::class_of(uint32_t size) {
  for (uint16_t c = 0; c < class_count; ++c)
    if (size <= class_bytes(c)) return c;
  return oversize_class;
}

uint64_t buffer_pool::charge_of(uint32_t size) {
  uint16_t cls = class_of(size);
  if (cls < class_count) return class_bytes(cls);
  return (uint64_t{size} + alignment - 1) / alignment * alignment;
}

uint8_t* buffer_pool::allocate_block(uint64_t bytes, uint16_t cls) {
  if (cls >= first_mapped_class) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
  }
  return static_cast<uint8_t*>(std::aligned_alloc(alignment, bytes));
}

void buffer_pool::free_block(uint8_t* p, uint64_t bytes, uint16_t cls) {
  if (cls >= first_mapped_class)
    ::munmap(p, bytes);
  else
    std::free(p);
}

void buffer_pool::set_cap(uint64_t bytes) { cap_.store(bytes, std::memory_order_relaxed); }

uint8_t* buffer_pool::pop_victim(uint16_t& cls) {
  for (uint16_t c = class_count; c-- > 0;) {
    auto& f = classes_[c].free;
    if (!f.empty()) {
      uint8_t* p = f.back();
      f.pop_back();
      cached_.fetch_sub(class_bytes(c), std::memory_order_relaxed);
      cls = c;
      return p;
    }
  }
  return nullptr;
}

buffer buffer_pool::acquire(uint32_t size) {
  buffer b;
  const uint16_t cls = class_of(size);
  const uint64_t bytes = charge_of(size);
  if (bytes > UINT32_MAX) return b;
  uint8_t* p = nullptr;
  for (;;) {
    uint8_t* victim = nullptr;
    uint16_t victim_cls = 0;
    {
      std::lock_guard<std::mutex> lk(mu_);
      active_ = true;
      if (cls < class_count && !classes_[cls].free.empty()) {  // already charged while cached
        p = classes_[cls].free.back();
        classes_[cls].free.pop_back();
        cached_.fetch_sub(bytes, std::memory_order_relaxed);
        in_use_.fetch_add(bytes, std::memory_order_relaxed);
        break;
      }
      const uint64_t used = in_use(), held = used + cached_bytes();
      if (held <= cap() && bytes <= cap() - held) {
        in_use_.fetch_add(bytes, std::memory_order_relaxed);  // reserved; allocated below, unlocked
        break;
      }
      if (used > cap() || bytes > cap() - used || cached_bytes() == 0) {
        refusals_.fetch_add(1, std::memory_order_relaxed);
        return b;
      }
      victim = pop_victim(victim_cls);  // the cap is reachable by freeing cached buffers
    }
    free_block(victim, class_bytes(victim_cls), victim_cls);
  }
  if (p == nullptr) {
    p = allocate_block(bytes, cls);
    if (p == nullptr) {
      in_use_.fetch_sub(bytes, std::memory_order_relaxed);
      return b;
    }
  }
  b.data = p;
  b.capacity = static_cast<uint32_t>(bytes);
  b.size = size;
  b.cls = cls;
  return b;
}

void buffer_pool::release(buffer& b) {
  if (!b.data) return;
  uint8_t* p = b.data;
  const uint16_t cls = b.cls;
  const uint64_t bytes = b.capacity;
  b = buffer{};
  {
    std::lock_guard<std::mutex> lk(mu_);
    active_ = true;
    in_use_.fetch_sub(bytes, std::memory_order_relaxed);
    if (cls < class_count && classes_[cls].free.size() < classes_[cls].limit) {
      classes_[cls].free.push_back(p);
      cached_.fetch_add(bytes, std::memory_order_relaxed);
      return;
    }
  }
  free_block(p, bytes, cls);
}

uint64_t buffer_pool::trim() {
  std::vector<std::pair<uint8_t*, uint16_t>> out;
  uint64_t freed = 0;
  {
    std::lock_guard<std::mutex> lk(mu_);
    for (uint16_t c = 0; c < class_count; ++c) {
      for (auto* p : classes_[c].free) out.emplace_back(p, c);
      freed += uint64_t(classes_[c].free.size()) * class_bytes(c);
      classes_[c].free.clear();  // keeps its reservation
    }
    cached_.fetch_sub(freed, std::memory_order_relaxed);
  }
  for (auto [p, c] : out) free_block(p, class_bytes(c), c);
  trim_requested_.store(false, std::memory_order_relaxed);
  ::malloc_trim(0);
  return freed;
}

bool buffer_pool::trim_if_idle() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    bool was_active = active_;
    active_ = false;
    if (was_active) return false;
  }
  if (cached_bytes() == 0 && !trim_requested_.load(std::memory_order_relaxed)) return false;
  trim();
  return true;
}

size_t buffer_pool::cached(uint16_t cls) const {
  if (cls >= class_count) return 0;
  std::lock_guard<std::mutex> lk(mu_);
  return classes_[cls].free.size();
}

size_t buffer_pool::cache_limit(uint16_t cls) const { return cls < class_count ? classes_[cls].limit : 0; }

buffer_pool& buffer_pool::global() {
  static auto* pool = new buffer_pool();
  return *pool;
}

}  // namespace stmfd::io
