// create_cartridges (the changer's create_media, create-library and
// create-cartridge): a new cartridge file is synced, renamed into place and
// its directory synced before the call reports success; a directory made
// for it is synced into its parent. A failed sync is the call's error.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "plugins/lu/smc/provider.hpp"
#include "tests/unit/io/sync_recorder.hpp"

using namespace stmfd;
namespace fs = std::filesystem;

namespace {

library_definition one_cartridge(const std::string& path) {
  library_definition l;
  l.cartridges.push_back({"SYNC01L6", path, 1 << 20});
  return l;
}

}  // namespace

TEST_CASE("create_cartridges_syncs_the_file_and_every_new_directory", "[smc][durable]") {
  test::sync_test_dir t;
  test::sync_recorder rec;
  const std::string path = t.path + "/media/SYNC01L6.tape";
  REQUIRE(smc::create_cartridges(one_cartridge(path)).empty());
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".new"));
  const long made_dir = rec.index_of(t.path);  // media/'s entry
  const long data = rec.index_of(path + ".new");
  const long name = rec.index_of(t.path + "/media");  // the rename
  CHECK(made_dir >= 0);
  CHECK(data >= 0);
  CHECK(name > data);
}

TEST_CASE("create_cartridges_reports_a_directory_that_cannot_sync", "[smc][durable]") {
  test::sync_test_dir t;
  test::sync_recorder rec;
  rec.fail_path = t.path;
  auto err = smc::create_cartridges(one_cartridge(t.path + "/C1.tape"));
  CHECK(err.find("Input/output error") != std::string::npos);
}
