#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <sys/uio.h>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>

#include "io/completion.hpp"

namespace stmfd::io {

// The io_actor fault point fired on the ring (see ring::set_owner).
using owner_fault_atom = caf::atom_constant<caf::atom("ownerfault")>;

namespace detail {
class ring_core;
class stall_queue;
struct request_args;
}  // namespace detail

// ring: one io_uring instance driven by its own thread, outside CAF's
// scheduler (a ring waits in the kernel; an actor must not).
//
// Threading contract
// - Every public member is thread-safe and never blocks on I/O, except
//   stop() and the destructor, which join the ring thread.
// - A submission call copies its arguments (and, for sendv, the iovec array)
//   into a preallocated request slot, appends it to a mutex-protected queue
//   and writes the ring's eventfd only if the ring thread is asleep. The ring
//   thread drains the queue in batches: one io_uring_submit per batch.
// - Each request completes EXACTLY once, by
//   caf::anon_send(target, completion{cookie, result}), sent from the ring
//   thread (or, when the ring is stopped or the arguments are invalid, from
//   the submitting thread before the call returns). Completions of different
//   requests are not ordered; requests enter the kernel in call order.
// - The memory behind buf/iov must stay valid and untouched until the
//   completion arrives, and the fd must stay open until then (to drop a
//   connection: cancel_fd, wait for the completions, then close; or just
//   close_fd). The ring keeps a strong reference to `target` until then.
// - Byte order on a stream socket is only defined for one sendv (and one
//   recv) outstanding per socket at a time: chain them in the caller.
// - Retries stay inside the ring thread: short reads/writes/sends continue,
//   -EINTR is reissued, -EAGAIN (O_NONBLOCK fds) waits for readiness with
//   POLL_ADD and reissues. The caller sees one final result.
// - stop(): requests already queued or in flight (an io_file stall too)
//   complete with -ECANCELED
//   (unless the kernel finished them first: then with their real result);
//   later submissions complete at once with -ECANCELED. Stop the ring (or let
//   its io_actor exit) before the caf::actor_system is destroyed.
// - Fault injection (io/faults.hpp, points io_file and io_actor) acts on
//   read, write and fsync only; disarmed it costs two relaxed loads.
// - If io_uring setup failed, ok() is false and every submission completes
//   at once with -init_error().
class ring {
 public:
  struct options {
    unsigned entries = 256;   // SQ size; the CQ and the in-flight cap are 2x
    std::string name = "io";  // ring thread name (first 15 chars)
    // Before sleeping, the ring thread polls this long for new requests or
    // completions (saves a wakeup per burst; costs CPU when idle). 0: never.
    unsigned spin_us = 0;
  };

  explicit ring(options opts);
  ~ring();

  ring(const ring&) = delete;
  ring& operator=(const ring&) = delete;

  // Idempotent; safe from any thread, including the ring thread itself.
  void stop();

  bool ok() const;
  int init_error() const;  // errno of a failed setup, else 0

  // offset: file offset; UINT64_MAX means the fd's current position.
  // result: bytes read; less than len only at EOF.
  void read(int fd, void* buf, uint32_t len, uint64_t offset, caf::actor target, uint64_t cookie);
  // result: len, or -errno (a partial write that then fails reports -errno).
  // dsync: RWF_DSYNC (pwritev2(2)): when the write completes, its data and
  // the metadata needed to read it back are on stable storage, as after a
  // write and an fdatasync, but for this write's range alone (a FUA write,
  // or every write with the write cache off, costs no whole-file sync).
  void write(int fd, const void* buf, uint32_t len, uint64_t offset, caf::actor target, uint64_t cookie,
             bool dsync = false);
  // fsync (datasync: fdatasync) of the file, or of the byte range [offset,
  // offset + len) only: IORING_OP_FSYNC passes the range to
  // vfs_fsync_range, so the file system writes back the dirty pages of that
  // range alone, then commits the metadata it needs (ext4: the inode's
  // datasync transaction, whatever range; a block device: a cache flush).
  // len 0 (offset then ignored), or a len the SQE's 32-bit field cannot
  // hold: the whole file, a superset. offset + len beyond INT64_MAX: -EINVAL.
  // result: 0, or -errno.
  void fsync(int fd, bool datasync, caf::actor target, uint64_t cookie, uint64_t offset = 0, uint64_t len = 0);
  // fallocate(PUNCH_HOLE | KEEP_SIZE) of len bytes at offset: the range
  // reads back as zeros, its blocks are freed (a regular file) or discarded
  // (a block device). result: 0, or -errno (-EOPNOTSUPP where the file
  // system or device cannot).
  void punch_hole(int fd, uint64_t offset, uint64_t len, caf::actor target, uint64_t cookie);
  // One recv; result: bytes (1..len), 0 when the peer closed, or -errno.
  void recv(int fd, void* buf, uint32_t len, caf::actor target, uint64_t cookie);
  // Copies the iovec array (at most max_iov entries, not the data) and sends
  // all of it (MSG_NOSIGNAL); result: total bytes, or -errno. More than
  // max_iov entries or more than INT32_MAX bytes: -EINVAL.
  void sendv(int fd, const iovec* iov, unsigned iovcnt, caf::actor target, uint64_t cookie);
  // result: the accepted fd (SOCK_CLOEXEC), or -errno.
  void accept(int listen_fd, caf::actor target, uint64_t cookie);
  // Cancels every request on fd submitted before this call (queued, in
  // flight or between continuations); those complete with -ECANCELED unless
  // the kernel finished them first.
  void cancel_fd(int fd);
  // cancel_fd, then close(fd) on the ring thread once the cancel ran. Use it
  // when the fd number may be reused before the cancelled requests report
  // back (closing right after cancel_fd could let the cancel hit a new
  // file with the same number). The caller must not touch fd afterwards.
  void close_fd(int fd);

  uint64_t submitted() const;  // calls that complete (not cancel/close_fd)
  uint64_t completed() const;  // completions sent so far

  static constexpr unsigned max_iov = 64;

  // The actor that owns the ring (its io actor): the io_actor fault point
  // sends it owner_fault_atom, and it fails. Set once, before the ring is
  // handed out.
  void set_owner(caf::actor_addr owner);

 private:
  using request_args_ref = detail::request_args&;
  // Fault injection on file I/O (io/faults.hpp); true when it answered.
  bool inject(request_args_ref a, caf::actor& target);

  std::shared_ptr<detail::ring_core> core_;
  // io_file stalls held before they enter the core; stopped (its requests
  // handed over, its thread joined) before the core stops.
  std::unique_ptr<detail::stall_queue> stalls_;
  caf::actor_addr owner_;
};

}  // namespace stmfd::io
