// EXTENDED COPY through STMF (docs/framework.md "Third-party copy"): the
// copy manager resolves the CSCD descriptors to LUs of the requesting
// nexus's views and moves the data with commands to the LUs' shells, so
// the copy lands byte for byte, an LU outside the views is not reachable,
// and a destination reserved by another initiator refuses the copy's
// writes as it would refuse the requester's own.
#include <cstring>

#include "tests/actors/fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using bytes = std::vector<uint8_t>;

namespace {

constexpr auto ram = lu_definition::backing_kind::ram;
constexpr uint32_t bs = 512;

uint8_t naa_of(int lu) { return uint8_t(0x10 + lu); }

// disk0 (LUN 0), disk1 (LUN 1) in the views; hidden in none. RAM, 8 MiB.
void two_lus(stmf_definitions& d, provider_registry&) {
  d.lus[0].backing = ram;
  d.lus[0].id.naa[0] = 0x60;
  d.lus[0].id.naa[15] = naa_of(0);
  for (const char* name : {"disk1", "hidden"}) {
    lu_definition lu = d.lus[0];
    lu.name = name;
    lu.id.serial = std::string("T") + name;
    lu.id.naa[15] = naa_of(lu.name == "disk1" ? 1 : 2);
    d.lus.push_back(lu);
  }
  REQUIRE_FALSE(d.views.replace({}, {},
                                {view_entry{"disk0", "", "", "iqn.2026-11.org.stmfd:test", 0},
                                 view_entry{"disk1", "", "", "iqn.2026-11.org.stmfd:test", 1}},
                                {"disk0", "disk1", "hidden"}));
}

caf::actor lu_named(const granted& g, const std::string& name) {
  for (auto& e : g.luns)
    if (e.lu_name == name) return e.lu;
  FAIL("no LU " << name << " in the grant");
  return {};
}

task_ptr on(stmf_fixture& f, const std::string& lu, task_ptr t) {
  t->lu = lu_named(f.grant, lu);
  return f.run(std::move(t));
}

bytes cscd(int lu) {
  bytes d(32, 0);
  d[0] = 0xE4;
  d[4] = 0x01;
  d[5] = 0x03;
  d[7] = 16;
  d[8] = 0x60;
  d[23] = naa_of(lu);
  d[30] = 0x02;  // DISK BLOCK LENGTH 512 (bytes 29-31)
  return d;
}

bytes parameter_list(uint8_t list_id, const std::vector<bytes>& cscds, uint16_t src, uint16_t dst, uint16_t blocks,
                     uint64_t src_lba, uint64_t dst_lba) {
  bytes out(16, 0);
  out[0] = list_id;  // LIST ID USAGE 00b: held for RECEIVE COPY RESULTS
  scsi::put_be16(out.data() + 2, uint16_t(cscds.size() * 32));
  scsi::put_be32(out.data() + 8, 28);
  for (auto& c : cscds) out.insert(out.end(), c.begin(), c.end());
  bytes seg(28, 0);
  seg[0] = 0x02;
  scsi::put_be16(seg.data() + 2, 0x18);
  scsi::put_be16(seg.data() + 4, src);
  scsi::put_be16(seg.data() + 6, dst);
  scsi::put_be16(seg.data() + 10, blocks);
  scsi::put_be64(seg.data() + 12, src_lba);
  scsi::put_be64(seg.data() + 20, dst_lba);
  out.insert(out.end(), seg.begin(), seg.end());
  return out;
}

task_ptr extended_copy(stmf_fixture& f, const bytes& list, const std::string& lu = "disk0") {
  bytes c(16, 0);
  c[0] = 0x83;
  scsi::put_be32(c.data() + 10, uint32_t(list.size()));
  return on(f, lu, f.make_task(c, wire::Direction::WRITE, uint32_t(list.size()), list));
}

task_ptr receive_copy_results(stmf_fixture& f, uint8_t sa, uint8_t list_id) {
  bytes c(16, 0);
  c[0] = 0x84;
  c[1] = sa;
  c[2] = list_id;
  scsi::put_be32(c.data() + 10, 256);
  return on(f, "disk0", f.make_task(c, wire::Direction::READ, 256));
}

// EXTENDED COPY(LID4) (SPC-4 6.4): the LID1 list's descriptors behind the
// 48-byte LID4 header with a four-byte list identifier.
bytes lid4_list(uint32_t list_id, const bytes& lid1) {
  bytes out(48, 0);
  out[0] = 0x01;                         // PARAMETER LIST FORMAT
  scsi::put_be16(out.data() + 2, 0x20);  // HEADER CSCD DESCRIPTOR LIST LENGTH
  out[16] = 0xFF;                        // HEADER CSCD DESCRIPTOR TYPE CODE
  scsi::put_be32(out.data() + 20, list_id);
  scsi::put_be16(out.data() + 42, scsi::get_be16(lid1.data() + 2));
  scsi::put_be16(out.data() + 44, uint16_t(scsi::get_be32(lid1.data() + 8)));
  out.insert(out.end(), lid1.begin() + 16, lid1.end());
  return out;
}

task_ptr extended_copy_lid4(stmf_fixture& f, const bytes& list) {
  bytes c(16, 0);
  c[0] = 0x83;
  c[1] = 0x01;
  scsi::put_be32(c.data() + 10, uint32_t(list.size()));
  return on(f, "disk0", f.make_task(c, wire::Direction::WRITE, uint32_t(list.size()), list));
}

task_ptr receive_copy_status_lid4(stmf_fixture& f, uint32_t list_id) {
  bytes c(16, 0);
  c[0] = 0x84;
  c[1] = 0x05;
  scsi::put_be32(c.data() + 2, list_id);
  scsi::put_be32(c.data() + 10, 256);
  return on(f, "disk0", f.make_task(c, wire::Direction::READ, 256));
}

bytes pattern(size_t n, uint8_t seed) {
  bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(seed + i * 7 + i / 512);
  return b;
}

// WRITE(10)s of at most 2048 blocks putting `data` at `lba` of `lu`.
void write_blocks(stmf_fixture& f, const std::string& lu, uint32_t lba, const bytes& data) {
  const uint32_t blocks = uint32_t(data.size() / bs);
  for (uint32_t done = 0; done < blocks;) {
    const auto n = uint16_t(std::min<uint32_t>(2048, blocks - done));
    bytes part(data.begin() + long(done) * bs, data.begin() + long(done + n) * bs);
    REQUIRE(on(f, lu, f.make_task(write10(lba + done, n), wire::Direction::WRITE, n * bs, part))->task.getStatus() ==
            0);
    done += n;
  }
}

// READ(10)s of at most 2048 blocks: `blocks` blocks from `lba` of `lu`.
bytes read_blocks(stmf_fixture& f, const std::string& lu, uint32_t lba, uint32_t blocks) {
  bytes got;
  for (uint32_t done = 0; done < blocks;) {
    const auto n = uint16_t(std::min<uint32_t>(2048, blocks - done));
    auto r = on(f, lu, f.make_task(read10(lba + done, n), wire::Direction::READ, n * bs));
    REQUIRE(r->task.getStatus() == 0);
    got.insert(got.end(), r->data.data, r->data.data + n * bs);
    done += n;
  }
  return got;
}

}  // namespace

