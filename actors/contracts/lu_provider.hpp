#pragma once
// The LU provider contract (COMSTAR's lpif.h, in our own words), interface
// version 3 (3 adds removable media: the blocks marked "v3" below). An LU
// provider (disk "sbd", tape drive "ssc"; media changer next) brings a pure
// core per logical unit: it classifies CDBs from its command table,
// executes a command into either a reply or an I/O plan, and turns the
// plan's result into status. The framework's LU shell actor
// (actors/lu/lu_actor.hpp) hosts the core and owns everything generic: the
// unit-attention queues per I_T nexus, the task set and its ordering, task
// management, the precheck every LU kind shares (unit attention,
// reservations, ALUA state, LU state, medium), the I/O on the backing
// store, and recovery. A provider never knows the transport: a target
// port's identity reaches it as designator bytes the port provider built.
//
// Every field says who sets it: "framework" (the LU shell / STMF) or
// "provider" (the core).
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/contracts/port_identity.hpp"
#include "actors/model/command_class.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

constexpr uint32_t lu_interface_version = 3;

// Identity reported in INQUIRY and VPD 80h/83h. Set by the framework from the
// LU's definition.
struct lu_identity {
  std::string vendor = "STMFD";   // T10 VENDOR IDENTIFICATION (8 ASCII)
  std::string product = "VDISK";  // PRODUCT IDENTIFICATION (16 ASCII)
  std::string revision = "0001";  // PRODUCT REVISION LEVEL (4 ASCII)
  std::string serial;             // VPD 80h; empty -> hex of naa
  uint8_t naa[16] = {};           // NAA 6 IEEE registered extended designator (VPD 83h)
};

// One command as the framework hands it to the core (all set by the framework).
struct lu_command {
  // The I_T nexus the command came through (STMF's nexus id: stable for the
  // nexus's life, also across LU restarts). A core keeps parameters per
  // I_T nexus under it (SPC-4 mode page policy, VPD 87h).
  uint64_t nexus = 0;
  const uint8_t* cdb = nullptr;
  size_t cdb_len = 0;
  uint32_t expected_length = 0;  // the transport's Expected Data Transfer Length
  // Write data received (all of it). It may be shorter than the CDB asks
  // when the expected length was: the core then acts on the whole blocks
  // that arrived, and the transport reports the residual.
  const uint8_t* data_out = nullptr;
  uint32_t data_out_len = 0;
  // The target port the command came through (VPD 83h); null when unknown.
  const local_port* port = nullptr;
  // ALUA (issue 7, additive to v3): the TPGS field the standard INQUIRY
  // data reports (SPC-4 6.6.2; 11b: implicit and explicit ALUA). The
  // framework answers REPORT/SET TARGET PORT GROUPS for every LU kind; the
  // target port group and relative port designators of VPD 83h are in
  // `port->designators`.
  uint8_t tpgs = 0;
  // REQUEST SENSE only: the unit attention the framework took from this
  // nexus's queue, to report as parameter data; null -> NO SENSE (SPC-4 6.39).
  const scsi::sense_info* pending_sense = nullptr;
};

// ---- Thin provisioning and compare steps (issue 7; additive to version 2) ----
// A byte range of the backing store (set by the provider in
// lu_outcome::ranges).
struct byte_range {
  uint64_t offset = 0;
  uint64_t length = 0;
};
// What a map_extents step writes into the plan buffer (set by the
// framework): consecutive records from ranges[0].offset on, each a run of
// bytes that is all allocated (mapped = 1) or all deallocated (0); the
// records stop at the range's end or when the buffer is full, and a record
// of length 0 ends the list early. Files report their real extents
// (SEEK_DATA/SEEK_HOLE), RAM its resident pages that hold more than zeros,
// block devices all mapped.
struct extent_record {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint8_t mapped = 0;
  uint8_t reserved[7] = {};
};
// A compare step that finds a difference fails with this -errno (the
// provider's finish() locates the byte itself).
constexpr int io_miscompare = EILSEQ;
// ---- end of the issue 7 block ----

