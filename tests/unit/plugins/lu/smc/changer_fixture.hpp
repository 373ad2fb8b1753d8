#pragma once
// A changer core over a small library (two drives, one import/export
// element, four slots, three cartridges), run the way the LU shell runs
// it: execute, then, when the outcome asks for drive operations, finish()
// with the result the test chooses for them.
#include <memory>
#include <string>
#include <vector>

#include "plugins/lu/smc/changer.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::smc::test {

using bytes = std::vector<uint8_t>;

struct result {
  uint8_t status = 0xFF;
  bytes sense;
  bytes data;
  std::vector<lu_outcome::drive_op> ops;  // what the outcome asked the shell for
  bool persist = false;

  bool good() const { return status == scsi::status::good; }
  uint8_t key() const { return sense.size() > 2 ? sense[2] & 0x0F : 0xFF; }
  uint8_t asc() const { return sense.size() > 12 ? sense[12] : 0xFF; }
  uint8_t ascq() const { return sense.size() > 13 ? sense[13] : 0xFF; }
};

inline std::shared_ptr<library_definition> small_library() {
  auto l = std::make_shared<library_definition>();
  l->name = "lib";
  for (int i = 0; i < 2; ++i) {
    library_definition::drive d;
    d.lu_name = "drive" + std::to_string(i);
    d.id.vendor = "STMFD";
    d.id.product = "VTAPE";
    d.id.serial = "DRV" + std::to_string(i);
    l->drives.push_back(d);
  }
  l->slots = 4;
  l->import_export = 1;
  for (int i = 1; i <= 3; ++i)
    l->cartridges.push_back(
        {"A0000" + std::to_string(i) + "L6", "/lib/A0000" + std::to_string(i) + "L6.cart", 1 << 20});
  return l;
}

struct changer_fixture {
  changer c;
  uint64_t nexus = 1;

  changer_fixture() : c(make_id(), small_library()) {}
  static lu_identity make_id() {
    lu_identity id;
    id.vendor = "STMFD";
    id.product = "VLIBRARY";
    id.serial = "CHANGER1";
    id.naa[0] = 0x60;
    return id;
  }

  // drive_result: what the shell's drive operations end with (0 or -errno).
  result run(bytes cdb, int drive_result = 0) {
    lu_command cmd;
    cmd.nexus = nexus;
    cmd.cdb = cdb.data();
    cmd.cdb_len = cdb.size();
    std::vector<uint8_t> scratch(lu_core::min_data_in_cap);
    lu_outcome o = c.execute(cmd, scratch.data(), scratch.size());
    result r;
    r.ops = o.drive_ops;
    if (!o.drive_ops.empty()) o = c.finish(cmd, o, drive_result, 0, nullptr);
    r.status = o.status;
    r.persist = o.persist;
    if (o.sense) {
      uint8_t buf[64];
      size_t n = scsi::build_sense(*o.sense, false, buf, sizeof buf);
      r.sense.assign(buf, buf + n);
    }
    r.data.assign(scratch.begin(), scratch.begin() + o.data_in_len);
    return r;
  }
};

inline bytes move_medium(uint16_t src, uint16_t dst, uint16_t transport = 0) {
  bytes b(12, 0);
  b[0] = 0xA5;
  scsi::put_be16(&b[2], transport);
  scsi::put_be16(&b[4], src);
  scsi::put_be16(&b[6], dst);
  return b;
}

inline bytes read_element_status(uint8_t type, uint16_t start, uint16_t count, uint32_t alloc, bool voltag = true,
                                 bool dvcid = false) {
  bytes b(12, 0);
  b[0] = 0xB8;
  b[1] = uint8_t((voltag ? 0x10 : 0) | type);
  scsi::put_be16(&b[2], start);
  scsi::put_be16(&b[4], count);
  b[6] = dvcid ? 0x01 : 0;
  scsi::put_be24(&b[7], alloc);
  return b;
}

}  // namespace stmfd::smc::test
