// A virtual tape library through the real LU shells and STMF (issue 8): a
// MOVE MEDIUM on the changer LU (provider "smc") becomes drive operations
// STMF forwards to the drive LUs (provider "ssc"); the drive then reports
// the media change, READ ELEMENT STATUS shows the barcode in the drive
// element, a drive's PREVENT ALLOW MEDIUM REMOVAL refuses the move back,
// and the map survives a restart of the whole STMF.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "plugins/lu/smc/provider.hpp"
#include "plugins/lu/ssc/provider.hpp"
#include "tests/actors/fixture.hpp"

namespace stmfd::test {
namespace {

using kind = lu_definition::backing_kind;
constexpr const char* target = "iqn.2026-11.org.stmfd:test";

// disk0 at LUN 0 as the fixture makes it; the changer at LUN 1, drives at
// LUNs 2 and 3; four slots, two cartridges, one import/export element. The
// library's files and state live in `lib_dir`, which outlives a fixture.
stmf_fixture::edit_fn add_library(const std::string& lib_dir) {
  return [lib_dir](stmf_definitions& d, provider_registry& p) {
    REQUIRE(p.add(ssc::provider()));
    REQUIRE(p.add(smc::provider()));
    auto lib = std::make_shared<library_definition>();
    lib->name = "lib";
    lib->slots = 4;
    lib->import_export = 1;
    for (int i = 0; i < 2; ++i) {
      lu_definition drive;
      drive.name = "drive" + std::to_string(i);
      drive.provider = "ssc";
      drive.backing = kind::file;
      drive.id.product = "VTAPE";
      drive.id.serial = "DRIVE000" + std::to_string(i);
      drive.state_dir = lib_dir;
      d.lus.push_back(drive);
      lib->drives.push_back({drive.name, drive.id});
    }
    for (const char* code : {"LIB001L6", "LIB002L6"})
      lib->cartridges.push_back({code, lib_dir + "/lib/" + code + ".cart", 4u << 20});
    lu_definition changer;
    changer.name = "changer";
    changer.provider = "smc";
    changer.backing = kind::ram;
    changer.id.product = "VLIBRARY";
    changer.state_dir = lib_dir;
    changer.library = lib;
    d.lus.push_back(changer);
    REQUIRE_FALSE(d.views.replace({}, {},
                                  {view_entry{"disk0", "", "", target, 0}, view_entry{"changer", "", "", target, 1},
                                   view_entry{"drive0", "", "", target, 2}, view_entry{"drive1", "", "", target, 3}},
                                  {"disk0", "drive0", "drive1", "changer"}));
  };
}

caf::actor lu_at(const granted& g, uint16_t lun) {
  for (auto& e : g.luns)
    if (e.lun == lun) return e.lu;
  FAIL("LUN " << lun << " is not in the grant");
  return {};
}

struct library_run {
  stmf_fixture& f;
  task_ptr on(uint16_t lun, std::vector<uint8_t> cdb, wire::Direction dir = wire::Direction::NONE, uint32_t len = 0) {
    auto t = f.make_task(std::move(cdb), dir, len);
    t->lu = lu_at(f.grant, lun);
    return f.run(t);
  }
  task_ptr move(uint16_t src, uint16_t dst) {
    return on(1, {0xA5, 0, 0, 0, uint8_t(src >> 8), uint8_t(src), uint8_t(dst >> 8), uint8_t(dst), 0, 0, 0, 0});
  }
  task_ptr exchange(uint16_t src, uint16_t dst1, uint16_t dst2) {
    return on(1, {0xA6, 0, 0, 0, uint8_t(src >> 8), uint8_t(src), uint8_t(dst1 >> 8), uint8_t(dst1), uint8_t(dst2 >> 8),
                  uint8_t(dst2), 0, 0});
  }
  // WRITE(6) of one variable block / READ(6) of one (SILI) on the drive at `lun`.
  task_ptr write(uint16_t lun, const std::string& b) {
    const auto n = uint8_t(b.size());
    auto t = f.make_task({0x0A, 0, 0, 0, n, 0}, wire::Direction::WRITE, n, std::vector<uint8_t>(b.begin(), b.end()));
    t->lu = lu_at(f.grant, lun);
    return f.run(t);
  }
  std::string read(uint16_t lun) {
    auto r = on(lun, {0x08, 0x02, 0, 0, 64, 0}, wire::Direction::READ, 64);
    if (status(r) != 0) return "status " + std::to_string(status(r));
    return std::string(reinterpret_cast<const char*>(r->data.data), r->task.getDataInLength());
  }
  // READ ELEMENT STATUS of the data transfer elements with volume tags.
  task_ptr drives() { return on(1, {0xB8, 0x14, 0, 0, 0, 2, 0, 0, 0x04, 0, 0, 0}, wire::Direction::READ, 1024); }
  static uint8_t status(const task_ptr& t) { return t->task.getStatus(); }
  // Element descriptor i of the first page: FULL and the volume tag.
  static bool full(const task_ptr& t, size_t i) { return t->data.data[16 + i * 48 + 2] & 0x01; }
  static std::string tag(const task_ptr& t, size_t i) {
    return std::string(reinterpret_cast<const char*>(t->data.data) + 16 + i * 48 + 12, 8);
  }
};

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/stmfd-library-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("library: a move through STMF loads the drive, which reports the change", "[actors][library]") {
  temp_dir lib;
  stmf_fixture f(kind::ram, add_library(lib.path));
  library_run run{f};
  CHECK(std::filesystem::exists(lib.path + "/lib/LIB001L6.cart"));                              // created at start
  CHECK(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});  // empty drive

