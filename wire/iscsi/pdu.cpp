#include "wire/iscsi/pdu.hpp"

namespace stmfd::iscsi::build {
namespace {

uint8_t* start(uint8_t* bhs, opcode op, uint8_t flags) {
  std::memset(bhs, 0, bhs_len);
  bhs[0] = uint8_t(op);
  bhs[1] = flags;
  return bhs;
}

// StatSN, ExpCmdSN and MaxCmdSN sit at bytes 24..35 in every response that has them.
void put_sn(uint8_t* bhs, const sn_fields& sn) {
  put_be32(bhs + 24, sn.stat_sn);
  put_be32(bhs + 28, sn.exp_cmd_sn);
  put_be32(bhs + 32, sn.max_cmd_sn);
}

uint8_t residual_flags(bool overflow, bool underflow) {
  return uint8_t((overflow ? 0x04 : 0) | (underflow ? 0x02 : 0));
}

}  // namespace

void set_data_length(uint8_t* bhs, uint32_t len) { put_be24(bhs + 5, len); }

void scsi_response(uint8_t* bhs, const scsi_response_args& a) {
  start(bhs, opcode::scsi_response, uint8_t(0x80 | residual_flags(a.overflow, a.underflow)));
  bhs[2] = a.response;
  bhs[3] = a.status;
  put_be32(bhs + 16, a.itt);
  put_be32(bhs + 20, reserved_tag);  // SNACK Tag: unused at ERL 0
  put_sn(bhs, a.sn);
  put_be32(bhs + 36, a.exp_data_sn);
  // Bidirectional read residual (40) stays 0: no bidi commands.
  put_be32(bhs + 44, a.residual);
}

void data_in(uint8_t* bhs, const data_in_args& a) {
  uint8_t flags = 0;
  if (a.final || a.status_present) flags |= 0x80;
  if (a.status_present) flags |= uint8_t(0x01 | residual_flags(a.overflow, a.underflow));
  start(bhs, opcode::data_in, flags);
  if (a.status_present) bhs[3] = a.status;
  put_be64(bhs + 8, a.lun_field);
  put_be32(bhs + 16, a.itt);
  put_be32(bhs + 20, reserved_tag);
  // 11.7.6: StatSN is reserved unless S is set, but ExpCmdSN/MaxCmdSN always count.
  sn_fields sn = a.sn;
  if (!a.status_present) sn.stat_sn = 0;
  put_sn(bhs, sn);
  put_be32(bhs + 36, a.data_sn);
  put_be32(bhs + 40, a.buffer_offset);
  if (a.status_present) put_be32(bhs + 44, a.residual);
}

void r2t(uint8_t* bhs, const r2t_args& a) {
  start(bhs, opcode::r2t, 0x80);
  put_be64(bhs + 8, a.lun_field);
  put_be32(bhs + 16, a.itt);
  put_be32(bhs + 20, a.ttt);
  put_sn(bhs, a.sn);
  put_be32(bhs + 36, a.r2t_sn);
  put_be32(bhs + 40, a.buffer_offset);
  put_be32(bhs + 44, a.desired_length);
}

void nop_in(uint8_t* bhs, uint64_t lun_field, uint32_t itt, uint32_t ttt, const sn_fields& sn) {
  start(bhs, opcode::nop_in, 0x80);
  put_be64(bhs + 8, lun_field);
  put_be32(bhs + 16, itt);
  put_be32(bhs + 20, ttt);
  put_sn(bhs, sn);
}

void task_mgmt_response(uint8_t* bhs, uint32_t itt, uint8_t response, const sn_fields& sn) {
  start(bhs, opcode::task_mgmt_response, 0x80);
  bhs[2] = response;
  put_be32(bhs + 16, itt);
  put_sn(bhs, sn);
}

void logout_response(uint8_t* bhs, uint32_t itt, uint8_t response, uint16_t time2wait, uint16_t time2retain,
                     const sn_fields& sn) {
  start(bhs, opcode::logout_response, 0x80);
  bhs[2] = response;
  put_be32(bhs + 16, itt);
  put_sn(bhs, sn);
  put_be16(bhs + 40, time2wait);
  put_be16(bhs + 42, time2retain);
}

void text_response(uint8_t* bhs, uint32_t itt, uint32_t ttt, bool final, bool cont, const sn_fields& sn) {
  start(bhs, opcode::text_response, uint8_t((final ? 0x80 : 0) | (cont ? 0x40 : 0)));
  put_be64(bhs + 8, 0);
  put_be32(bhs + 16, itt);
  put_be32(bhs + 20, ttt);
  put_sn(bhs, sn);
}

void login_response(uint8_t* bhs, const login_response_args& a) {
  uint8_t flags = uint8_t((a.transit ? 0x80 : 0) | (a.cont ? 0x40 : 0) | (a.csg & 3) << 2 | (a.nsg & 3));
  start(bhs, opcode::login_response, flags);
  bhs[2] = a.version_max;
  bhs[3] = a.version_active;
  std::memcpy(bhs + 8, a.isid, 6);
  put_be16(bhs + 14, a.tsih);
  put_be32(bhs + 16, a.itt);
  put_sn(bhs, a.sn);
  bhs[36] = a.status_class;
  bhs[37] = a.status_detail;
}

void reject(uint8_t* bhs, uint8_t reason, uint32_t data_sn_or_r2t_sn, const sn_fields& sn) {
  start(bhs, opcode::reject, 0x80);
  bhs[2] = reason;
  put_be32(bhs + 16, reserved_tag);
  put_sn(bhs, sn);
  put_be32(bhs + 36, data_sn_or_r2t_sn);
  set_data_length(bhs, bhs_len);
}

void async_message(uint8_t* bhs, uint8_t event, uint16_t param1, uint16_t param2, uint16_t param3,
                   const sn_fields& sn) {
  start(bhs, opcode::async_message, 0x80);
  put_be32(bhs + 16, reserved_tag);
  put_sn(bhs, sn);
  bhs[36] = event;
  put_be16(bhs + 38, param1);
  put_be16(bhs + 40, param2);
  put_be16(bhs + 42, param3);
}

}  // namespace stmfd::iscsi::build
