#include "io/detail/ring_core.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <caf/send.hpp>

#include "io/completion.hpp"

// Lifecycle, submission queue and the ring thread's main loop. The per-op
// logic (SQE preparation, result handling) is in ring_ops.cpp.

namespace stmfd::io::detail {

namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

ring_core::ring_core(unsigned entries, std::string name, unsigned spin_us)
    : entries_(entries == 0 ? 1 : entries), name_(std::move(name)), spin_ns_(uint64_t{spin_us} * 1000) {
  // Blocking on purpose: io_uring polls it either way, but before 6.x kernels
  // a READ on an O_NONBLOCK eventfd failed with -EAGAIN instead.
  efd_ = ::eventfd(0, EFD_CLOEXEC);
  if (efd_ < 0) init_error_ = errno;
  pool_.reserve(2 * static_cast<size_t>(entries_));
}

ring_core::~ring_core() {
  if (efd_ >= 0) ::close(efd_);
}

void ring_core::start(const std::shared_ptr<ring_core>& self) {
  auto fail = [&](int err) {
    std::lock_guard<std::mutex> lk(self->life_mu_);
    self->init_error_ = err;
    self->failed_ = true;
    self->init_done_ = true;
    self->exited_ = true;
  };
  if (self->efd_ < 0) {
    fail(self->init_error_);
    return;
  }
  try {
    std::thread t([self] { self->run(); });
    t.detach();
  } catch (const std::system_error& e) {
    fail(e.code().value() ? e.code().value() : EAGAIN);
    return;
  }
  std::unique_lock<std::mutex> lk(self->life_mu_);
  self->life_cv_.wait(lk, [&] { return self->init_done_; });
}

void ring_core::stop() {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!stopping_) {
      stopping_ = true;
      wake = true;
    }
  }
  if (wake && !failed_) {
    uint64_t one = 1;
    if (::write(efd_, &one, sizeof(one)) < 0) {
      // cannot fail for an eventfd short of counter overflow
    }
  }
  // The ring thread cannot wait for itself; it finishes the drain alone and
  // keeps the core alive through its own reference.
  if (std::this_thread::get_id() == thread_id_) return;
  std::unique_lock<std::mutex> lk(life_mu_);
  life_cv_.wait(lk, [&] { return exited_; });
}

void ring_core::complete_now(const caf::actor& target, uint64_t cookie, int32_t res) {
  completed_.fetch_add(1);
  caf::anon_send(target, completion{cookie, res});
}

void ring_core::enqueue(const request_args& a, caf::actor target) {
  const bool control = is_control(a.kind);
  if (!control) count_submitted();
  // Without a running ring nothing of ours is in the kernel any more (or
  // everything is flagged cancelled while it drains): finish here.
  auto refuse = [&](int err) {
    if (a.kind == op::close_fd)
      ::close(a.fd);
    else if (!control)
      complete_now(target, a.cookie, -err);
  };
  if (failed_) {
    refuse(init_error_);
    return;
  }
  bool wake = false;
  {
    std::unique_lock<std::mutex> lk(mu_);
    if (stopping_) {
      lk.unlock();
      refuse(ECANCELED);
      return;
    }
    request* r = pool_.take();
    r->kind = a.kind;
    r->state = phase::queued;
    r->datasync = a.datasync;
    r->cancelled = false;
    r->fd = a.fd;
    r->buf = a.buf;
    r->len = a.len;
    r->done = 0;
    r->offset = a.offset;
    r->span = a.span;
    r->cookie = a.cookie;
    r->target = std::move(target);
    r->iovcnt = 0;
    r->iov_first = 0;
    if (a.kind == op::sendv) {
      r->iov = pool_.take_iov();
      std::memcpy(r->iov->v, a.iov, a.iovcnt * sizeof(iovec));
      r->iovcnt = a.iovcnt;
    }
    if (pending_tail_)
      pending_tail_->next = r;
    else
      pending_head_ = r;
    pending_tail_ = r;
    queued_.store(true, std::memory_order_relaxed);
    wake = sleeping_;
    sleeping_ = false;
  }
  if (wake) {
    uint64_t one = 1;
    if (::write(efd_, &one, sizeof(one)) < 0) {
      // see stop()
    }
  }
}

void ring_core::run() {
  thread_id_ = std::this_thread::get_id();
  pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
  int rc = setup();
  {
    std::lock_guard<std::mutex> lk(life_mu_);
    init_error_ = rc < 0 ? -rc : 0;
    failed_ = rc < 0;
    init_done_ = true;
  }
  life_cv_.notify_all();
  if (rc == 0) {
    loop();
    io_uring_queue_exit(&ring_);
  }
  {
    std::lock_guard<std::mutex> lk(life_mu_);
    exited_ = true;
  }
  life_cv_.notify_all();
}

