// write_file_atomically: the path holds the old or the new text, complete,
// whatever step a crash interrupts (each step crashed in a forked child).
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "actors/admin/config_writer.hpp"
#include "admin_test_util.hpp"

using namespace stmfd::admin;
using stmfd::admin::test::read_file;
using stmfd::admin::test::scratch_dir;
using stmfd::admin::test::write_file;

TEST_CASE("config writer replaces the file and leaves no temp file", "[admin][config_writer]") {
  scratch_dir d;
  auto path = d.file("c.json");
  write_file(path, "old");
  std::vector<write_step> steps;
  REQUIRE(write_file_atomically(path, "new content", [&](write_step s) { steps.push_back(s); }).empty());
  CHECK(read_file(path) == "new content");
  CHECK(steps == std::vector<write_step>{write_step::temp_written, write_step::temp_synced, write_step::renamed,
                                         write_step::dir_synced});
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(d.path)) (void)e, ++files;
  CHECK(files == 1);
}

TEST_CASE("config writer keeps the old file's mode", "[admin][config_writer]") {
  scratch_dir d;
  auto path = d.file("c.json");
  write_file(path, "old");
  std::filesystem::permissions(path, std::filesystem::perms(0640));
  REQUIRE(write_file_atomically(path, "new").empty());
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) == std::filesystem::perms(0640));
}

TEST_CASE("a crash at any step leaves the old or the new file, never a mix", "[admin][config_writer]") {
  std::string old_text(100000, 'o'), new_text(150000, 'n');
  for (auto crash_at :
       {write_step::temp_written, write_step::temp_synced, write_step::renamed, write_step::dir_synced}) {
    scratch_dir d;
    auto path = d.file("c.json");
    write_file(path, old_text);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      write_file_atomically(path, new_text, [&](write_step s) {
        if (s == crash_at) ::_exit(42);  // the process dies here, as under kill -9
      });
      ::_exit(0);
    }
    int st = 0;
    ::waitpid(child, &st, 0);
    REQUIRE(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 42);
    auto now = read_file(path);
    INFO("crash after step " << int(crash_at));
    CHECK((now == old_text || now == new_text));
    if (crash_at >= write_step::renamed) CHECK(now == new_text);
    if (crash_at < write_step::renamed) CHECK(now == old_text);
  }
}

TEST_CASE("config writer reports a directory it cannot write and leaves the file", "[admin][config_writer]") {
  auto err = write_file_atomically("/nonexistent-dir-stmfd/c.json", "x");
  CHECK(err.find("cannot create") != std::string::npos);
  CHECK(err.find("/nonexistent-dir-stmfd") != std::string::npos);
}
