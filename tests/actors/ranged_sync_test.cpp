// Syncs on a file LU (issue 10 section 3): a ranged SYNCHRONIZE CACHE
// writes back its own blocks and leaves the dirty pages of other writes
// alone; a FUA write is on stable storage before GOOD and, on this thin
// file LU, leaves other cached writes alone too (a direct write and an
// fdatasync of its range; where O_DIRECT is refused a buffered write and a
// whole-file fdatasync: docs/durability.md);
// SYNCHRONIZE CACHE with NUMBER OF LOGICAL BLOCKS 0 syncs everything.
// What a sync wrote back is read from the page cache (cachestat(2)).
#include <fcntl.h>
#include <unistd.h>

#include "tests/actors/fixture.hpp"
#include "tests/support/page_cache.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using bytes = std::vector<uint8_t>;

namespace {

constexpr uint32_t bs = 512;

void write_blocks(stmf_fixture& f, uint32_t lba, uint16_t n, bool fua) {
  auto cdb = write10(lba, n);
  if (fua) cdb[1] |= 0x08;  // SBC-4 5.40: FUA
  bytes data(size_t(n) * bs, uint8_t(lba + 1));
  auto t = f.run(f.make_task(cdb, wire::Direction::WRITE, uint32_t(data.size()), data));
  REQUIRE(t->task.getStatus() == 0);
}

void sync_cache(stmf_fixture& f, uint32_t lba, uint16_t n) {
  bytes c(10, 0);
  c[0] = 0x35;  // SYNCHRONIZE CACHE (10), SBC-4 5.26
  scsi::put_be32(c.data() + 2, lba);
  scsi::put_be16(c.data() + 7, n);
  auto t = f.run(f.make_task(c, wire::Direction::NONE, 0));
  REQUIRE(t->task.getStatus() == 0);
}

// Whether files under dir can be opened O_DIRECT (backing_store then opens
// its direct descriptor).
bool o_direct_works(const std::string& dir) {
  const std::string p = dir + "/o_direct_probe";
  const int fd = ::open(p.c_str(), O_CREAT | O_RDWR | O_DIRECT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  ::close(fd);
  ::unlink(p.c_str());
  return true;
}

struct image_fd {
  int fd;
  explicit image_fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) { REQUIRE(fd >= 0); }
  ~image_fd() { ::close(fd); }
  uint64_t unsynced(uint64_t lba, uint64_t blocks) const {
    auto s = page_cache_of(fd, lba * bs, blocks * bs);
    REQUIRE(s);
    return s->unsynced();
  }
};

}  // namespace

// Each attempt takes milliseconds; background writeback (after
// dirty_expire, 30 s by default) could clean a region on its own, so one
// attempt where the other region stayed dirty suffices. A whole-file sync
// cleans it in every attempt.
TEST_CASE("ranged sync cache syncs its own blocks only", "[actors][durability]") {
  stmf_fixture f(lu_definition::backing_kind::file);
  image_fd img(f.dir + "/disk0.img");
  if (!page_cache_of(img.fd, 0, 0)) {
    WARN("cachestat(2) unavailable (kernel before 6.5): not checked here");
    return;
  }
  // Regions of 256 blocks (128 KiB), 2 MiB apart: the page cache may hold
  // a region in one large folio, and writeback goes by folio, so a sync
  // may clean up to its folios' edges but never another region.
  constexpr uint32_t x = 0, z = 4096, y = 8192;
  // Where the file system takes O_DIRECT the FUA write goes to the store's
  // direct descriptor and syncs its own range: the cached write at x stays
  // dirty (no whole-file sync per write-through write).
  const bool direct = o_direct_works(f.dir);
  if (!direct) WARN("O_DIRECT refused under " << f.dir << ": FUA takes write + whole-file fdatasync here");
  bool sync_left_others = false, fua_left_others = false;
  for (int attempt = 0; attempt < 3 && !(sync_left_others && fua_left_others); ++attempt) {
    write_blocks(f, x, 256, false);
    write_blocks(f, y, 256, true);
    CHECK(img.unsynced(y, 256) == 0);  // FUA: its own blocks are on stable storage before GOOD
    if (direct) {
      fua_left_others |= img.unsynced(x, 256) > 0;
    } else {
      CHECK(img.unsynced(0, 0) == 0);  // the whole-file fdatasync
      fua_left_others = true;
    }

    write_blocks(f, x, 256, false);  // write cache on: only in the page cache
    write_blocks(f, z, 256, false);
    sync_cache(f, x, 256);
    CHECK(img.unsynced(x, 256) == 0);
    sync_left_others = img.unsynced(z, 256) > 0;

    sync_cache(f, 0, 0);  // NUMBER OF LOGICAL BLOCKS 0: to the end, from LBA 0
    CHECK(img.unsynced(0, 0) == 0);
  }
  CHECK(sync_left_others);
  CHECK(fua_left_others);
}
