// FCP through STMF to a RAM disk LU over the loopback HBA (FCP-4): writes
// with FCP_XFER_RDY bursts, reads in FCP_DATA frames with relative
// offsets, residuals, commands the framework answers, and malformed or
// misplaced frames that end only their own exchange.
#include "tests/actors/fc/fc_fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

TEST_CASE("fc_write_then_read_back_through_stmf", "[actors][fc][fcp]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto data = pattern(64 * 1024, 3);
  auto w = f.ini->command(fc_cdb_write10(16, 128), 65536, false, true, data);
  REQUIRE(w.rsp);
  CHECK(w.rsp->status == 0);
  CHECK_FALSE(w.rsp->resid_under);
  CHECK_FALSE(w.rsp->resid_over);
  REQUIRE(w.xfer_rdys.size() == 1);  // 64 KiB within one burst
  CHECK(w.xfer_rdys[0] == fcp::xfer_rdy{0, 65536});

  auto r = f.ini->command(fc_cdb_read10(16, 128), 65536, true, false);
  REQUIRE(r.rsp);
  CHECK(r.rsp->status == 0);
  CHECK(r.rsp->sense.empty());
  CHECK(r.offsets_in_order);
  CHECK(r.data_frames == 32);  // the initiator's 2048-byte receive data field
  CHECK(r.data == data);
}

TEST_CASE("fc_write_is_solicited_in_bursts_of_max_burst", "[actors][fc][fcp]") {
  fc_fixture::options o;
  o.max_burst = 16 * 1024;
  fc_fixture f(o);
  REQUIRE(f.ini->login());
  auto data = pattern(64 * 1024 + 512, 9);
  auto w = f.ini->command(fc_cdb_write10(0, 129), uint32_t(data.size()), false, true, data);
  REQUIRE(w.rsp);
  CHECK(w.rsp->status == 0);
  REQUIRE(w.xfer_rdys.size() == 5);
  for (size_t i = 0; i < 4; ++i) CHECK(w.xfer_rdys[i] == fcp::xfer_rdy{uint32_t(i * 16384), 16384});
  CHECK(w.xfer_rdys[4] == fcp::xfer_rdy{65536, 512});
  auto r = f.ini->command(fc_cdb_read10(0, 129), uint32_t(data.size()), true, false);
  REQUIRE(r.rsp);
  CHECK(r.data == data);
}

TEST_CASE("fc_large_transfers_wait_for_a_busy_link_and_lose_nothing", "[actors][fc][fcp]") {
  fc_fixture::options o;
  o.queue_capacity = 8;  // the initiator's end holds 8 frames: the target must wait for it
  o.max_burst = 64 * 1024;
  fc_fixture f(o);
  REQUIRE(f.ini->login());
  auto data = pattern(1024 * 1024, 11);
  auto w = f.ini->command(fc_cdb_write10(100, 2048), uint32_t(data.size()), false, true, data);
  REQUIRE(w.rsp);
  CHECK(w.rsp->status == 0);
  CHECK(w.xfer_rdys.size() == 16);
  auto r = f.ini->command(fc_cdb_read10(100, 2048), uint32_t(data.size()), true, false);
  REQUIRE(r.rsp);
  CHECK(r.rsp->status == 0);
  CHECK(r.data_frames == 512);
  CHECK(r.offsets_in_order);
  CHECK(r.data == data);
  CHECK(f.pair.initiator->refused() > 0);  // the link really was busy
}

