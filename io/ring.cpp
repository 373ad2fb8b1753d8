#include "io/ring.hpp"

#include <cerrno>
#include <climits>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "io/detail/fsync_range.hpp"
#include "io/detail/ring_core.hpp"
#include "io/detail/stall_queue.hpp"
#include "io/faults.hpp"

namespace stmfd::io {

using detail::op;
using detail::request_args;

static_assert(ring::max_iov == detail::max_iov_entries);

ring::ring(options opts)
    : core_(std::make_shared<detail::ring_core>(opts.entries, std::move(opts.name), opts.spin_us)),
      stalls_(std::make_unique<detail::stall_queue>(core_)) {
  detail::ring_core::start(core_);
}

ring::~ring() { stop(); }

// Stalled requests first: they reach the core while it still runs or drains,
// so each completes (with -ECANCELED at the latest) before this returns.
void ring::stop() {
  stalls_->stop();
  core_->stop();
}

bool ring::ok() const { return core_->init_error() == 0; }

int ring::init_error() const { return core_->init_error(); }

namespace {

// Arguments the kernel would reject, or that could not be reported in an
// int32 result, complete at once from the caller's thread.
void reject(detail::ring_core& core, int err, const caf::actor& target, uint64_t cookie) {
  core.count_submitted();
  core.complete_now(target, cookie, -err);
}

}  // namespace

void ring::set_owner(caf::actor_addr owner) { owner_ = std::move(owner); }

// The io layer's fault points (io/faults.hpp), passed by every file read,
// write and fsync: io_actor makes the ring's owner fail (the supervisor
// recreates the ring; what is in flight completes with -ECANCELED), io_file
// makes this request fail, move half its bytes, or enter the kernel late.
bool ring::inject(request_args_ref a, caf::actor& target) {
  if (faults::hit(faults::point::io_actor))
    if (auto owner = caf::actor_cast<caf::actor>(owner_)) caf::anon_send(owner, owner_fault_atom::value);
  auto f = faults::fire(faults::point::io_file);
  switch (f.act) {
    case faults::action::eio: reject(*core_, EIO, target, a.cookie); return true;
    case faults::action::enospc: reject(*core_, ENOSPC, target, a.cookie); return true;
    case faults::action::short_io:
      if ((a.kind == op::read || a.kind == op::write) && a.len > 1) a.len /= 2;  // the kernel moves the first half
      return false;
    case faults::action::stall:
      // The request enters the kernel f.ms later (or when the ring stops);
      // until its completion the caller's buffer belongs to the ring, exactly
      // as if the device were slow.
      return stalls_->hold(a, target, f.ms);
    default: return false;
  }
}

void ring::read(int fd, void* buf, uint32_t len, uint64_t offset, caf::actor target, uint64_t cookie) {
  if (fd < 0)
    reject(*core_, EBADF, target, cookie);
  else if (len > INT32_MAX)
    reject(*core_, EINVAL, target, cookie);
  else {
    request_args a{op::read, fd, static_cast<uint8_t*>(buf), len, offset, false, nullptr, 0, cookie};
    if (!inject(a, target)) core_->enqueue(a, std::move(target));
  }
}

void ring::write(int fd, const void* buf, uint32_t len, uint64_t offset, caf::actor target, uint64_t cookie,
                 bool dsync) {
  // The ring never writes through buf; the slot just has one pointer type.
  auto* p = static_cast<uint8_t*>(const_cast<void*>(buf));
  if (fd < 0)
    reject(*core_, EBADF, target, cookie);
  else if (len > INT32_MAX)
    reject(*core_, EINVAL, target, cookie);
  else {
    request_args a{op::write, fd, p, len, offset, dsync, nullptr, 0, cookie};
    if (!inject(a, target)) core_->enqueue(a, std::move(target));
  }
}

void ring::fsync(int fd, bool datasync, caf::actor target, uint64_t cookie, uint64_t offset, uint64_t len) {
  if (fd < 0)
    reject(*core_, EBADF, target, cookie);
  else if (offset > INT64_MAX || len > INT64_MAX - offset)
    reject(*core_, EINVAL, target, cookie);
  else {
    const auto r = detail::fsync_range_of(offset, len);
    request_args a{op::fsync, fd, nullptr, 0, r.offset, datasync, nullptr, 0, cookie};
    a.span = r.len;
    if (!inject(a, target)) core_->enqueue(a, std::move(target));
  }
}

void ring::punch_hole(int fd, uint64_t offset, uint64_t len, caf::actor target, uint64_t cookie) {
  if (fd < 0)
    reject(*core_, EBADF, target, cookie);
  else if (offset > INT64_MAX || len > INT64_MAX - offset)
    reject(*core_, EINVAL, target, cookie);
  else if (len == 0) {  // nothing to free: done, no syscall
    core_->count_submitted();
    core_->complete_now(target, cookie, 0);
  } else {
    request_args a{op::punch_hole, fd, nullptr, 0, offset, false, nullptr, 0, cookie};
    a.span = len;
    core_->enqueue(a, std::move(target));
  }
}

void ring::recv(int fd, void* buf, uint32_t len, caf::actor target, uint64_t cookie) {
  if (fd < 0)
    reject(*core_, EBADF, target, cookie);
  else if (len > INT32_MAX)
    reject(*core_, EINVAL, target, cookie);
  else
    core_->enqueue(request_args{op::recv, fd, static_cast<uint8_t*>(buf), len, 0, false, nullptr, 0, cookie},
                   std::move(target));
}

void ring::sendv(int fd, const iovec* iov, unsigned iovcnt, caf::actor target, uint64_t cookie) {
  if (fd < 0) {
    reject(*core_, EBADF, target, cookie);
    return;
  }
  if (iovcnt > max_iov || (iovcnt > 0 && !iov)) {
    reject(*core_, EINVAL, target, cookie);
    return;
  }
  uint64_t total = 0;
  for (unsigned i = 0; i < iovcnt; ++i) total += iov[i].iov_len;
  if (total > INT32_MAX) {
    reject(*core_, EINVAL, target, cookie);
    return;
  }
  if (total == 0) {  // nothing to send: done, no syscall
    core_->count_submitted();
    core_->complete_now(target, cookie, 0);
    return;
  }
  core_->enqueue(request_args{op::sendv, fd, nullptr, static_cast<uint32_t>(total), 0, false, iov, iovcnt, cookie},
                 std::move(target));
}

void ring::accept(int listen_fd, caf::actor target, uint64_t cookie) {
  if (listen_fd < 0)
    reject(*core_, EBADF, target, cookie);
  else
    core_->enqueue(request_args{op::accept, listen_fd, nullptr, 0, 0, false, nullptr, 0, cookie}, std::move(target));
}

void ring::cancel_fd(int fd) {
  if (fd >= 0) core_->enqueue(request_args{op::cancel_fd, fd, nullptr, 0, 0, false, nullptr, 0, 0}, caf::actor{});
}

void ring::close_fd(int fd) {
  if (fd >= 0) core_->enqueue(request_args{op::close_fd, fd, nullptr, 0, 0, false, nullptr, 0, 0}, caf::actor{});
}

uint64_t ring::submitted() const { return core_->submitted(); }

uint64_t ring::completed() const { return core_->completed(); }

}  // namespace stmfd::io
