// io::durable: a directory created on the way to a new file is synced into
// its parent; sync_parent syncs the directory naming a file; an fsync
// error is the caller's error.
#include <catch2/catch.hpp>

#include <filesystem>

#include "io/durable_file.hpp"
#include "tests/unit/io/sync_recorder.hpp"

using namespace stmfd;
namespace fs = std::filesystem;

TEST_CASE("durable_create_directories_syncs_each_new_parent", "[io][durable]") {
  test::sync_test_dir t;
  test::sync_recorder rec;
  REQUIRE(io::durable::create_directories(t.path + "/a/b/") == 0);
  CHECK(fs::is_directory(t.path + "/a/b"));
  // a's entry lives in t, b's in a: both parents synced, outermost first;
  // b itself (no entry of a new file yet) is not.
  REQUIRE(rec.synced.size() == 2);
  CHECK(rec.index_of(t.path) == 0);
  CHECK(rec.index_of(t.path + "/a") == 1);
  rec.synced.clear();
  REQUIRE(io::durable::create_directories(t.path + "/a/b") == 0);
  CHECK(rec.synced.empty());  // nothing new, nothing to sync
}

TEST_CASE("durable_sync_parent_syncs_the_directory_and_reports_errors", "[io][durable]") {
  test::sync_test_dir t;
  test::sync_recorder rec;
  REQUIRE(io::durable::sync_parent(t.path + "/not-yet") == 0);
  REQUIRE(rec.synced.size() == 1);
  CHECK(rec.index_of(t.path) == 0);
  rec.fail_path = t.path;
  CHECK(io::durable::sync_parent(t.path + "/x") == -EIO);
  CHECK(io::durable::create_directories(t.path + "/c") == -EIO);
  CHECK(io::durable::sync_parent(t.path + "/missing/x") == -ENOENT);
}
