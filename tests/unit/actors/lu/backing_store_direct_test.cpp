// backing_store::direct_fd (issue 10 section 3, write-through): a second,
// O_DIRECT descriptor for write-through writes (a direct write, then a
// sync of its range). Every writable file, thin or fully provisioned, gets
// one, a read-only one not; direct_ok() admits only aligned memory and
// whole-page offsets and lengths; and what the LU relies on from the
// kernel: a direct write is seen by buffered reads on fd(), also over a
// range the page cache held before, and on a thin file it allocates the
// hole it lands in, which a punched hole (UNMAP) frees.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "actors/lu/backing_store.hpp"

using namespace stmfd;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/stmfd-direct.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::system(("rm -rf " + path).c_str()); }
};

lu_definition def_of(const std::string& path, bool thin, bool read_only = false) {
  lu_definition d;
  d.name = "t";
  d.backing = lu_definition::backing_kind::file;
  d.path = path;
  d.size_bytes = 1 << 20;
  d.thin = thin;
  d.read_only = read_only;
  return d;
}

// Whether this file system takes O_DIRECT at all (tmpfs on older kernels
// does not): the direct cases below need it.
bool o_direct_works(const std::string& dir) {
  const std::string p = dir + "/probe";
  int fd = ::open(p.c_str(), O_CREAT | O_RDWR | O_DIRECT, 0600);
  if (fd < 0) return false;
  ::close(fd);
  ::unlink(p.c_str());
  return true;
}

// A fully provisioned 1 MiB store under t, or null (with a warning) where
// the file system refuses O_DIRECT.
std::shared_ptr<backing_store> thick_store(const temp_dir& t) {
  if (!o_direct_works(t.path)) {
    WARN("O_DIRECT is not supported under /tmp here: nothing to check");
    return nullptr;
  }
  auto r = backing_store::open(def_of(t.path + "/thick.img", false));
  REQUIRE(r.store);
  return r.store;
}

struct aligned_buf {
  uint8_t* p = nullptr;
  explicit aligned_buf(size_t n) { p = static_cast<uint8_t*>(std::aligned_alloc(4096, n)); }
  ~aligned_buf() { std::free(p); }
};

}  // namespace

TEST_CASE("a writable file, thin or not, gets a direct descriptor; a read-only one not", "[backing][direct]") {
  temp_dir t;
  auto thick = thick_store(t);
  if (!thick) return;
  CHECK(thick->direct_fd() >= 0);
  CHECK(thick->direct_fd() != thick->fd());

  auto thin = backing_store::open(def_of(t.path + "/thin.img", true));
  REQUIRE(thin.store);
  CHECK(thin.store->direct_fd() >= 0);
  CHECK(thin.store->direct_fd() != thin.store->fd());
  aligned_buf b(4096);
  CHECK(thin.store->direct_ok(b.p, 0, 4096));

  thick.reset();  // the file exists and is allocated now
  auto ro = backing_store::open(def_of(t.path + "/thick.img", false, true));
  REQUIRE(ro.store);
  CHECK(ro.store->direct_fd() < 0);
  CHECK_FALSE(ro.store->direct_ok(b.p, 0, 4096));  // no descriptor: never
}

TEST_CASE("direct_ok admits only aligned memory, offsets and lengths", "[backing][direct]") {
  temp_dir t;
  auto store = thick_store(t);
  if (!store) return;
  aligned_buf b(8192);
  CHECK(store->direct_ok(b.p, 0, 4096));
  CHECK(store->direct_ok(b.p, 8192, 8192));
  CHECK_FALSE(store->direct_ok(b.p + 1, 0, 4096));
  CHECK_FALSE(store->direct_ok(b.p, 1, 4096));
  CHECK_FALSE(store->direct_ok(b.p, 0, 4095));
  // Whole pages only, even where the kernel takes 512-byte direct I/O.
  CHECK_FALSE(store->direct_ok(b.p, 512, 4096));
  CHECK_FALSE(store->direct_ok(b.p, 0, 512));
  CHECK_FALSE(store->direct_ok(b.p, 4096, 4096 + 512));
}

TEST_CASE("a DSYNC direct write is what buffered reads see, also over cached pages", "[backing][direct]") {
  temp_dir t;
  auto store = thick_store(t);
  if (!store) return;
  const int fd = store->fd();
  // Old content written and read through the page cache (dirty, then cached).
  std::string old(8192, 'o');
  REQUIRE(::pwrite(fd, old.data(), old.size(), 4096) == ssize_t(old.size()));
  std::string seen(8192, '\0');
  REQUIRE(::pread(fd, seen.data(), seen.size(), 4096) == ssize_t(seen.size()));
  REQUIRE(seen == old);
  // New content over the middle 4096 bytes, direct with RWF_DSYNC.
  aligned_buf b(4096);
  std::memset(b.p, 'n', 4096);
  iovec iov{b.p, 4096};
  REQUIRE(store->direct_ok(b.p, 8192, 4096));
  REQUIRE(::pwritev2(store->direct_fd(), &iov, 1, 8192, RWF_DSYNC) == 4096);
  REQUIRE(::pread(fd, seen.data(), seen.size(), 4096) == ssize_t(seen.size()));
  CHECK(seen.substr(0, 4096) == std::string(4096, 'o'));
  CHECK(seen.substr(4096) == std::string(4096, 'n'));
}

// Whether [offset, offset + length) of the store is one extent in state mapped.
static bool one_extent(const backing_store& s, uint64_t offset, uint64_t length, bool mapped) {
  extent_record r[4]{};
  const long n = s.map_extents(offset, length, r, 4);
  return n == 1 && r[0].offset == offset && r[0].length == length && r[0].mapped == uint8_t(mapped);
}

TEST_CASE("a direct write into a thin file's hole allocates it; punching frees it", "[backing][direct]") {
  temp_dir t;
  if (!o_direct_works(t.path)) {
    WARN("O_DIRECT is not supported under /tmp here: nothing to check");
    return;
  }
  auto r = backing_store::open(def_of(t.path + "/thin.img", true));
  REQUIRE(r.store);
  const backing_store& store = *r.store;
  REQUIRE(one_extent(store, 0, 1 << 20, false));  // sparse: all hole
  aligned_buf b(65536);
  std::memset(b.p, 'd', 65536);
  iovec iov{b.p, 65536};
  REQUIRE(store.direct_ok(b.p, 131072, 65536));
  REQUIRE(::pwritev2(store.direct_fd(), &iov, 1, 131072, 0) == 65536);  // as the LU does, then a sync
  REQUIRE(::fdatasync(store.direct_fd()) == 0);
  // Allocated where written, and only there; buffered reads see the data.
  CHECK(one_extent(store, 131072, 65536, true));
  CHECK(one_extent(store, 0, 131072, false));
  CHECK(one_extent(store, 196608, (1 << 20) - 196608, false));
  std::string seen(65536, '\0');
  REQUIRE(::pread(store.fd(), seen.data(), seen.size(), 131072) == ssize_t(seen.size()));
  CHECK(seen == std::string(65536, 'd'));
  // UNMAP's deallocation (a punched hole on fd()) frees the blocks the
  // direct write allocated; they read back as zeros.
  REQUIRE(::fallocate(store.fd(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 131072, 65536) == 0);
  CHECK(one_extent(store, 0, 1 << 20, false));
  REQUIRE(::pread(store.fd(), seen.data(), seen.size(), 131072) == ssize_t(seen.size()));
  CHECK(seen == std::string(65536, '\0'));
}
