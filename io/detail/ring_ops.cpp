#include <cerrno>
#include <cstdint>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>  // RWF_DSYNC
#include <unistd.h>

#include "io/detail/fsync_range.hpp"
#include "io/detail/ring_core.hpp"

// The ring thread's per-operation logic: turning a request into SQEs, and a
// CQE into "done", "continue" or "wait for readiness, then continue".

namespace stmfd::io::detail {

void ring_core::start_request(request* r) {
  if (is_control(r->kind)) {
    const int fd = r->fd;
    const bool close_it = r->kind == op::close_fd;
    release(r);
    if (draining_) {  // everything is flagged already
      if (close_it) ::close(fd);
      return;
    }
    // Flag first: requests between two SQEs (short transfer, -EAGAIN) are
    // not in the kernel, and the flag stops their next SQE.
    mark_cancelled(fd, false);
    auto* sqe = get_sqe();
    io_uring_prep_cancel_fd(sqe, fd, IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(sqe, cancel_fd_tag(fd));
    ++inflight_;
    if (close_it) {
      // Hard link: the close runs after the cancel even if that found
      // nothing (-ENOENT). In-flight requests hold their own file
      // reference, so the number may be reused at once without harm.
      io_uring_sqe_set_flags(sqe, IOSQE_IO_HARDLINK);
      auto* close_sqe = get_sqe();
      io_uring_prep_close(close_sqe, fd);
      io_uring_sqe_set_data64(close_sqe, close_tag);
      ++inflight_;
    }
    return;
  }
  if (draining_) {
    finish(r, -ECANCELED);
    return;
  }
  if (backlog_head_ || inflight_ >= cap_) {
    r->state = phase::waiting;
    if (backlog_tail_)
      backlog_tail_->next = r;
    else
      backlog_head_ = r;
    backlog_tail_ = r;
    return;
  }
  issue(r);
}

void ring_core::pump_backlog() {
  while (backlog_head_ && inflight_ < cap_) {
    request* r = backlog_head_;
    backlog_head_ = r->next;
    if (!backlog_head_) backlog_tail_ = nullptr;
    r->next = nullptr;
    issue(r);
  }
}

void ring_core::begin_drain() {
  draining_ = true;
  mark_cancelled(-1, true);
  while (backlog_head_) {
    request* r = backlog_head_;
    backlog_head_ = r->next;
    r->next = nullptr;
    finish(r, -ECANCELED);
  }
  backlog_tail_ = nullptr;
  // Also cancels the eventfd READ, so inflight_ can reach zero.
  auto* sqe = get_sqe();
  io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
  io_uring_sqe_set_data64(sqe, cancel_any_tag);
  ++inflight_;
}

void ring_core::mark_cancelled(int fd, bool all) {
  // pool_ may grow under a submitter: walk it under the lock.
  std::lock_guard<std::mutex> lk(mu_);
  pool_.for_each([&](request& r) {
    const bool live = r.state == phase::waiting || r.state == phase::issued || r.state == phase::polling;
    if (live && (all || r.fd == fd)) r.cancelled = true;
  });
}

void ring_core::cancel_marked(int fd, bool all) {
  // Kernels before 5.19 reject CANCEL_FD/CANCEL_ANY: cancel one by one.
  std::lock_guard<std::mutex> lk(mu_);
  pool_.for_each([&](request& r) {
    const bool in_kernel = r.state == phase::issued || r.state == phase::polling;
    if (in_kernel && r.cancelled && (all || r.fd == fd)) {
      auto* sqe = get_sqe();
      io_uring_prep_cancel(sqe, &r, 0);
      io_uring_sqe_set_data64(sqe, cancel_one_tag);
      ++inflight_;
    }
  });
  if (all) {
    auto* sqe = get_sqe();
    io_uring_prep_cancel64(sqe, wake_tag, 0);
    io_uring_sqe_set_data64(sqe, cancel_one_tag);
    ++inflight_;
  }
}

void ring_core::issue(request* r) {
  if (r->cancelled) {
    finish(r, -ECANCELED);
    return;
  }
  auto* sqe = get_sqe();
  // UINT64_MAX asks the kernel for the fd's current position
  // (IORING_FEAT_RW_CUR_POS); it advances by itself then.
  const uint64_t off = r->offset == UINT64_MAX ? UINT64_MAX : r->offset + r->done;
  switch (r->kind) {
    case op::read: io_uring_prep_read(sqe, r->fd, r->buf + r->done, r->len - r->done, off); break;
    case op::write:
      io_uring_prep_write(sqe, r->fd, r->buf + r->done, r->len - r->done, off);
      if (r->datasync) sqe->rw_flags = RWF_DSYNC;  // a continuation keeps it
      break;
    case op::fsync: prep_fsync(sqe, r->fd, r->datasync, r->offset, r->span); break;
    case op::recv: io_uring_prep_recv(sqe, r->fd, r->buf, r->len, 0); break;
    case op::sendv:
      r->msg = msghdr{};
      r->msg.msg_iov = r->iov->v + r->iov_first;
      r->msg.msg_iovlen = r->iovcnt - r->iov_first;
      io_uring_prep_sendmsg(sqe, r->fd, &r->msg, MSG_NOSIGNAL);
      break;
    case op::accept: io_uring_prep_accept(sqe, r->fd, nullptr, nullptr, SOCK_CLOEXEC); break;
    case op::punch_hole:
      io_uring_prep_fallocate(sqe, r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, r->offset, r->span);
      break;
    case op::cancel_fd:
    case op::close_fd:
      io_uring_prep_nop(sqe);  // never issued as an operation
      break;
  }
  io_uring_sqe_set_data(sqe, r);
  r->state = phase::issued;
  ++inflight_;
}

void ring_core::arm_poll(request* r, unsigned mask) {
  if (r->cancelled) {
    finish(r, -ECANCELED);
    return;
  }
  auto* sqe = get_sqe();
  io_uring_prep_poll_add(sqe, r->fd, mask);
  io_uring_sqe_set_data(sqe, r);
  r->state = phase::polling;
  ++inflight_;
}

void ring_core::on_cqe(uint64_t user_data, int32_t res) {
  if (user_data == wake_tag) {
    if (!draining_) arm_wake();
    return;
  }
  if ((user_data & 7) != 0) {
    if (res == -EINVAL && user_data == cancel_any_tag)
      cancel_marked(-1, true);
    else if (res == -EINVAL && (user_data & 3) == 1)
      cancel_marked(static_cast<int>(user_data >> 32), false);
    return;
  }
  auto* r = reinterpret_cast<request*>(user_data);
  if (r->state == phase::polling) {
    // Readiness (or POLLERR/POLLHUP: the reissued op reports the error).
    if (res < 0 && res != -EINTR)
      finish(r, r->cancelled ? -ECANCELED : res);
    else
      issue(r);
    return;
  }
  on_result(r, res);
}

void ring_core::on_result(request* r, int32_t res) {
  if (res == -EINTR) {
    issue(r);
    return;
  }
  if (res == -EAGAIN) {
    // O_NONBLOCK fd: wait for readiness instead of spinning.
    const bool out = r->kind == op::write || r->kind == op::sendv;
    arm_poll(r, out ? POLLOUT : POLLIN);
    return;
  }
  switch (r->kind) {
    case op::read:
      if (res < 0)
        finish(r, res);
      else if (res == 0)  // EOF
        finish(r, static_cast<int32_t>(r->done));
      else if ((r->done += res) >= r->len)
        finish(r, static_cast<int32_t>(r->done));
      else
        issue(r);
      return;
    case op::write:
      if (res < 0)
        finish(r, res);
      else if ((r->done += res) >= r->len)
        finish(r, static_cast<int32_t>(r->done));
      else if (res == 0)  // no progress and no error: would loop forever
        finish(r, -EIO);
      else
        issue(r);
      return;
    case op::sendv: {
      if (res <= 0) {
        finish(r, res < 0 ? res : -EIO);
        return;
      }
      r->done += res;
      auto left = static_cast<size_t>(res);
      while (left > 0 && r->iov_first < r->iovcnt) {
        iovec& v = r->iov->v[r->iov_first];
        if (left >= v.iov_len) {
          left -= v.iov_len;
          ++r->iov_first;
        } else {
          v.iov_base = static_cast<uint8_t*>(v.iov_base) + left;
          v.iov_len -= left;
          left = 0;
        }
      }
      if (r->done >= r->len)
        finish(r, static_cast<int32_t>(r->done));
      else
        issue(r);
      return;
    }
    case op::accept:
      if (res == -ECONNABORTED)  // that peer gave up; wait for the next one
        issue(r);
      else
        finish(r, res);
      return;
    case op::fsync:
    case op::punch_hole:
    case op::recv:
    case op::cancel_fd:
    case op::close_fd: finish(r, res); return;
  }
}

}  // namespace stmfd::io::detail
