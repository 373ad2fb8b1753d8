#pragma once
// Vital product data building blocks (SPC-4 7.8): page header and the
// Device Identification (83h) designation descriptors.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/scsi/byte_writer.hpp"

namespace stmfd::scsi::vpd {

namespace page {
constexpr uint8_t supported = 0x00, unit_serial = 0x80, device_id = 0x83, extended_inquiry = 0x86,
                  mode_page_policy = 0x87, third_party_copy = 0x8F, block_limits = 0xB0,
                  block_device_characteristics = 0xB1, logical_block_provisioning = 0xB2;
}

// Writes the 4-byte VPD header with a 16-bit PAGE LENGTH placeholder;
// end_page() patches it from the bytes written since (SPC-4 7.8.1).
inline void begin_page(byte_writer& w, uint8_t peripheral, uint8_t page_code) {
  w.u8(peripheral);
  w.u8(page_code);
  w.be16(0);
}
inline void end_page(byte_writer& w, size_t page_start) {
  w.set_be16(page_start + 2, uint16_t(w.size() - page_start - 4));
}

// SPC-4 7.8.6 designation descriptors. Association: 00b LU, 01b target
// port, 10b target device. The protocol identifier (5 = iSCSI) is valid
// (PIV) only for port/device associations.
constexpr uint8_t protocol_iscsi = 0x5;

// NAA designator for the LU (type 3, binary). naa_len is 8 or 16 (NAA 6
// IEEE Registered Extended is 16).
void put_naa(byte_writer& w, const uint8_t* naa, size_t naa_len);

// SCSI name string designator (type 8, UTF-8, PIV, iSCSI) for the target
// port: "<target name>,t,0x<TPGT in 4 hex digits>" NUL terminated and padded
// to a multiple of 4 bytes (SPC-4 7.8.6.11, RFC 7143 13.12).
void put_iscsi_port_name(byte_writer& w, std::string_view target_name, uint16_t tpgt);

// SCSI name string designator for the target device: the iSCSI target name.
void put_iscsi_device_name(byte_writer& w, std::string_view target_name);

// Fibre Channel (protocol identifier 0, SPC-4 7.6.1): the target port's
// name as an NAA designator of its WWPN (association: target port), and the
// target device's as one of its WWNN (association: target device), both
// with PIV set (SPC-4 7.8.6.1, FCP-4 Annex).
constexpr uint8_t protocol_fc = 0x0;
void put_fc_port_name(byte_writer& w, uint64_t wwpn);
void put_fc_device_name(byte_writer& w, uint64_t wwnn);

// Unit Serial Number page body (SPC-4 7.8.18): the serial (at most 252
// bytes), or the NAA designator in lowercase hex when no serial is set.
void put_serial(byte_writer& w, std::string_view serial, const uint8_t* naa, size_t naa_len);

// Relative target port designator (type 4), SPC-4 7.8.6.7.
void put_relative_port(byte_writer& w, uint16_t relative_port_id);

// Target port group designator (type 5), SPC-4 7.8.6.8.
void put_target_port_group(byte_writer& w, uint16_t group);

}  // namespace stmfd::scsi::vpd