  REQUIRE(run.status(run.move(0x1001, 0x0100)) == 0);  // slot 1 -> drive 0
  CHECK(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x6, 0x28, 0x00});
  CHECK(run.status(run.on(2, test_unit_ready())) == 0);
  auto d = run.drives();
  REQUIRE(run.status(d) == 0);
  CHECK(run.full(d, 0));
  CHECK(run.tag(d, 0) == "LIB002L6");
  CHECK_FALSE(run.full(d, 1));
  CHECK(sense_of(run.on(3, test_unit_ready())) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});  // drive 1 untouched

  // The drive holds its medium (PREVENT): the move back is refused and nothing changes.
  REQUIRE(run.status(run.on(2, {0x1E, 0, 0, 0, 0x01, 0})) == 0);
  CHECK(sense_of(run.move(0x0100, 0x1001)) == std::tuple<int, int, int>{0x5, 0x53, 0x02});
  CHECK(run.status(run.on(2, test_unit_ready())) == 0);
  CHECK(run.full(run.drives(), 0));
  REQUIRE(run.status(run.on(2, {0x1E, 0, 0, 0, 0x00, 0})) == 0);

  // Full destination and empty source, as SMC-3 says.
  CHECK(sense_of(run.move(0x1000, 0x0100)) == std::tuple<int, int, int>{0x5, 0x3B, 0x0D});
  CHECK(sense_of(run.move(0x1003, 0x0101)) == std::tuple<int, int, int>{0x5, 0x3B, 0x0E});

  REQUIRE(run.status(run.move(0x0100, 0x1001)) == 0);  // back to its slot: the drive is empty again
  CHECK(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});
  CHECK_FALSE(run.full(run.drives(), 0));
}

TEST_CASE("library: EXCHANGE MEDIUM swaps a drive's cartridge for a slot's", "[actors][library][exchange]") {
  temp_dir lib;
  stmf_fixture f(kind::ram, add_library(lib.path));
  library_run run{f};
  REQUIRE(run.status(run.move(0x1000, 0x0100)) == 0);  // slot 0 -> drive 0
  REQUIRE(run.status(run.on(2, test_unit_ready())) == 0x02);
  REQUIRE(run.status(run.on(2, test_unit_ready())) == 0);
  // Slot 1's cartridge into drive 0, drive 0's back to slot 1.
  REQUIRE(run.status(run.exchange(0x1001, 0x0100, 0x1001)) == 0);
  CHECK(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x6, 0x28, 0x00});  // reloaded
  CHECK(run.status(run.on(2, test_unit_ready())) == 0);
  auto d = run.drives();
  REQUIRE(run.status(d) == 0);
  CHECK(run.tag(d, 0) == "LIB002L6");
  // The drive prevents removal: the exchange is refused and nothing moves.
  REQUIRE(run.status(run.on(2, {0x1E, 0, 0, 0, 0x01, 0})) == 0);
  CHECK(sense_of(run.exchange(0x1001, 0x0100, 0x1001)) == std::tuple<int, int, int>{0x5, 0x53, 0x02});
  CHECK(run.tag(run.drives(), 0) == "LIB002L6");
  REQUIRE(run.status(run.on(2, {0x1E, 0, 0, 0, 0x00, 0})) == 0);
  CHECK(sense_of(run.exchange(0x1003, 0x0100, 0x1003)) == std::tuple<int, int, int>{0x5, 0x3B, 0x0E});
}

