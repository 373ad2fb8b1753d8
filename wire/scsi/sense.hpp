#pragma once
// SCSI status codes and sense data (SAM-5 5.3, SPC-4 4.5).
//
// A sense_code packs key, ASC and ASCQ. Its constructor is private: the only
// way to obtain one is a named constructor of `sense` (or sense::from_wire,
// which accepts only pairings listed here), so a key can never be paired with
// an ASC it does not belong to. Call sites read `scsi::sense::lba_out_of_range()`.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace stmfd::scsi {

// SAM-5 5.3.1 Table 28.
namespace status {
constexpr uint8_t good = 0x00, check_condition = 0x02, condition_met = 0x04, busy = 0x08, reservation_conflict = 0x18,
                  task_set_full = 0x28, aca_active = 0x30, task_aborted = 0x40;
}

// SPC-4 4.5.6 Table 54.
namespace sense_key {
constexpr uint8_t no_sense = 0x0, recovered_error = 0x1, not_ready = 0x2, medium_error = 0x3, hardware_error = 0x4,
                  illegal_request = 0x5, unit_attention = 0x6, data_protect = 0x7, blank_check = 0x8,
                  copy_aborted = 0xA, aborted_command = 0xB, volume_overflow = 0xD, miscompare = 0xE;
}

struct sense;

struct sense_code {
  uint8_t key, asc, ascq;
  constexpr bool operator==(const sense_code&) const = default;
  // ASC 29h: some kind of reset happened; reporting it supersedes older unit
  // attentions (SAM-5 6.3, SPC-4 5.14).
  constexpr bool is_reset() const { return key == sense_key::unit_attention && asc == 0x29; }

 private:
  friend struct sense;
  constexpr sense_code(uint8_t k, uint8_t a, uint8_t q) : key(k), asc(a), ascq(q) {}
};