TEST_CASE("fc_residuals_over_and_under", "[actors][fc][fcp]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  // READ of 8 blocks with room for 4: overrun of 2048, only 2048 sent.
  auto over = f.ini->command(fc_cdb_read10(0, 8), 2048, true, false);
  REQUIRE(over.rsp);
  CHECK(over.rsp->status == 0);
  CHECK(over.rsp->resid_over);
  CHECK(over.rsp->resid == 2048);
  CHECK(over.data.size() == 2048);
  // READ of 1 block with room for 8: underrun of 3584.
  auto under = f.ini->command(fc_cdb_read10(0, 1), 4096, true, false);
  REQUIRE(under.rsp);
  CHECK(under.rsp->resid_under);
  CHECK(under.rsp->resid == 3584);
  CHECK(under.data.size() == 512);
  // INQUIRY with allocation length 36 and FCP_DL 96.
  auto inq = f.ini->command({0x12, 0, 0, 0, 36, 0}, 96, true, false);
  REQUIRE(inq.rsp);
  CHECK(inq.rsp->resid_under);
  CHECK(inq.rsp->resid == 60);
  REQUIRE(inq.data.size() == 36);
  CHECK(inq.data[0] == 0x00);  // a disk
  // WRITE of 2 blocks announcing only 512 bytes: the LU refuses it or
  // moves what fits; either way the response reports an overrun.
  auto wr = f.ini->command(fc_cdb_write10(0, 2), 512, false, true, pattern(512, 1));
  REQUIRE(wr.rsp);
  CHECK(wr.rsp->resid_over);
  CHECK(wr.rsp->resid == 512);
}

TEST_CASE("fc_report_luns_and_unmapped_luns_answered_by_the_framework", "[actors][fc][fcp]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto rl = f.ini->command({0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0}, 64, true, false);
  REQUIRE(rl.rsp);
  CHECK(rl.rsp->status == 0);
  REQUIRE(rl.data.size() >= 16);
  CHECK(rl.data[3] == 8);  // one LUN
  auto none = f.ini->command(fc_cdb_read10(0, 1), 512, true, false, {}, 7);
  REQUIRE(none.rsp);
  CHECK(none.rsp->status == 0x02);
  REQUIRE(none.rsp->sense.size() >= 14);
  CHECK((none.rsp->sense[2] & 0x0F) == 0x05);
  CHECK(none.rsp->sense[12] == 0x25);
}

TEST_CASE("fc_commands_beyond_the_window_get_task_set_full", "[actors][fc][fcp]") {
  fc_fixture::options o;
  o.cmd_window = 2;
  fc_fixture f(o);
  REQUIRE(f.ini->login());
  // Two writes wait for their data (the window is full), the third is refused.
  uint16_t a = f.ini->send_command(fc_cdb_write10(0, 1), 512, false, true);
  uint16_t b = f.ini->send_command(fc_cdb_write10(1, 1), 512, false, true);
  REQUIRE(f.ini->next_of(a));
  REQUIRE(f.ini->next_of(b));
  auto full = f.ini->command({0x00}, 0, false, false);
  REQUIRE(full.rsp);
  CHECK(full.rsp->status == 0x28);  // TASK SET FULL
  // Finishing one makes room again.
  auto data = pattern(512, 3);
  f.ini->send_data(a, 0, data.data(), data.size(), true);
  auto done = f.ini->finish(a);
  REQUIRE(done.rsp);
  CHECK(done.rsp->status == 0);
  CHECK(f.ini->command({0x00}, 0, false, false).rsp->status == 0);
  f.ini->send_data(b, 0, data.data(), data.size(), true);
  CHECK(f.ini->finish(b).rsp->status == 0);
}

