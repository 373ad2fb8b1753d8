#include "actors/common/stream_inbound.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "actors/common/log.hpp"
#include "wire/stream/fd_stream.hpp"

namespace stmfd {

void intrusive_ptr_add_ref(inbound_frame* f) { f->refs.fetch_add(1, std::memory_order_relaxed); }

void intrusive_ptr_release(inbound_frame* f) {
  if (f->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    auto pool = std::move(f->pool);
    pool->recycle(f);
  }
}

inbound_pool::inbound_pool(size_t frames) {
  for (size_t i = 0; i < frames; ++i) all_.push_back(new inbound_frame);
  free_ = all_;
}

inbound_pool::~inbound_pool() {
  for (auto* f : all_) delete f;  // every frame is home: each holds the pool while out
}

inbound_ptr inbound_pool::acquire() {
  inbound_frame* f = nullptr;
  {
    std::unique_lock<std::mutex> g(mtx_);
    cv_.wait(g, [this] { return closed_ || !free_.empty(); });
    if (closed_) return nullptr;
    f = free_.back();
    free_.pop_back();
  }
  f->pool = shared_from_this();
  return inbound_ptr{f};
}

void inbound_pool::recycle(inbound_frame* f) {
  if (f->payload) io::buffer_pool::global().release(f->payload);
  f->slot.clear();
  std::lock_guard<std::mutex> g(mtx_);
  free_.push_back(f);
  cv_.notify_one();
}

void inbound_pool::close() {
  std::lock_guard<std::mutex> g(mtx_);
  closed_ = true;
  cv_.notify_all();
}

stream_inbound::stream_inbound(int fd, caf::actor_addr bridge, size_t frames, uint32_t max_payload)
    : fd_(fd), bridge_(std::move(bridge)), max_payload_(max_payload), pool_(std::make_shared<inbound_pool>(frames)) {
  thread_ = std::thread([this] { run(); });
}

stream_inbound::~stream_inbound() { stop_and_join(); }

void stream_inbound::stop_and_join() {
  pool_->close();
  if (thread_.joinable()) thread_.join();
}

void stream_inbound::run() {
  wire::frame_reader reader(fd_, max_payload_);
  for (;;) {
    inbound_ptr f = pool_->acquire();
    if (!f) return;  // the bridge is stopping
    auto e = reader.next(f->slot, f->header);
    if (e == wire::frame_error::none && f->header.payload_bytes > 0) {
      f->payload = io::buffer_pool::global().acquire(f->header.payload_bytes);
      if (!f->payload) {
        log::warn("stream: no buffer memory for a {} byte payload", f->header.payload_bytes);
        e = wire::frame_error::oversized_payload;
      } else {
        e = reader.read_payload(f->payload.data, f->header.payload_bytes);
      }
    }
    auto bridge = caf::actor_cast<caf::actor>(bridge_);
    if (!bridge) return;  // the bridge is gone
    if (e != wire::frame_error::none) {
      caf::anon_send(bridge, closed_atom::value, uint8_t(e));
      return;
    }
    caf::anon_send(bridge, frame_atom::value, std::move(f));
  }
}

}  // namespace stmfd
