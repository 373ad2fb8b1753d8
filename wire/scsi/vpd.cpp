#include "wire/scsi/vpd.hpp"

namespace stmfd::scsi::vpd {

namespace {

constexpr uint8_t code_set_binary = 0x1, code_set_utf8 = 0x3;
constexpr uint8_t assoc_lu = 0x0, assoc_port = 0x1, assoc_device = 0x2;
constexpr uint8_t type_naa = 0x3, type_relative_port = 0x4, type_tpg = 0x5, type_scsi_name = 0x8;

// SPC-4 7.8.6.1 Table 459: designation descriptor header.
void header(byte_writer& w, bool piv, uint8_t code_set, uint8_t assoc, uint8_t type, uint8_t len) {
  w.u8(uint8_t((piv ? protocol_iscsi << 4 : 0) | code_set));
  w.u8(uint8_t((piv ? 0x80 : 0) | assoc << 4 | type));
  w.u8(0);
  w.u8(len);
}

void fc_naa(byte_writer& w, uint8_t assoc, uint64_t wwn) {
  w.u8(uint8_t(protocol_fc << 4 | code_set_binary));
  w.u8(uint8_t(0x80 | assoc << 4 | type_naa));
  w.u8(0);
  w.u8(8);
  w.be64(wwn);
}

void scsi_name(byte_writer& w, uint8_t assoc, std::string_view a, std::string_view b) {
  // NUL terminated, then padded with NULs to a multiple of 4 (SPC-4 7.8.6.11).
  size_t n = a.size() + b.size() + 1;
  n = (n + 3) & ~size_t(3);
  if (n > 252) n = 252;  // DESIGNATOR LENGTH is one byte; iSCSI names are <= 223 bytes
  header(w, true, code_set_utf8, assoc, type_scsi_name, uint8_t(n));
  size_t put = 0;
  for (char c : a)
    if (put < n - 1) w.u8(uint8_t(c)), ++put;
  for (char c : b)
    if (put < n - 1) w.u8(uint8_t(c)), ++put;
  w.zeros(n - put);
}

}  // namespace

void put_fc_port_name(byte_writer& w, uint64_t wwpn) { fc_naa(w, assoc_port, wwpn); }

void put_fc_device_name(byte_writer& w, uint64_t wwnn) { fc_naa(w, assoc_device, wwnn); }

void put_serial(byte_writer& w, std::string_view serial, const uint8_t* naa, size_t naa_len) {
  if (!serial.empty()) {
    w.ascii(serial, serial.size() < 252 ? serial.size() : 252);
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < naa_len; ++i) w.u8(uint8_t(hex[naa[i] >> 4])), w.u8(uint8_t(hex[naa[i] & 0xF]));
}

void put_naa(byte_writer& w, const uint8_t* naa, size_t naa_len) {
  header(w, false, code_set_binary, assoc_lu, type_naa, uint8_t(naa_len));
  w.bytes(naa, naa_len);
}

void put_iscsi_port_name(byte_writer& w, std::string_view target_name, uint16_t tpgt) {
  static constexpr char hex[] = "0123456789abcdef";
  char suffix[] = ",t,0x0000";
  for (int i = 0; i < 4; ++i) suffix[5 + i] = hex[(tpgt >> (12 - 4 * i)) & 0xF];
  scsi_name(w, assoc_port, target_name, std::string_view(suffix, sizeof suffix - 1));
}

void put_iscsi_device_name(byte_writer& w, std::string_view target_name) {
  scsi_name(w, assoc_device, target_name, {});
}

void put_relative_port(byte_writer& w, uint16_t relative_port_id) {
  header(w, true, code_set_binary, assoc_port, type_relative_port, 4);
  w.be16(0);
  w.be16(relative_port_id);
}

void put_target_port_group(byte_writer& w, uint16_t group) {
  header(w, true, code_set_binary, assoc_port, type_tpg, 4);
  w.be16(0);
  w.be16(group);
}

}  // namespace stmfd::scsi::vpd
