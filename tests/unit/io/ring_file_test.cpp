#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>

#include "io/ring.hpp"
#include "io_test_support.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;

TEST_CASE("write_then_read_back", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  REQUIRE(r.ok());

  auto data = pattern(1 << 20, 1);
  r.write(f.fd, data.data(), data.size(), 4096, self, 11);
  auto c = next_completion(self);
  CHECK(c.cookie == 11);
  REQUIRE(c.result == static_cast<int32_t>(data.size()));

  struct stat st {};
  REQUIRE(::fstat(f.fd, &st) == 0);
  CHECK(st.st_size == 4096 + (1 << 20));

  std::vector<uint8_t> back(data.size(), 0);
  r.read(f.fd, back.data(), back.size(), 4096, self, 12);
  c = next_completion(self);
  CHECK(c.cookie == 12);
  REQUIRE(c.result == static_cast<int32_t>(back.size()));
  CHECK(back == data);

  // The 4096-byte hole before the data reads as zeros.
  std::vector<uint8_t> hole(4096, 0xff);
  r.read(f.fd, hole.data(), hole.size(), 0, self, 13);
  c = next_completion(self);
  REQUIRE(c.result == 4096);
  CHECK(hole == std::vector<uint8_t>(4096, 0));
  CHECK(r.submitted() == 3);
  CHECK(r.completed() == 3);
}

TEST_CASE("short_read_at_eof", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  auto data = pattern(10000, 2);
  REQUIRE(::pwrite(f.fd, data.data(), data.size(), 0) == 10000);
  ring r{ring::options{}};

  std::vector<uint8_t> buf(8192, 0);
  r.read(f.fd, buf.data(), buf.size(), 8192, self, 1);
  auto c = next_completion(self);
  REQUIRE(c.result == 10000 - 8192);
  CHECK(std::memcmp(buf.data(), data.data() + 8192, 10000 - 8192) == 0);

  r.read(f.fd, buf.data(), buf.size(), 10000, self, 2);
  c = next_completion(self);
  CHECK(c.cookie == 2);
  CHECK(c.result == 0);
  r.read(f.fd, buf.data(), buf.size(), 1u << 30, self, 3);
  CHECK(next_completion(self).result == 0);
}

TEST_CASE("fsync_and_fdatasync", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  auto data = pattern(4096, 3);
  r.write(f.fd, data.data(), data.size(), 0, self, 1);
  REQUIRE(next_completion(self).result == 4096);
  r.fsync(f.fd, false, self, 2);
  auto c = next_completion(self);
  CHECK(c.cookie == 2);
  CHECK(c.result == 0);
  r.fsync(f.fd, true, self, 3);
  c = next_completion(self);
  CHECK(c.cookie == 3);
  CHECK(c.result == 0);
}

TEST_CASE("errors_are_negative_errno", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  uint8_t buf[16];
  r.read(-1, buf, sizeof(buf), 0, self, 1);
  CHECK(next_completion(self).result == -EBADF);

  temp_file f;
  int ro = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(ro >= 0);
  r.write(ro, buf, sizeof(buf), 0, self, 2);
  auto c = next_completion(self);
  CHECK(c.cookie == 2);
  CHECK(c.result == -EBADF);
  ::close(ro);

  r.read(f.fd, buf, 0x80000000u, 0, self, 3);
  CHECK(next_completion(self).result == -EINVAL);
  CHECK(r.submitted() == r.completed());
}

TEST_CASE("read_write_at_current_position_of_a_pipe", "[io][ring][file]") {
  // O_NONBLOCK pipe: data arrives in two pieces after the read was issued,
  // so the ring must wait (poll) and continue the short read.
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair p;
  REQUIRE(::pipe2(p.fd, O_NONBLOCK | O_CLOEXEC) == 0);
  char buf[10] = {};
  r.read(p.fd[0], buf, sizeof(buf), UINT64_MAX, self, 5);
  require_no_completion(self, std::chrono::milliseconds(100));
  REQUIRE(::write(p.fd[1], "01234", 5) == 5);
  require_no_completion(self, std::chrono::milliseconds(100));
  REQUIRE(::write(p.fd[1], "56789", 5) == 5);
  auto c = next_completion(self);
  CHECK(c.cookie == 5);
  REQUIRE(c.result == 10);
  CHECK(std::string(buf, 10) == "0123456789");

  // And EOF ends a read early with what it got.
  r.read(p.fd[0], buf, sizeof(buf), UINT64_MAX, self, 6);
  REQUIRE(::write(p.fd[1], "ab", 2) == 2);
  ::close(p.fd[1]);
  p.fd[1] = -1;
  c = next_completion(self);
  CHECK(c.cookie == 6);
  REQUIRE(c.result == 2);
  CHECK(std::string(buf, 2) == "ab");
}

TEST_CASE("write_continues_short_writes_to_a_pipe", "[io][ring][file]") {
  // 1 MiB into a 64 KiB pipe: the kernel takes it in pieces as the reader
  // drains; the caller sees one completion with the full length.
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair p;
  REQUIRE(::pipe2(p.fd, O_NONBLOCK | O_CLOEXEC) == 0);
  auto data = pattern(1 << 20, 9);
  r.write(p.fd[1], data.data(), data.size(), UINT64_MAX, self, 8);
  std::vector<uint8_t> got;
  std::vector<uint8_t> chunk(4096);
  ::fcntl(p.fd[0], F_SETFL, 0);  // blocking reads on our side
  while (got.size() < data.size()) {
    ssize_t n = ::read(p.fd[0], chunk.data(), chunk.size());
    REQUIRE(n > 0);
    got.insert(got.end(), chunk.begin(), chunk.begin() + n);
  }
  auto c = next_completion(self);
  CHECK(c.cookie == 8);
  CHECK(c.result == static_cast<int32_t>(data.size()));
  CHECK(got == data);
}

// RWF_DSYNC (ring::write's dsync): the kernel takes the flag on a regular
// file and on a continuation alike; the data is there when it completes.
TEST_CASE("dsync_write_completes_with_the_data_in_the_file", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  REQUIRE(r.ok());

  auto data = pattern(256 << 10, 7);
  r.write(f.fd, data.data(), data.size(), 8192, self, 21, true);
  auto c = next_completion(self);
  CHECK(c.cookie == 21);
  REQUIRE(c.result == static_cast<int32_t>(data.size()));

  std::vector<uint8_t> back(data.size(), 0);
  REQUIRE(::pread(f.fd, back.data(), back.size(), 8192) == static_cast<ssize_t>(back.size()));
  CHECK(back == data);
}
