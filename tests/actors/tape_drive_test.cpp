// A tape drive LU (provider "ssc") through the real LU shell: the
// cartridge file is created at start, WRITE(6) / WRITE FILEMARKS / REWIND
// / READ(6) / SPACE run as plans on the shell's medium store, LOAD UNLOAD
// is a medium action the shell performs, and a load tells the other
// nexuses MEDIUM MAY HAVE CHANGED.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "plugins/lu/ssc/provider.hpp"
#include "tests/actors/fixture.hpp"

namespace stmfd::test {
namespace {

using kind = lu_definition::backing_kind;
constexpr const char* target = "iqn.2026-11.org.stmfd:test";

// disk0 at LUN 0 as the fixture makes it, tape0 (ssc) at LUN 1.
void add_tape_drive(stmf_definitions& d, provider_registry& p) {
  REQUIRE(p.add(ssc::provider()));
  lu_definition lu;
  lu.name = "tape0";
  lu.provider = "ssc";
  lu.backing = kind::file;
  lu.path = (std::filesystem::path(d.lus[0].path).parent_path() / "tape0.cart").string();
  lu.size_bytes = 4u << 20;
  lu.barcode = "TST001L6";
  lu.id.product = "VTAPE";
  lu.id.serial = "TAPE0001";
  d.lus.push_back(lu);
  REQUIRE_FALSE(d.views.replace(
      {}, {}, {view_entry{"disk0", "", "", target, 0}, view_entry{"tape0", "", "", target, 1}}, {"disk0", "tape0"}));
}

caf::actor tape_of(const granted& g) {
  for (auto& e : g.luns)
    if (e.lun == 1) return e.lu;
  FAIL("LUN 1 is not in the grant");
  return {};
}

struct tape_run {
  stmf_fixture& f;
  caf::actor lu;
  task_ptr cmd(std::vector<uint8_t> cdb, wire::Direction dir = wire::Direction::NONE, uint32_t len = 0,
               const std::vector<uint8_t>& out = {}) {
    auto t = f.make_task(std::move(cdb), dir, len, out);
    t->lu = lu;
    return f.run(t);
  }
  uint8_t status(const task_ptr& t) { return t->task.getStatus(); }
  task_ptr write(const std::string& s) {
    const uint32_t n = uint32_t(s.size());
    return cmd({0x0A, 0, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), 0}, wire::Direction::WRITE, n,
               std::vector<uint8_t>(s.begin(), s.end()));
  }
  task_ptr read(uint32_t n) {
    return cmd({0x08, 0x02, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), 0}, wire::Direction::READ, n);
  }
  static std::string text(const task_ptr& t) {
    return std::string(reinterpret_cast<const char*>(t->data.data), t->task.getDataInLength());
  }
};

// Issue 10's race: the tape's next write is held `ms` on its way into the
// kernel (io_file stall; disk0 is RAM, so it is the tape's) and the drive's
// shell dies right after handing it to the ring (lu_io_submitted). Writes
// `block` into that, which fails back with 04/44/00; `tape` then addresses
// the restarted shell, and t0 is when the write was sent.
void crash_with_write_held(stmf_fixture& f, tape_run& tape, const std::string& block, uint32_t ms,
                           std::chrono::steady_clock::time_point& t0) {
  faults::spec stall;
  stall.act = faults::action::stall;
  stall.ms = ms;
  REQUIRE(faults::arm(faults::point::io_file, stall).empty());
  faults::spec crash;
  crash.match = "tape0";
  REQUIRE(faults::arm(faults::point::lu_io_submitted, crash).empty());
  t0 = std::chrono::steady_clock::now();
  auto lost = tape.write(block);
  CHECK(sense_of(lost) == std::tuple<int, int, int>{0x4, 0x44, 0x00});
  tape.lu = f.wait_lu_update();
  REQUIRE(tape.lu);
}

}  // namespace

