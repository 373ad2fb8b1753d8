// The LU shell's half of removable media (LU provider contract v3): the
// medium file of a tape drive LU is opened, loaded through the core's
// medium_* conversation, and closed here. A load reads only the small
// record tags the core asks for and runs synchronously in the LU actor
// (loads are rare, like a backing store's open at start); the data path
// goes through the io ring like any plan step (io_step::store_kind::medium).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"
#include "io/durable_file.hpp"

namespace stmfd {

namespace {

// Reads or writes the whole span (short only at end of file); -errno on failure.
ssize_t pread_all(int fd, uint8_t* buf, size_t n, uint64_t off) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, buf + done, n - done, off_t(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -errno;
    if (r == 0) break;
    done += size_t(r);
  }
  return ssize_t(done);
}
int pwrite_all(int fd, const uint8_t* buf, size_t n, uint64_t off) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pwrite(fd, buf + done, n - done, off_t(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -errno;
    done += size_t(r);
  }
  return ::fdatasync(fd) == 0 ? 0 : -errno;
}

// The longest read a load conversation may ask for (the core reads tags).
constexpr uint32_t max_load_read = 1u << 20;

}  // namespace

// Issue 10: the medium's data steps wait for an earlier, failed shell's
// I/O like backing-store steps (wait_for_predecessors), and so does the
// load at start (retry_held_load). Later loads (LOAD UNLOAD, a library's
// drive operation) need no wait: the start's load ran after every earlier
// shell's I/O ended, and nothing this shell submitted is in the kernel
// when a load runs (LOAD UNLOAD runs alone in the task set; a drive
// operation is refused while a command uses the medium).
int lu_actor::load_medium(uint64_t requester) {
  unload_medium();
  bool writable = !def_.read_only;
  int flags = O_CLOEXEC | (writable ? O_RDWR : O_RDONLY) | (writable && def_.create ? O_CREAT : 0);
  // A medium file made here (O_EXCL tells) is durable by name too once the
  // load is done: its directory is synced (io/durable_file.hpp).
  int fd = (flags & O_CREAT) ? ::open(medium_path_.c_str(), flags | O_EXCL, 0600) : -1;
  const bool created = fd >= 0;
  if (!created) fd = ::open(medium_path_.c_str(), flags & ~O_CREAT, 0600);
  if (fd < 0 && writable && (errno == EACCES || errno == EROFS)) {  // a read-only cartridge file
    writable = false;
    fd = ::open(medium_path_.c_str(), O_CLOEXEC | O_RDONLY);
  }
  if (fd < 0) {
    const int err = errno;
    log::warn("lu {}: cannot open medium {}: {}", def_.name, medium_path_, std::strerror(err));
    return -err;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    log::warn("lu {}: medium {} is not a regular file", def_.name, medium_path_);
    ::close(fd);
    return -EINVAL;
  }
  std::vector<uint8_t> buf;
  auto r = core_->medium_attached(uint64_t(st.st_size), writable);
  for (;;) {
    using op = lu_core::medium_request::op;
    if (r.what == op::done) break;
    if (r.what == op::failed) {
      log::warn("lu {}: medium {} not loaded: {}", def_.name, medium_path_, r.error);
      ::close(fd);
      core_->medium_detached();
      return -EINVAL;
    }
    if (r.what == op::read) {
      buf.resize(std::min(r.length, max_load_read));
      ssize_t n = pread_all(fd, buf.data(), buf.size(), r.offset);
      if (n < 0) {
        ::close(fd);
        core_->medium_detached();
        return int(n);
      }
      r = core_->medium_read_done(buf.data(), size_t(n));
    } else {
      int w = writable ? pwrite_all(fd, r.data, r.length, r.offset) : -EROFS;
      if (w < 0) {
        log::warn("lu {}: medium {} not loaded: write failed: {}", def_.name, medium_path_, std::strerror(-w));
        ::close(fd);
        core_->medium_detached();
        return w;
      }
      r = core_->medium_write_done();
    }
  }
  if (created) {
    if (int e = io::durable::sync_parent(medium_path_); e != 0) {
      log::warn("lu {}: medium {} not loaded: cannot sync its directory: {}", def_.name, medium_path_,
                std::strerror(-e));
      ::close(fd);
      core_->medium_detached();
      return e;
    }
  }
  medium_fd_ = fd;
  log::info("lu {}: medium {} loaded{}", def_.name, medium_path_, writable ? "" : " read-only");
  // SPC-4 5.14: every other I_T nexus learns the medium may have changed
  // (the requester of a LOAD gets its status instead). The load at start
  // (requester 0) is the medium the LU powered on with: no attention.
  if (requester != 0) ua_.post_all_except(requester, scsi::sense::medium_may_have_changed());
  return 0;
}