// One step of an I/O plan. Offsets are bytes in the LU's backing store.
struct io_step {
  // read, write, flush: as below. Issue 7 additions, each acting on
  // lu_outcome::ranges (offset/length of the step unused):
  //   deallocate: frees every range so that it reads back as zeros (files:
  //     fallocate PUNCH_HOLE|KEEP_SIZE through the io ring; block devices:
  //     the same, which the kernel turns into a discard that zeroes; RAM:
  //     the pages are dropped, partial pages zeroed);
  //   write_same: writes the `length` bytes at data_out + buf_offset (one
  //     logical block) repeatedly over every range; length 0 writes zeros
  //     (no Data-Out); fua as for write;
  //   map_extents: fills the plan buffer from buf_offset with
  //     extent_record for ranges[0] (no I/O through the ring);
  //   compare: compares `length` bytes of the plan buffer at buf_offset
  //     with data_out at buf_offset; a difference fails the step with
  //     -io_miscompare;
  //   merge_or: ORs `length` bytes of the plan buffer at buf_offset into
  //     the Data-Out at buf_offset (the framework's own copy), which a later
  //     write step then writes (ORWRITE: read, merge_or, write).
  enum class op : uint8_t {
    read,
    write,
    flush,
    deallocate,
    write_same,
    map_extents,
    compare,
    merge_or
  } kind = op::read;
  uint64_t offset = 0;
  uint32_t length = 0;      // flush: 0 means the whole store
  uint32_t buf_offset = 0;  // read: into the plan buffer; write: from lu_command::data_out
  // write: on stable storage before the step completes (FUA, or write cache
  // off). read: FUA; the page cache is coherent, so it may be ignored.
  bool fua = false;

  // ---- v3: removable media (tape) ------------------------------------
  // Set by the provider. Which store the step addresses: the LU's backing
  // store, or the medium the shell has loaded for the LU (a cartridge).
  enum class store_kind : uint8_t { backing, medium } store = store_kind::backing;
  // Provider-owned memory the step reads into or writes from, instead of
  // the plan buffer / lu_command::data_out (buf_offset is then unused).
  // Valid until the provider's finish() for this plan returns.
  uint8_t* mem = nullptr;
};

// The core's answer (all set by the provider).
struct lu_outcome {
  enum class kind : uint8_t { done, io } what = kind::done;
  // done: status, sense when CHECK CONDITION, and data_in_len bytes already
  // in the data_in buffer given to execute(). After finish() of a plan with
  // data_in, the Data-In bytes are the plan buffer's first data_in_len bytes.
  uint8_t status = scsi::status::good;
  std::optional<scsi::sense_info> sense;
  uint32_t data_in_len = 0;
  // io: the framework runs steps[0..nsteps) in order with a data buffer of
  // buffer_len bytes (reads fill it, writes take from data_out at
  // buf_offset), stops at the first failure, then calls finish().
  std::array<io_step, 3> steps{};
  uint8_t nsteps = 0;
  uint32_t buffer_len = 0;
  bool data_in = false;  // the buffer is the Data-In payload
  // Bytes the CDB itself asks to move (transfer length x block size) for
  // medium access commands, also when fewer move: the transport derives the
  // residual from it. 0 for others: there the residual is EDTL vs data_in_len.
  uint32_t transfer_length = 0;
  // Issue 7: the byte ranges a deallocate, write_same or map_extents step
  // acts on (at most one such step per plan). Empty otherwise.
  std::vector<byte_range> ranges;
  // MODE SELECT changed a parameter: the framework establishes MODE
  // PARAMETERS CHANGED (2Ah/01h) for every other I_T nexus (SPC-4 5.14).
  bool mode_changed = false;
  // saved_state() changed without a shared parameter changing (a parameter
  // kept per I_T nexus): the framework refreshes its copy, posts nothing.
  bool state_changed = false;

  // ---- v3: removable media (tape) ------------------------------------
  // Set by the provider. A medium action the shell performs after the
  // plan's steps (or at once for a `done` outcome): load the LU's medium
  // (the lu_core medium_* conversation below) or unload it. An outcome
  // with an action is always completed through finish(): io_result 0 when
  // the action succeeded, -errno (EIO, EINVAL, ENOENT ...) when not. After
  // a load the shell posts MEDIUM MAY HAVE CHANGED (28h/00h) to every
  // other I_T nexus.
  enum class medium_action : uint8_t { none, load, unload } medium = medium_action::none;
  // Set by the provider in finish(): the Data-In bytes (data_in_len of
  // them) are in provider-owned memory here, valid until the next call
  // into the core; the shell copies them to the task's buffer.
  const uint8_t* data_in_mem = nullptr;

