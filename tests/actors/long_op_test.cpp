// The LU shell's long operations (lu_outcome::long_op) on real stores:
// SANITIZE OVERWRITE writes its pattern over the whole LU (file through the
// io ring in pieces, RAM in bounded pieces), leaves no durable record when
// it ends well, and a record left by an interrupted sanitize puts the LU
// in the sanitize failure mode at start (SBC-4 4.11.4) until a new
// sanitize ends it.
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/actors/fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;
using bytes = std::vector<uint8_t>;

namespace {

constexpr uint32_t bs = 512;
constexpr uint32_t lu_blocks = (8u << 20) / bs;  // the fixture's LU

task_ptr sanitize(stmf_fixture& f, uint8_t sa_and_flags, const bytes& params = {}) {
  const auto n = uint16_t(params.size());
  return f.run(f.make_task({0x48, sa_and_flags, 0, 0, 0, 0, 0, uint8_t(n >> 8), uint8_t(n), 0},
                           params.empty() ? wire::Direction::NONE : wire::Direction::WRITE, n, params));
}

task_ptr read_block(stmf_fixture& f, uint32_t lba) {
  return f.run(f.make_task(read10(lba, 1), wire::Direction::READ, bs));
}

}  // namespace

TEST_CASE("sanitize overwrite writes the pattern over every block", "[actors][sanitize]") {
  auto backing = GENERATE(kind::file, kind::ram);
  stmf_fixture f(backing);
  bytes params{0x01, 0, 0, 2, 0x5A, 0xA5};  // one pass of the 2-byte pattern
  auto t = sanitize(f, 0x01, params);
  REQUIRE(t->task.getStatus() == 0);
  for (uint32_t lba : {0u, lu_blocks / 2, lu_blocks - 1}) {
    auto r = read_block(f, lba);
    REQUIRE(r->task.getStatus() == 0);
    for (uint32_t i = 0; i < bs; ++i) REQUIRE(r->data.data[i] == (i % 2 ? 0xA5 : 0x5A));
  }
  // Ended well: no record of it is kept.
  CHECK_FALSE(std::filesystem::exists(f.dir + "/disk0.lu-state"));
}

TEST_CASE("sanitize with IMMED answers at once and runs to its end", "[actors][sanitize]") {
  stmf_fixture f(kind::file);
  auto t = sanitize(f, 0x81, bytes{0x01, 0, 0, 1, 0x33});
  REQUIRE(t->task.getStatus() == 0);
  // Until it ends, commands get NOT READY, SANITIZE IN PROGRESS; then run.
  bool ready = false;
  for (int i = 0; i < 500 && !ready; ++i) {
    auto tur = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
    if (tur->task.getStatus() == 0) {
      ready = true;
    } else {
      CHECK(sense_of(tur) == std::tuple<int, int, int>{0x02, 0x04, 0x1B});
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  REQUIRE(ready);
  auto r = read_block(f, lu_blocks - 1);
  REQUIRE(r->task.getStatus() == 0);
  CHECK(r->data.data[0] == 0x33);
  CHECK(r->data.data[bs - 1] == 0x33);
}

TEST_CASE("an interrupted sanitize leaves the failure mode across a restart", "[actors][sanitize]") {
  // The record the disk keeps while a sanitize runs: [1, running, AUSE 0].
  stmf_fixture f(kind::file, [](stmf_definitions& defs, provider_registry&) {
    std::ofstream(defs.lus[0].state_dir + "/disk0.lu-state", std::ios::binary).write("\x01\x01\x00", 3);
  });
  auto r = read_block(f, 0);
  REQUIRE(r->task.getStatus() == 2);
  CHECK(sense_of(r) == std::tuple<int, int, int>{0x03, 0x31, 0x03});  // MEDIUM ERROR, SANITIZE COMMAND FAILED
  auto tur = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(tur->task.getStatus() == 0);
  // EXIT FAILURE MODE needs AUSE in the failed sanitize; a new one succeeds.
  auto exit = sanitize(f, 0x1F);
  CHECK(sense_of(exit) == std::tuple<int, int, int>{0x05, 0x24, 0x00});
  auto erase = sanitize(f, 0x02);  // BLOCK ERASE (the fixture's LU is thin)
  REQUIRE(erase->task.getStatus() == 0);
  r = read_block(f, 0);
  REQUIRE(r->task.getStatus() == 0);
  CHECK(r->data.data[0] == 0);
  CHECK_FALSE(std::filesystem::exists(f.dir + "/disk0.lu-state"));
}
