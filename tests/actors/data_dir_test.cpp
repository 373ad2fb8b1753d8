// dataDir is created at start when missing (mkdir -p, mode 0750), and the
// real host behind `stmfd --check` (system_probe).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "actors/stmf/data_dir.hpp"
#include "actors/stmf/host_probe.hpp"

using namespace stmfd;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/stmfd-data-dir-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~temp_dir() { fs::remove_all(path); }
};

mode_t mode_of(const std::string& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("a missing dataDir is created with its parents, itself mode 0750", "[data_dir]") {
  temp_dir t;
  std::string dir = t.path + "/a/b/data";
  mode_t old = ::umask(077);  // the mode does not depend on the umask
  auto r = ensure_data_dir(dir);
  ::umask(old);
  CHECK(r.error.empty());
  CHECK(r.created);
  CHECK(fs::is_directory(dir));
  CHECK(mode_of(dir) == 0750);

  auto again = ensure_data_dir(dir);  // an existing one is left as it is
  CHECK(again.error.empty());
  CHECK_FALSE(again.created);
}

TEST_CASE("a dataDir that cannot be created is reported", "[data_dir]") {
  temp_dir t;
  std::ofstream(t.path + "/file") << "x";
  auto in_the_way = ensure_data_dir(t.path + "/file/data");
  CHECK_FALSE(in_the_way.created);
  CHECK(in_the_way.error.find(t.path + "/file") != std::string::npos);
  auto is_a_file = ensure_data_dir(t.path + "/file");
  CHECK_FALSE(is_a_file.created);
  CHECK(is_a_file.error == t.path + "/file exists and is not a directory");
}

TEST_CASE("the system probe tells files, directories, special files and missing paths apart", "[data_dir]") {
  temp_dir t;
  std::ofstream(t.path + "/f") << std::string(1000, 'x');
  system_probe host;
  auto f = host.stat(t.path + "/f");
  CHECK(f.what == path_info::kind::regular);
  CHECK(f.size == 1000);
  CHECK(f.readable);
  auto d = host.stat(t.path);
  CHECK(d.what == path_info::kind::directory);
  CHECK(d.writable);
  CHECK(host.stat(t.path + "/none").what == path_info::kind::missing);
  CHECK(host.stat("/dev/null").what == path_info::kind::other);
  auto under_a_file = host.stat(t.path + "/f/x");
  CHECK(under_a_file.what == path_info::kind::unknown);
  CHECK_FALSE(under_a_file.error.empty());
  CHECK(host.memory_bytes() > (16u << 20));
}

TEST_CASE("the system probe knows loopback addresses are local and documentation ones are not", "[data_dir]") {
  system_probe host;
  CHECK(host.local_address("127.0.0.1", false));
  CHECK(host.local_address("127.0.0.2", false));
  CHECK_FALSE(host.local_address("192.0.2.77", false));   // TEST-NET-1 (RFC 5737)
  CHECK_FALSE(host.local_address("2001:db8::77", true));  // documentation prefix (RFC 3849)
  CHECK_FALSE(host.local_address("not an address", false));
}