TEST_CASE("library: the element map survives a restart and a drive cartridge goes home", "[actors][library]") {
  temp_dir lib;
  {
    stmf_fixture f(kind::ram, add_library(lib.path));
    library_run run{f};
    REQUIRE(run.status(run.move(0x1000, 0x0010)) == 0);  // slot 0 -> import/export
    REQUIRE(run.status(run.move(0x1001, 0x0101)) == 0);  // slot 1 -> drive 1
    CHECK(std::filesystem::exists(lib.path + "/changer.state"));
  }
  stmf_fixture f(kind::ram, add_library(lib.path));
  library_run run{f};
  // READ ELEMENT STATUS of every element: transport, import/export, 2 drives, 4 slots.
  auto all = run.on(1, {0xB8, 0x10, 0, 0, 0, 8, 0, 0, 0x04, 0, 0, 0}, wire::Direction::READ, 1024);
  REQUIRE(run.status(all) == 0);
  auto* d = all->data.data;
  // Pages: transport (8 + 48), import/export (8 + 48), drives (8 + 96), slots.
  const size_t ie = 8 + 56 + 8, drives = ie + 48 + 8, slots = drives + 96 + 8;
  CHECK((d[ie + 2] & 0x01) == 1);
  CHECK(std::string(reinterpret_cast<const char*>(d) + ie + 12, 8) == "LIB001L6");
  CHECK((d[drives + 48 + 2] & 0x01) == 0);  // drive 1 restarted empty ...
  CHECK((d[slots + 48 + 2] & 0x01) == 1);   // ... its cartridge is back in slot 1
  CHECK(std::string(reinterpret_cast<const char*>(d) + slots + 48 + 12, 8) == "LIB002L6");
  CHECK((d[slots + 2] & 0x01) == 0);  // slot 0 is empty
}

// Issue 10: the changer LU's actor failing on a command (lu_execute,
// matched to the changer): that command ends in CHECK CONDITION, the
// changer restarts from its persisted element map and reports POWER ON
// once, and a cartridge it moved before is still where it went.
TEST_CASE("library: a changer crash restarts it with its element map", "[actors][library][faults]") {
  temp_dir lib;
  stmf_fixture f(kind::ram, add_library(lib.path));
  library_run run{f};
  REQUIRE(run.status(run.move(0x1001, 0x0010)) == 0);  // slot 1 -> import/export
  faults::spec s;
  s.match = "changer";
  REQUIRE(faults::arm(faults::point::lu_execute, s).empty());
  CHECK(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});  // a drive: not matched
  auto crashed = run.move(0x1000, 0x1002);
  CHECK(sense_of(crashed) == std::tuple<int, int, int>{0x4, 0x44, 0x00});
  auto changer = f.wait_lu_update();
  for (auto& e : f.grant.luns)
    if (e.lun == 1) e.lu = changer;
  CHECK(sense_of(run.on(1, test_unit_ready())) == std::tuple<int, int, int>{0x6, 0x29, 0x00});
  // The crashed move never happened; the one before it did.
  CHECK(sense_of(run.move(0x1001, 0x1003)) == std::tuple<int, int, int>{0x5, 0x3B, 0x0E});  // slot 1 is empty
  REQUIRE(run.status(run.move(0x0010, 0x1001)) == 0);  // import/export -> slot 1 again
  REQUIRE(run.status(run.move(0x1000, 0x1002)) == 0);  // and the crashed move now works
}