// Named constructors, SPC-4 Annex D (ASC/ASCQ assignments) with the sense key
// the standards use for each condition.
struct sense {
  sense() = delete;
  // 0h NO SENSE
  static constexpr sense_code no_sense() { return {0x0, 0x00, 0x00}; }
  // Sequential-access conditions (SSC-3 4.2, reported with the stream bits
  // of sense_info): a read or space met a filemark, a write entered the
  // early-warning zone, a backward motion reached beginning of partition.
  static constexpr sense_code filemark_detected() { return {0x0, 0x00, 0x01}; }
  static constexpr sense_code end_of_partition_detected() { return {0x0, 0x00, 0x02}; }
  static constexpr sense_code beginning_of_partition_detected() { return {0x0, 0x00, 0x04}; }
  // 2h NOT READY
  static constexpr sense_code not_ready_becoming_ready() { return {0x2, 0x04, 0x01}; }
  static constexpr sense_code not_ready_initializing_command_required() { return {0x2, 0x04, 0x02}; }
  static constexpr sense_code not_ready_manual_intervention() { return {0x2, 0x04, 0x03}; }
  static constexpr sense_code not_ready_format_in_progress() { return {0x2, 0x04, 0x04}; }
  static constexpr sense_code not_ready_sanitize_in_progress() { return {0x2, 0x04, 0x1B}; }
  static constexpr sense_code not_ready_standby() { return {0x2, 0x04, 0x0B}; }        // ALUA standby
  static constexpr sense_code not_ready_unavailable() { return {0x2, 0x04, 0x0C}; }    // ALUA unavailable
  static constexpr sense_code not_ready_transitioning() { return {0x2, 0x04, 0x0A}; }  // ALUA transitioning
  static constexpr sense_code not_ready_offline() { return {0x2, 0x04, 0x12}; }        // ALUA offline
  static constexpr sense_code medium_not_present() { return {0x2, 0x3A, 0x00}; }
  // 3h MEDIUM ERROR
  static constexpr sense_code write_error() { return {0x3, 0x0C, 0x00}; }
  static constexpr sense_code read_error() { return {0x3, 0x11, 0x00}; }  // UNRECOVERED READ ERROR
  static constexpr sense_code medium_format_corrupted() { return {0x3, 0x31, 0x00}; }
  static constexpr sense_code format_command_failed() { return {0x3, 0x31, 0x01}; }
  static constexpr sense_code sanitize_command_failed() { return {0x3, 0x31, 0x03}; }
  // 4h HARDWARE ERROR
  static constexpr sense_code internal_target_failure() { return {0x4, 0x44, 0x00}; }
  // 5h ILLEGAL REQUEST
  static constexpr sense_code operation_in_progress() { return {0x5, 0x00, 0x16}; }  // a list identifier in use
  static constexpr sense_code parameter_list_length_error() { return {0x5, 0x1A, 0x00}; }
  static constexpr sense_code invalid_opcode() { return {0x5, 0x20, 0x00}; }
  static constexpr sense_code lba_out_of_range() { return {0x5, 0x21, 0x00}; }
  // SMC-3: an element address the changer does not have.
  static constexpr sense_code invalid_element_address() { return {0x5, 0x21, 0x01}; }
  static constexpr sense_code invalid_field_in_cdb() { return {0x5, 0x24, 0x00}; }
  static constexpr sense_code lu_not_supported() { return {0x5, 0x25, 0x00}; }
  static constexpr sense_code invalid_field_in_parameter_list() { return {0x5, 0x26, 0x00}; }
  // SAM-5: a command with the ACA task attribute and no ACA condition.
  static constexpr sense_code invalid_message_error() { return {0x5, 0x49, 0x00}; }
  static constexpr sense_code parameter_value_invalid() { return {0x5, 0x26, 0x02}; }
  // EXTENDED COPY parameter list (SPC-4 6.3).
  static constexpr sense_code too_many_target_descriptors() { return {0x5, 0x26, 0x06}; }
  static constexpr sense_code unsupported_target_descriptor_type() { return {0x5, 0x26, 0x07}; }
  static constexpr sense_code too_many_segment_descriptors() { return {0x5, 0x26, 0x08}; }
  static constexpr sense_code unsupported_segment_descriptor_type() { return {0x5, 0x26, 0x09}; }
  static constexpr sense_code inline_data_length_exceeded() { return {0x5, 0x26, 0x0B}; }
  // PERSISTENT RESERVE OUT RELEASE by the holder with another TYPE (SPC-4 5.13.11.2).
  static constexpr sense_code invalid_release_of_persistent_reservation() { return {0x5, 0x26, 0x04}; }
  static constexpr sense_code saving_parameters_not_supported() { return {0x5, 0x39, 0x00}; }
  // SMC-3 MOVE MEDIUM: the destination holds a medium / the source holds none.
  static constexpr sense_code medium_destination_element_full() { return {0x5, 0x3B, 0x0D}; }
  static constexpr sense_code medium_source_element_empty() { return {0x5, 0x3B, 0x0E}; }
  static constexpr sense_code medium_removal_prevented() { return {0x5, 0x53, 0x02}; }
  // PERSISTENT RESERVE OUT: no room for another registration (SPC-4 5.13.7).
  static constexpr sense_code insufficient_registration_resources() { return {0x5, 0x55, 0x04}; }
  // 6h UNIT ATTENTION
  static constexpr sense_code power_on_reset() { return {0x6, 0x29, 0x00}; }  // POWER ON, RESET, OR BUS DEVICE RESET
  static constexpr sense_code power_on_occurred() { return {0x6, 0x29, 0x01}; }
  static constexpr sense_code bus_reset() {
    return {0x6, 0x29, 0x02};
  }  // SCSI BUS RESET: parallel SCSI only, never posted
  static constexpr sense_code bus_device_reset() { return {0x6, 0x29, 0x03}; }  // BUS DEVICE RESET FUNCTION: LU reset
  static constexpr sense_code it_nexus_loss() { return {0x6, 0x29, 0x07}; }
  // NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED (SPC-4 5.14: a medium was loaded).
  static constexpr sense_code medium_may_have_changed() { return {0x6, 0x28, 0x00}; }
  // SMC-3: an operator opened or closed an import/export element.
  static constexpr sense_code import_export_element_accessed() { return {0x6, 0x28, 0x01}; }
  static constexpr sense_code mode_parameters_changed() { return {0x6, 0x2A, 0x01}; }
  static constexpr sense_code reservations_preempted() { return {0x6, 0x2A, 0x03}; }
  static constexpr sense_code reservations_released() { return {0x6, 0x2A, 0x04}; }
  static constexpr sense_code registrations_preempted() { return {0x6, 0x2A, 0x05}; }
  static constexpr sense_code asymmetric_access_state_changed() { return {0x6, 0x2A, 0x06}; }
  static constexpr sense_code capacity_data_changed() { return {0x6, 0x2A, 0x09}; }
  static constexpr sense_code commands_cleared_by_another_initiator() { return {0x6, 0x2F, 0x00}; }
  static constexpr sense_code inquiry_data_changed() { return {0x6, 0x3F, 0x03}; }
  static constexpr sense_code reported_luns_changed() { return {0x6, 0x3F, 0x0E}; }
  // 7h DATA PROTECT
  static constexpr sense_code write_protected() { return {0x7, 0x27, 0x00}; }
  static constexpr sense_code hardware_write_protected() { return {0x7, 0x27, 0x01}; }
  static constexpr sense_code software_write_protected() { return {0x7, 0x27, 0x02}; }
  static constexpr sense_code space_allocation_failed_write_protect() { return {0x7, 0x27, 0x07}; }
  // 8h BLANK CHECK: a read or space reached end of data (SSC-3 4.2.3)
  static constexpr sense_code end_of_data_detected() { return {0x8, 0x00, 0x05}; }
  // Bh ABORTED COMMAND
  static constexpr sense_code command_aborted() { return {0xB, 0x00, 0x00}; }
  static constexpr sense_code command_aborted_data_phase_error() { return {0xB, 0x4B, 0x00}; }
  static constexpr sense_code command_aborted_protocol_crc_error() { return {0xB, 0x47, 0x05}; }
  // SPC-4 D.2 4Bh/06h INITIATOR RESPONSE TIMEOUT: the Data-Out a target
  // asked for did not come in time; nothing reached the medium, so the
  // command may be retried (SAM-5 5.3: ABORTED COMMAND).
  static constexpr sense_code command_aborted_initiator_response_timeout() { return {0xB, 0x4B, 0x06}; }
  static constexpr sense_code command_aborted_overlapped_commands() { return {0xB, 0x4E, 0x00}; }
  // Ah COPY ABORTED (SPC-4 6.3): an EXTENDED COPY segment failed. The
  // plain form reports a copy target's command that failed (its own sense
  // is kept for FAILED SEGMENT DETAILS); the others what the copy manager
  // found itself.
  static constexpr sense_code copy_aborted() { return {0xA, 0x00, 0x00}; }
  static constexpr sense_code copy_target_not_reachable() { return {0xA, 0x0D, 0x02}; }
  static constexpr sense_code incorrect_copy_target_type() { return {0xA, 0x0D, 0x03}; }
  static constexpr sense_code unexpected_inexact_segment() { return {0xA, 0x26, 0x0A}; }
  // Dh VOLUME OVERFLOW: a write reached the end of the medium (SSC-3 4.2.5)
  static constexpr sense_code volume_overflow() { return {0xD, 0x00, 0x02}; }
  // Eh MISCOMPARE
  static constexpr sense_code miscompare_during_verify() { return {0xE, 0x1D, 0x00}; }

