#include "wire/scsi/sense.hpp"

#include <array>

#include "wire/scsi/byte_writer.hpp"

namespace stmfd::scsi {

std::optional<sense_code> sense::from_wire(uint8_t key, uint8_t asc, uint8_t ascq) {
  static constexpr std::array known = {
      no_sense(),
      filemark_detected(),
      end_of_partition_detected(),
      beginning_of_partition_detected(),
      not_ready_becoming_ready(),
      not_ready_initializing_command_required(),
      not_ready_manual_intervention(),
      not_ready_format_in_progress(),
      not_ready_sanitize_in_progress(),
      not_ready_standby(),
      not_ready_unavailable(),
      not_ready_transitioning(),
      not_ready_offline(),
      medium_not_present(),
      write_error(),
      read_error(),
      medium_format_corrupted(),
      format_command_failed(),
      sanitize_command_failed(),
      internal_target_failure(),
      operation_in_progress(),
      parameter_list_length_error(),
      too_many_target_descriptors(),
      unsupported_target_descriptor_type(),
      too_many_segment_descriptors(),
      unsupported_segment_descriptor_type(),
      inline_data_length_exceeded(),
      copy_aborted(),
      copy_target_not_reachable(),
      incorrect_copy_target_type(),
      unexpected_inexact_segment(),
      invalid_opcode(),
      lba_out_of_range(),
      invalid_field_in_cdb(),
      lu_not_supported(),
      invalid_field_in_parameter_list(),
      parameter_value_invalid(),
      saving_parameters_not_supported(),
      medium_removal_prevented(),
      power_on_reset(),
      power_on_occurred(),
      bus_reset(),
      bus_device_reset(),
      it_nexus_loss(),
      medium_may_have_changed(),
      mode_parameters_changed(),
      reservations_preempted(),
      reservations_released(),
      registrations_preempted(),
      asymmetric_access_state_changed(),
      capacity_data_changed(),
      commands_cleared_by_another_initiator(),
      inquiry_data_changed(),
      reported_luns_changed(),
      write_protected(),
      hardware_write_protected(),
      software_write_protected(),
      space_allocation_failed_write_protect(),
      end_of_data_detected(),
      command_aborted(),
      command_aborted_data_phase_error(),
      command_aborted_protocol_crc_error(),
      command_aborted_overlapped_commands(),
      volume_overflow(),
      miscompare_during_verify(),
  };
  for (const auto& c : known)
    if (c.key == key && c.asc == asc && c.ascq == ascq) return c;
  return std::nullopt;
}

namespace {

// SPC-4 4.5.2.4.2 Table 47: SKSV | C/D | BPV | bit pointer, then field pointer.
void put_field_pointer(byte_writer& w, const field_pointer& f) {
  uint8_t b = 0x80;
  if (f.in_cdb) b |= 0x40;
  if (f.bit >= 0 && f.bit <= 7) b |= 0x08 | uint8_t(f.bit);
  w.u8(b);
  w.be16(f.byte);
}

}  // namespace

size_t build_sense(const sense_info& s, bool descriptor, uint8_t* out, size_t cap) {
  byte_writer w(out, cap);
  if (!descriptor) {
    // SPC-4 4.5.3 Table 48.
    const bool valid = s.information && *s.information <= 0xFFFFFFFFu;
    w.u8(uint8_t(0x70 | (valid ? 0x80 : 0x00)));  // current error
    w.u8(0);                                      // obsolete
    w.u8(uint8_t((s.code.key & 0x0F) | (s.stream_bits & 0xE0)));
    w.be32(valid ? uint32_t(*s.information) : 0);
    w.u8(fixed_sense_len - 8);               // additional sense length
    w.be32(s.command_specific.value_or(0));  // command-specific information
    w.u8(s.code.asc);
    w.u8(s.code.ascq);
    w.u8(0);  // field replaceable unit code
    if (s.field) {
      put_field_pointer(w, *s.field);
    } else if (s.progress) {
      w.u8(0x80);  // SKSV
      w.be16(*s.progress);
    } else {
      w.zeros(3);
    }
    return w.written();
  }
  // SPC-4 4.5.2 Table 43, descriptor format.
  w.u8(0x72);
  w.u8(s.code.key & 0x0F);
  w.u8(s.code.asc);
  w.u8(s.code.ascq);
  w.zeros(3);
  const size_t len_at = w.size();
  w.u8(0);  // additional sense length, patched below
  if (s.information) {
    // SPC-4 4.5.2.2: information descriptor, type 00h.
    w.u8(0x00);
    w.u8(0x0A);
    w.u8(0x80);  // VALID
    w.u8(0);
    w.be64(*s.information);
  }
  if (s.command_specific) {
    // SPC-4 4.5.2.3: command-specific information descriptor, type 01h.
    w.u8(0x01);
    w.u8(0x0A);
    w.zeros(2);
    w.be64(*s.command_specific);
  }
  if (s.stream_bits & 0xE0) {
    // SPC-4 4.5.2.5: stream commands descriptor, type 04h.
    w.u8(0x04);
    w.u8(0x02);
    w.u8(0);
    w.u8(s.stream_bits & 0xE0);
  }
  if (s.field) {
    // SPC-4 4.5.2.3: sense key specific descriptor, type 02h.
    w.u8(0x02);
    w.u8(0x06);
    w.zeros(2);
    put_field_pointer(w, *s.field);
    w.u8(0);
  } else if (s.progress) {
    // The same descriptor holding a progress indication (SPC-4 4.5.2.4.4).
    w.u8(0x02);
    w.u8(0x06);
    w.zeros(2);
    w.u8(0x80);  // SKSV
    w.be16(*s.progress);
    w.u8(0);
  }
  w.set_u8(len_at, uint8_t(w.size() - 8));
  return w.written();
}

}  // namespace stmfd::scsi
