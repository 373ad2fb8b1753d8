/* The power-cut test's deliberately broken daemon (test only, never built
 * into stmfd): an LD_PRELOAD library that turns every sync the daemon asks
 * for into a no-op, so that acknowledged data stays in the guest's page
 * cache and a power cut loses it. tests/integration/test_powercut.sh runs
 * the daemon with it (POWERCUT_BROKEN=nosync) to prove that its check
 * reports lost writes when syncs are missing (docs/durability.md).
 *
 * What it removes:
 * - io_uring: before each io_uring_submit* call, the queued SQEs not yet
 *   submitted are rewritten: FSYNC and SYNC_FILE_RANGE become NOP (which
 *   completes with 0, like a sync that worked); WRITE/WRITEV/WRITE_FIXED
 *   lose RWF_DSYNC and RWF_SYNC.
 * - libc: fsync, fdatasync, sync_file_range and syncfs return 0 at once;
 *   pwritev2 loses RWF_DSYNC and RWF_SYNC; open/openat lose O_SYNC/O_DSYNC.
 * Build: gcc -shared -fPIC -O2 -o powercut-nosync.so powercut-nosync.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdarg.h>
#include <sys/uio.h>
#include <unistd.h>

static void strip_syncs(struct io_uring* ring) {
  struct io_uring_sq* sq = &ring->sq;
  unsigned mask = *sq->kring_mask;
  for (unsigned i = sq->sqe_head; i != sq->sqe_tail; i++) {
    struct io_uring_sqe* sqe = &sq->sqes[i & mask];
    switch (sqe->opcode) {
      case IORING_OP_FSYNC:
      case IORING_OP_SYNC_FILE_RANGE:
        /* NOP rejects non-zero op flags (fsync_flags shares rw_flags). */
        sqe->opcode = IORING_OP_NOP;
        sqe->rw_flags = 0;
        sqe->off = 0;
        sqe->len = 0;
        break;
      case IORING_OP_WRITE:
      case IORING_OP_WRITEV:
      case IORING_OP_WRITE_FIXED: sqe->rw_flags &= ~(RWF_DSYNC | RWF_SYNC); break;
      default: break;
    }
  }
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

int io_uring_submit(struct io_uring* ring) {
  strip_syncs(ring);
  return NEXT(io_uring_submit)(ring);
}

int io_uring_submit_and_wait(struct io_uring* ring, unsigned wait_nr) {
  strip_syncs(ring);
  return NEXT(io_uring_submit_and_wait)(ring, wait_nr);
}

int io_uring_submit_and_get_events(struct io_uring* ring) {
  strip_syncs(ring);
  return NEXT(io_uring_submit_and_get_events)(ring);
}

int io_uring_submit_and_wait_timeout(struct io_uring* ring, struct io_uring_cqe** cqe, unsigned wait_nr,
                                     struct __kernel_timespec* ts, sigset_t* sigmask) {
  strip_syncs(ring);
  return NEXT(io_uring_submit_and_wait_timeout)(ring, cqe, wait_nr, ts, sigmask);
}

int fsync(int fd) { return fd < 0 ? -1 : 0; }
int fdatasync(int fd) { return fd < 0 ? -1 : 0; }
int syncfs(int fd) { return fd < 0 ? -1 : 0; }
int sync_file_range(int fd, off_t off, off_t n, unsigned int flags) {
  (void)off, (void)n, (void)flags;
  return fd < 0 ? -1 : 0;
}

ssize_t pwritev2(int fd, const struct iovec* iov, int cnt, off_t off, int flags) {
  return NEXT(pwritev2)(fd, iov, cnt, off, flags & ~(RWF_DSYNC | RWF_SYNC));
}

static int mode_of(int flags, va_list ap) { return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, int) : 0; }

int open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = mode_of(flags, ap);
  va_end(ap);
  return NEXT(open)(path, flags & ~(O_SYNC | O_DSYNC), mode);
}

int open64(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = mode_of(flags, ap);
  va_end(ap);
  return NEXT(open64)(path, flags & ~(O_SYNC | O_DSYNC), mode);
}

int openat(int dir, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = mode_of(flags, ap);
  va_end(ap);
  return NEXT(openat)(dir, path, flags & ~(O_SYNC | O_DSYNC), mode);
}
