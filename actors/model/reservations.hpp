#pragma once
// The reservations of one logical unit as a pure model: persistent
// reservations (SPC-4 5.13; PERSISTENT RESERVE IN 6.15, PERSISTENT RESERVE
// OUT 6.16) and SPC-2 reservations (RESERVE/RELEASE(6/10), SPC-2 7.21-7.24,
// with the exceptions of SPC-4 5.13.3: CRH = 1). The framework's LU shell
// hosts one per LU, of every LU kind, and:
//   - attach()es every I_T nexus that can reach the LU when it registers
//     (login_atom) and calls nexus_lost() when it ends (logout_atom): unit
//     attentions and aborts are reported for attached nexuses only;
//   - asks conflicts() before every command that handles() does not name,
//     and answers RESERVATION CONFLICT (18h) when it says so;
//   - hands the commands handles() names (PERSISTENT RESERVE IN/OUT,
//     RESERVE(6/10), RELEASE(6/10)) with their parameter data to execute(),
//     which judges their conflicts itself, and then:
//       sends result.status, result.sense, and result.data_in_len bytes of
//       Data-In from the buffer it gave;
//       posts result.unit_attentions to those nexuses;
//       aborts every task of each nexus in result.abort_tasks but the
//       PERSISTENT RESERVE OUT itself (PREEMPT AND ABORT, as ABORT TASK SET
//       on each);
//       when result.persist, writes aptpl_image() atomically (empty: remove
//       what it wrote before) before it reports the status;
//   - calls it_nexus_reset() and lu_reset() for those task management
//     functions (a target reset is an LU reset of every LU);
//   - at start, load()s the bytes the last aptpl_image() left (none or
//     empty: start empty, as after a power on without APTPL).
// The shell checks unit attentions before it calls this model.
//
// Registrations belong to the I_T nexus identity (initiator port name,
// relative target port), not to a connection: they survive reconnects and
// nexus loss. One registration stands for one I_T nexus, or, registered
// with ALL_TG_PT, for the initiator port through every target port, or,
// from an iSCSI TransportID of format 00b, for every port of that initiator
// device: READ KEYS and READ FULL STATUS report such a registration once.
//
// Not thread-safe; performs no I/O; allocates only on PR OUT/IN and
// registration changes (conflicts() never allocates).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "actors/contracts/port_identity.hpp"
#include "actors/model/reservations_scope.hpp"
#include "wire/scsi/persistent_reserve.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

// The identity of the I_T nexus between r and the target port
// `relative_port`, with its TransportID. An FC port name without the
// "wwn." prefix gets it.
nexus_identity make_nexus_identity(const remote_port& r, uint16_t relative_port);

class reservations {
 public:
  struct options {
    // PTPL_C: the shell persists aptpl_image(). Off: APTPL = 1 is refused
    // with INVALID FIELD IN PARAMETER LIST.
    bool ptpl_capable = true;
    // REPORT CAPABILITIES ALLOW COMMANDS (SPC-4 6.15.4 Table 197): what the
    // provider's command table lets through Write Exclusive and Exclusive
    // Access reservations. 0: no information.
    uint8_t allow_commands = 0;
    // Registrations beyond this: INSUFFICIENT REGISTRATION RESOURCES.
    size_t max_registrations = 1024;
  };

  // A target port through which the LU is reachable (REGISTER AND MOVE
  // checks its destination against them).
  struct target_port {
    uint16_t relative_port = 0;
    uint8_t protocol = scsi::pr::protocol::iscsi;  // PROTOCOL IDENTIFIER of its transport
  };

  struct unit_attention {
    nexus_identity nexus;
    scsi::sense_code code;  // 2Ah/03h, 2Ah/04h or 2Ah/05h
  };

  // What a command handed to execute() ends with.
  struct result {
    uint8_t status = scsi::status::good;          // GOOD, CHECK CONDITION or RESERVATION CONFLICT
    std::optional<scsi::sense_info> sense;        // with CHECK CONDITION
    uint32_t data_in_len = 0;                     // PERSISTENT RESERVE IN: bytes written to data_in
    std::vector<unit_attention> unit_attentions;  // at most one per (nexus, code)
    std::vector<nexus_identity> abort_tasks;      // PREEMPT AND ABORT
    bool persist = false;                         // aptpl_image() changed: write it before the status
  };

  reservations() : reservations(options{}) {}
  explicit reservations(options o);

  // The command is one execute() serves: PERSISTENT RESERVE IN/OUT,
  // RESERVE(6/10), RELEASE(6/10).
  static bool handles(const uint8_t* cdb, size_t len);

  // Executes a command handles() names from nexus n (which it attaches).
  // param/plen: the Data-Out received (PERSISTENT RESERVE OUT; fewer bytes
  // than PARAMETER LIST LENGTH is a PARAMETER LIST LENGTH ERROR).
  // data_in/cap: the buffer for PERSISTENT RESERVE IN parameter data,
  // filled up to min(ALLOCATION LENGTH, cap).
  result execute(const nexus_identity& n, const uint8_t* cdb, size_t len, const uint8_t* param, size_t plen,
                 uint8_t* data_in, size_t cap);
  result prout(const nexus_identity& n, const uint8_t* cdb, size_t len, const uint8_t* param, size_t plen);
  result prin(const nexus_identity& n, const uint8_t* cdb, size_t len, uint8_t* data_in, size_t cap);
  result reserve(const nexus_identity& n, const uint8_t* cdb, size_t len);  // RESERVE(6) or RESERVE(10)
  result release(const nexus_identity& n, const uint8_t* cdb, size_t len);  // RELEASE(6) or RELEASE(10)

