#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include <sys/socket.h>

#include "io/ring.hpp"
#include "io_test_support.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;

TEST_CASE("ten_thousand_concurrent_requests_complete_exactly_once", "[io][ring][stress]") {
  // A small ring (SQ 32, in-flight cap 64) so most requests wait in the
  // backlog; four threads submit at once.
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  constexpr uint32_t block = 512;
  constexpr uint32_t blocks = 1024;
  std::vector<uint8_t> image(size_t{block} * blocks);
  for (uint32_t i = 0; i < blocks; ++i)
    std::memset(image.data() + size_t{i} * block, static_cast<int>(i & 0xff), block);
  for (uint32_t i = 0; i < blocks; i += 2)  // makes the high byte visible
    image[size_t{i} * block] = static_cast<uint8_t>(i >> 8);
  REQUIRE(::pwrite(f.fd, image.data(), image.size(), 0) == static_cast<ssize_t>(image.size()));

  ring r{ring::options{32, "stress"}};
  constexpr unsigned threads = 4;
  constexpr unsigned per_thread = 2500;
  constexpr unsigned total = threads * per_thread;
  std::vector<uint8_t> bufs(size_t{total} * block);
  caf::actor target = self;
  std::vector<std::thread> submitters;
  for (unsigned t = 0; t < threads; ++t)
    submitters.emplace_back([&, t] {
      for (unsigned i = 0; i < per_thread; ++i) {
        const unsigned cookie = t * per_thread + i;
        const uint32_t blk = (cookie * 7919u) % blocks;
        r.read(f.fd, bufs.data() + size_t{cookie} * block, block, uint64_t{blk} * block, target, cookie);
      }
    });
  for (auto& t : submitters) t.join();

  std::vector<int> seen(total, 0);
  unsigned bad = 0;
  for (unsigned n = 0; n < total; ++n) {
    auto c = next_completion(self);
    REQUIRE(c.result != INT32_MIN);  // timed out
    REQUIRE(c.cookie < total);
    ++seen[c.cookie];
    const uint32_t blk = (static_cast<uint32_t>(c.cookie) * 7919u) % blocks;
    if (c.result != static_cast<int32_t>(block) ||
        std::memcmp(bufs.data() + c.cookie * block, image.data() + size_t{blk} * block, block) != 0)
      ++bad;
  }
  CHECK(bad == 0);
  unsigned not_once = 0;
  for (int s : seen)
    if (s != 1) ++not_once;
  CHECK(not_once == 0);
  require_no_completion(self);
  CHECK(r.submitted() == total);
  CHECK(r.completed() == total);
}

TEST_CASE("stop_under_load_completes_everything_exactly_once", "[io][ring][stress]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  std::vector<uint8_t> image(1 << 20, 0x5a);
  REQUIRE(::pwrite(f.fd, image.data(), image.size(), 0) == static_cast<ssize_t>(image.size()));
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  constexpr unsigned total = 5000;
  std::vector<uint8_t> bufs(size_t{total} * 4096);
  auto r = std::make_unique<ring>(ring::options{16, "stopper"});
  caf::actor target = self;
  std::atomic<bool> go{false};
  std::thread submitter([&] {
    while (!go) std::this_thread::yield();
    for (unsigned i = 0; i < total; ++i) {
      if (i % 10 == 0)  // never completes on its own
        r->recv(sp.fd[0], bufs.data() + size_t{i} * 4096, 4096, target, i);
      else
        r->read(f.fd, bufs.data() + size_t{i} * 4096, 4096, (i % 256) * 4096ull, target, i);
    }
  });
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  r->stop();  // races with the submitter on purpose
  submitter.join();
  std::vector<int> seen(total, 0);
  unsigned wrong = 0;
  for (unsigned n = 0; n < total; ++n) {
    auto c = next_completion(self);
    REQUIRE(c.result != INT32_MIN);
    REQUIRE(c.cookie < total);
    ++seen[c.cookie];
    const bool is_recv = c.cookie % 10 == 0;
    if (is_recv ? c.result != -ECANCELED : (c.result != 4096 && c.result != -ECANCELED)) ++wrong;
  }
  CHECK(wrong == 0);
  unsigned not_once = 0;
  for (int s : seen) not_once += s != 1;
  CHECK(not_once == 0);
  require_no_completion(self);
  CHECK(r->submitted() == total);
  CHECK(r->completed() == total);
}