TEST_CASE("tape drive LU: write, filemarks, rewind, read and space through the LU shell", "[actors][tape]") {
  stmf_fixture f(kind::ram, add_tape_drive);
  tape_run tape{f, tape_of(f.grant)};
  REQUIRE(tape.lu);
  CHECK(tape.status(tape.cmd({0x00, 0, 0, 0, 0, 0})) == 0);  // the cartridge was created and loaded
  CHECK(std::filesystem::exists(f.dir + "/tape0.cart"));

  REQUIRE(tape.status(tape.write("first block")) == 0);
  REQUIRE(tape.status(tape.write("second")) == 0);
  REQUIRE(tape.status(tape.cmd({0x10, 0, 0, 0, 1, 0})) == 0);  // WRITE FILEMARKS 1, IMMED=0
  REQUIRE(tape.status(tape.write("next file")) == 0);
  REQUIRE(tape.status(tape.cmd({0x01, 0, 0, 0, 0, 0})) == 0);  // REWIND

  auto r = tape.read(64);
  CHECK(tape.status(r) == 0);  // SILI: the short block is no error
  CHECK(tape_run::text(r) == "first block");
  CHECK(tape.status(tape.cmd({0x11, 0x01, 0, 0, 1, 0})) == 0);  // SPACE 1 filemark
  r = tape.read(64);
  CHECK(tape_run::text(r) == "next file");
  r = tape.read(64);  // end of data: BLANK CHECK
  CHECK(tape.status(r) == 2);
  CHECK(sense_of(r) == std::tuple<int, int, int>{0x8, 0x00, 0x05});
  r = tape.cmd({0x11, 0x00, 0xFF, 0xFF, 0xFD, 0});  // SPACE -3 blocks: the filemark stops it
  CHECK(sense_of(r) == std::tuple<int, int, int>{0x0, 0x00, 0x01});
  auto s = r->task.getSense();
  CHECK((s[2] & 0x80) != 0);  // FILEMARK
  CHECK(s[6] == 2);           // residue: 3 asked, 1 done

  // READ POSITION long form: after the filemark's BOT side = object 2, file 0.
  r = tape.cmd({0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0}, wire::Direction::READ, 32);
  REQUIRE(r->task.getDataInLength() == 32);
  CHECK(r->data.data[15] == 2);
}

TEST_CASE("tape drive LU: unload and load through the shell; others see the medium change", "[actors][tape]") {
  stmf_fixture f(kind::ram, add_tape_drive);
  tape_run tape{f, tape_of(f.grant)};
  REQUIRE(tape.status(tape.write("kept across unload")) == 0);
  REQUIRE(tape.status(tape.cmd({0x10, 0, 0, 0, 1, 0})) == 0);
  auto other = f.login(0x800000000002);                        // a second nexus
  REQUIRE(tape.status(tape.cmd({0x1B, 0, 0, 0, 0, 0})) == 0);  // UNLOAD
  auto r = tape.cmd({0x00, 0, 0, 0, 0, 0});
  CHECK(sense_of(r) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});  // MEDIUM NOT PRESENT
  REQUIRE(tape.status(tape.cmd({0x1B, 0, 0, 0, 1, 0})) == 0);        // LOAD
  r = tape.read(64);
  CHECK(tape_run::text(r) == "kept across unload");

  // The other nexus gets NOT READY TO READY CHANGE once.
  auto t = f.make_task({0x00, 0, 0, 0, 0, 0}, wire::Direction::NONE, 0);
  t->task.setNexus(other.nexus);
  t->lu = tape.lu;
  r = f.run(t);
  CHECK(sense_of(r) == std::tuple<int, int, int>{0x6, 0x28, 0x00});
  t = f.make_task({0x00, 0, 0, 0, 0, 0}, wire::Direction::NONE, 0);
  t->task.setNexus(other.nexus);
  t->lu = tape.lu;
  CHECK(f.run(t)->task.getStatus() == 0);
}

// Issue 10: an ssc LU's actor failing with a medium write in flight (the
// lu_io_done point, matched to the tape LU only): the write ends in CHECK
// CONDITION, the drive restarts with its cartridge and reports POWER ON
// once, what was written before is still there, and the disk LU next to it
// never noticed.
TEST_CASE("tape drive LU: a crash mid-write restarts the drive alone", "[actors][tape][faults]") {
  stmf_fixture f(kind::ram, add_tape_drive);
  tape_run tape{f, tape_of(f.grant)};
  REQUIRE(tape.status(tape.cmd({0x00, 0, 0, 0, 0, 0})) == 0);
  REQUIRE(tape.status(tape.write("kept")) == 0);
  faults::spec s;
  s.match = "tape0";
  REQUIRE(faults::arm(faults::point::lu_io_done, s).empty());
  auto w = tape.write("lost in the crash");
  CHECK(tape.status(w) == 2);
  CHECK(sense_of(w) == std::tuple<int, int, int>{0x4, 0x44, 0x00});
  tape.lu = f.wait_lu_update();
  auto ua = tape.cmd({0x00, 0, 0, 0, 0, 0});
  CHECK(sense_of(ua) == std::tuple<int, int, int>{0x6, 0x29, 0x00});
  CHECK(tape.status(tape.cmd({0x00, 0, 0, 0, 0, 0})) == 0);
  REQUIRE(tape.status(tape.cmd({0x01, 0, 0, 0, 0, 0})) == 0);  // REWIND
  auto r = tape.read(64);
  CHECK(tape.status(r) == 0);
  CHECK(tape_run::text(r) == "kept");
  auto disk = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(disk->task.getStatus() == 0);  // no unit attention: disk0 was untouched
}

