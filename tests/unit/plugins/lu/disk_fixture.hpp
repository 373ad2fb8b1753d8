#pragma once
// Test helper: a disk core with a fixed identity and a way to run one CDB.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "plugins/lu/sbd/disk.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/vpd.hpp"

namespace sbd_test {

using bytes = std::vector<uint8_t>;
using namespace stmfd;

inline sbd::identity test_identity() {
  sbd::identity id;
  id.vendor = "STMFD";
  id.product = "VDISK";
  id.revision = "0001";
  id.serial = "SN01";
  for (int i = 0; i < 16; ++i) id.naa[i] = uint8_t(i == 0 ? 0x60 : i);
  return id;
}

inline sbd::geometry test_geometry(uint64_t blocks = 1000, uint32_t bs = 512) {
  sbd::geometry g;
  g.block_size = bs;
  g.block_count = blocks;
  g.max_transfer_bytes = 1u << 20;  // 2048 blocks of 512
  return g;
}

// The target port as an iSCSI port provider describes it (the LU copies
// these designators into VPD 83h): target iqn.2026-01.test:t1, TPGT 1,
// relative port 2, target port group 1.
inline local_port test_port() {
  local_port p{transport::iscsi, "iqn.2026-01.test:t1", 2, 1, {}};
  uint8_t buf[512];
  scsi::byte_writer w(buf, sizeof buf);
  scsi::vpd::put_iscsi_port_name(w, p.target_name, 1);
  scsi::vpd::put_relative_port(w, p.relative_port_id);
  scsi::vpd::put_target_port_group(w, p.target_port_group);
  scsi::vpd::put_iscsi_device_name(w, p.target_name);
  p.designators.assign(buf, buf + w.written());
  return p;
}

struct result {
  sbd::outcome o;
  bytes data;  // data_in[0..data_in_len) for kind::done
};

struct fixture {
  sbd::disk d;
  local_port port = test_port();
  bytes data_in = bytes(sbd::disk::min_data_in_cap, 0xEE);
  uint64_t nexus = 0;  // the I_T nexus the next run() comes through

  explicit fixture(sbd::geometry g = test_geometry(), bool wce = true) : d(test_identity(), g, wce) {}

  result run(std::initializer_list<uint8_t> cdb, const bytes& data_out = {},
             const scsi::sense_info* pending = nullptr) {
    bytes c(cdb);
    c.resize(16, 0);  // iSCSI carries 16-byte CDB fields
    sbd::command cmd;
    cmd.nexus = nexus;
    cmd.cdb = c.data();
    cmd.cdb_len = c.size();
    cmd.expected_length = uint32_t(data_out.size());
    cmd.data_out = data_out.empty() ? nullptr : data_out.data();
    cmd.data_out_len = uint32_t(data_out.size());
    cmd.port = &port;
    cmd.pending_sense = pending;
    std::fill(data_in.begin(), data_in.end(), 0xEE);
    result r{d.execute(cmd, data_in.data(), data_in.size()), {}};
    if (r.o.what == sbd::outcome::kind::done) r.data.assign(data_in.begin(), data_in.begin() + r.o.data_in_len);
    return r;
  }
};

// Status GOOD, no I/O.
inline bool is_good(const result& r) {
  return r.o.what == sbd::outcome::kind::done && r.o.status == scsi::status::good && !r.o.sense;
}
// CHECK CONDITION with this code.
inline bool is_check(const result& r, scsi::sense_code c) {
  return r.o.what == sbd::outcome::kind::done && r.o.status == scsi::status::check_condition && r.o.sense &&
         r.o.sense->code == c;
}
// CHECK CONDITION, INVALID FIELD IN CDB at byte/bit.
inline bool is_invalid_field(const result& r, uint16_t byte, int8_t bit = -1) {
  return is_check(r, scsi::sense::invalid_field_in_cdb()) && r.o.sense->field && r.o.sense->field->in_cdb &&
         r.o.sense->field->byte == byte && r.o.sense->field->bit == bit;
}
inline bool is_invalid_param(const result& r, uint16_t byte, int8_t bit = -1) {
  return is_check(r, scsi::sense::invalid_field_in_parameter_list()) && r.o.sense->field && !r.o.sense->field->in_cdb &&
         r.o.sense->field->byte == byte && r.o.sense->field->bit == bit;
}

}  // namespace sbd_test