int ring_core::setup() {
  // Best first: one issuer with task work deferred to our own waits (6.1),
  // then cooperative task work (5.19), then plain.
  const unsigned attempts[] = {
      IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
          IORING_SETUP_TASKRUN_FLAG,
      IORING_SETUP_CLAMP | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
      IORING_SETUP_CLAMP,
  };
  int rc = -EINVAL;
  io_uring_params p{};
  for (unsigned flags : attempts) {
    p = io_uring_params{};
    p.flags = flags;
    rc = io_uring_queue_init_params(entries_, &ring_, &p);
    if (rc != -EINVAL) break;
  }
  if (rc < 0) return rc;
  cap_ = p.cq_entries;
  arm_wake();
  return 0;
}

void ring_core::loop() {
  for (;;) {
    request* batch = nullptr;
    bool stop_now = false;
    {
      std::lock_guard<std::mutex> lk(mu_);
      batch = pending_head_;
      pending_head_ = pending_tail_ = nullptr;
      queued_.store(false, std::memory_order_relaxed);
      sleeping_ = false;
      stop_now = stopping_;
      pool_.give_list(freed_head_, freed_tail_);
      pool_.give_iov_list(freed_iov_head_, freed_iov_tail_);
    }
    freed_head_ = freed_tail_ = nullptr;
    freed_iov_head_ = freed_iov_tail_ = nullptr;
    if (stop_now && !draining_) begin_drain();
    while (batch) {
      request* r = batch;
      batch = r->next;
      r->next = nullptr;
      start_request(r);
    }
    pump_backlog();
    if (draining_ && inflight_ == 0) return;
    if (spin_ns_ > 0 && io_uring_cq_ready(&ring_) == 0 && !work_ready()) {
      // Briefly poll before paying for a sleep and an eventfd wakeup: the
      // actor that just got completions usually submits again at once.
      io_uring_submit(&ring_);
      const auto until = std::chrono::steady_clock::now() + std::chrono::nanoseconds(spin_ns_);
      unsigned n = 0;
      while (!work_ready() && ((++n & 63) != 0 || std::chrono::steady_clock::now() < until)) cpu_relax();
    }
    // Sleep only with nothing queued; a submitter that sees sleeping_ writes
    // the eventfd, whose READ is always armed while we run.
    bool wait = false;
    if (io_uring_cq_ready(&ring_) == 0) {
      std::lock_guard<std::mutex> lk(mu_);
      if (!pending_head_ && stopping_ == draining_) {
        sleeping_ = true;
        wait = true;
      }
    }
    // -EINTR just loops; -EAGAIN/-EBUSY (kernel short of memory, CQ
    // overflow backlog) clear once we reap.
    if (wait)
      io_uring_submit_and_wait(&ring_, 1);
    else
      io_uring_submit_and_get_events(&ring_);
    reap();
  }
}

bool ring_core::work_ready() const {
  if (queued_.load(std::memory_order_relaxed)) return true;
  if (io_uring_cq_ready(&ring_) != 0) return true;
  // Completions parked as task work (DEFER/COOP_TASKRUN with TASKRUN_FLAG).
  const unsigned flags = IO_URING_READ_ONCE(*ring_.sq.kflags);
  return (flags & (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW)) != 0;
}

void ring_core::reap() {
  constexpr unsigned batch = 64;
  io_uring_cqe* cqes[batch];
  struct entry {
    uint64_t user_data;
    int32_t res;
  } got[batch];
  for (;;) {
    unsigned n = io_uring_peek_batch_cqe(&ring_, cqes, batch);
    if (n == 0) return;
    // Copy out first: handling may submit, which must not see a half-read CQ.
    for (unsigned i = 0; i < n; ++i) got[i] = entry{cqes[i]->user_data, cqes[i]->res};
    io_uring_cq_advance(&ring_, n);
    inflight_ -= n;
    for (unsigned i = 0; i < n; ++i) on_cqe(got[i].user_data, got[i].res);
  }
}

io_uring_sqe* ring_core::get_sqe() {
  // The SQ is smaller than the in-flight cap: flush it when full.
  for (;;) {
    if (auto* sqe = io_uring_get_sqe(&ring_)) return sqe;
    int rc = io_uring_submit(&ring_);
    if (rc < 0 && rc != -EINTR) std::this_thread::yield();
  }
}

void ring_core::arm_wake() {
  auto* sqe = get_sqe();
  io_uring_prep_read(sqe, efd_, &wake_buf_, sizeof(wake_buf_), 0);
  io_uring_sqe_set_data64(sqe, wake_tag);
  ++inflight_;
}

void ring_core::finish(request* r, int32_t res) {
  complete_now(r->target, r->cookie, res);
  release(r);
}

void ring_core::release(request* r) {
  r->target = nullptr;
  if (r->iov) {
    r->iov->next = nullptr;
    if (freed_iov_tail_)
      freed_iov_tail_->next = r->iov;
    else
      freed_iov_head_ = r->iov;
    freed_iov_tail_ = r->iov;
    r->iov = nullptr;
  }
  r->state = phase::idle;
  r->next = nullptr;
  if (freed_tail_)
    freed_tail_->next = r;
  else
    freed_head_ = r;
  freed_tail_ = r;
}

}  // namespace stmfd::io::detail