TEST_CASE("extended copy between two RAM LUs lands byte for byte", "[actors][xcopy]") {
  stmf_fixture f(ram, two_lus);
  // 2 MiB + 3 blocks: three chunks of the copy manager.
  constexpr uint16_t blocks = 4099;
  const bytes src = pattern(size_t(blocks) * bs, 0x21);
  write_blocks(f, "disk0", 0, src);
  auto t = extended_copy(f, parameter_list(5, {cscd(0), cscd(1)}, 0, 1, blocks, 0, 100));
  REQUIRE(t->task.getStatus() == 0);
  CHECK(read_blocks(f, "disk1", 100, blocks) == src);

  auto s = receive_copy_results(f, 0x00, 5);  // COPY STATUS
  REQUIRE(s->task.getStatus() == 0);
  REQUIRE(s->task.getDataInLength() == 12);
  CHECK(s->data.data[4] == 0x01);  // completed without errors
  CHECK(scsi::get_be16(s->data.data + 5) == 1);
  CHECK(scsi::get_be32(s->data.data + 8) == uint32_t(blocks) * bs);
}

TEST_CASE("extended copy within one LU through CSCD FFFFh", "[actors][xcopy]") {
  stmf_fixture f(ram, two_lus);
  const bytes src = pattern(8 * bs, 0x5A);
  REQUIRE(on(f, "disk0", f.make_task(write10(0, 8), wire::Direction::WRITE, 8 * bs, src))->task.getStatus() == 0);
  auto t = extended_copy(f, parameter_list(1, {}, 0xFFFF, 0xFFFF, 8, 0, 64));
  REQUIRE(t->task.getStatus() == 0);
  auto r = on(f, "disk0", f.make_task(read10(64, 8), wire::Direction::READ, 8 * bs));
  REQUIRE(r->task.getStatus() == 0);
  CHECK(bytes(r->data.data, r->data.data + 8 * bs) == src);
}

