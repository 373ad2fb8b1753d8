// The LU shell's issue 7 steps on real stores (file through the io ring,
// RAM inline): UNMAP deallocates (reads zeros, GET LBA STATUS says so), WRITE
// SAME writes its block (or zeros with NDOB) over the range, COMPARE AND
// WRITE writes only when the compare matches and otherwise reports
// MISCOMPARE with the offset of the first differing byte.
#include <cstring>

#include "tests/actors/fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;
using bytes = std::vector<uint8_t>;

namespace {

constexpr uint32_t bs = 512;

bytes read_blocks(stmf_fixture& f, uint32_t lba, uint16_t n) {
  auto t = f.run(f.make_task(read10(lba, n), wire::Direction::READ, n * bs));
  REQUIRE(t->task.getStatus() == 0);
  REQUIRE(t->task.getDataInLength() == n * bs);
  return bytes(t->data.data, t->data.data + n * bs);
}

void write_blocks(stmf_fixture& f, uint32_t lba, const bytes& data) {
  const auto n = uint16_t(data.size() / bs);
  auto t = f.run(f.make_task(write10(lba, n), wire::Direction::WRITE, uint32_t(data.size()), data));
  REQUIRE(t->task.getStatus() == 0);
}

// GET LBA STATUS from lba: (lba, blocks, provisioning status) of the first descriptor.
std::tuple<uint64_t, uint32_t, int> first_status(stmf_fixture& f, uint64_t lba) {
  bytes c(16, 0);
  c[0] = 0x9E;
  c[1] = 0x12;
  scsi::put_be64(c.data() + 2, lba);
  scsi::put_be32(c.data() + 10, 24);
  auto t = f.run(f.make_task(c, wire::Direction::READ, 24));
  REQUIRE(t->task.getStatus() == 0);
  REQUIRE(t->task.getDataInLength() == 24);
  const uint8_t* d = t->data.data;
  return {scsi::get_be64(d + 8), scsi::get_be32(d + 16), d[20]};
}

task_ptr unmap(stmf_fixture& f, uint64_t lba, uint32_t n) {
  bytes list(24, 0);
  scsi::put_be16(list.data(), 22);
  scsi::put_be16(list.data() + 2, 16);
  scsi::put_be64(list.data() + 8, lba);
  scsi::put_be32(list.data() + 16, n);
  return f.run(f.make_task({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, wire::Direction::WRITE, 24, list));
}

}  // namespace

TEST_CASE("unmap deallocates: zeros read back and GET LBA STATUS reports it", "[actors][thin]") {
  auto backing = GENERATE(kind::file, kind::ram);
  stmf_fixture f(backing);
  write_blocks(f, 0, bytes(64 * bs, 0xAB));  // 32 KiB: whole pages and file system blocks
  CHECK(first_status(f, 0) == std::make_tuple(uint64_t(0), uint32_t(64), 0));

  auto t = unmap(f, 16, 32);
  REQUIRE(t->task.getStatus() == 0);
  CHECK(read_blocks(f, 16, 32) == bytes(32 * bs, 0));
  CHECK(read_blocks(f, 0, 16) == bytes(16 * bs, 0xAB));
  CHECK(read_blocks(f, 48, 16) == bytes(16 * bs, 0xAB));
  CHECK(first_status(f, 0) == std::make_tuple(uint64_t(0), uint32_t(16), 0));
  CHECK(first_status(f, 16) == std::make_tuple(uint64_t(16), uint32_t(32), 1));
  CHECK(first_status(f, 48) == std::make_tuple(uint64_t(48), uint32_t(16), 0));

  // A range that is not page aligned still reads back as zeros.
  REQUIRE(unmap(f, 3, 5)->task.getStatus() == 0);
  bytes want(16 * bs, 0xAB);
  std::memset(want.data() + 3 * bs, 0, 5 * bs);
  CHECK(read_blocks(f, 0, 16) == want);
}

TEST_CASE("write same writes its block over the range, NDOB zeros", "[actors][thin]") {
  auto backing = GENERATE(kind::file, kind::ram);
  stmf_fixture f(backing);
  bytes block(bs);
  for (uint32_t i = 0; i < bs; ++i) block[i] = uint8_t(i * 3 + 1);
  // WRITE SAME(10) of 3000 blocks (more than one 1 MiB piece) at LBA 100.
  auto t = f.run(f.make_task({0x41, 0, 0, 0, 0, 100, 0, 0x0B, 0xB8, 0}, wire::Direction::WRITE, bs, block));
  REQUIRE(t->task.getStatus() == 0);
  for (uint32_t lba : {100u, 1100u, 3099u}) CHECK(read_blocks(f, lba, 1) == block);
  CHECK(read_blocks(f, 3100, 1) == bytes(bs, 0));
  // WRITE SAME(16) NDOB without UNMAP: zeros, no Data-Out.
  t = f.run(f.make_task({0x93, 0x01, 0, 0, 0, 0, 0, 0, 0, 101, 0, 0, 0, 2, 0, 0}, wire::Direction::NONE, 0));
  REQUIRE(t->task.getStatus() == 0);
  CHECK(read_blocks(f, 100, 4) == [&] {
    bytes b(4 * bs, 0);
    std::copy(block.begin(), block.end(), b.begin());
    std::copy(block.begin(), block.end(), b.begin() + 3 * bs);
    return b;
  }());
}

TEST_CASE("compare and write writes only on a match and reports the miscompare offset", "[actors][thin]") {
  auto backing = GENERATE(kind::file, kind::ram);
  stmf_fixture f(backing);
  write_blocks(f, 8, bytes(2 * bs, 0x11));
  bytes cdb = {0x89, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0};
  bytes data(4 * bs, 0x11);
  std::fill(data.begin() + 2 * bs, data.end(), 0x22);
  data[bs + 5] = 0x99;  // the verify data differ at byte 517
  auto t = f.run(f.make_task(cdb, wire::Direction::WRITE, uint32_t(data.size()), data));
  CHECK(t->task.getStatus() == 2);
  CHECK(sense_of(t) == std::make_tuple(0xE, 0x1D, 0x00));
  auto s = t->task.getSense();
  REQUIRE(s.size() >= 7);
  CHECK((s[0] & 0x80) != 0);  // VALID: INFORMATION holds the offset
  CHECK(scsi::get_be32(s.begin() + 3) == bs + 5);
  CHECK(read_blocks(f, 8, 2) == bytes(2 * bs, 0x11));  // nothing written

  data[bs + 5] = 0x11;
  t = f.run(f.make_task(cdb, wire::Direction::WRITE, uint32_t(data.size()), data));
  CHECK(t->task.getStatus() == 0);
  CHECK(read_blocks(f, 8, 2) == bytes(2 * bs, 0x22));
}

TEST_CASE("orwrite ors the Data-Out into the medium", "[actors][thin]") {
  auto backing = GENERATE(kind::file, kind::ram);
  stmf_fixture f(backing);
  write_blocks(f, 20, bytes(2 * bs, 0xA0));
  auto t = f.run(f.make_task({0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0}, wire::Direction::WRITE, 2 * bs,
                             bytes(2 * bs, 0x05)));
  REQUIRE(t->task.getStatus() == 0);
  CHECK(read_blocks(f, 20, 2) == bytes(2 * bs, 0xA5));
}
