// APTPL: the persistent state as bytes (SPC-4 5.13.4), save/load.
#include <random>

#include "reservations_test_util.hpp"
#include "wire/crc32c.hpp"

using namespace rtest;

namespace {

// Recomputes the trailing CRC32C after an edit, so that load() judges the
// content and not the checksum.
void reseal(bytes& image) {
  image.resize(image.size() - 4);
  const uint32_t crc = stmfd::wire::crc32c(image.data(), image.size());
  image.resize(image.size() + 4);
  stmfd::scsi::put_be32(&image[image.size() - 4], crc);
}

bytes full_status(lu& l) {
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::read_full_status, d)));
  return d;
}

// A: all target ports, holds EA - Registrants Only; B; C's device via SPEC_I_PT.
lu populated() {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1, true, true)));
  REQUIRE(is_good(l.reg(b, 0, 0x2, true)));
  const bytes tids[] = {pr::iscsi_transport_id("iqn.2026-01.org.test:c")};
  REQUIRE(is_good(l.prout(fc, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x3, tids, false, true))));
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::exclusive_access_registrants_only)));
  return l;
}

}  // namespace

TEST_CASE("aptpl_image_is_empty_without_aptpl", "[model][pr][aptpl]") {
  lu l;
  CHECK(l.m.aptpl_image().empty());
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  CHECK(l.m.aptpl_image().empty());
  CHECK_FALSE(l.m.save().empty());  // save() always has the state
}

TEST_CASE("aptpl_round_trip_restores_everything", "[model][pr][aptpl]") {
  lu l = populated();
  const auto image = l.m.aptpl_image();
  REQUIRE_FALSE(image.empty());
  lu restored;
  REQUIRE(restored.m.load(image));
  CHECK(restored.m.save() == image);
  CHECK(restored.m.aptpl());
  CHECK(restored.m.generation() == l.m.generation());
  CHECK(restored.m.reservation_type() == pr::type::exclusive_access_registrants_only);
  CHECK(restored.m.holds(a));
  CHECK_FALSE(restored.m.holds(a_p2));
  CHECK(restored.m.key_of(a_p2) == 0x1u);
  CHECK(restored.m.key_of(nexus("iqn.2026-01.org.test:c,i,0x99", 1)) == 0x3u);
  CHECK(full_status(restored) == full_status(l));
  CHECK(restored.m.conflicts(c, cmd_read()) == l.m.conflicts(c, cmd_read()));
  CHECK(is_good(restored.release(a, 0x1, pr::type::exclusive_access_registrants_only)));
}

TEST_CASE("aptpl_persist_flag_follows_the_image", "[model][pr][aptpl]") {
  lu l;
  CHECK(l.reg(a, 0, 0x1, true).persist);
  CHECK(l.reserve(a, 0x1, pr::type::write_exclusive).persist);        // the reservation is persistent state
  CHECK_FALSE(l.reserve(a, 0x1, pr::type::write_exclusive).persist);  // nothing changed
  bytes d;
  CHECK_FALSE(l.prin(a, pr::in_action::read_full_status, d).persist);
  CHECK(l.release(a, 0x1, pr::type::write_exclusive).persist);
  CHECK(l.reg(a, 0x1, 0x1, false).persist);  // APTPL turned off: the image empties
  CHECK_FALSE(l.reg(a, 0x1, 0x2, false).persist);
}

TEST_CASE("load_empty_image_is_the_empty_state", "[model][pr][aptpl]") {
  lu l = populated();
  REQUIRE(l.m.load({}));
  CHECK(l.m.registration_count() == 0);
  CHECK_FALSE(l.m.reservation_type());
  CHECK(l.m.generation() == 0);
  CHECK_FALSE(l.m.aptpl());
}

TEST_CASE("load_rejects_corruption_and_changes_nothing", "[model][pr][aptpl]") {
  lu src = populated();
  const bytes image = src.m.save();
  lu l;
  REQUIRE(is_good(l.reg(c, 0, 0x77)));
  const bytes before = l.m.save();
  for (size_t i = 0; i < image.size(); ++i) {  // every single bit flip: the checksum
    for (int bit = 0; bit < 8; ++bit) {
      bytes bad = image;
      bad[i] ^= uint8_t(1 << bit);
      CHECK_FALSE(l.m.load(bad));
    }
  }
  for (size_t n = 1; n < image.size(); ++n)  // every truncation
    CHECK_FALSE(l.m.load(std::span<const uint8_t>(image.data(), n)));
  bytes longer = image;
  longer.push_back(0);
  reseal(longer);
  CHECK_FALSE(l.m.load(longer));  // trailing bytes
  CHECK(l.m.save() == before);
}