  // A code received from elsewhere (config, another process): accepted only
  // when it is one of the pairings above.
  static std::optional<sense_code> from_wire(uint8_t key, uint8_t asc, uint8_t ascq);
};

// Sense-key specific field pointer, SPC-4 4.5.2.4.2: C/D, byte, and an
// optional bit (BPV) naming the leftmost bit of the field in error.
struct field_pointer {
  bool in_cdb = true;
  uint16_t byte = 0;
  int8_t bit = -1;  // -1: no bit pointer
};

// The stream-command bits of sense data (SSC-3 4.2, SPC-4 4.5.2.5): byte 2
// of fixed format, the stream commands descriptor (04h) of descriptor format.
namespace stream {
constexpr uint8_t filemark = 0x80, eom = 0x40, ili = 0x20;
}

struct sense_info {
  sense_code code;
  std::optional<uint64_t> information;  // INFORMATION field (LBA, miscompare offset, residue ...)
  std::optional<field_pointer> field;   // only meaningful for ILLEGAL REQUEST
  uint8_t stream_bits = 0;              // stream:: bits; sequential-access devices only
  // COMMAND-SPECIFIC INFORMATION (fixed bytes 8-11, descriptor type 01h):
  // EXTENDED COPY reports the failed segment's number here (SPC-4 6.3.3).
  std::optional<uint32_t> command_specific = std::nullopt;
  // SPC-4 4.5.2.4.4 progress indication (sense key specific, SKSV set):
  // the fraction of an operation done, in 1/65536ths (NOT READY 04h/04h
  // FORMAT IN PROGRESS, 04h/1Bh SANITIZE IN PROGRESS). Never with `field`.
  std::optional<uint16_t> progress = std::nullopt;
};

// ILLEGAL REQUEST / INVALID FIELD IN CDB pointing at cdb[byte] (bit, or whole byte).
inline sense_info invalid_cdb_field(uint16_t byte, int8_t bit = -1) {
  return {sense::invalid_field_in_cdb(), std::nullopt, field_pointer{true, byte, bit}};
}
// ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST pointing at data_out[byte].
inline sense_info invalid_param_field(uint16_t byte, int8_t bit = -1) {
  return {sense::invalid_field_in_parameter_list(), std::nullopt, field_pointer{false, byte, bit}};
}
inline sense_info plain(sense_code c) { return {c, std::nullopt, std::nullopt}; }

constexpr size_t fixed_sense_len = 18;
constexpr size_t max_sense_len = 8 + 12 + 12 + 4 + 8;  // header, information, command-specific, stream, SKS

// SPC-4 4.5: builds fixed-format (70h, 18 bytes) or descriptor-format (72h)
// sense data into out. Returns the number of bytes written (the full length
// when cap allows, truncated to cap otherwise). In fixed format VALID is set
// only when the information fits in 32 bits (SPC-4 4.5.3).
size_t build_sense(const sense_info& s, bool descriptor, uint8_t* out, size_t cap);

}  // namespace stmfd::scsi