// Issue 10, a tape shell held behind its dead predecessor's write. Four
// blocks are on the tape; the initiator rewinds, spaces over one and
// rewrites the second: that write's first file write, its seal (one zero
// byte over A1's lead tag, docs/tape-format.md), is held on its way into
// the kernel (io_file stall) while the shell dies (lu_io_submitted), so the
// command fails back (04/44/00), the seal lands 600 ms later and the rest
// of B1 is never written. STMF restarts the drive at once. Its load must
// wait for the old write: a load that scanned the tape first would find
// four blocks, put end of data after A3, and the initiator's next write
// there (GOOD) would be cut off by the seal landing late, lost at the next
// load. Held, the load finds A0 only, SPACE to end of data stops at object
// 1, and C follows A0 on the cartridge.
TEST_CASE("tape drive LU: a restarted drive loads only after its predecessor's write left the kernel",
          "[actors][tape][faults][drain]") {
  stmf_fixture f(kind::ram, add_tape_drive);
  tape_run tape{f, tape_of(f.grant)};
  REQUIRE(tape.status(tape.cmd({0x00, 0, 0, 0, 0, 0})) == 0);
  for (auto b : {"A0", "A1", "A2", "A3"}) REQUIRE(tape.status(tape.write(b)) == 0);
  REQUIRE(tape.status(tape.cmd({0x01, 0, 0, 0, 0, 0})) == 0);  // REWIND
  REQUIRE(tape.status(tape.cmd({0x11, 0, 0, 0, 1, 0})) == 0);  // SPACE 1 block
  std::chrono::steady_clock::time_point t0;
  crash_with_write_held(f, tape, "B1", 600, t0);
  auto ua = tape.cmd({0x00, 0, 0, 0, 0, 0});
  CHECK(sense_of(ua) == std::tuple<int, int, int>{0x6, 0x29, 0x00});  // POWER ON, at once
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
  auto inq = tape.cmd({0x12, 0, 0, 0, 36, 0}, wire::Direction::READ, 36);
  CHECK(tape.status(inq) == 0);  // INQUIRY is not held either
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));

  REQUIRE(tape.status(tape.cmd({0x11, 0x03, 0, 0, 0, 0})) == 0);  // SPACE to end of data: waits for the load
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(600));
  auto pos = tape.cmd({0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0}, wire::Direction::READ, 32);  // READ POSITION, long
  REQUIRE(pos->task.getDataInLength() == 32);
  CHECK(pos->data.data[15] == 1);  // A0: the old write's seal ended the tape where B1 was to go
  REQUIRE(tape.status(tape.write("C")) == 0);

  // Reload (what the next start does), then every block from BOT.
  REQUIRE(tape.status(tape.cmd({0x1B, 0, 0, 0, 0, 0})) == 0);  // UNLOAD
  REQUIRE(tape.status(tape.cmd({0x1B, 0, 0, 0, 1, 0})) == 0);  // LOAD
  std::vector<std::string> blocks;
  for (int i = 0; i < 6; ++i) {
    auto r = tape.read(64);
    if (tape.status(r) != 0) {
      CHECK(sense_of(r) == std::tuple<int, int, int>{0x8, 0x00, 0x05});  // BLANK CHECK, end of data
      break;
    }
    blocks.push_back(tape_run::text(r));
  }
  CHECK(blocks == std::vector<std::string>{"A0", "C"});
}

// A command parked behind the held load is a task like any other: ABORT
// TASK ends it at once (it never started), and the commands after it run
// once the load ran.
TEST_CASE("tape drive LU: abort task ends a command parked behind a held load", "[actors][tape][faults][drain]") {
  stmf_fixture f(kind::ram, add_tape_drive);
  tape_run tape{f, tape_of(f.grant)};
  REQUIRE(tape.status(tape.write("A0")) == 0);
  std::chrono::steady_clock::time_point t0;
  crash_with_write_held(f, tape, "A1", 1000, t0);
  CHECK(sense_of(tape.cmd({0x00, 0, 0, 0, 0, 0})) == std::tuple<int, int, int>{0x6, 0x29, 0x00});
  auto space = f.make_task({0x11, 0x03, 0, 0, 0, 0}, wire::Direction::NONE, 0);  // SPACE to end of data
  space->lu = tape.lu;
  post_task(f, space, 9);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // parked
  REQUIRE(lu_function(f, wire::TaskManagementFunction::ABORT_TASK, 9, tape.lu));
  CHECK(next_done(f)->aborted.load());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1000));  // not after the old write
  CHECK(tape.status(tape.cmd({0x00, 0, 0, 0, 0, 0})) == 0);                        // parked, then GOOD
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(1000));
  auto pos = tape.cmd({0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0}, wire::Direction::READ, 32);
  REQUIRE(pos->task.getDataInLength() == 32);
  CHECK(pos->data.data[15] == 0);  // the load rewound; the aborted SPACE never moved the tape
}

}  // namespace stmfd::test