  // ---- Third-party copy (issue 7; additive) ---------------------------
  // Set by the provider (a `done` outcome whose CDB it checked against its
  // command table): the command is the framework copy manager's, EXTENDED
  // COPY or RECEIVE COPY RESULTS (SPC-4 6.3, 6.18). The shell then ignores
  // the rest of the outcome and runs the command itself
  // (actors/lu/lu_copy.cpp, docs/framework.md "Third-party copy").
  bool copy_manager = false;
  // ---- media changer (issue 8; additive to version 3) -----------------
  // Set by the provider (a changer core, lu_definition::library). Drive
  // operations the shell has STMF perform, in order, after the plan's
  // steps (at once for a `done` outcome): each goes to the drive LU named
  // in library_definition::drives[drive], whose shell loads the cartridge
  // file (path, created with barcode and capacity when missing) or
  // unloads its medium. The shell stops at the first that fails and
  // completes the outcome through finish() with 0 or that -errno:
  // -EBUSY the drive's medium removal is prevented (an initiator's
  // PREVENT ALLOW MEDIUM REMOVAL), -EEXIST the drive holds a medium
  // already, -ENODEV the drive LU is not online, other -errno the file.
  struct drive_op {
    enum class op : uint8_t { load, unload } what = op::load;
    uint32_t drive = 0;
    std::string path;
    std::string barcode;
    uint64_t capacity = 0;
  };
  std::vector<drive_op> drive_ops;
  // The core's persistent_state() changed: the shell writes it atomically
  // to the LU's state file (lu_definition::state_dir) before the status
  // goes out (set in finish(), or in execute() for a `done` outcome).
  bool persist = false;
  // ---- Long operations (issue 7: SANITIZE, FORMAT UNIT; additive) ----
  // Set by the provider. `wait` or `immediate`: the plan is an operation on
  // the whole medium that may take minutes. The shell then
  //   - runs its steps in bounded pieces (RAM included: at most
  //     long_op_piece bytes per turn of the actor), never stopped by an
  //     abort or task management (SBC-4 4.11.2: a sanitize goes on across
  //     resets and lost nexuses; so does a format);
  //   - takes the task out of the task set as soon as the operation starts
  //     (its class made it wait for every older task): newer commands reach
  //     the core, which answers them itself while the operation runs (NOT
  //     READY with a progress indication);
  //   - reports progress through lu_core::long_op_progress after each piece;
  //   - calls finish() when the steps end (io_result as for any plan).
  // `wait`: the task completes with finish()'s outcome (an aborted task
  // reports nothing; the operation goes on). `immediate` (IMMED): the task
  // completes GOOD when the operation starts; finish()'s outcome then only
  // updates the core. A long operation's steps take their data from
  // io_step::mem (the Data-Out goes back with the task); its cdb and
  // data_out are not valid in finish().
  enum class long_op_kind : uint8_t { none, wait, immediate } long_op = long_op_kind::none;
  // Set by the provider, on any outcome (execute or finish): the new
  // content of the LU's durable record (empty: none). The shell writes it
  // atomically under lu_definition::state_dir (`<name>.lu-state`) before
  // it reports the command's status, or removes the file, and hands it to
  // lu_core::restore_durable at every start of the LU (daemon restarts
  // included). With no state_dir nothing survives the daemon.
  std::optional<std::vector<uint8_t>> durable;
};
// The most a long operation's piece of a RAM store covers per turn of the
// LU shell (files and block devices go through the ring in pieces of 1 MiB).
constexpr uint64_t long_op_piece = uint64_t(32) << 20;

// What the framework's precheck and task set need to know about a CDB
// (set by the provider from its command table row).
struct command_info {
  bool known = false;                  // the table has a row for it
  bool allowed_with_ua = false;        // SPC-4 5.14: runs with a unit attention pending
  bool ua_not_cleared = false;         // ... and leaves it pending (INQUIRY, REPORT LUNS)
  bool reports_pending_sense = false;  // REQUEST SENSE: the framework hands the UA in lu_command::pending_sense
  bool allowed_on_standby = false;     // ALUA standby (SPC-4 5.15.2.4.4)
  // ALUA (issue 7, additive to v3): allowed through a port whose target
  // port group is unavailable (SPC-4 5.15.2.4.5: INQUIRY, REPORT LUNS,
  // REPORT/SET TARGET PORT GROUPS, REQUEST SENSE) or transitioning / offline
  // (5.15.2.4.6: the same but SET TARGET PORT GROUPS).
  bool allowed_on_unavailable = false;
  bool allowed_on_transitioning = false;
  bool allowed_under_reservation = false;      // non-holders, any reservation type
  bool allowed_under_write_exclusive = false;  // non-holders, Write Exclusive types
  bool writes_medium = false;
  bool data_out = false;       // this CDB carries Data-Out
  bool session_layer = false;  // answered by the framework's session layer (REPORT LUNS)
  bool framework = false;      // answered by the framework's LU shell (reservations: PERSISTENT
                               // RESERVE IN/OUT, RESERVE/RELEASE); rows exist for RSOC and ordering
  ser_class serialization = ser_class::none;
  extent range;  // the blocks it touches (task set overlap)
};