TEST_CASE("load_rejects_inconsistent_content_with_a_valid_checksum", "[model][pr][aptpl]") {
  lu src;
  REQUIRE(is_good(src.reg(a, 0, 0x1, true)));
  REQUIRE(is_good(src.reserve(a, 0x1, pr::type::write_exclusive)));
  const bytes good = src.m.save();
  // Layout: magic 0-3, version 4-5, flags 6, type 7, generation 8-11,
  // count 12-15, holder scope from 16 (flags, port, name), then registrations.
  lu l;
  REQUIRE(l.m.load(good));
  auto variant = [&](auto edit) {
    bytes b = good;
    edit(b);
    reseal(b);
    return b;
  };
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[5] = 2; })));       // unknown version
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[6] |= 0x80; })));   // unknown flag
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[7] = 0x2; })));     // invalid TYPE
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[15] = 0; })));      // reservation without registrations
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[15] = 2; })));      // count beyond the data
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[18] ^= 0x01; })));  // holder's port not registered
  CHECK_FALSE(l.m.load(variant([](bytes& b) { b[0] = 'X'; })));     // magic
  // Two registrations for one I_T nexus.
  lu two;
  REQUIRE(is_good(two.reg(a, 0, 0x1)));
  REQUIRE(is_good(two.reg(b, 0, 0x2)));
  bytes dup = two.m.save();
  const std::string name_b_bytes = port_b1;
  const auto at = std::search(dup.begin(), dup.end(), name_b_bytes.begin(), name_b_bytes.end());
  REQUIRE(at != dup.end());
  std::copy(port_a1.begin(), port_a1.end(), at);  // same length names
  reseal(dup);
  CHECK_FALSE(l.m.load(dup));
  CHECK(l.m.save() == good);
}

TEST_CASE("randomized_sequences_survive_save_and_load", "[model][pr][aptpl]") {
  // Random PERSISTENT RESERVE OUT commands, valid and not, from a few
  // nexuses. After each, a model restored from save() must save the same
  // bytes, answer READ FULL STATUS / READ RESERVATION and conflicts() alike,
  // and execute the next command exactly as the original does.
  std::mt19937 rng(20261124);
  const nexus_identity nexuses[] = {a, a_p2, a2, b, c, fc};
  const uint64_t keys[] = {0, 1, 2, 3};
  const uint8_t types[] = {pr::type::write_exclusive,
                           pr::type::exclusive_access,
                           pr::type::write_exclusive_registrants_only,
                           pr::type::exclusive_access_registrants_only,
                           pr::type::write_exclusive_all_registrants,
                           pr::type::exclusive_access_all_registrants,
                           2};
  // Everything random about one command comes from its seed, so the live
  // and the restored model get the same command.
  const auto random_command = [&](lu& l, uint32_t seed) {
    std::mt19937 r(seed);
    const auto pick = [&](const auto& arr) { return arr[r() % std::size(arr)]; };
    const auto& n = pick(nexuses);
    const uint64_t k = pick(keys), s = pick(keys);
    const uint8_t t = pick(types);
    switch (r() % 9) {
      case 0: return l.reg(n, k, s, r() % 2, r() % 4 == 0);
      case 1: return l.reg_ignore(n, s, r() % 2);
      case 2: return l.reserve(n, k, t);
      case 3: return l.release(n, k, t);
      case 4: return r() % 4 ? l.preempt(n, k, s, t, r() % 2) : l.clear(n, k);
      case 5:
        return l.move(n, k, s, uint16_t(1 + r() % 2), pr::iscsi_transport_id(pick(nexuses).initiator_port), r() % 2,
                      r() % 2);
      case 6: {
        const bytes tids[] = {pr::iscsi_transport_id(pick(nexuses).initiator_port)};
        return l.prout(n, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(k, s, tids, r() % 2));
      }
      case 7: return l.spc2(n, r() % 2 ? stmfd::scsi::op::reserve6 : stmfd::scsi::op::release6);
      default: l.m.lu_reset(); return result{};
    }
  };
  const command_info infos[] = {cmd_read(), cmd_write(), cmd_tur(), cmd_mode_select()};
  lu live;
  size_t good = 0;
  for (int step = 0; step < 3000; ++step) {
    const bytes image = live.m.save();
    lu restored;
    REQUIRE(restored.m.load(image));
    REQUIRE(restored.m.save() == image);
    if (live.m.spc2_holder()) {  // not persistent: carried over by hand for the comparison
      const auto h = *live.m.spc2_holder();
      REQUIRE(is_good(restored.spc2(h, stmfd::scsi::op::reserve6)));
    }
    for (const auto& n : nexuses)
      for (const auto& i : infos) REQUIRE(restored.m.conflicts(n, i) == live.m.conflicts(n, i));
    if (!live.m.spc2_holder()) {
      REQUIRE(full_status(restored) == full_status(live));
      REQUIRE(restored.reservation() == live.reservation());
    }
    const uint32_t seed = rng();
    const result x = random_command(live, seed);
    const result y = random_command(restored, seed);
    REQUIRE(x.status == y.status);
    REQUIRE(x.sense.has_value() == y.sense.has_value());
    if (x.sense) REQUIRE(x.sense->code == y.sense->code);
    REQUIRE(x.unit_attentions.size() == y.unit_attentions.size());
    for (const auto& u : x.unit_attentions) REQUIRE(has_ua(y, u.nexus, u.code));
    REQUIRE(x.abort_tasks.size() == y.abort_tasks.size());
    REQUIRE(x.persist == y.persist);
    REQUIRE(live.m.save() == restored.m.save());
    if (is_good(x)) ++good;
  }
  CHECK(good > 500);  // the sequence exercised real state, not only errors
  CHECK(live.m.generation() > 0);
}
