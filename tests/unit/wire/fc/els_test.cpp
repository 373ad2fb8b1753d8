// FC-LS-3 ELS payloads: login parameters, PRLI/PRLO pages, LOGO, ADISC,
// RTV, RLS, ECHO and LS_RJT, with truncated and inconsistent input.
#include <catch2/catch.hpp>

#include "wire/fc/els.hpp"

using namespace stmfd::fc::els;

TEST_CASE("PLOGI parameters round trip at FC-LS-3 offsets", "[fc][els]") {
  login_params p;
  p.code = cmd::plogi;
  p.common.bb_credit = 3;
  p.common.features = feature::continuous_offset;
  p.common.rx_size = 2112;
  p.common.word2 = 0x00FF0000;
  p.port_name = 0x2000001122334455;
  p.node_name = 0x1000001122334455;
  p.class3.service_options = class_valid | sequential_delivery;
  p.class3.rx_size = 2112;
  p.class3.concurrent_sequences = 255;
  p.class3.open_sequences = 1;
  auto b = encode(p);
  REQUIRE(b.size() == login_len);
  CHECK(b[0] == 0x03);
  CHECK(b[4] == 0x20);                  // FC-PH version
  CHECK((b[10] << 8 | b[11]) == 2112);  // receive data field size
  CHECK(b[20] == 0x20);                 // port name
  CHECK(b[27] == 0x55);
  CHECK(b[28] == 0x10);  // node name
  CHECK(b[68] == 0x88);  // class 3 valid + sequential delivery
  CHECK(b[36] == 0);     // class 1 not offered
  auto back = decode_login(b.data(), b.size());
  REQUIRE(back);
  CHECK(*back == p);
  CHECK(back->class3.valid());
}

TEST_CASE("a login payload shorter than 116 bytes is refused", "[fc][els]") {
  auto b = encode(login_params{});
  CHECK_FALSE(decode_login(b.data(), login_len - 1));
  CHECK(decode_login(b.data(), login_len));
}

TEST_CASE("PRLI with an FCP page round trips", "[fc][els]") {
  prli r;
  r.pages.push_back(prli_page{0x08, 0, page_flag::image_pair, 0, 0, 0,
                              fcp_param::initiator | fcp_param::read_xfer_rdy_disabled | fcp_param::retry});
  auto b = encode(r);
  REQUIRE(b.size() == 20);
  CHECK(b[0] == cmd::prli);
  CHECK(b[1] == 16);
  CHECK((b[2] << 8 | b[3]) == 20);
  CHECK(b[4] == 0x08);
  CHECK(b[6] == 0x20);
  CHECK(b[19] == 0x22);
  CHECK(b[18] == 0x01);
  auto back = decode_prli(b.data(), b.size());
  REQUIRE(back);
  CHECK(*back == r);

  prli acc;
  acc.code = cmd::ls_acc;
  acc.pages.push_back(prli_page{0x08, 0, page_flag::image_pair, prli_response::executed, 0, 0,
                                fcp_param::target | fcp_param::confirmed_completion});
  auto a = encode(acc);
  CHECK(a[6] == 0x21);  // image pair established, request executed
  CHECK(decode_prli(a.data(), a.size())->pages[0].response == prli_response::executed);
}

TEST_CASE("PRLI with a bad page length or payload length is refused", "[fc][els]") {
  prli r;
  r.pages.resize(2);
  auto b = encode(r);
  REQUIRE(b.size() == 36);
  CHECK(decode_prli(b.data(), b.size())->pages.size() == 2);
  CHECK_FALSE(decode_prli(b.data(), 35));  // payload length beyond what arrived
  auto bad = b;
  bad[1] = 20;  // page length other than 16
  CHECK_FALSE(decode_prli(bad.data(), bad.size()));
  bad = b;
  bad[3] = 30;  // not a whole number of pages
  CHECK_FALSE(decode_prli(bad.data(), bad.size()));
  bad = b;
  bad[3] = 4;  // no page at all
  CHECK_FALSE(decode_prli(bad.data(), bad.size()));
  CHECK_FALSE(decode_prli(b.data(), 3));
}

TEST_CASE("LOGO, ADISC, RTV and RLS round trip; short payloads are refused", "[fc][els]") {
  logo l{0x010203, 0x2000000000000001};
  auto lb = encode(l);
  REQUIRE(lb.size() == 16);
  CHECK(lb[0] == cmd::logo);
  CHECK(*decode_logo(lb.data(), lb.size()) == l);
  CHECK_FALSE(decode_logo(lb.data(), 15));

  adisc a{cmd::ls_acc, 0, 0x2100000000000002, 0x2000000000000002, 0x0000EF};
  auto ab = encode(a);
  REQUIRE(ab.size() == 28);
  CHECK(ab[27] == 0xEF);
  CHECK(*decode_adisc(ab.data(), ab.size()) == a);
  CHECK_FALSE(decode_adisc(ab.data(), 27));

  rtv_accept t{10000, 2000, 0};
  auto tb = encode(t);
  REQUIRE(tb.size() == 16);
  CHECK(tb[0] == cmd::ls_acc);
  CHECK(*decode_rtv_accept(tb.data(), tb.size()) == t);
  CHECK_FALSE(decode_rtv_accept(tb.data(), 12));

  auto rb = encode(rls_request{0x0000E8});
  REQUIRE(rb.size() == 8);
  CHECK(decode_rls(rb.data(), rb.size())->port_id == 0x0000E8);
  CHECK_FALSE(decode_rls(rb.data(), 7));
  link_error_status s{1, 2, 3, 4, 5, 6};
  auto sb = encode(s);
  REQUIRE(sb.size() == 28);
  CHECK(sb[27] == 6);
  CHECK(*decode_rls_accept(sb.data(), sb.size()) == s);
}

TEST_CASE("ECHO accept returns the request's data", "[fc][els]") {
  std::vector<uint8_t> req = {cmd::echo, 0, 0, 0, 'p', 'i', 'n', 'g'};
  auto acc = echo_accept(req.data(), req.size());
  REQUIRE(acc);
  CHECK((*acc)[0] == cmd::ls_acc);
  CHECK(std::vector<uint8_t>(acc->begin() + 4, acc->end()) == std::vector<uint8_t>{'p', 'i', 'n', 'g'});
  CHECK_FALSE(echo_accept(req.data(), 3));
}

TEST_CASE("LS_RJT carries reason and explanation", "[fc][els]") {
  auto b = encode(ls_rjt{reason::not_supported, explain::not_supported, 0});
  REQUIRE(b.size() == 8);
  CHECK(b[0] == 0x01);
  CHECK(b[5] == 0x0B);
  CHECK(b[6] == 0x2C);
  auto back = decode_ls_rjt(b.data(), b.size());
  REQUIRE(back);
  CHECK(back->reason == reason::not_supported);
  CHECK_FALSE(decode_ls_rjt(b.data(), 7));
  b[0] = cmd::ls_acc;
  CHECK_FALSE(decode_ls_rjt(b.data(), b.size()));
}
