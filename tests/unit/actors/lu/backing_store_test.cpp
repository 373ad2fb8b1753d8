// backing_store::open for files: sizeBytes is the LU's size (wire/config.capnp).
// A missing file is created sparse, a smaller one extended sparse, a larger
// one never truncated (only its first sizeBytes are exported); a read-only LU
// never changes its file.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "actors/lu/backing_store.hpp"

using namespace stmfd;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/stmfd-backing.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::system(("rm -rf " + path).c_str()); }
};

lu_definition file_def(const std::string& path, uint64_t size) {
  lu_definition d;
  d.name = "t";
  d.backing = lu_definition::backing_kind::file;
  d.path = path;
  d.size_bytes = size;
  return d;
}

uint64_t file_size(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return uint64_t(st.st_size);
}

void make_file(const std::string& path, uint64_t size) {
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, off_t(size)) == 0);
  ::close(fd);
}

}  // namespace

TEST_CASE("a missing file is created sparse with sizeBytes", "[backing]") {
  temp_dir t;
  auto r = backing_store::open(file_def(t.path + "/a.img", 1 << 20));
  REQUIRE(r.store);
  CHECK(r.store->size() == (1u << 20));
  CHECK(file_size(t.path + "/a.img") == (1u << 20));
  struct stat st {};
  REQUIRE(::stat((t.path + "/a.img").c_str(), &st) == 0);
  CHECK(st.st_blocks == 0);  // sparse
}

// An existing file against sizeBytes: (file size before, sizeBytes) ->
// (exported size, file size after).
TEST_CASE("an existing file is extended to sizeBytes and never truncated", "[backing]") {
  struct row {
    uint64_t before, size_bytes, exported, after;
  };
  const row r = GENERATE(row{4096, 1 << 20, 1 << 20, 1 << 20},     // smaller: extended (sparse)
                         row{4 << 20, 1 << 20, 1 << 20, 4 << 20},  // larger: only sizeBytes exported
                         row{3 << 20, 0, 3 << 20, 3 << 20});       // sizeBytes 0: the whole file
  temp_dir t;
  make_file(t.path + "/b.img", r.before);
  auto o = backing_store::open(file_def(t.path + "/b.img", r.size_bytes));
  REQUIRE(o.store);
  CHECK(o.store->size() == r.exported);
  CHECK(file_size(t.path + "/b.img") == r.after);
}

TEST_CASE("a read-only LU refuses a file smaller than sizeBytes and leaves it alone", "[backing]") {
  temp_dir t;
  make_file(t.path + "/e.img", 4096);
  auto d = file_def(t.path + "/e.img", 1 << 20);
  d.read_only = true;
  auto r = backing_store::open(d);
  CHECK_FALSE(r.store);
  CHECK(r.error.find("readOnly") != std::string::npos);
  CHECK(file_size(t.path + "/e.img") == 4096);
}

TEST_CASE("a missing file with create=false is an error", "[backing]") {
  temp_dir t;
  auto d = file_def(t.path + "/f.img", 1 << 20);
  d.create = false;
  auto r = backing_store::open(d);
  CHECK_FALSE(r.store);
  CHECK(r.error.find("cannot open") != std::string::npos);
}

TEST_CASE("a partial last block is not exported; an empty file is an error", "[backing]") {
  temp_dir t;
  make_file(t.path + "/g.img", 4096 + 100);
  auto r = backing_store::open(file_def(t.path + "/g.img", 0));
  REQUIRE(r.store);
  CHECK(r.store->size() == 4096);
  make_file(t.path + "/h.img", 0);
  auto e = backing_store::open(file_def(t.path + "/h.img", 0));
  CHECK_FALSE(e.store);
  CHECK(e.error.find("empty") != std::string::npos);
}

TEST_CASE("a file created for a store that does not open is removed again", "[backing]") {
  temp_dir d;
  auto path = d.path + "/huge.img";
  // Far beyond any file system's maximum file size: ftruncate refuses it.
  auto r = backing_store::open(file_def(path, uint64_t(1) << 62));
  CHECK(r.store == nullptr);
  CHECK(r.error.find("cannot size") != std::string::npos);
  CHECK(::access(path.c_str(), F_OK) != 0);

  SECTION("an existing file is never removed") {
    int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0600);
    REQUIRE(fd >= 0);
    ::close(fd);
    auto again = backing_store::open(file_def(path, uint64_t(1) << 62));
    CHECK(again.store == nullptr);
    CHECK(::access(path.c_str(), F_OK) == 0);
  }
}

TEST_CASE("a thick file is allocated in full; one that cannot fit is refused before allocating", "[backing]") {
  temp_dir t;
  auto d = file_def(t.path + "/thick.img", 1 << 20);
  d.thin = false;
  auto r = backing_store::open(d);
  REQUIRE(r.store);
  struct stat st {};
  REQUIRE(::stat(d.path.c_str(), &st) == 0);
  CHECK(uint64_t(st.st_blocks) * 512 >= (1u << 20));

  // Below the largest file size, above any free space of this machine.
  auto big = file_def(t.path + "/big.img", uint64_t(15) << 40);
  big.thin = false;
  auto refused = backing_store::open(big);
  CHECK_FALSE(refused.store);
  CHECK(refused.error.find("cannot allocate") != std::string::npos);
  CHECK(::access(big.path.c_str(), F_OK) != 0);
}