TEST_CASE("extended copy to an LU outside the views is not reachable", "[actors][xcopy]") {
  stmf_fixture f(ram, two_lus);
  auto t = extended_copy(f, parameter_list(2, {cscd(0), cscd(2)}, 0, 1, 8, 0, 0));
  REQUIRE(t->task.getStatus() == 2);
  CHECK(sense_of(t) == std::tuple<int, int, int>{0x0A, 0x0D, 0x02});  // COPY TARGET DEVICE NOT REACHABLE
  CHECK(t->task.getSense()[11] == 0);                                 // segment 0
  auto s = receive_copy_results(f, 0x00, 2);
  REQUIRE(s->task.getStatus() == 0);
  CHECK(s->data.data[4] == 0x02);             // completed with errors
  auto d = receive_copy_results(f, 0x04, 2);  // FAILED SEGMENT DETAILS: the sense it ended with
  REQUIRE(d->task.getStatus() == 0);
  REQUIRE(d->task.getDataInLength() == 60 + 18);
  CHECK(d->data.data[60 + 2] == 0x0A);
  CHECK(receive_copy_results(f, 0x04, 2)->task.getStatus() == 2);  // retrieved: gone
}

TEST_CASE("extended copy beyond the destination's end fails its segment", "[actors][xcopy]") {
  stmf_fixture f(ram, two_lus);
  const uint64_t last = (8u << 20) / bs - 1;
  auto t = extended_copy(f, parameter_list(3, {cscd(0), cscd(1)}, 0, 1, 16, 0, last));
  REQUIRE(t->task.getStatus() == 2);
  CHECK(sense_of(t) == std::tuple<int, int, int>{0x0A, 0x00, 0x00});  // COPY ABORTED: a copy target's command failed
}

TEST_CASE("extended copy honours the destination's reservation", "[actors][xcopy]") {
  stmf_fixture f(ram, two_lus);
  // Another initiator registers and takes WRITE EXCLUSIVE on disk1.
  auto other = f.login(0x800000000002);
  auto as_other = [&](bytes cdb, const bytes& data) {
    auto t = f.make_task(std::move(cdb), wire::Direction::WRITE, uint32_t(data.size()), data);
    t->task.setNexus(other.nexus);
    return on(f, "disk1", std::move(t));
  };
  bytes reg(24, 0);
  scsi::put_be64(reg.data() + 8, 0xABCD);  // SERVICE ACTION RESERVATION KEY
  REQUIRE(as_other({0x5F, 0x00, 0, 0, 0, 0, 0, 0, 24, 0}, reg)->task.getStatus() == 0);
  bytes res(24, 0);
  scsi::put_be64(res.data(), 0xABCD);
  REQUIRE(as_other({0x5F, 0x01, 0x01, 0, 0, 0, 0, 0, 24, 0}, res)->task.getStatus() == 0);  // RESERVE, WE

  auto t = extended_copy(f, parameter_list(4, {cscd(0), cscd(1)}, 0, 1, 8, 0, 0));
  REQUIRE(t->task.getStatus() == 2);
  CHECK(sense_of(t) == std::tuple<int, int, int>{0x0A, 0x00, 0x00});
  // The other way round (disk1 is only read) is allowed under WRITE EXCLUSIVE.
  CHECK(extended_copy(f, parameter_list(6, {cscd(1), cscd(0)}, 0, 1, 8, 0, 0))->task.getStatus() == 0);
}

TEST_CASE("extended copy parameter list errors and operating parameters", "[actors][xcopy]") {
  stmf_fixture f(ram, two_lus);
  bytes list = parameter_list(1, {cscd(0)}, 0, 0, 8, 0, 8);
  list[16] = 0xE0;  // an N_Port_Name CSCD descriptor
  auto t = extended_copy(f, list);
  REQUIRE(t->task.getStatus() == 2);
  CHECK(sense_of(t) == std::tuple<int, int, int>{0x05, 0x26, 0x07});
  auto op = receive_copy_results(f, 0x03, 0);
  REQUIRE(op->task.getStatus() == 0);
  CHECK(op->task.getDataInLength() == 46);
  CHECK(receive_copy_results(f, 0x00, 9)->task.getStatus() == 2);  // no such list identifier
}