struct library_definition;  // below

// ---- library administration (issue 8 admin verbs; additive to v3) -----
// One element of a library's element map as the admin plane lists it (set
// by the changer core, lu_core::library_elements).
struct library_element {
  uint8_t type = 0;                // SMC-3 ELEMENT TYPE CODE: 1 transport, 2 storage, 3 import/export, 4 data transfer
  uint16_t address = 0;            // its element address
  std::string barcode;             // the cartridge it holds; empty: none
  std::optional<uint16_t> source;  // SMC-3 6.10.3: the storage element that cartridge last left
};
// An administrator's change of a library (set by the framework; the admin
// plane builds it, STMF hands it to the changer's shell).
struct library_change {
  // The library's whole new definition: cartridges added (created or
  // imported), removed (exported), drives added or removed, in any mix.
  std::shared_ptr<const library_definition> next;
  // Where a cartridge that `next` adds goes: an empty storage or
  // import/export element; nullopt: the first empty import/export element
  // when `to_import_export`, else the first empty storage element.
  std::optional<uint16_t> place;
  bool to_import_export = false;
  // A drive `next` removes while it holds a cartridge: false refuses the
  // change (conflict); true sends the cartridge to the slot it came from
  // (or the first empty one) -- the framework then unloads the drive.
  bool force = false;
};
// The changer's answer (set by the provider). Anything but ok: nothing changed.
struct library_change_result {
  enum class code : uint8_t { ok, invalid, conflict, not_found } what = code::ok;
  std::string message;  // one sentence naming the element, cartridge or drive
  // What every I_T nexus of the changer gets (the shell posts it): 28h/01h
  // IMPORT OR EXPORT ELEMENT ACCESSED when a cartridge entered or left
  // through an import/export element, 28h/00h when anything else an
  // initiator sees changed (SMC-3 5.3 / SPC-4 5.14); none otherwise.
  std::optional<scsi::sense_code> unit_attention;
};
// What a medium file holds (set by the provider's inspect_medium).
struct medium_info {
  std::string error;  // set: the file is not a readable medium (the rest is unset)
  std::string barcode;
  uint64_t capacity = 0;
  uint64_t used = 0;  // bytes up to end of data
  bool write_protect = false;
};

// The provider's per-LU core. Called only from its LU shell actor (one
// thread at a time); it performs no I/O and never blocks.
class lu_core {
 public:
  virtual ~lu_core() = default;
  virtual command_info classify(const uint8_t* cdb, size_t len) const = 0;
  // Validates the CDB against the command table and answers or plans I/O.
  // data_in: scratch of data_in_cap (>= min_data_in_cap) bytes for replies.
  virtual lu_outcome execute(const lu_command& cmd, uint8_t* data_in, size_t data_in_cap) = 0;
  // After a plan ran. io_result: 0, or -errno of the first failed step
  // (failed_step its index); buffer: the plan buffer.
  virtual lu_outcome finish(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                            const uint8_t* buffer) = 0;
  // Issue 7: after a plan with a map_extents step the framework calls this
  // instead, with the plan buffer writable: the provider turns the records
  // into its Data-In at the buffer's start and sets data_in_len (which the
  // framework then keeps, capped at buffer_len).
  virtual lu_outcome finish_mapped(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                                   uint8_t* buffer) {
    return finish(cmd, planned, io_result, failed_step, buffer);
  }
  // Control mode page D_SENSE: build sense in descriptor format.
  virtual bool descriptor_sense() const = 0;
  // The same for one I_T nexus, where the core keeps the Control mode page
  // per I_T nexus (SPC-4 7.8.9 mode page policy 11b). The framework builds
  // the sense of a nexus's commands with this one.
  virtual bool descriptor_sense_for(uint64_t /*nexus*/) const { return descriptor_sense(); }
  // The I_T nexus ended (STMF's logout, I_T NEXUS RESET): drop whatever
  // the core kept for it.
  virtual void nexus_gone(uint64_t /*nexus*/) {}
  // A LOGICAL UNIT RESET or a target (hard) reset reached the LU (SAM-5
  // 6.3; its tasks are aborted and never report): the core returns to its
  // reset state (the disk: every PREVENT MEDIUM REMOVAL ends, SBC-3 5.13).
  virtual void reset() {}
  // Parameters the initiator changed that survive an LU restart (SPC-4
  // saved mode pages): an opaque blob the framework keeps and hands back
  // to make(). Empty: nothing to keep.
  virtual std::vector<uint8_t> saved_state() const { return {}; }

