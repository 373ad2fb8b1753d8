#include "actors/common/task_context.hpp"

#include <algorithm>
#include <cstring>

namespace stmfd {

wire::ScsiTask::Builder task_context::reset_message() {
  message.reset();
  start_ns = done_ns = 0;
  lu_becoming_ready = false;
  std::memset(scratch, 0, sizeof(scratch));
  message.emplace(kj::arrayPtr(scratch, sizeof(scratch) / sizeof(capnp::word)));
  task = message->initRoot<wire::ScsiTask>();
  return task;
}

void request_data_out(task_context& t, uint32_t offset, uint32_t length, bool last) {
  auto r = t.transfer.build<wire::DataTransferRequest>();
  r.setNexus(t.task.getNexus());
  r.setTaskTag(t.task.getTaskTag());
  r.setDirection(wire::Direction::WRITE);
  r.setBufferOffset(offset);
  r.setLength(length);
  r.setBufferId(1);  // one transfer at a time per task
  r.setLast(last);
}

wire::DataTransferRequest::Reader transfer_request(task_context& t) {
  if (!t.transfer.building()) return {};  // none asked: every field reads 0
  return t.transfer.builder().getRoot<wire::DataTransferRequest>().asReader();
}

void complete_transfer(task_context& t, wire::TransferStatus status, uint32_t bytes_moved) {
  auto req = transfer_request(t);
  uint64_t nexus = req.getNexus(), id = req.getBufferId();
  uint32_t tag = req.getTaskTag();
  auto c = t.transfer.build<wire::DataTransferCompletion>();
  c.setNexus(nexus);
  c.setTaskTag(tag);
  c.setBufferId(id);
  c.setBytesMoved(bytes_moved);
  c.setStatus(status);
}

wire::DataTransferCompletion::Reader transfer_completion(task_context& t) {
  if (!t.transfer.building()) return {};
  return t.transfer.builder().getRoot<wire::DataTransferCompletion>().asReader();
}

void task_context::release_data() {
  if (data) io::buffer_pool::global().release(data);
}

bool task_context::ensure_data(uint32_t n) {
  if (data && data.capacity >= n) return true;
  release_data();
  data = io::buffer_pool::global().acquire(std::max<uint32_t>(n, 1));
  return bool(data);
}

bool task_context::grow_data(uint32_t n, uint32_t keep) {
  if (data && data.capacity >= n) return true;
  io::buffer b = io::buffer_pool::global().acquire(std::max<uint32_t>(n, 1));
  if (!b) return false;
  if (data && keep > 0) std::memcpy(b.data, data.data, std::min(keep, data.capacity));
  release_data();
  data = b;
  return true;
}

void intrusive_ptr_add_ref(task_context* t) { t->refs.fetch_add(1, std::memory_order_relaxed); }

void intrusive_ptr_release(task_context* t) {
  if (t->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    auto pool = std::move(t->pool);
    pool->recycle(t);
  }
}

task_pool::task_pool(size_t prealloc) {
  free_.reserve(prealloc);
  for (size_t i = 0; i < prealloc; ++i) free_.push_back(new task_context);
}

task_pool::~task_pool() {
  for (auto* t : free_) delete t;
}

task_ptr task_pool::acquire() {
  task_context* t = nullptr;
  {
    std::lock_guard<std::mutex> g(mtx_);
    if (!free_.empty()) {
      t = free_.back();
      free_.pop_back();
    }
  }
  if (t == nullptr) t = new task_context;
  t->pool = shared_from_this();
  live_.fetch_add(1);
  return task_ptr{t};
}

void task_pool::recycle(task_context* t) {
  t->release_data();
  t->transfer.clear();
  t->aborted.store(false, std::memory_order_relaxed);
  t->port = nullptr;
  t->lu = nullptr;
  t->actor = nullptr;
  t->message.reset();
  t->task = wire::ScsiTask::Builder(nullptr);
  live_.fetch_sub(1);
  std::lock_guard<std::mutex> g(mtx_);
  free_.push_back(t);
}

}  // namespace stmfd
