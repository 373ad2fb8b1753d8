// The io layer's fault points on a real ring (io/faults.hpp io_file,
// io_actor): a backing I/O that fails with EIO or ENOSPC, moves half its
// bytes, or enters the kernel late with its buffer still the ring's.
#include <atomic>
#include <cerrno>

#include <sys/stat.h>

#include "io/faults.hpp"
#include "io/io_actor.hpp"
#include "io/ring.hpp"
#include "io_test_support.hpp"

using namespace stmfd;
using namespace stmfd::io;
using namespace stmfd::io::test;

namespace {

void arm_file(faults::action a, uint32_t ms = 500) {
  faults::spec s;
  s.act = a;
  s.ms = ms;
  REQUIRE(faults::arm(faults::point::io_file, s).empty());
}

}  // namespace

TEST_CASE("io_file eio and enospc fail the request without touching the file", "[io][faults]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  auto data = pattern(4096, 3);
  arm_file(faults::action::eio);
  r.write(f.fd, data.data(), 4096, 0, self, 1);
  CHECK(next_completion(self).result == -EIO);
  arm_file(faults::action::enospc);
  r.write(f.fd, data.data(), 4096, 0, self, 2);
  CHECK(next_completion(self).result == -ENOSPC);
  arm_file(faults::action::eio);
  r.fsync(f.fd, true, self, 3);
  CHECK(next_completion(self).result == -EIO);
  struct stat st {};
  REQUIRE(::fstat(f.fd, &st) == 0);
  CHECK(st.st_size == 0);
  // Disarmed again (times 1): the next write goes through.
  r.write(f.fd, data.data(), 4096, 0, self, 4);
  CHECK(next_completion(self).result == 4096);
  CHECK(r.submitted() == r.completed());
}

TEST_CASE("io_file short moves the first half of a read or write", "[io][faults]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  auto data = pattern(8192, 4);
  arm_file(faults::action::short_io);
  r.write(f.fd, data.data(), 8192, 0, self, 1);
  CHECK(next_completion(self).result == 4096);
  std::vector<uint8_t> back(8192, 0xEE);
  REQUIRE(::pread(f.fd, back.data(), back.size(), 0) == 4096);
  CHECK(std::equal(back.begin(), back.begin() + 4096, data.begin()));
  arm_file(faults::action::short_io);
  std::vector<uint8_t> buf(4096, 0xEE);
  r.read(f.fd, buf.data(), 4096, 0, self, 2);
  CHECK(next_completion(self).result == 2048);
  CHECK(std::equal(buf.begin(), buf.begin() + 2048, data.begin()));
  CHECK(buf[2048] == 0xEE);  // the second half never moved
}

TEST_CASE("io_file stall: the read enters the kernel late and fills its buffer then", "[io][faults]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  auto data = pattern(4096, 5);
  REQUIRE(::pwrite(f.fd, data.data(), 4096, 0) == 4096);
  ring r{ring::options{}};
  arm_file(faults::action::stall, 300);
  std::vector<uint8_t> buf(4096, 0);
  auto t0 = std::chrono::steady_clock::now();
  r.read(f.fd, buf.data(), 4096, 0, self, 7);
  require_no_completion(self, std::chrono::milliseconds(150));
  CHECK(buf == std::vector<uint8_t>(4096, 0));  // still the ring's: nothing written yet
  auto c = next_completion(self);
  CHECK(c.cookie == 7);
  CHECK(c.result == 4096);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(300));
  CHECK(buf == data);
}

TEST_CASE("io_file stall on a ring stopped meanwhile completes with ECANCELED", "[io][faults]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  arm_file(faults::action::stall, 100);
  std::vector<uint8_t> buf(512);
  r.read(f.fd, buf.data(), 512, 0, self, 9);
  r.stop();
  CHECK(next_completion(self).result == -ECANCELED);
}

// A stall must not outlive its ring (nor the daemon): stopping the ring
// hands the held request over at once, its completion is sent before stop()
// returns, and no thread of the stall is left behind.
TEST_CASE("io_file stall: stopping the ring ends a long stall at once", "[io][faults]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  arm_file(faults::action::stall, 60000);
  std::vector<uint8_t> buf(512, 0xEE);
  r.read(f.fd, buf.data(), 512, 0, self, 11);
  require_no_completion(self, std::chrono::milliseconds(100));  // held
  auto t0 = std::chrono::steady_clock::now();
  r.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK(r.submitted() == r.completed());  // sent before stop() returned
  auto c = next_completion(self, std::chrono::milliseconds(500));
  CHECK(c.cookie == 11);
  CHECK(c.result == -ECANCELED);
  CHECK(buf == std::vector<uint8_t>(512, 0xEE));  // never entered the kernel
  // Later stalls on the stopped ring complete at once, never held.
  arm_file(faults::action::stall, 60000);
  r.read(f.fd, buf.data(), 512, 0, self, 12);
  c = next_completion(self, std::chrono::milliseconds(500));
  CHECK(c.cookie == 12);
  CHECK(c.result == -ECANCELED);
}

TEST_CASE("io_file stall: an io actor that exits ends its ring's stalls before it is gone", "[io][faults]") {
  std::atomic<int> results{0};
  auto t0 = std::chrono::steady_clock::now();
  {
    caf::actor_system_config cfg;
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    temp_file f;
    auto io = self->spawn(io_actor, ring::options{});
    std::shared_ptr<ring> r;
    self->request(io, std::chrono::seconds(5), get_ring_atom::value)
        .receive([&](std::shared_ptr<ring>& x) { r = x; }, [](caf::error&) { FAIL("no ring"); });
    faults::spec s;
    s.act = faults::action::stall;
    s.ms = 60000;
    s.times = 3;
    REQUIRE(faults::arm(faults::point::io_file, s).empty());
    std::vector<uint8_t> buf(3 * 512);
    for (uint64_t i = 0; i < 3; ++i) r->read(f.fd, buf.data() + i * 512, 512, 0, self, 20 + i);
    r.reset();
    self->send_exit(io, caf::exit_reason::user_shutdown);  // its state stops the ring
    for (int i = 0; i < 3; ++i)
      if (next_completion(self, std::chrono::seconds(5)).result == -ECANCELED) ++results;
    faults::disarm(faults::point::io_file);
  }  // the actor system ends here; nothing of the stalls may still run
  CHECK(results == 3);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
}

TEST_CASE("io_actor: a file I/O on its ring makes the io actor fail", "[io][faults]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  auto io = self->spawn<caf::monitored>(io_actor, ring::options{});
  std::shared_ptr<ring> r;
  self->request(io, std::chrono::seconds(5), get_ring_atom::value)
      .receive([&](std::shared_ptr<ring>& x) { r = x; }, [](caf::error&) { FAIL("no ring"); });
  REQUIRE(faults::arm(faults::point::io_actor, faults::spec{}).empty());
  std::vector<uint8_t> buf(512);
  r->read(f.fd, buf.data(), 512, 0, self, 1);
  bool down = false, failed = false;
  for (int i = 0; i < 2 && !down; ++i)
    self->receive([&](caf::down_msg& m) { down = true, failed = bool(m.reason); }, [&](const completion&) {},
                  caf::after(std::chrono::seconds(5)) >> [] {});
  CHECK(down);
  CHECK(failed);
  // Its ring is stopped: later submissions complete at once with ECANCELED.
  r->read(f.fd, buf.data(), 512, 0, self, 2);
  completion c{0, 0};
  for (int i = 0; i < 3 && c.cookie != 2; ++i) c = next_completion(self);
  CHECK(c.result == -ECANCELED);
}