  // ---- v3: removable media (tape) ------------------------------------
  // Only for providers with lu_provider::removable_media. Loading is a
  // short conversation: the shell opens (creating when missing) the
  // medium file, calls medium_attached(), and answers each request the
  // core returns (read: the bytes, fewer at end of file; write: the bytes
  // written and made durable) until the core says done or failed. The
  // shell performs these synchronously (a load reads only small tags).
  struct medium_request {
    enum class op : uint8_t { read, write, done, failed } what = op::failed;
    uint64_t offset = 0;
    uint32_t length = 0;
    const uint8_t* data = nullptr;  // write: provider-owned until the next call
    std::string error;              // failed: why, for the log
  };
  virtual medium_request medium_attached(uint64_t /*file_size*/, bool /*writable*/) {
    return {medium_request::op::failed, 0, 0, nullptr, "this LU has no removable medium"};
  }
  virtual medium_request medium_read_done(const uint8_t* /*data*/, size_t /*n*/) { return {}; }
  virtual medium_request medium_write_done() { return {}; }
  // The shell closed the medium file (unload, or a failed load).
  virtual void medium_detached() {}

  // ---- media changer (issue 8; additive to version 3) -----------------
  // Removable-media providers. A library moves a cartridge into this drive:
  // the file the shell loads next is `barcode`'s, and when it must be
  // created it gets this volume tag and capacity.
  virtual void medium_changing(const std::string& /*barcode*/, uint64_t /*capacity*/) {}
  // An initiator's PREVENT ALLOW MEDIUM REMOVAL holds the medium in place:
  // the shell refuses a library's unload (-EBUSY).
  virtual bool medium_removal_prevented() const { return false; }
  // State that must survive a daemon restart (the changer's element map),
  // written by the shell to the LU's state file when an outcome says
  // `persist`, and handed to make() (lu_make_args::persisted) at start.
  virtual std::vector<uint8_t> persistent_state() const { return {}; }
  // Admin verbs (changer cores; see library_change above): the element map
  // now, and a change the administrator makes. A change is all or nothing;
  // on ok the shell persists persistent_state() and posts the unit
  // attention the result names. Called between commands (never while a
  // move waits for its drives: the core answers conflict then).
  virtual std::vector<library_element> library_elements() const { return {}; }
  virtual library_change_result change_library(const library_change&) {
    return {library_change_result::code::invalid, "this LU is not a media changer", std::nullopt};
  }
  // ---- Long operations (issue 7; see lu_outcome::long_op) ---------------
  // Called by the framework after each piece of a running long operation:
  // `done` of `total` bytes of its steps are through.
  virtual void long_op_progress(uint64_t /*done*/, uint64_t /*total*/) {}
  // Called by the framework right after the core is made, with the durable
  // record the provider last set (lu_outcome::durable); not called when
  // there is none.
  virtual void restore_durable(const std::vector<uint8_t>& /*record*/) {}

  static constexpr size_t min_data_in_cap = 64 * 1024;
};

// An LU's persisted definition: what the framework creates (and restarts)
// an LU from. Set by the framework from the config (wire/config.capnp).
struct lu_definition {
  enum class backing_kind { file, block, ram };
  std::string name;
  std::string provider = "sbd";  // the registered LU provider that serves it
  backing_kind backing = backing_kind::file;
  std::string path;         // absolute (file/block)
  uint64_t size_bytes = 0;  // file: created/extended to this; ram: size; block: 0 = device size
  bool create = true;
  uint32_t block_size = 512;
  bool write_cache = true;
  bool read_only = false;
  // The medium can be ejected and loaded (START STOP UNIT LOEJ; INQUIRY RMB).
  bool removable = false;
  // Issue 7: thin provisioned (LBPME=1: UNMAP, WRITE SAME with UNMAP, GET
  // LBA STATUS) or fully provisioned. Set by the framework from the config.
  bool thin = true;
  // Issue 7: the physical block length the LU reports (LOGICAL BLOCKS PER
  // PHYSICAL BLOCK EXPONENT); 0: block_size. Set by the framework from the
  // config (physicalBlockSize).
  uint32_t physical_block_size = 0;
  lu_identity id;
  // Where the framework keeps the LU's persistent state (reservations with
  // APTPL): the config's dataDir. Empty: nothing is persisted.
  std::string state_dir;
  // ---- v3: removable media (set by the framework from the config) ----
  // The volume tag (barcode) a new medium file is created with; path is
  // the medium file and size_bytes its capacity.
  std::string barcode;
  // ---- media changer (issue 8): set by the framework from the config's
  // `libraries` for the changer LU of a library; null for every other LU.
  std::shared_ptr<const library_definition> library;
};