// Issue 10: the copy manager failing mid-copy (copy_command: on the first
// completion of its commands) fails the EXTENDED COPY with CHECK CONDITION
// INTERNAL TARGET FAILURE; the LUs go on, and the same copy then succeeds.
TEST_CASE("a copy manager that fails mid-copy fails only its EXTENDED COPY", "[actors][xcopy][faults]") {
  stmf_fixture f(ram, two_lus);
  const bytes src = pattern(64 * bs, 0x42);
  REQUIRE(on(f, "disk0", f.make_task(write10(0, 64), wire::Direction::WRITE, 64 * bs, src))->task.getStatus() == 0);
  REQUIRE(faults::arm(faults::point::copy_command, faults::spec{}).empty());
  auto failed = extended_copy(f, parameter_list(6, {cscd(0), cscd(1)}, 0, 1, 64, 0, 200));
  CHECK(failed->task.getStatus() == 2);
  CHECK(sense_of(failed) == std::make_tuple(0x4, 0x44, 0x00));
  CHECK(faults::firings(faults::point::copy_command) > 0);
  auto again = extended_copy(f, parameter_list(7, {cscd(0), cscd(1)}, 0, 1, 64, 0, 200));
  REQUIRE(again->task.getStatus() == 0);
  auto r = on(f, "disk1", f.make_task(read10(200, 64), wire::Direction::READ, 64 * bs));
  REQUIRE(r->task.getStatus() == 0);
  CHECK(bytes(r->data.data, r->data.data + 64 * bs) == src);
}

TEST_CASE("extended copy LID4 lands byte for byte and reports its status once", "[actors][xcopy][lid4]") {
  stmf_fixture f(ram, two_lus);
  constexpr uint16_t blocks = 2100;  // two chunks of the copy manager
  const bytes src = pattern(size_t(blocks) * bs, 0x33);
  write_blocks(f, "disk0", 0, src);
  const uint32_t id = 0x00C0FFEE;  // beyond one byte: only LID4 can name it
  auto t = extended_copy_lid4(f, lid4_list(id, parameter_list(0, {cscd(0), cscd(1)}, 0, 1, blocks, 0, 300)));
  REQUIRE(t->task.getStatus() == 0);
  CHECK(read_blocks(f, "disk1", 300, blocks) == src);

  auto s = receive_copy_status_lid4(f, id);
  REQUIRE(s->task.getStatus() == 0);
  REQUIRE(s->task.getDataInLength() == 32);
  CHECK(s->data.data[4] == 0x05);   // RESPONSE TO SERVICE ACTION
  CHECK(s->data.data[5] == 0x01);   // completed without errors
  CHECK(s->data.data[12] == 0x00);  // the EXTENDED COPY ended GOOD
  CHECK(scsi::get_be64(s->data.data + 16) == uint64_t(blocks) * bs);
  CHECK(scsi::get_be16(s->data.data + 24) == 1);
  CHECK(receive_copy_status_lid4(f, id)->task.getStatus() == 2);  // reported: released
}

TEST_CASE("extended copy LID4 failure reports its sense in the LID4 status", "[actors][xcopy][lid4]") {
  stmf_fixture f(ram, two_lus);
  auto t = extended_copy_lid4(f, lid4_list(70000, parameter_list(0, {cscd(0), cscd(2)}, 0, 1, 8, 0, 0)));
  REQUIRE(t->task.getStatus() == 2);
  CHECK(sense_of(t) == std::tuple<int, int, int>{0x0A, 0x0D, 0x02});  // COPY TARGET DEVICE NOT REACHABLE
  auto s = receive_copy_status_lid4(f, 70000);
  REQUIRE(s->task.getStatus() == 0);
  CHECK(s->data.data[5] == 0x02);   // completed with errors
  CHECK(s->data.data[12] == 0x02);  // CHECK CONDITION
  REQUIRE(s->data.data[14] >= 18);  // SENSE DATA LENGTH
  REQUIRE(s->task.getDataInLength() == 32u + s->data.data[14]);
  CHECK((s->data.data[32 + 2] & 0x0F) == 0x0A);  // COPY ABORTED, fixed format
  // A header field out of place is refused at its byte.
  bytes bad = lid4_list(1, parameter_list(0, {cscd(0)}, 0, 0, 8, 0, 8));
  bad[15] = 0x01;  // IMMED
  auto r = extended_copy_lid4(f, bad);
  REQUIRE(r->task.getStatus() == 2);
  CHECK(sense_of(r) == std::tuple<int, int, int>{0x05, 0x26, 0x00});
}
