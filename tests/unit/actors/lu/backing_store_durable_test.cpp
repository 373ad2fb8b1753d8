// backing_store::open creating a file (create-lu, or a config LU whose
// file is missing): the file and then the directory naming it are synced
// before the store is returned, so the admin call that reports the LU
// created never names a file a power cut can take away. A failed sync
// fails the create and leaves no file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "actors/lu/backing_store.hpp"
#include "tests/unit/io/sync_recorder.hpp"

using namespace stmfd;
namespace fs = std::filesystem;

namespace {

lu_definition new_file(const std::string& path, bool thin) {
  lu_definition d;
  d.name = path;  // (a literal here trips GCC 12 -Wrestrict, its bug 105651)
  d.backing = lu_definition::backing_kind::file;
  d.path = path;
  d.size_bytes = 1 << 20;
  d.thin = thin;
  return d;
}

}  // namespace

TEST_CASE("backing_create_syncs_file_then_directory", "[backing][durable]") {
  test::sync_test_dir t;
  const bool thin = GENERATE(true, false);
  test::sync_recorder rec;
  auto r = backing_store::open(new_file(t.path + "/new.img", thin));
  REQUIRE(r.store);
  const long file = rec.index_of(t.path + "/new.img"), dir = rec.index_of(t.path);
  CHECK(file >= 0);
  CHECK(dir > file);  // the name after the data: a synced name never points at an unsynced size

  SECTION("reopening the existing file syncs nothing new") {
    r.store.reset();
    rec.synced.clear();
    auto again = backing_store::open(new_file(t.path + "/new.img", thin));
    REQUIRE(again.store);
    CHECK(rec.index_of(t.path) == -1);
  }
}

TEST_CASE("backing_create_fails_and_removes_the_file_when_its_directory_cannot_sync", "[backing][durable]") {
  test::sync_test_dir t;
  test::sync_recorder rec;
  rec.fail_path = t.path;
  auto r = backing_store::open(new_file(t.path + "/new.img", true));
  CHECK(r.store == nullptr);
  CHECK(r.error.find("cannot sync the directory") != std::string::npos);
  CHECK(::access((t.path + "/new.img").c_str(), F_OK) != 0);
}
