// ABTS and FCP task management over the loopback HBA: commands genuinely in
// flight (the lu_io_stall fault point holds a medium step) are aborted
// through the framework and answered only once they stopped.
#include <thread>

#include "tests/actors/fc/fc_fixture.hpp"
#include "wire/fc/bls.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;
using clock_type = std::chrono::steady_clock;

TEST_CASE("fc_abts_of_a_write_in_flight_is_accepted_once_it_stopped", "[actors][fc][abts]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto old = pattern(4096, 1);
  REQUIRE(f.ini->command(fc_cdb_write10(0, 8), 4096, false, true, old).rsp->status == 0);

  faults::arm(faults::point::lu_io_stall);
  auto fresh = pattern(4096, 2);
  uint16_t ox = f.ini->send_command(fc_cdb_write10(0, 8), 4096, false, true);
  auto x = f.ini->next_of(ox);
  REQUIRE(x);
  REQUIRE(x->hdr.r_ctl == r_ctl::fcp_xfer_rdy);
  for (uint32_t off = 0; off < 4096; off += 2048)
    f.ini->send_data(ox, off, fresh.data() + off, 2048, off + 2048 == 4096);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the write is held at the LU
  auto t0 = clock_type::now();
  auto reply = f.ini->abts(ox);
  REQUIRE(reply);
  CHECK(reply->hdr.r_ctl == r_ctl::ba_acc);
  CHECK(reply->hdr.rx_id == x->hdr.rx_id);
  auto acc = bls::decode_ba_acc(reply->payload.data(), reply->payload.size());
  REQUIRE(acc);
  CHECK(acc->ox_id == ox);
  // BA_ACC waited for the stalled step to come due and see the abort.
  CHECK(clock_type::now() - t0 > std::chrono::milliseconds(faults::stall_ms / 2));
  // SAM-5 5.6, TAS=0: no FCP_RSP for the aborted exchange.
  CHECK_FALSE(f.ini->next_of(ox, std::chrono::milliseconds(200)));
  // The aborted write never reached the medium.
  auto back = f.ini->command(fc_cdb_read10(0, 8), 4096, true, false);
  REQUIRE(back.rsp);
  CHECK(back.data == old);
}

TEST_CASE("fc_abts_while_data_is_solicited_and_for_unknown_exchanges", "[actors][fc][abts]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  uint16_t ox = f.ini->send_command(fc_cdb_write10(0, 8), 4096, false, true);
  auto x = f.ini->next_of(ox);
  REQUIRE(x);
  REQUIRE(x->hdr.r_ctl == r_ctl::fcp_xfer_rdy);
  auto reply = f.ini->abts(ox);  // the data never came
  REQUIRE(reply);
  CHECK(reply->hdr.r_ctl == r_ctl::ba_acc);
  CHECK_FALSE(f.ini->next_of(ox, std::chrono::milliseconds(200)));

  auto rjt = f.ini->abts(0x0999);
  REQUIRE(rjt);
  CHECK(rjt->hdr.r_ctl == r_ctl::ba_rjt);
  auto r = bls::decode_ba_rjt(rjt->payload.data(), rjt->payload.size());
  REQUIRE(r);
  CHECK(r->reason == bls::reason::logical_error);
  CHECK(r->explanation == bls::explain::invalid_ox_rx);
  // The nexus works on.
  auto tur = f.ini->command({0x00}, 0, false, false);
  REQUIRE(tur.rsp);
  CHECK(tur.rsp->status == 0);
}

TEST_CASE("fc_lun_reset_flag_stops_tasks_and_posts_a_unit_attention", "[actors][fc][tmf]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  faults::arm(faults::point::lu_io_stall);
  uint16_t rd = f.ini->send_command(fc_cdb_read10(0, 8), 4096, true, false);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto t0 = clock_type::now();
  auto tmf = f.ini->command({}, 0, false, false, {}, 0, fcp::tmf::lu_reset);
  REQUIRE(tmf.rsp);
  CHECK(tmf.rsp->response == std::optional<uint8_t>(fcp::rsp_code::complete));
  CHECK(clock_type::now() - t0 > std::chrono::milliseconds(faults::stall_ms / 2));
  CHECK_FALSE(f.ini->next_of(rd, std::chrono::milliseconds(200)));  // aborted: no status
  // SAM-5 6.3.3: the reset reaches every nexus of the LU, the requester's too.
  auto tur = f.ini->command({0x00}, 0, false, false);
  REQUIRE(tur.rsp);
  CHECK(tur.rsp->status == 0x02);
  REQUIRE(tur.rsp->sense.size() >= 14);
  CHECK((tur.rsp->sense[2] & 0x0F) == 0x06);
  CHECK(tur.rsp->sense[12] == 0x29);
}

TEST_CASE("fc_task_management_flags_map_or_are_refused", "[actors][fc][tmf]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  for (uint8_t flags : {fcp::tmf::abort_task_set, fcp::tmf::clear_task_set, fcp::tmf::target_reset}) {
    auto r = f.ini->command({}, 0, false, false, {}, 0, flags);
    REQUIRE(r.rsp);
    CHECK(r.rsp->response == std::optional<uint8_t>(fcp::rsp_code::complete));
  }
  auto aca = f.ini->command({}, 0, false, false, {}, 0, fcp::tmf::clear_aca);
  REQUIRE(aca.rsp);
  CHECK(aca.rsp->response == std::optional<uint8_t>(fcp::rsp_code::tmf_not_supported));
  auto two = f.ini->command({}, 0, false, false, {}, 0, fcp::tmf::lu_reset | fcp::tmf::abort_task_set);
  REQUIRE(two.rsp);
  CHECK(two.rsp->response == std::optional<uint8_t>(fcp::rsp_code::cmnd_invalid));
  auto nolun = f.ini->command({}, 0, false, false, {}, 9, fcp::tmf::lu_reset);
  REQUIRE(nolun.rsp);
  CHECK(nolun.rsp->response == std::optional<uint8_t>(fcp::rsp_code::tmf_incorrect_lun));
}