// A virtual tape library as its changer LU sees it (set by the framework
// from the config's `libraries` entry; SMC-3 element types).
struct library_definition {
  std::string name;
  // Data transfer elements, in element order: the drive LUs (their names
  // and the identity READ ELEMENT STATUS reports with DVCID).
  struct drive {
    std::string lu_name;
    lu_identity id;
  };
  std::vector<drive> drives;
  uint32_t slots = 0;          // storage elements
  uint32_t import_export = 0;  // import/export elements
  // The library's cartridges, first placed in slots 0, 1, ...; the files
  // (path, absolute) are created by the provider when missing. Admin
  // changes (library_change) add and remove entries; a cartridge keeps
  // its entry's barcode for life.
  struct cartridge {
    std::string barcode;
    std::string path;
    uint64_t capacity = 0;
  };
  std::vector<cartridge> cartridges;
};

// What the framework hands a provider to make one LU's core.
struct lu_make_args {
  const lu_definition& def;
  uint64_t capacity_bytes;            // the backing store's usable size
  const std::vector<uint8_t>& saved;  // lu_core::saved_state() of the previous incarnation, or empty
  // Issue 8: lu_core::persistent_state() as the LU's state file holds it
  // (empty: none yet). Set by the framework.
  const std::vector<uint8_t>* persisted = nullptr;
  // Issue 8: for a changer (def.library set), the medium file each drive of
  // the library holds now, in library_definition::drives order (empty: the
  // drive holds none), as the drive LUs answered just before make() (a
  // drive LU not running: the cartridge it loads when it starts). Set by
  // the framework; null: none known (every drive taken as empty).
  const std::vector<std::string>* drive_media = nullptr;
};

struct lu_provider {
  std::string name;  // matched against lu_definition::provider
  uint32_t version = lu_interface_version;
  // Null when the definition does not suit the provider (the LU stays offline).
  std::function<std::unique_ptr<lu_core>(const lu_make_args&)> make{};
  // ---- v3 --------------------------------------------------------------
  // Set by the provider. Its LUs hold removable media (tape): the framework
  // opens no backing store for them (capacity_bytes is 0); lu_definition::
  // path names the medium file the shell loads at start and on the core's
  // medium_action::load.
  bool removable_media = false;
  // ---- Third-party copy (issue 7; additive) ---------------------------
  // Set by the provider. Its LUs are direct-access block devices (SBC-3,
  // peripheral type 00h) that answer READ(16) and WRITE(16): the copy
  // manager may use them as source or destination of a block to block
  // segment (an EXTENDED COPY CSCD descriptor naming another LU is
  // INCORRECT COPY TARGET DEVICE TYPE, 0Dh/03h).
  bool block_copy_target = false;
  // Issue 8: its LUs have no store and no medium at all (a media changer):
  // the framework opens nothing for them (capacity_bytes is 0).
  bool no_store = false;
  // ---- media administration (issue 8 admin verbs; additive) ----------
  // Set by the provider, null when it has no media files. The admin plane
  // calls them on its own thread (never on the data path), for files no
  // drive has loaded unless said otherwise.
  //   inspect_medium (tape drives): reads a medium file's header and scans
  //     its records without writing (also while a drive has it loaded);
  //   set_medium_write_protect (tape drives): rewrites the header's write
  //     protect flag durably; empty or why not;
  //   create_media (media changers): creates every missing cartridge file
  //     of the library, blank with its barcode and capacity; empty or why not.
  std::function<medium_info(const std::string& path)> inspect_medium{};
  std::function<std::string(const std::string& path, bool write_protect)> set_medium_write_protect{};
  std::function<std::string(const library_definition&)> create_media{};
};

}  // namespace stmfd
