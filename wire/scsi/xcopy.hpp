#pragma once
// Third-party copy (SPC-4 5.17, 6.3, 6.4, 6.18, 6.19, 7.8.17): the EXTENDED
// COPY (LID1 and LID4) parameter list parsers, the RECEIVE COPY RESULTS
// replies (LID1 service actions and RECEIVE COPY STATUS(LID4)) and the
// Third-party Copy VPD page. Pure byte layouts; the framework's copy manager
// (docs/framework.md, "Third-party copy") acts on what the parser returns.
//
// What this copy manager supports, reported by OPERATING PARAMETERS and VPD
// 8Fh and enforced by parse_extended_copy():
//  - CSCD descriptors: identification descriptor (E4h) only;
//  - segment descriptors: block device to block device (02h) only;
//  - no inline or embedded data, no held data (RECEIVE DATA unsupported);
//  - CSCD descriptor ID FFFFh: the LU the EXTENDED COPY was sent to;
//  - LID4 lists: no IMMED (status is returned when the copy ends) and no
//    G_SENSE (no sense data with GOOD status): both refused as INVALID
//    FIELD IN PARAMETER LIST at their bit.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::scsi::xcopy {

// Operation codes and service actions (SPC-4 6.3, 6.18).
constexpr uint8_t op_extended_copy = 0x83, op_receive_copy_results = 0x84;
constexpr uint8_t sa_extended_copy_lid1 = 0x00, sa_extended_copy_lid4 = 0x01;
constexpr uint8_t sa_copy_status = 0x00, sa_receive_data = 0x01, sa_operating_parameters = 0x03,
                  sa_failed_segment_details = 0x04, sa_copy_status_lid4 = 0x05;
// Descriptor type codes (SPC-4 6.3.6, 6.3.7).
constexpr uint8_t cscd_identification = 0xE4;
constexpr uint8_t segment_block_to_block = 0x02;
constexpr uint16_t cscd_id_local = 0xFFFF;  // the LU that received the command (SPC-4 6.3.6.1)

// The copy manager's limits (OPERATING PARAMETERS, VPD 8Fh).
constexpr uint16_t max_cscd_descriptors = 16;
constexpr uint16_t max_segment_descriptors = 64;
constexpr uint32_t max_descriptor_list_length = 4096;  // CSCD + segment descriptor bytes
constexpr uint32_t max_segment_length = 64u << 20;     // bytes one segment descriptor may move
constexpr uint32_t max_inline_data_length = 0;
constexpr uint16_t total_concurrent_copies = 16;  // per LU, every I_T nexus together
constexpr uint8_t max_concurrent_copies = 16;     // per LU with a list identifier
constexpr size_t header_len = 16;                 // LID1 parameter list header
constexpr size_t lid4_header_len = 48;            // LID4 parameter list header (SPC-4 6.4.2 Table 126)
constexpr size_t cscd_len = 32;
constexpr size_t b2b_segment_len = 28;

// LIST ID USAGE (SPC-4 6.3.1 Table 106).
enum class list_id_usage : uint8_t { hold = 0, reserved = 1, no_hold = 2, none = 3 };

// An identification CSCD descriptor (E4h) as the copy manager needs it.
struct cscd {
  uint8_t peripheral_type = 0;  // byte 1 bits 4:0 (00h: direct access)
  uint8_t code_set = 0;         // designation descriptor CODE SET
  uint8_t association = 0;      // 00b: the LU
  uint8_t designator_type = 0;  // 3: NAA
  uint8_t designator_len = 0;
  uint8_t designator[20] = {};
  uint32_t block_length = 0;  // DISK BLOCK LENGTH (device type specific parameters); 0: the LU's
  uint32_t offset = 0;        // of the descriptor in the parameter list (sense pointers)
};

// A block device to block device segment descriptor (02h).
struct segment {
  bool dc = false;  // NUMBER OF BLOCKS counts destination blocks
  bool cat = false;
  uint16_t source = 0, destination = 0;  // CSCD descriptor IDs (indexes, or cscd_id_local)
  uint16_t blocks = 0;
  uint64_t source_lba = 0, destination_lba = 0;
  uint32_t offset = 0;  // of the descriptor in the parameter list
};

struct parameter_list {
  bool lid4 = false;     // parsed by parse_extended_copy_lid4
  uint32_t list_id = 0;  // LID1: one byte; LID4: four (one namespace per I_T nexus)
  list_id_usage usage = list_id_usage::hold;
  uint8_t priority = 0;
  std::vector<cscd> cscds;
  std::vector<segment> segments;
};

struct parse_result {
  std::optional<parameter_list> list;  // nothing to copy when neither is set (PARAMETER LIST LENGTH 0)
  std::optional<sense_info> error;     // CHECK CONDITION, ILLEGAL REQUEST
};

