#include "plugins/port/iscsi/rx_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace stmfd::iscsi {

rx_buffer::rx_buffer() : small_(new uint8_t[small_bytes]) {}

rx_buffer::~rx_buffer() { release(); }

void rx_buffer::consume(size_t n) {
  begin_ += n;
  if (begin_ == end_) begin_ = end_ = 0;
}

bool rx_buffer::fit(size_t want) {
  if (capacity() >= want) {
    if (capacity() - begin_ < want) compact(capacity());
    return true;
  }
  auto& pool = io::buffer_pool::global();
  io::buffer grown = pool.acquire(uint32_t(std::max(want, burst_bytes)));
  if (!grown) return false;
  std::memcpy(grown.data, data(), size());
  end_ = size();
  begin_ = 0;
  if (large_) pool.release(large_);
  large_ = grown;
  return true;
}

void rx_buffer::compact(size_t min_room) {
  if (begin_ == 0 || room() >= min_room) return;
  std::memmove(base(), data(), size());
  end_ -= begin_;
  begin_ = 0;
}

void rx_buffer::shrink() {
  if (!large_ || size() > small_bytes) return;
  std::memcpy(small_.get(), data(), size());
  end_ = size();
  begin_ = 0;
  io::buffer_pool::global().release(large_);
}

void rx_buffer::release() {
  if (large_) io::buffer_pool::global().release(large_);
  small_.reset();
  begin_ = end_ = 0;
}

}  // namespace stmfd::iscsi