void lu_actor::unload_medium() {
  if (medium_fd_ < 0) return;
  ::fdatasync(medium_fd_);
  ::close(medium_fd_);
  medium_fd_ = -1;
  core_->medium_detached();
  log::info("lu {}: medium {} unloaded", def_.name, medium_path_);
}

int lu_actor::medium_action(lu_outcome::medium_action a, uint64_t requester) {
  switch (a) {
    case lu_outcome::medium_action::load: return load_medium(requester);
    case lu_outcome::medium_action::unload: unload_medium(); return 0;
    case lu_outcome::medium_action::none: return 0;
  }
  return 0;
}

// Issue 10, the load at start held (load_held_): a dead shell's write may
// still be landing in the cartridge file, so the index this load would
// build (and the end of data the next write appends at) could miss it, and
// a write appended at that stale end of data would be lost behind the old
// write's end-of-data record. Polled every predecessor_poll; once no earlier
// shell's I/O is left (or after predecessor_limit) the load runs as at
// start (no unit attention: the POWER ON one covers it), then the parked
// commands run in their order and the parked drive operations are answered.
void lu_actor::retry_held_load() {
  if (!load_held_) return;
  if (predecessors_pending()) {
    delayed_send(this, predecessor_poll, held_load_atom::value);
    return;
  }
  load_held_ = false;
  load_medium(0);
  auto tasks = std::move(parked_);
  parked_.clear();
  for (auto& [handle, h] : tasks) {
    if (h.t->aborted.load(std::memory_order_acquire)) {
      complete_aborted(h.t);
      release(handle);
      continue;
    }
    run_task(handle, std::move(h.t), h.info);
  }
  auto ops = std::move(parked_ops_);
  parked_ops_.clear();
  for (auto& op : ops) op.rp.deliver(run_drive_op(op.op, op.path, op.barcode, op.capacity));
}

// A command that needs the medium while the load at start is held: it is
// running as far as the task set is concerned (what came after it keeps
// waiting behind it), and task management ends it (abort_parked).
void lu_actor::park_for_load(uint64_t handle, task_ptr t, const command_info& info) {
  parked_.emplace_back(handle, held_task{std::move(t), info});
}

std::vector<uint64_t> lu_actor::abort_parked(const std::function<bool(uint64_t nexus, uint64_t tag)>& in_scope) {
  std::vector<uint64_t> nexuses;
  std::erase_if(parked_, [&](std::pair<uint64_t, held_task>& e) {
    auto& t = e.second.t;
    const uint64_t nexus = t->task.getNexus();
    if (!in_scope(nexus, t->task.getTaskTag())) return false;
    nexuses.push_back(nexus);
    t->aborted.store(true, std::memory_order_release);
    complete_aborted(t);
    set_.finish(e.first, runnable_);
    return true;
  });
  return nexuses;
}

// Runs once the last strong reference is gone: after a failure with I/O in
// the kernel, that is when the ring delivered the last completion (the ring
// holds this actor until then), so the buffers below are no longer the
// kernel's. Task contexts in inflight_ return theirs when they go.
lu_actor::~lu_actor() {
  for (auto& [cookie, p] : inflight_) {
    if (p.scratch) io::buffer_pool::global().release(p.scratch);
    if (p.pattern) io::buffer_pool::global().release(p.pattern);
  }
  if (medium_fd_ >= 0) {
    ::fdatasync(medium_fd_);
    ::close(medium_fd_);
  }
}

}  // namespace stmfd