// SPC-4 6.3: checks an EXTENDED COPY (LID1) CDB's parameter list, `len`
// bytes of Data-Out (the CDB's PARAMETER LIST LENGTH is decoded by the
// caller and passed as param_len; fewer bytes received than it says is a
// PARAMETER LIST LENGTH ERROR). In order: header length; descriptor list
// longer than max_descriptor_list_length (PARAMETER LIST LENGTH ERROR);
// inline data (26h/0Bh); the lists reaching past the parameter list
// (PARAMETER LIST LENGTH ERROR); LIST ID USAGE 01b or 11b with a list
// identifier (INVALID FIELD IN PARAMETER LIST); CSCD count (26h/06h) and
// types (26h/07h); segment count (26h/08h), types (26h/09h) and lengths;
// segment descriptors that do not fill the segment list exactly. Every
// INVALID FIELD carries the byte of the parameter list in error.
parse_result parse_extended_copy(uint32_t param_len, const uint8_t* data, size_t len);

// SPC-4 6.4: the same for an EXTENDED COPY (LID4) list: a 48-byte header
// (PARAMETER LIST FORMAT 01h, HEADER CSCD DESCRIPTOR LIST LENGTH 0020h,
// HEADER CSCD DESCRIPTOR TYPE CODE FFh, each checked at its byte; IMMED and
// G_SENSE refused; a four-byte LIST IDENTIFIER; two-byte CSCD, segment and
// inline data lengths), then the same descriptors as LID1 (SPC-4 6.4.5,
// 6.4.6 share their formats with 6.3.6, 6.3.7) checked the same way.
parse_result parse_extended_copy_lid4(uint32_t param_len, const uint8_t* data, size_t len);

// The parser for an EXTENDED COPY CDB's service action (byte 1 bits 4:0).
parse_result parse_extended_copy_cdb(const uint8_t* cdb, const uint8_t* data, size_t len);

// A list one of the parsers above already accepted, parsed again without
// its CDB (the copy manager's side, wire/copy.capnp CopyRequest): it is a
// LID4 list when its header says so (PARAMETER LIST FORMAT 01h, HEADER
// CSCD DESCRIPTOR LIST LENGTH 0020h, FFh at byte 16). An accepted LID1 list
// never has FFh at byte 16: that byte is its first CSCD descriptor's type
// (only E4h accepted) or its first segment descriptor's (only 02h).
parse_result parse_accepted_list(const uint8_t* data, size_t len);

// RECEIVE COPY RESULTS CDB (SPC-4 6.18): service action, list identifier,
// allocation length.
// RECEIVE COPY STATUS(LID4) (SPC-4, service action 05h) carries a
// four-byte LIST IDENTIFIER at bytes 2-5; the LID1 service actions one
// byte at byte 2.
struct receive_copy_results_cdb {
  uint8_t service_action = 0;
  uint32_t list_id = 0;
  uint32_t alloc_len = 0;
};
receive_copy_results_cdb decode_receive_copy_results(const uint8_t* cdb);

// COPY STATUS (SPC-4 6.18.3) of one operation.
struct copy_status {
  enum class state : uint8_t { in_progress = 0x00, completed = 0x01, failed = 0x02 } status = state::in_progress;
  uint16_t segments_processed = 0;
  uint64_t bytes = 0;  // reported in bytes, or in KiB/MiB/GiB when it does not fit 32 bits
};

// The parameter data, full length, cut to cap; each returns the bytes written.
size_t build_copy_status(const copy_status& s, uint8_t* out, size_t cap);
// RECEIVE COPY STATUS(LID4) parameter data: a 32-byte header (RESPONSE TO
// SERVICE ACTION 05h, COPY OPERATION STATUS, OPERATION COUNTER 0,
// ESTIMATED STATUS UPDATE DELAY 0, EXTENDED COPY COMPLETION STATUS, the
// sense lengths, TRANSFER COUNT in bytes, SEGMENTS PROCESSED) and the sense
// data the operation ended with. completion_status: the SAM-5 status the
// EXTENDED COPY ended with (ignored while it runs).
size_t build_copy_status_lid4(const copy_status& s, uint8_t completion_status, const uint8_t* sense, size_t sense_len,
                              uint8_t* out, size_t cap);
size_t build_operating_parameters(uint8_t* out, size_t cap);
// FAILED SEGMENT DETAILS (SPC-4 6.18.5): the sense data the EXTENDED COPY
// ended with; `failed` false gives the empty form (AVAILABLE DATA 0).
size_t build_failed_segment_details(bool failed, const uint8_t* sense, size_t sense_len, uint8_t* out, size_t cap);

// Third-party Copy VPD page 8Fh (SPC-4 7.8.17) for a copy manager with the
// limits above: Supported Commands, Parameter Data, Supported Descriptors,
// Supported CSCD Descriptor IDs and General Copy Operations descriptors.
void put_third_party_copy_page(byte_writer& w, uint8_t peripheral);

}  // namespace stmfd::scsi::xcopy