  // Whether any other command from n gets RESERVATION CONFLICT (SPC-4 5.13.1
  // Table 63-style, SBC-3 4.17, SPC-2 5.5.1), from its command table flags:
  //   - unknown commands never conflict (INVALID COMMAND OPERATION CODE wins);
  //   - an SPC-2 reservation of another nexus: conflict unless
  //     allowed_under_reservation;
  //   - no persistent reservation, or n holds it: no conflict;
  //   - Registrants Only / All Registrants types and n registered: none;
  //   - Write Exclusive types: conflict unless allowed_under_write_exclusive
  //     or allowed_under_reservation;
  //   - Exclusive Access types: conflict unless allowed_under_reservation;
  //   - and whatever its flags, a command that writes the medium always
  //     conflicts where any of the rules above applies.
  bool conflicts(const nexus_identity& n, const command_info& c) const;

  // The nexus exists (login). Refreshes its TransportID.
  void attach(const nexus_identity& n);
  // The nexus is gone (logout, connection lost: SAM-5 I_T nexus loss): its
  // SPC-2 reservation is released; persistent reservations and
  // registrations stay (SPC-4 5.13.1).
  void nexus_lost(const nexus_identity& n);
  // I_T NEXUS RESET: releases n's SPC-2 reservation; nothing persistent.
  void it_nexus_reset(const nexus_identity& n);
  // LOGICAL UNIT RESET (and target reset): releases the SPC-2 reservation;
  // persistent reservations and registrations stay (SPC-4 5.13.1).
  void lu_reset();
  // The LU's target ports. Empty (the default): REGISTER AND MOVE accepts
  // any RELATIVE TARGET PORT IDENTIFIER.
  void set_target_ports(std::vector<target_port> ports);

  // The persistent state (registrations with their identities and
  // TransportIDs, the persistent reservation, PRgeneration, APTPL) in a
  // versioned, checksummed byte format. The SPC-2 reservation and the
  // attached nexuses are not part of it.
  std::vector<uint8_t> save() const;
  // Restores what save() wrote; empty: the empty state. Corrupt, truncated,
  // unknown-version or inconsistent input: false, and nothing changes.
  bool load(std::span<const uint8_t> image);
  // What must survive a power loss: save() while APTPL is active, else
  // nothing (SPC-4 5.13.4).
  std::vector<uint8_t> aptpl_image() const;

  // Observers.
  bool aptpl() const { return aptpl_; }
  uint32_t generation() const { return generation_; }
  size_t registration_count() const { return regs_.size(); }
  std::optional<uint64_t> key_of(const nexus_identity& n) const;  // its registration's key
  bool holds(const nexus_identity& n) const;                      // a persistent reservation holder
  std::optional<uint8_t> reservation_type() const;                // the persistent reservation's TYPE
  const std::optional<nexus_identity>& spc2_holder() const { return spc2_; }

 private:
  struct persistent_reservation {
    uint8_t type = 0;
    // The holding I_T nexus (types other than all registrants). Always
    // contained in one registration's scope.
    nexus_scope holder;
  };

  // reservations.cpp: helpers shared by the service actions.
  registration* find(const nexus_identity& n);
  const registration* find(const nexus_identity& n) const;
  bool is_holder(const registration& r) const;
  std::vector<uint8_t> transport_id_of(const nexus_identity& n) const;
  void post(result& r, const nexus_identity& n, scsi::sense_code c) const;
  // Every attached nexus some registration covers, but `except`.
  void post_registered(result& r, const nexus_identity& except, scsi::sense_code c) const;
  // Every attached nexus one of `gone` covered, but `except`.
  void post_covered(result& r, std::span<const registration> gone, const nexus_identity* except,
                    scsi::sense_code c) const;
  std::vector<registration> take_registrations(uint64_t key, const registration* keep);
  static result conflict();
  static result check(scsi::sense_info s);

  // reservations_register.cpp
  result do_register(const nexus_identity& n, const scsi::pr::prout_params& p, bool ignore_key);
  result register_new(const nexus_identity& n, const scsi::pr::prout_params& p);
  result unregister(const nexus_identity& n, registration& reg);
  result do_move(const nexus_identity& n, const scsi::pr::move_params& p);
  // reservations_reserve.cpp
  result do_reserve(const nexus_identity& n, uint64_t key, uint8_t type);
  result do_release(const nexus_identity& n, uint64_t key, uint8_t type);
  result do_clear(const nexus_identity& n, uint64_t key);
  // reservations_preempt.cpp
  result do_preempt(const nexus_identity& n, const scsi::pr::prout_params& p, uint8_t type, bool abort);
  // reservations_prout.cpp
  result dispatch_prout(const nexus_identity& n, const scsi::pr::prout_cdb& c, const uint8_t* param);
  // reservations_spc2.cpp
  std::optional<result> crh_exception(const nexus_identity& n) const;

  options opts_;
  std::vector<registration> regs_;  // in registration order; scopes never overlap
  std::optional<persistent_reservation> res_;
  uint32_t generation_ = 0;  // PRgeneration (SPC-4 6.15.2)
  bool aptpl_ = false;
  std::optional<nexus_identity> spc2_;  // the SPC-2 reservation's holder
  std::vector<nexus_identity> attached_;
  std::vector<target_port> ports_;
};

}  // namespace stmfd
