#include "wire/stream/message_ref.hpp"

namespace stmfd::wire {

void slot_ref::reset() {
  pooled_slot* s = std::exchange(s_, nullptr);
  if (s && s->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) s->pool_->recycle(s);
}

slot_pool::slot_pool(size_t prealloc, size_t max_free) : max_free_(max_free) {
  free_.reserve(std::max(prealloc, max_free));
  for (size_t i = 0; i < prealloc; ++i) free_.push_back(new pooled_slot(this));
}

slot_pool::~slot_pool() {
  for (auto* s : free_) delete s;
}

slot_ref slot_pool::acquire() {
  pooled_slot* s = nullptr;
  {
    std::lock_guard<std::mutex> lock(mtx_);
    if (!free_.empty()) {
      s = free_.back();
      free_.pop_back();
    }
  }
  if (s == nullptr) {
    s = new pooled_slot(this);
    grown_.fetch_add(1, std::memory_order_relaxed);
  }
  live_.fetch_add(1, std::memory_order_relaxed);
  return slot_ref(s);
}

size_t slot_pool::free_slots() {
  std::lock_guard<std::mutex> lock(mtx_);
  return free_.size();
}

void slot_pool::recycle(pooled_slot* s) {
  s->clear();  // frees spilled segments; the builder zeroes what it used
  live_.fetch_sub(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mtx_);
    if (free_.size() < max_free_) {
      free_.push_back(s);
      return;
    }
  }
  delete s;
}

slot_pool& slot_pool::global() {
  static slot_pool* pool = new slot_pool(64, 1024);
  return *pool;
}

}  // namespace stmfd::wire