TEST_CASE("fc_malformed_fcp_cmnd_gets_rsp_code_2", "[actors][fc][fcp]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  frame bad;
  bad.hdr.r_ctl = r_ctl::fcp_cmnd;
  bad.hdr.type = type::fcp;
  bad.hdr.d_id = f.pair.target->port_id();
  bad.hdr.ox_id = 0x4242;
  bad.payload.assign(20, 0);  // shorter than any FCP_CMND
  f.ini->send(bad);
  auto r = f.ini->finish(0x4242);
  REQUIRE(r.rsp);
  REQUIRE(r.rsp->response);
  CHECK(*r.rsp->response == fcp::rsp_code::cmnd_invalid);
  // A reserved task attribute is refused the same way.
  fcp::cmnd c;
  c.attribute = 3;
  bad.payload = fcp::encode(c);
  bad.hdr.ox_id = 0x4243;
  f.ini->send(bad);
  auto r2 = f.ini->finish(0x4243);
  REQUIRE(r2.rsp);
  CHECK(r2.rsp->response == std::optional<uint8_t>(fcp::rsp_code::cmnd_invalid));
  // Bidirectional commands are refused with INVALID FIELD IN CDB.
  auto bidi = f.ini->command(fc_cdb_write10(0, 1), 512, true, true, pattern(512, 0));
  REQUIRE(bidi.rsp);
  CHECK(bidi.rsp->status == 0x02);
  CHECK(bidi.rsp->sense[12] == 0x24);
}

namespace {

// A failed data phase must not read as GOOD to an initiator that ignores
// RSP_CODE (Linux libfc): CHECK CONDITION, ABORTED COMMAND / DATA PHASE
// ERROR (4Bh/00h), and all of FCP_DL as residual.
void check_data_phase_error(const fcp::rsp& r, uint32_t dl) {
  CHECK(r.status == 0x02);
  REQUIRE(r.sense.size() >= 14);
  CHECK((r.sense[2] & 0x0F) == 0x0B);
  CHECK(r.sense[12] == 0x4B);
  CHECK(r.sense[13] == 0x00);
  CHECK(r.resid_under);
  CHECK(r.resid == dl);
}

}  // namespace

TEST_CASE("fc_data_at_the_wrong_offset_ends_only_its_exchange", "[actors][fc][fcp]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto good = pattern(4096, 5);
  REQUIRE(f.ini->command(fc_cdb_write10(0, 8), 4096, false, true, good).rsp->status == 0);

  // A second write whose data arrives at an offset XFER_RDY did not name.
  uint16_t ox = f.ini->send_command(fc_cdb_write10(0, 8), 4096, false, true);
  auto x = f.ini->next_of(ox);
  REQUIRE(x);
  REQUIRE(x->hdr.r_ctl == r_ctl::fcp_xfer_rdy);
  // Meanwhile another command runs on its own exchange.
  auto other = f.ini->command({0x00}, 0, false, false);
  REQUIRE(other.rsp);
  CHECK(other.rsp->status == 0);
  auto junk = pattern(2048, 99);
  f.ini->send_data(ox, 1024, junk.data(), junk.size(), false);
  auto r = f.ini->finish(ox);
  REQUIRE(r.rsp);
  CHECK(r.rsp->response == std::optional<uint8_t>(fcp::rsp_code::data_ro_mismatch));
  check_data_phase_error(*r.rsp, 4096);
  // FCP_DATA for an exchange that no longer exists is dropped.
  f.ini->send_data(ox, 0, junk.data(), junk.size(), true);
  CHECK_FALSE(f.ini->next_of(ox, std::chrono::milliseconds(200)));
  // The medium still holds the first write.
  auto back = f.ini->command(fc_cdb_read10(0, 8), 4096, true, false);
  REQUIRE(back.rsp);
  CHECK(back.data == good);
}

TEST_CASE("fc_a_sequence_ending_short_of_the_burst_fails_the_exchange", "[actors][fc][fcp]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  uint16_t ox = f.ini->send_command(fc_cdb_write10(0, 8), 4096, false, true);
  auto x = f.ini->next_of(ox);
  REQUIRE(x);
  auto part = pattern(1024, 1);
  f.ini->send_data(ox, 0, part.data(), part.size(), true);  // END_SEQUENCE after 1 KiB of 4
  auto r = f.ini->finish(ox);
  REQUIRE(r.rsp);
  CHECK(r.rsp->response == std::optional<uint8_t>(fcp::rsp_code::data_len_mismatch));
  check_data_phase_error(*r.rsp, 4096);
}