// Issue 8 defect: a changer that restarts alone while a drive holds a
// cartridge builds its drive elements from the drives (STMF's drive
// records, or the drive itself), never from a map that sends the cartridge
// home: the drive keeps its medium, READ ELEMENT STATUS shows it there with
// its volume tag and source element, and the slot it came from is empty,
// so that cartridge cannot be lent to a second drive.
TEST_CASE("library: a changer crash keeps a loaded drive loaded and in its map", "[actors][library][faults]") {
  temp_dir lib;
  stmf_fixture f(kind::ram, add_library(lib.path));
  library_run run{f};
  REQUIRE(run.status(run.move(0x1001, 0x0100)) == 0);  // slot 1 -> drive 0
  REQUIRE(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x6, 0x28, 0x00});
  REQUIRE(run.status(run.on(2, test_unit_ready())) == 0);
  faults::spec s;
  s.match = "changer";
  REQUIRE(faults::arm(faults::point::lu_execute, s).empty());
  CHECK(sense_of(run.on(1, test_unit_ready())) == std::tuple<int, int, int>{0x4, 0x44, 0x00});
  auto changer = f.wait_lu_update();
  for (auto& e : f.grant.luns)
    if (e.lun == 1) e.lu = changer;
  CHECK(sense_of(run.on(1, test_unit_ready())) == std::tuple<int, int, int>{0x6, 0x29, 0x00});

  CHECK(run.status(run.on(2, test_unit_ready())) == 0);  // the drive kept its medium (no new UA)
  auto d = run.drives();
  REQUIRE(run.status(d) == 0);
  CHECK(run.full(d, 0));
  CHECK(run.tag(d, 0) == "LIB002L6");
  const uint8_t* desc = d->data.data + 16;
  CHECK((desc[9] & 0x80) != 0);                           // SVALID
  CHECK((uint16_t(desc[10]) << 8 | desc[11]) == 0x1001);  // SOURCE STORAGE ELEMENT ADDRESS
  CHECK_FALSE(run.full(d, 1));
  // Its old slot is empty: it cannot go to drive 1 as well.
  CHECK(sense_of(run.move(0x1001, 0x0101)) == std::tuple<int, int, int>{0x5, 0x3B, 0x0E});
  CHECK(sense_of(run.move(0x1000, 0x0100)) == std::tuple<int, int, int>{0x5, 0x3B, 0x0D});  // drive 0 is full
  CHECK(sense_of(run.on(3, test_unit_ready())) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});
  // The map the restarted changer saved says so too: a whole restart then
  // sends it home (the drives start empty) and nothing is lost.
  REQUIRE(run.status(run.move(0x0100, 0x1001)) == 0);  // and it can go back
  CHECK(sense_of(run.on(2, test_unit_ready())) == std::tuple<int, int, int>{0x2, 0x3A, 0x00});
}

// Issue 10 across drives: drive 0's shell dies with a write (B) held on its
// way into the kernel, and the changer at once moves that cartridge to
// drive 1, which writes C. The move waits until drive 0's restarted shell
// loaded the cartridge, i.e. until what was held landed: B's image, sealed
// (docs/tape-format.md), whose commit the dead shell never wrote, so B is
// not on the tape and C follows A0. A cartridge that reached drive 1 first
// would have C at B's offset, and B's late sealed image would cut it off.
TEST_CASE("library: a cartridge leaves a restarted drive only after its dead shell's write landed",
          "[actors][library][faults][drain]") {
  temp_dir lib;
  stmf_fixture f(kind::ram, add_library(lib.path));
  library_run run{f};
  REQUIRE(run.status(run.move(0x1001, 0x0100)) == 0);  // slot 1 -> drive 0
  run.on(2, test_unit_ready());                        // NOT READY TO READY CHANGE
  REQUIRE(run.status(run.write(2, "A0")) == 0);
  faults::spec stall;
  stall.act = faults::action::stall;
  stall.ms = 600;
  REQUIRE(faults::arm(faults::point::io_file, stall).empty());  // disk0 is RAM: drive 0's write
  faults::spec crash;
  crash.match = "drive0";
  REQUIRE(faults::arm(faults::point::lu_io_submitted, crash).empty());
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(sense_of(run.write(2, "B")) == std::tuple<int, int, int>{0x4, 0x44, 0x00});
  REQUIRE(f.wait_lu_update());
  REQUIRE(run.status(run.move(0x0100, 0x1001)) == 0);  // drive 0 -> slot 1: waits for the load
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(600));
  REQUIRE(run.status(run.move(0x1001, 0x0101)) == 0);             // slot 1 -> drive 1
  run.on(3, test_unit_ready());                                   // NOT READY TO READY CHANGE
  REQUIRE(run.status(run.on(3, {0x11, 0x03, 0, 0, 0, 0})) == 0);  // SPACE to end of data
  REQUIRE(run.status(run.write(3, "C")) == 0);
  std::this_thread::sleep_until(t0 + std::chrono::milliseconds(900));  // anything late has landed
  REQUIRE(run.status(run.on(3, {0x01, 0, 0, 0, 0, 0})) == 0);          // REWIND
  CHECK(run.read(3) == "A0");
  CHECK(run.read(3) == "C");
  CHECK(run.read(3) == "status 2");  // BLANK CHECK
}

}  // namespace stmfd::test
